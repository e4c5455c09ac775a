"""`duban tick`: the periodic jobs of every app, run by cron or a systemd timer.

Apps register a job with @job("name"). Each job must be idempotent — safe to run
every few minutes, sending nothing twice (see duban.core.notify) — and is run in
its own transaction so that one failing job does not undo the others.

Several servers may run `duban tick` at the same moment. Each job first takes a
database lock for its own name: on PostgreSQL a transaction-level advisory lock
(a server that finds it taken skips the job: another is doing it right now); on
SQLite the IMMEDIATE transaction mode (settings.py) already makes the second
tick wait until the first has committed, and then find nothing left to send.
"""

from __future__ import annotations

import hashlib
import logging

from django.db import connection, transaction

from duban.core import clock

log = logging.getLogger(__name__)
JOBS: dict[str, callable] = {}
# What `duban tick` calls each job in its output (lazy translations): the names are for --job.
TITLES: dict[str, object] = {}
SKIPPED = "skipped: running on another server"


def job(name, title=None):
    """Register `func` as the job `name`; `title` names it in words. The job returns a one-line summary in the
    reader's language (gettext), or a dict of counts."""
    def register(func):
        JOBS[name] = func
        TITLES[name] = title or name
        return func

    return register


def lock_key(name):
    """A stable signed 64-bit number for the job's advisory lock."""
    digest = hashlib.sha256(f"duban-tick:{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def try_job_lock(name):
    """Inside a transaction: True if this tick may run the job now."""
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [lock_key(name)])
        return cursor.fetchone()[0]


def run_jobs(now=None, only=None):
    """Run the registered jobs; returns {name: result, SKIPPED or 'error: …'}."""
    now = now or clock.now()
    results = {}
    for name, func in JOBS.items():
        if only and name not in only:
            continue
        try:
            with transaction.atomic():
                if not try_job_lock(name):
                    results[name] = SKIPPED
                    continue
                results[name] = func(now)
        except Exception as exc:  # noqa: BLE001 — report and carry on with the next job
            log.exception("tick job %s failed", name)
            results[name] = f"error: {exc}"
    return results
