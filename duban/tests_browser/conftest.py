"""Browser journeys: Playwright for Python driving Debian's chromium against pytest-django's live_server.

Playwright must never download a browser of its own: that fails on these machines.
tools/install-test-deps installs /usr/bin/chromium and fonts-noto-cjk (without
a CJK font every Chinese character in the screenshots is a box).
Screenshots go to test-artifacts/ (gitignored): look at them.
"""

import os
from pathlib import Path

import pytest

from duban.conftest import PASSWORD

# Playwright's sync API keeps an event loop in the test's thread; the ORM calls the
# tests make between page steps are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
DEMO_DIR = Path(__file__).resolve().parents[1] / "demo"
LAPTOP = {"width": 1280, "height": 860}
PHONE = {"width": 375, "height": 740}


@pytest.fixture(scope="session", autouse=True)
def _live_server_media_url():
    """Duban sets MEDIA_URL = None (uploads are served only by permission-checking views), but the
    live server's media handler needs a string prefix; give it one no page ever links to."""
    from django.test.utils import override_settings

    with override_settings(MEDIA_URL="/__live-server-media__/"):
        yield


def _page(browser, **options):
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", **options)
    context.set_default_timeout(10_000)
    return context, context.new_page()


@pytest.fixture
def page(browser):
    """A laptop-sized tab."""
    context, page = _page(browser, viewport=LAPTOP)
    yield page
    context.close()


@pytest.fixture
def phone(browser):
    """A 375px-wide phone tab with touch."""
    context, page = _page(browser, viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    yield page
    context.close()


@pytest.fixture
def no_js_page(browser):
    """A laptop tab with JavaScript off: every page must still work by plain GET and POST."""
    context, page = _page(browser, viewport=LAPTOP, java_script_enabled=False)
    yield page
    context.close()


@pytest.fixture
def screenshot():
    """screenshot(page, "name") saves test-artifacts/name.png (the full page) and returns its path."""
    ARTIFACTS.mkdir(exist_ok=True)

    def save(page, name):
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return save


@pytest.fixture
def seed_plan(transactional_db):
    """The Xihu 2023 plan as `make demo` loads it: unit directory, then the published text."""
    from duban.plans.models import Plan
    from duban.plans.services import import_plan_file
    from duban.plans.units import import_unit_directory

    units = DEMO_DIR / "xihu-units.csv"
    import_unit_directory(units.read_text(encoding="utf-8"), source=units.name)
    summary = import_plan_file(DEMO_DIR / "xihu-2023-action-plan.txt", keep_source=False)
    return Plan.objects.get(pk=summary["plan"])


def log_in(page, live_server, username, password=PASSWORD):
    """Log in through the form, as a person would, and land on the page after it."""
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("form button[type=submit]")
    page.wait_for_load_state()
