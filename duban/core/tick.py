"""`duban tick`: the periodic jobs of every app, run by cron or a systemd timer.

Apps register a job with @job("name"). Each job must be idempotent — safe to run
every few minutes, sending nothing twice (see duban.core.notify) — and is run in
its own transaction so that one failing job does not undo the others.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

log = logging.getLogger(__name__)
JOBS: dict[str, callable] = {}


def job(name):
    def register(func):
        JOBS[name] = func
        return func

    return register


def run_jobs(now=None, only=None):
    """Run the registered jobs; returns {name: result or 'error: …'}."""
    now = now or timezone.now()
    results = {}
    for name, func in JOBS.items():
        if only and name not in only:
            continue
        try:
            with transaction.atomic():
                results[name] = func(now)
        except Exception as exc:  # noqa: BLE001 — report and carry on with the next job
            log.exception("tick job %s failed", name)
            results[name] = f"error: {exc}"
    return results
