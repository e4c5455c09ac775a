"""Several servers running `duban tick` at once send each reminder exactly once."""

import datetime
import threading
import time

import pytest
from django.core import mail
from django.db import connection

from duban.core import tick
from duban.core.models import Notification
from duban.core.notify import notify

NOW = datetime.datetime(2026, 11, 25, 9, 0, tzinfo=datetime.timezone.utc)


def test_lock_keys_are_stable_and_distinct():
    assert tick.lock_key("reminders") == tick.lock_key("reminders")
    assert tick.lock_key("reminders") != tick.lock_key("escalations")
    assert -(2**63) <= tick.lock_key("reminders") < 2**63


@pytest.mark.django_db(transaction=True)
def test_two_ticks_at_once_run_each_job_once(monkeypatch, scjg_reporter, tax_reporter):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: the advisory lock is PostgreSQL's, and SQLite's in-memory test database "
                    "cannot be shared between threads; tools/run-tests runs this on PostgreSQL")
    for user in (scjg_reporter, tax_reporter):
        user.email = f"{user.username}@example.org"
        user.save()
    runs = []

    def remind(now):
        runs.append(threading.get_ident())
        sent = notify([scjg_reporter, tax_reporter], f"report-due:{now:%Y-%m-%d}", "请填报本轮进展")
        time.sleep(0.5)  # still inside the job's transaction, holding its lock, when the other tick arrives
        return len(sent)

    monkeypatch.setattr(tick, "JOBS", {"remind": remind})
    start, results = threading.Barrier(2), []

    def one_server():
        start.wait()
        try:
            results.append(tick.run_jobs(NOW)["remind"])
        finally:
            connection.close()  # each thread has its own connection

    servers = [threading.Thread(target=one_server) for _ in range(2)]
    for server in servers:
        server.start()
    for server in servers:
        server.join(30)
    assert sorted(results, key=str) == [2, tick.SKIPPED]
    assert len(runs) == 1
    assert Notification.objects.filter(key="report-due:2026-11-25").count() == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["scjg_reporter@example.org", "tax_reporter@example.org"]
    # The next tick (lock free again) finds nothing left to send.
    assert tick.run_jobs(NOW) == {"remind": 0}
