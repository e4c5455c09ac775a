"""Fixtures for the KPI tests: the seed plan with its proposals, and a small plan with metrics and values."""

import shutil
import tempfile
from pathlib import Path

import pytest
from django.test import override_settings
from django.utils import translation

from duban.plans.models import Plan, Unit, UnitAlias
from duban.plans.services import import_plan_file
from duban.plans.units import import_unit_directory

from . import factories

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"
SEED = DEMO_DIR / "xihu-2023-action-plan.txt"
UNITS = DEMO_DIR / "xihu-units.csv"


@pytest.fixture(scope="module")
def seed_proposals(django_db_setup, django_db_blocker):
    """The Xihu 2023 plan imported once per module, its source text kept, and its targets proposed.

    The source is kept (in a throwaway MEDIA_ROOT) because the plan's own goal,
    进入前50位, is printed before the first area and read from it.
    """
    media = tempfile.mkdtemp(prefix="duban-kpi-media-")
    with override_settings(MEDIA_ROOT=media):
        with django_db_blocker.unblock():
            import_unit_directory(UNITS.read_text(encoding="utf-8"), source=UNITS.name)
            summary = import_plan_file(SEED)  # the import proposes the plan's targets itself
            plan = Plan.objects.get(pk=summary["plan"])
            plan.counts = {"created": summary["metric_proposals"]}
        yield plan
        with django_db_blocker.unblock():
            Plan.objects.all().delete()
            UnitAlias.objects.all().delete()
            Unit.objects.filter(users__isnull=True).delete()
    shutil.rmtree(media, ignore_errors=True)


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """The cast's passwords hashed cheaply: Argon2 costs most of a second per user on a busy machine."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English (the msgids), whatever translations exist; pages ask for English too."""
    with translation.override("en"):
        yield


@pytest.fixture
def client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def media(settings, tmp_path):
    """Uploaded evidence goes to a throwaway folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def kpi(db, units, media):
    return factories.kpi_plan()
