"""Periodic housekeeping of the plan ledger (run by `duban tick`)."""

import datetime

from django.core.files.storage import default_storage

from duban.core.tick import job

from .models import Plan

SOURCE_DIR = "plans"
GRACE = datetime.timedelta(hours=1)


@job("plan-source-orphans")
def remove_orphan_sources(now):
    """Delete kept plan sources that no plan refers to: left by an import killed half-way."""
    try:
        _, names = default_storage.listdir(SOURCE_DIR)
    except FileNotFoundError:
        return "0 removed"
    kept = set(Plan.objects.exclude(source_file="").values_list("source_file", flat=True))
    removed = 0
    for name in names:
        path = f"{SOURCE_DIR}/{name}"
        if path in kept or default_storage.get_modified_time(path) > now - GRACE:
            continue  # in use, or an import may still be running
        default_storage.delete(path)
        removed += 1
    return f"{removed} removed"
