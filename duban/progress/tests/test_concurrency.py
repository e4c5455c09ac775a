"""Two people acting on one report at the same moment: one of them wins, the other is told, nothing is lost.

PostgreSQL only: SQLite's in-memory test database cannot be shared between threads (and SQLite
writes one at a time anyway); tools/run-tests runs these on PostgreSQL.
"""

import threading
import time

import pytest
from django.db import connection

from duban.progress import services
from duban.progress.models import ProgressReport, ReportVersion, TransitionError

from .conftest import write

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def postgresql_and_a_slow_notification(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (see the module's docstring)")
    notify = services.notify

    def slow_notify(*args, **kwargs):
        time.sleep(0.5)  # still inside the first transaction when the second person arrives
        return notify(*args, **kwargs)

    monkeypatch.setattr(services, "notify", slow_notify)


def at_once(report, *actions):
    """Run each action(report as its page loaded it) in its own thread and connection; their results,
    "refused" for a TransitionError."""
    start, outcomes = threading.Barrier(len(actions)), []

    def person(action):
        seen = ProgressReport.objects.get(pk=report.pk)  # every page was opened before anyone acted
        start.wait()
        try:
            outcomes.append(action(seen))
        except TransitionError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=person, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return outcomes


def test_two_office_users_reviewing_one_submission(report, scjg_reporter, scjg_head, office):
    write(report, scjg_reporter)
    services.submit(report, scjg_head)
    outcomes = at_once(
        report,
        lambda seen: services.accept(seen, office, "同意。").review_comment,
        lambda seen: services.return_for_correction(seen, office, "请补充佐证材料。").review_comment,
    )
    assert outcomes.count("refused") == 1, outcomes
    winner = next(o for o in outcomes if o != "refused")
    version = ReportVersion.objects.get(report=report)
    report.refresh_from_db()
    assert version.review_comment == report.review_comment == winner
    assert report.status == version.outcome


def test_two_heads_submitting_one_report(report, scjg_reporter, scjg_head):
    write(report, scjg_reporter)
    outcomes = at_once(report, *[lambda seen: services.submit(seen, scjg_head).number] * 2)
    assert sorted(outcomes, key=str) == [1, "refused"]
    assert ReportVersion.objects.filter(report=report).count() == 1
