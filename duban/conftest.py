"""The test cast, in one place (see docs/development.md).

- ``office``: 区营商办 clerk, sees and reviews everything
- ``scjg_reporter`` / ``scjg_head``: reporter and head of 区市场监管局
- ``tax_reporter``: reporter of 区税务局, an outsider to 市场监管局's data
- ``leader_user``: district leader 胡海
- ``admin_user``: administrator
"""

import pytest
from django.conf import settings

from duban.accounts.models import Role, User
from duban.core.models import DEFAULT_REGION_PK
from duban.plans.models import Leader, Unit

PASSWORD = "correct-horse-battery"
# The cast's region: the one the migrations create. Tests name it like every caller must (no field
# falls back to it); tests of a second region pass theirs.
HOME = DEFAULT_REGION_PK


@pytest.fixture(autouse=True, scope="session")
def _english_by_default():
    """Module- and session-scoped fixtures run before the per-test switch below: English for them too."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _english(request, settings):
    """Tests assert on the English msgids; pages and commands answer in English unless a test asks
    for Chinese (mark it `zh_hans`, as the translation tests are)."""
    from django.utils import translation

    if request.node.get_closest_marker("zh_hans"):
        # Pages in the default language; the language active afterwards is put back for the next test.
        with translation.override("zh-hans"):
            yield
        return
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing():
    """Argon2 is slow on purpose; tests that do not test hashing use a fast hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_user(username, role, unit=None, leader=None, **extra):
    if "region" not in extra and "region_id" not in extra:
        extra["region_id"] = unit.region_id if unit else leader.region_id if leader else HOME
    user = User(username=username, role=role, unit=unit, leader=leader, **extra)
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def units(db):
    return {
        "scjg": Unit.objects.get_or_create(name="区市场监管局", region_id=HOME)[0],
        "tax": Unit.objects.get_or_create(name="区税务局", region_id=HOME, defaults={"kind": Unit.Kind.BRANCH})[0],
        "office": Unit.objects.get_or_create(name="区营商环境服务中心", region_id=HOME)[0],
    }


@pytest.fixture
def office(units):
    return make_user("office", Role.OFFICE, units["office"])


@pytest.fixture
def scjg_reporter(units):
    return make_user("scjg_reporter", Role.REPORTER, units["scjg"])


@pytest.fixture
def scjg_head(units):
    return make_user("scjg_head", Role.UNIT_HEAD, units["scjg"])


@pytest.fixture
def tax_reporter(units):
    return make_user("tax_reporter", Role.REPORTER, units["tax"])


@pytest.fixture
def leader_user(db):
    leader = Leader.objects.get_or_create(name="胡海", region_id=HOME)[0]
    return make_user("leader", Role.LEADER, leader=leader)


@pytest.fixture
def admin_user(db):
    return make_user("admin", Role.ADMIN, is_staff=True, is_superuser=True)


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium through Playwright, one per test process: Playwright's sync API allows only
    one running instance per thread, so every browser test in the run shares this one.

    Never let Playwright download a browser of its own (that fails here); tools/install-test-deps
    installs /usr/bin/chromium and fonts-noto-cjk.
    """
    from pathlib import Path

    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run tools/install-test-deps (Debian's chromium and fonts-noto-cjk)")
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def live_server_media_url():
    """Duban sets MEDIA_URL = None (uploads are served only by permission-checking views), but the
    live server's media handler needs a string prefix; give it one no page ever links to. Ask for it
    with `pytest.mark.usefixtures` so that it is in place before the live server starts."""
    from django.test.utils import override_settings

    with override_settings(MEDIA_URL="/__live-server-media__/"):
        yield


@pytest.fixture(autouse=True)
def _reference_data_after_flush(request):
    """Live-server tests run outside a transaction, and the database is flushed after each one, which
    also removes what the migrations seed: the default region, the holiday calendar and the complaint categories. Put them
    back for the live-server test that needs them (tests in a transaction never see the flush)."""
    marker = request.node.get_closest_marker("django_db")
    transactional = marker is not None and (marker.kwargs.get("transaction") or (marker.args[:1] == (True,)))
    if not ({"live_server", "transactional_db"} & set(request.fixturenames) or transactional):
        yield
        return
    request.getfixturevalue("transactional_db")
    from django.apps import apps as django_apps

    from duban.core.models import ensure_default_region

    ensure_default_region()

    from duban.calendar.models import Notice
    from duban.calendar.seed import seed
    from duban.calendar.workdays import clear_cache

    if not Notice.objects.exists():
        seed(Notice, django_apps.get_model("calendar", "Holiday"), region="CN")
        clear_cache()
    import importlib

    categories = importlib.import_module("duban.hotline.migrations.0002_categories")
    categories.forward(django_apps, None)
    yield
