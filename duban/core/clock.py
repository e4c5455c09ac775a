"""The one clock: everything that asks "what is today" asks here.

Lights, reminders, SLAs, reporting rounds and the assessment all call today()
or now(). The setting DUBAN_TODAY (an ISO date or datetime, from the
environment) fixes the clock — the demo stands inside its plan's year with it,
and tests use override_settings(DUBAN_TODAY=…) instead of patching dates.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone


def _fixed():
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


def now():
    return _fixed() or timezone.now()


def today():
    return timezone.localdate(now())
