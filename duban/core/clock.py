"""The one clock: everything that asks "what is today" asks here.

Lights, reminders, SLAs, reporting rounds and the assessment all call today()
or now(). The setting DUBAN_TODAY (an ISO date or datetime, from the
environment) fixes the clock — the demo stands inside its plan's year with it,
and tests use override_settings(DUBAN_TODAY=…) instead of patching dates.

A simulated year (duban.simulation) stands the clock at its moments with standing_at(): meanwhile now(),
today() and stamp() — which dates the rows written (created_at, updated_at, the audit trail) — answer the
simulated moment, so a report submitted in June says June. Under DUBAN_TODAY, stamp() gives that day (at
the real time of day): no page of the demo shows the machine's date.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

_standing: contextvars.ContextVar[Callable[[], datetime.datetime] | None] = contextvars.ContextVar(
    "duban_clock_standing", default=None)


@contextlib.contextmanager
def standing_at(source: Callable[[], datetime.datetime]) -> Iterator[None]:
    """now(), today() and stamp() answer `source()` meanwhile, whatever DUBAN_TODAY says."""
    token = _standing.set(source)
    try:
        yield
    finally:
        _standing.reset(token)


def _fixed() -> datetime.datetime | None:
    value = getattr(settings, "DUBAN_TODAY", None)
    if not value:
        return None
    if isinstance(value, datetime.datetime):
        moment = value
    elif isinstance(value, datetime.date):
        moment = datetime.datetime.combine(value, datetime.time(9, 0))
    else:
        text = str(value).strip()
        moment = datetime.datetime.fromisoformat(text if "T" in text or " " in text else text + "T09:00")
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def now() -> datetime.datetime:
    source = _standing.get()
    if source is not None:
        return source()
    return _fixed() or timezone.now()


def today() -> datetime.date:
    return timezone.localdate(now())


def stamp() -> datetime.datetime:
    """When a row is written: the real time, or the simulated moment while standing_at() holds.

    While DUBAN_TODAY pins the day (the demo at 2023-10-20), a row is dated that day at the real time of day:
    a notification, an audit entry or a circular made on the demo says 2023-10-20 like every page around it,
    and rows written on the pinned day still come in the order they were written.
    """
    source = _standing.get()
    if source is not None:
        return source()
    real = timezone.now()
    fixed = _fixed()
    if fixed is None:
        return real
    day, local = timezone.localdate(fixed), timezone.localtime(real)
    return local.replace(year=day.year, month=day.month, day=day.day)


class StampField(models.DateTimeField):
    """A DateTimeField whose auto_now / auto_now_add take stamp(): Django's own ask timezone.now(), which a
    simulated year does not move. Migrations see a plain DateTimeField (nothing in the database differs)."""

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        if self.auto_now or (self.auto_now_add and add):
            value = stamp()
            setattr(model_instance, self.attname, value)
            return value
        return super().pre_save(model_instance, add)

    def deconstruct(self) -> tuple[str, str, Sequence[Any], dict[str, Any]]:
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DateTimeField", args, kwargs
