"""Fixtures for the hotline tests: a category in an area led by 胡海, a complaint factory, a clock.

The cast comes from duban/conftest.py: `office`, `scjg_reporter` and
`scjg_head` (区市场监管局, the unit handling complaints here), `tax_reporter`
(区税务局: a cooperating unit, or an outsider), `leader_user` (胡海).
"""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from duban.calendar import workdays
from duban.hotline import flow
from duban.hotline.models import Category
from duban.plans.models import Area, Leader, Plan
from duban.conftest import HOME

VALID_CREDIT_CODE = "91350100M000100Y43"


@pytest.fixture(autouse=True)
def fresh_engine():
    # Other apps' tests add calendar rows and roll them back without signals.
    workdays.clear_cache()
    yield
    workdays.clear_cache()


@pytest.fixture(autouse=True)
def english(settings):
    # Assertions name the English msgids, whatever the state of the translations.
    settings.LANGUAGE_CODE = "en"


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    # Argon2 takes over a second per hash on these machines, and the cast has six accounts.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def moment(text):
    return timezone.make_aware(datetime.datetime.fromisoformat(text))


@pytest.fixture
def clock_at(settings):
    """clock_at("2026-10-08T10:00") fixes duban.core.clock.now() there."""

    def set_to(text):
        settings.DUBAN_TODAY = text
        return moment(text)

    return set_to


@pytest.fixture
def category(units, leader_user):
    plan = Plan.objects.create(region_id=HOME, year=2026, title="2026年营商环境优化升级行动方案")
    area = Area.objects.create(plan=plan, kind=Area.Kind.SPECIAL_ACTION, name="涉企账款清欠专项行动",
                               chief=Leader.objects.get(name="胡海"))
    # Seeded by a migration; a live-server test before this one flushes the database, so make it if gone.
    category = Category.objects.get_or_create(region=plan.region, name="拖欠中小企业账款")[0]
    category.area, category.default_unit = area, units["scjg"]
    category.save()
    return category


@pytest.fixture
def file_complaint(category):
    def make(received_at="2026-09-30T17:45", **fields):
        values = {
            "category": category, "company_name": "南昌市青云电子科技有限公司", "credit_code": VALID_CREDIT_CODE,
            "contact_name": "王小明", "mobile": "13812345678", "description": "区某单位拖欠货款18万元，多次催要无果。",
            "received_at": moment(received_at),
        }
        values.update(fields)
        return flow.receive(**values)

    return make


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def as_office(office):
    return client_for(office)


@pytest.fixture
def as_scjg(scjg_reporter):
    return client_for(scjg_reporter)


@pytest.fixture
def as_tax(tax_reporter):
    return client_for(tax_reporter)


def step(client, complaint, name, **data):
    """POST a step form (fields carry the form's prefix) and return the response."""
    url = f"/hotline/{complaint.pk}/step/{name}/"
    return client.post(url, {f"{name}-{key}": value for key, value in data.items()})
