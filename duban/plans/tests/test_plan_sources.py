"""The kept source of an import: removed when the import fails, and orphans swept by `duban tick`."""

import datetime
import os
from unittest import mock

import pytest
from django.core.files.storage import default_storage
from django.test import override_settings
from django.utils import timezone

from duban.plans import services
from duban.plans.jobs import remove_orphan_sources
from duban.plans.models import Plan

from .conftest import SEED

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(tmp_path):
    with override_settings(MEDIA_ROOT=str(tmp_path)):
        yield tmp_path


def test_failed_import_leaves_no_source_file(media):
    with mock.patch.object(services, "_unit_count", side_effect=RuntimeError("disk full")):
        with pytest.raises(RuntimeError):
            services.import_plan_file(SEED)
    assert not Plan.objects.exists()
    # The file was written (the folder exists) and removed again.
    assert (media / "plans").is_dir() and not any((media / "plans").iterdir())


def test_orphans_older_than_an_hour_are_removed(media):
    summary = services.import_plan_file(SEED)
    kept = Plan.objects.get(pk=summary["plan"]).source_file.name
    orphan = default_storage.save("plans/killed-import.txt", open(SEED, "rb"))
    recent = default_storage.save("plans/running-import.txt", open(SEED, "rb"))
    old = (timezone.now() - datetime.timedelta(hours=2)).timestamp()
    os.utime(default_storage.path(orphan), (old, old))
    assert remove_orphan_sources(timezone.now()) == "1 removed"
    assert default_storage.exists(kept) and default_storage.exists(recent) and not default_storage.exists(orphan)
