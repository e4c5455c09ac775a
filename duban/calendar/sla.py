"""Time limits for things received at a moment: "reply within N working days".

Rules (issue 3, docs/calendar.md):
- received on a working day before close of business: that day is day 1;
- received after close of business or on a non-working day: day 1 is the
  next working day;
- "within N working days" ends at close of business of day N.

Office hours come from DUBAN_OFFICE_HOURS, a list of ("HH:MM", "HH:MM")
intervals; the default is the Jiangxi offices' 08:30–12:00 and 14:30–17:30.
"""

import datetime

from django.conf import settings
from django.utils import timezone

from .workdays import Deadline, add_workdays, is_workday, provisional_years

DEFAULT_OFFICE_HOURS = (("08:30", "12:00"), ("14:30", "17:30"))


def office_hours() -> list[tuple[datetime.time, datetime.time]]:
    """The configured intervals as [(time, time)], in order."""
    intervals = getattr(settings, "DUBAN_OFFICE_HOURS", DEFAULT_OFFICE_HOURS)
    parsed = sorted((datetime.time.fromisoformat(a), datetime.time.fromisoformat(b)) for a, b in intervals)
    if not parsed or any(a >= b for a, b in parsed):
        raise ValueError(f"DUBAN_OFFICE_HOURS must be non-empty (start, end) intervals, got {intervals!r}")
    return parsed


def close_of_business() -> datetime.time:
    return office_hours()[-1][1]


def _local(moment: datetime.datetime) -> datetime.datetime:
    if timezone.is_naive(moment):
        return timezone.make_aware(moment)
    return timezone.localtime(moment)


def is_open(moment: datetime.datetime, region: str | None = None) -> bool:
    """Whether the offices are at work at that moment (a working day, inside office hours)."""
    local = _local(moment)
    if not is_workday(local.date(), region):
        return False
    t = local.time()
    return any(a <= t < b for a, b in office_hours())


def first_counting_day(received_at: datetime.datetime, region: str | None = None) -> datetime.date:
    """Day 1 of a time limit for something received at that moment."""
    local = _local(received_at)
    day = local.date()
    if is_workday(day, region) and local.time() < close_of_business():
        return day
    return add_workdays(day, 1, region)


def sla_deadline(received_at: datetime.datetime, n: int, region: str | None = None) -> Deadline:
    """The Deadline of "within n working days" (n ≥ 1) of receipt: close of business of day n."""
    if n < 1:
        raise ValueError("a time limit counts at least one working day")
    received = _local(received_at)
    first = first_counting_day(received, region)
    last = add_workdays(first, n - 1, region)
    due_at = timezone.make_aware(datetime.datetime.combine(last, close_of_business()))
    return Deadline(last, due_at, provisional_years(received.date(), last, region))
