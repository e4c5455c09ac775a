"""When simulated people act: inside office hours, on working days, from the one calendar."""

from __future__ import annotations

import datetime
import math
import zoneinfo

from django.conf import settings

from duban.calendar.sla import office_hours
from duban.calendar.workdays import add_workdays, is_workday

# The site's time zone, held directly: timezone.make_aware() and localtime() look the current zone up on
# every call, which a province's millions of moments feel.
TZ = zoneinfo.ZoneInfo(settings.TIME_ZONE)


def at(day, hour, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=TZ)


def local(moment):
    return moment.astimezone(TZ)


class WorkTime:
    """Random moments in office hours (DUBAN_OFFICE_HOURS) on working days.

    A year asks about the same few hundred days millions of times: whether one is a working day, which
    working day follows it, what its office hours are as moments. Each is asked of the calendar once.
    """

    def __init__(self):
        self.intervals = office_hours()
        self.minutes = [(a.hour * 60 + a.minute, b.hour * 60 + b.minute) for a, b in self.intervals]
        self.open_minutes = sum(b - a for a, b in self.minutes)
        self._workdays, self._following, self._moments = {}, {}, {}

    def _is_workday(self, day):
        known = self._workdays.get(day)
        if known is None:
            known = self._workdays[day] = is_workday(day)
        return known

    def _next_workday(self, day):
        following = self._following.get(day)
        if following is None:
            following = self._following[day] = add_workdays(day, 1)
        return following

    def _moment(self, day, minute_of_day):
        key = (day, minute_of_day)
        moment = self._moments.get(key)
        if moment is None:
            moment = self._moments[key] = at(day, minute_of_day // 60, minute_of_day % 60)
        return moment

    def random_on(self, day, rng):
        """A random minute of office hours on `day`."""
        k = rng.randrange(self.open_minutes)
        for a, b in self.minutes:
            if k < b - a:
                return self._moment(day, a + k)
            k -= b - a
        raise AssertionError

    def next_open(self, moment):
        """The first moment at or after `moment` when the offices are open."""
        t = local(moment)
        day = t.date()
        minute = t.hour * 60 + t.minute
        while True:
            if self._is_workday(day):
                for a, b in self.minutes:
                    if minute < b:
                        start = self._moment(day, max(a, minute))
                        return max(start, moment) if minute >= a else start
            day, minute = self._next_workday(day), 0

    def later(self, moment, rng, low=5, high=120):
        """`low`–`high` minutes of office time after `moment`."""
        t = self.next_open(moment)
        remaining = rng.randint(low, high)
        while True:
            lt = local(t)
            minute = lt.hour * 60 + lt.minute
            for a, end in self.minutes:
                if a <= minute < end:
                    break
            else:
                raise AssertionError(f"{t} is not in office hours")
            if minute + remaining < end:
                return t + datetime.timedelta(minutes=remaining)
            remaining -= end - minute
            t = self.next_open(self._moment(lt.date(), end))

    def after_workdays(self, moment, rng, low, high):
        """A random office moment `low`–`high` working days after `moment`'s day (0: later the same day)."""
        day = local(self.next_open(moment)).date()
        n = rng.randint(low, high)
        if n == 0:
            return self.later(moment, rng, 10, 180)
        return self.random_on(add_workdays(day, n), rng)

    def between(self, start, end, rng):
        """A random office moment after `start` and before `end` (or just after `start` if there is none)."""
        first = local(self.next_open(start)).date()
        last = local(end).date()
        days = []
        day = first
        while day <= last and len(days) < 60:
            days.append(day)
            day = self._next_workday(day)
        for _ in range(8):
            moment = self.random_on(rng.choice(days), rng) if days else None
            if moment is not None and start < moment < end:
                return moment
        return self.later(start, rng, 5, 30)


def poisson(rng, lam):
    """A Poisson-distributed count (Knuth's method for small means, a normal approximation for large)."""
    if lam <= 0:
        return 0
    if lam > 30:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1
