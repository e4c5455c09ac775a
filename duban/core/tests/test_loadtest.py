"""tools/loadtest.py against the live test server: every simulated role runs briefly, and verify finds every write.

The real run (50 users for 3 minutes on gunicorn + PostgreSQL) is in BENCHMARKS.md; this keeps the
script from rotting when pages change. The roles run one after another: the live server of an
in-memory SQLite database shares one connection between its threads.
"""

import importlib.util
import threading
import urllib.parse
from pathlib import Path

import pytest

from duban.hotline.models import Complaint
from duban.progress.models import ReportVersion

SCRIPT = Path(__file__).resolve().parents[3] / "tools" / "loadtest.py"
SECONDS_PER_ROLE = 1.5
pytestmark = pytest.mark.usefixtures("live_server_media_url")


@pytest.fixture
def loadtest():
    spec = importlib.util.spec_from_file_location("loadtest", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_role_runs_and_every_accepted_write_is_found(live_server, settings, loadtest, capsys):
    settings.DUBAN_HOTLINE_INTAKE_PER_HOUR = 1000
    units = loadtest.setup(units=2)
    assert units == 2
    url = urllib.parse.urlparse(live_server.url)
    stats, record = loadtest.Stats(), loadtest.Record()
    # Reporters and heads write and submit, then the office reviews what was submitted.
    for role in ["reporter", "head", "office", "business", "leader"]:
        stop = threading.Event()
        timer = threading.Timer(SECONDS_PER_ROLE, stop.set)
        timer.start()
        loadtest.simulate(role, 0, url.hostname, url.port, stats, stop, record, pace=0.02, units=units)
        timer.cancel()
    assert stats.failures == []
    assert {"draft", "submission", "review", "complaint"} <= set(record.counts), record.counts
    total, found, lost = loadtest.verify(record.items)
    assert (found, lost) == (total, [])
    assert f"accepted {total}, found {total}, lost 0" in capsys.readouterr().out


def test_verify_reports_a_write_that_is_not_there(db, loadtest, capsys):
    assert not Complaint.objects.exists() and not ReportVersion.objects.exists()
    items = [{"kind": "complaint", "code": "ABCDE-FGHJK", "token": "ltc-000000000000"},
             {"kind": "review", "report": 1, "outcome": "accepted", "token": "ltr-000000000000"}]
    total, found, lost = loadtest.verify(items)
    assert (total, found, lost) == (2, 0, items)
    assert "accepted 2, found 0, lost 2" in capsys.readouterr().out
