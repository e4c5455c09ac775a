"""An import killed half-way (kill -9) leaves nothing behind: it is one transaction."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from duban.plans.models import Area, Measure, Plan, Unit

SEED = Path(__file__).resolve().parents[1] / "demo" / "xihu-2023-action-plan.txt"

# Runs `duban import-plan` with the measure writer slowed after the 20th measure,
# and a marker file written then, so the test knows the import is half-way.
HARNESS = """
import os, sys, time
import django
django.setup()
from duban.plans import services
written = 0
original = services._write_measure
def slow(*args, **kwargs):
    global written
    measure = original(*args, **kwargs)
    written += 1
    if written == 20:
        open(sys.argv[2], "w").write("half-way")
    if written >= 20:
        time.sleep(60)
    return measure
services._write_measure = slow
from django.core.management import call_command
call_command("import_plan", sys.argv[1])
"""


def database_url(tmp_path):
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        host = f"{settings['HOST']}:{settings['PORT']}" if settings["PORT"] else settings["HOST"]
        return f"postgres://{settings['USER']}@{host}/{settings['NAME']}"
    # The test database lives in memory: copy it (migrated) to a file the subprocess can open.
    path = tmp_path / "duban.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    return f"sqlite:///{path}"


def counts(url):
    if url.startswith("sqlite:"):
        db = sqlite3.connect(url.removeprefix("sqlite://"))  # opening it rolls back the killed writer's journal
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        tables = ("plans_plan", "plans_area", "plans_measure", "plans_unit")
        return tuple(db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables)
    return Plan.objects.count(), Area.objects.count(), Measure.objects.count(), Unit.objects.count()


@pytest.mark.django_db(transaction=True)
def test_import_killed_half_way_leaves_no_partial_plan(tmp_path):
    url = database_url(tmp_path)
    before = counts(url)
    marker = tmp_path / "half-way"
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "duban.settings",
           "DUBAN_MEDIA_ROOT": str(tmp_path / "media")}
    importer = subprocess.Popen([sys.executable, "-c", HARNESS, str(SEED), str(marker)], env=env,
                                cwd=Path(__file__).resolve().parents[2], stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while not marker.exists():
            assert importer.poll() is None, importer.stderr.read().decode()
            assert time.monotonic() < deadline, "the import never got half-way"
            time.sleep(0.05)
        importer.send_signal(signal.SIGKILL)
    finally:
        importer.kill()
        importer.wait()
    assert importer.returncode == -signal.SIGKILL
    if connection.vendor == "postgresql":
        time.sleep(0.2)  # the server notices the dropped connection and rolls back
    assert counts(url) == before
    assert before[0] == 0
    # The source file is copied to storage before the rows; report what a kill leaves there.
    print("left in storage:", sorted(p.name for p in (tmp_path / "media").rglob("*") if p.is_file()))
