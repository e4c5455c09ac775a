"""The working-day engine: is_workday, add_workdays, workdays_between.

Every call is a lookup in arrays built once per region from the database
(notices, their days, local overrides) and kept in memory:

- ``work[i]``  1 if day ``lo + i`` (an ordinal) is a working day;
- ``rank[i]``  how many working days come before day ``lo + i``;
- ``ords[k]``  the ordinal of the k-th working day of the span.

The span covers whole years and grows when a date outside it is asked for.
The arrays are dropped when a calendar row is saved or deleted in this
process, and every DUBAN_CALENDAR_RECHECK_SECONDS (default 60) a cheap query
notices changes made by other processes (`duban calendar import` while the
site runs).

Counting convention: ``add_workdays(d, n)`` is the n-th working day after d
(d itself never counts); ``workdays_between(a, b)`` counts the working days
in (a, b]. So ``workdays_between(a, add_workdays(a, n)) == n``.
"""

import datetime
import threading
from collections.abc import Collection
import time
from array import array
from dataclasses import dataclass

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.db.models import Count, Max
from django.utils.translation import gettext, ngettext

from duban.core import clock

from .statutory import statutory_holidays

# Years the engine will build; outside, dates are refused rather than
# silently counted against an invented calendar.
FIRST_YEAR = 1950
LAST_YEAR = 2199

# Why a day is what it is (DayInfo.kind).
WORKDAY = "workday"
WEEKEND = "weekend"
HOLIDAY = "holiday"
ADJUSTED_WORKDAY = "adjusted"
LOCAL_CLOSED = "local_closed"
LOCAL_OPEN = "local_open"


def region_chain(region: str) -> list[str]:
    """"CN-JX-XH" → ["CN", "CN-JX", "CN-JX-XH"]: the region and the regions it belongs to."""
    parts = region.split("-")
    return ["-".join(parts[: i + 1]) for i in range(len(parts))]


@dataclass(frozen=True, slots=True)
class DayInfo:
    date: datetime.date
    workday: bool
    kind: str
    name: str
    provisional: bool

    @property
    def reason(self) -> str:
        """What a person is told: 春节, 周末, 调休上班（春节）…"""
        if self.kind == WEEKEND:
            return gettext("weekend")
        if self.kind == WORKDAY:
            return gettext("working day")
        if self.kind == ADJUSTED_WORKDAY:
            return gettext("adjusted working day (%(festival)s)") % {"festival": self.name}
        return self.name


@dataclass(frozen=True, slots=True)
class Deadline:
    """A computed deadline and whether it rests on a year whose notice is missing."""

    date: datetime.date
    due_at: datetime.datetime | None = None
    provisional_years: tuple[int, ...] = ()

    @property
    def provisional(self) -> bool:
        return bool(self.provisional_years)

    @property
    def warning(self) -> str:
        return provisional_warning(self.provisional_years)

    def as_dict(self) -> dict[str, object]:
        """The form an API answer takes."""
        return {
            "date": self.date.isoformat(),
            "due_at": self.due_at.isoformat() if self.due_at else None,
            "provisional": self.provisional,
            "warning": self.warning,
        }


def provisional_warning(years: Collection[int]) -> str:
    """"2027年节假日安排尚未录入，期限为暂定" for the given years; "" when there are none."""
    if not years:
        return ""
    joined = "、".join(str(y) for y in sorted(years))
    return ngettext(
        "The %(years)s holiday schedule has not been entered yet; the deadline is provisional.",
        "The %(years)s holiday schedules have not been entered yet; the deadline is provisional.",
        len(years),
    ) % {"years": joined}


class _Rows:
    """The database rows of one region's calendar, loaded once per table."""

    def __init__(self, region: str) -> None:
        from .models import Holiday, Notice, Override

        chain = region_chain(region)
        depth = {r: i for i, r in enumerate(chain)}
        self.country = chain[0]
        self.notice_years = frozenset(
            Notice.objects.filter(region=self.country).values_list("year", flat=True)
        )
        # Later (more specific) regions overwrite earlier ones on the same date.
        self.days: dict[int, tuple[str, str]] = {}
        holidays = Holiday.objects.filter(region__in=chain).values_list("region", "date", "kind", "name")
        for _region, day, kind, name in sorted(holidays, key=lambda row: depth[row[0]]):
            self.days[day.toordinal()] = (HOLIDAY if kind == "holiday" else ADJUSTED_WORKDAY, name)
        overrides = Override.objects.filter(region__in=chain).values_list("region", "date", "kind", "reason")
        for _region, day, kind, reason in sorted(overrides, key=lambda row: depth[row[0]]):
            self.days[day.toordinal()] = (LOCAL_CLOSED if kind == "closed" else LOCAL_OPEN, reason)


class Table:
    """The arrays for one region over the years first..last."""

    def __init__(self, region: str, first: int, last: int, rows: _Rows | None = None,
                 years: dict[int, dict[int, tuple[str, str]]] | None = None) -> None:
        self.region = region
        self.rows = rows or _Rows(region)
        self.first, self.last = first, last
        self.lo = datetime.date(first, 1, 1).toordinal()
        self.hi = datetime.date(last + 1, 1, 1).toordinal()
        # The special days of each year, kept so that growing the span
        # does not compute the statutory fallback again.
        self.years = dict(years or {})
        work = bytearray()
        for year in range(first, last + 1):
            if year not in self.years:
                self.years[year] = self._special_days(year)
            work += self._year_flags(year)
        self.work = work
        rank = array("l", [0]) * (len(work) + 1)
        ords = array("l")
        count = 0
        lo = self.lo
        for i, flag in enumerate(work):
            rank[i] = count
            if flag:
                ords.append(lo + i)
                count += 1
        rank[len(work)] = count
        self.rank, self.ords = rank, ords

    def _special_days(self, year: int) -> dict[int, tuple[str, str]]:
        """{ordinal: (kind, name)} of the days in the year that are not plain weekdays/weekends."""
        start = datetime.date(year, 1, 1).toordinal()
        end = datetime.date(year + 1, 1, 1).toordinal()
        special: dict[int, tuple[str, str]] = {}
        if year not in self.rows.notice_years:
            for day, name in statutory_holidays(self.rows.country, year).items():
                special[day.toordinal()] = (HOLIDAY, name)
        special.update((o, v) for o, v in self.rows.days.items() if start <= o < end)
        return special

    def _year_flags(self, year: int) -> bytearray:
        start = datetime.date(year, 1, 1)
        o = start.toordinal()
        n = datetime.date(year + 1, 1, 1).toordinal() - o
        # date.weekday() of ordinal o is (o + 6) % 7; Saturday 5, Sunday 6.
        flags = bytearray(0 if (o + i + 6) % 7 >= 5 else 1 for i in range(n))
        for ordinal, (kind, _name) in self.years[year].items():
            flags[ordinal - o] = 1 if kind in (ADJUSTED_WORKDAY, LOCAL_OPEN) else 0
        return flags

    def grown(self, first: int, last: int) -> "Table":
        first = max(FIRST_YEAR, min(first, self.first))
        last = min(LAST_YEAR, max(last, self.last))
        return Table(self.region, first, last, rows=self.rows, years=self.years)

    def info(self, day: datetime.date) -> DayInfo:
        o = day.toordinal()
        kind, name = self.years[day.year].get(o, (None, ""))
        if kind is None:
            kind = WEEKEND if day.weekday() >= 5 else WORKDAY
        return DayInfo(day, bool(self.work[o - self.lo]), kind, name, day.year not in self.rows.notice_years)


class _Cache:
    def __init__(self):
        self.lock = threading.Lock()
        self.tables = {}
        self.stamp = None
        self.next_check = float("-inf")
        # settings.X costs a microsecond (LazySettings); the engine's calls cost about that.
        self.default_region = None


_cache = _Cache()


def clear_cache() -> None:
    """Forget every table; the next call rebuilds from the database."""
    with _cache.lock:
        _cache.tables = {}
        _cache.stamp = None
        _cache.next_check = float("-inf")
        _cache.default_region = None


@receiver(setting_changed)
def _settings_changed(setting, **kwargs):
    if setting in ("DUBAN_CALENDAR_RECHECK_SECONDS", "DUBAN_DEFAULT_REGION"):
        clear_cache()


def _recheck(now):
    """Drop the tables if another process changed the calendar since they were built."""
    stamp = _stamp()
    with _cache.lock:
        if stamp != _cache.stamp:
            _cache.tables = {}
            _cache.stamp = stamp
        _cache.next_check = now + getattr(settings, "DUBAN_CALENDAR_RECHECK_SECONDS", 60)


def _stamp():
    from .models import Holiday, Notice, Override

    return tuple(
        tuple(model.objects.aggregate(n=Count("id"), at=Max("changed_at")).values())
        for model in (Notice, Holiday, Override)
    )


def _table(region, first, last=None):
    """The region's table, covering at least the years first..last."""
    last = first if last is None else last
    if not (FIRST_YEAR <= first and last <= LAST_YEAR):
        raise ValueError(f"the working-day calendar covers {FIRST_YEAR}–{LAST_YEAR}, not {first}–{last}")
    now = time.monotonic()
    if now > _cache.next_check:
        _recheck(now)
    table = _cache.tables.get(region)
    if table is not None and table.first <= first and last <= table.last:
        return table
    if table is None:
        # Start with a few years around today so that most calls never grow it.
        this_year = clock.today().year
        table = Table(region, max(FIRST_YEAR, min(first, this_year - 3)), min(LAST_YEAR, max(last, this_year + 3)))
    else:
        # Grow by a few years at once rather than one at a time.
        table = table.grown(first - 5 if first < table.first else first, last + 5 if last > table.last else last)
    _cache.tables[region] = table
    return table


def _region(region):
    if region:
        return region
    if _cache.default_region is None:
        _cache.default_region = settings.DUBAN_DEFAULT_REGION
    return _cache.default_region


def is_workday(day: datetime.date, region: str | None = None) -> bool:
    table = _table(_region(region), day.year)
    return table.work[day.toordinal() - table.lo] == 1


def day_info(day: datetime.date, region: str | None = None) -> DayInfo:
    """The day's status with its reason: a DayInfo."""
    return _table(_region(region), day.year).info(day)


def add_workdays(start: datetime.date, n: int, region: str | None = None) -> datetime.date:
    """The n-th working day after ``start`` (before it for negative n); ``start`` itself for 0."""
    if n == 0:
        return start
    region = _region(region)
    table = _table(region, start.year)
    while True:
        i = start.toordinal() - table.lo
        k = table.rank[i + 1] + n - 1 if n > 0 else table.rank[i] + n
        if 0 <= k < len(table.ords):
            return datetime.date.fromordinal(table.ords[k])
        # The answer lies beyond the span: grow it by a year's worth of
        # working days at a time (about 250 a year).
        years = abs(n) // 240 + 1
        if n > 0:
            table = _table(region, table.first, table.last + years)
        else:
            table = _table(region, table.first - years, table.last)


def workdays_between(a: datetime.date, b: datetime.date, region: str | None = None) -> int:
    """The number of working days in (a, b]; negative when b is before a."""
    table = _table(_region(region), min(a, b).year, max(a, b).year)
    lo = table.lo
    return table.rank[b.toordinal() - lo + 1] - table.rank[a.toordinal() - lo + 1]


def workdays_in_year(year: int, region: str | None = None) -> int:
    table = _table(_region(region), year)
    start = datetime.date(year, 1, 1).toordinal() - table.lo
    end = datetime.date(year + 1, 1, 1).toordinal() - table.lo
    return table.rank[end] - table.rank[start]


def provisional_years(a: datetime.date, b: datetime.date | None = None,
                      region: str | None = None) -> tuple[int, ...]:
    """The years from a to b (inclusive) whose national notice has not been entered, as a tuple."""
    b = b or a
    first, last = min(a, b).year, max(a, b).year
    table = _table(_region(region), first, last)
    notice_years = table.rows.notice_years
    return tuple(y for y in range(first, last + 1) if y not in notice_years)


def is_provisional(a: datetime.date, b: datetime.date | None = None, region: str | None = None) -> bool:
    return bool(provisional_years(a, b, region))


def deadline_after(start: datetime.date, n: int, region: str | None = None) -> Deadline:
    """``add_workdays`` as a Deadline, flagged provisional if it counts over an unpublished year."""
    end = add_workdays(start, n, region)
    return Deadline(end, None, provisional_years(start, end, region))
