"""Figures per unit and month: the statistics page, and what the assessment reads.

Complaints are counted in the month they were received and for the unit that
leads them now ("—" while none does):

- on-time contact rate: contacted by the contact deadline, of those contacted
  or whose contact deadline has passed;
- on-time closure rate: first reply by its deadline (with approved
  extensions), of those replied or whose reply deadline has passed;
- satisfaction: satisfied at the last callback, of those called back;
- reopen rate: reopened at least once, of those replied;
- late: replied late or overdue now; supervised: became a supervised case.

Reviews are counted in the month they were given, leaving out those set aside
on appeal. Positive means 基本满意 or better (the two lower levels are the
bad reviews); rectification rate is accepted rectifications of bad reviews,
on-time rectification those reported by their deadline, of the bad reviews rectified or past
their deadline.
"""

from __future__ import annotations

import datetime
import dataclasses
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.db.models import CharField, Count, F, Func, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from duban.core import clock
from duban.plans.models import Unit

from .models import Appeal, Complaint, Rectification, Review


class MonthStart(Func):
    """The first day of a datetime's month in the site's time zone, as text (2023-09-01), computed by the
    database itself. Django's TruncMonth does this on SQLite by calling back into Python for every row (a
    region's year of reviews: 85 ms of a 160 ms page); SQLite's own strftime with the zone's offset does it in
    C — for a zone without daylight saving time, which is what fixed_offset() tells (else TruncMonth)."""

    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"strftime('%%Y-%%m-01', {sql}, '{fixed_offset():+d} minutes')", params

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"to_char({sql} AT TIME ZONE %s, 'YYYY-MM-01')", [*params, settings.TIME_ZONE]


def fixed_offset():
    """The site's time zone's offset from UTC in minutes, if it is the same all year (None: daylight saving)."""
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    year = timezone.now().year
    offsets = {datetime.datetime(year, month, 1, tzinfo=zone).utcoffset() for month in (1, 4, 7, 10)}
    return int(offsets.pop().total_seconds() // 60) if len(offsets) == 1 else None


def month_of(time_field):
    return MonthStart(time_field) if fixed_offset() is not None else TruncMonth(time_field)


GROUPS = {"unit": ("lead_unit", "unit"), "month": ("month", "month"), "area": ("category__area", "category__area")}


def year_bounds(year):
    start = timezone.make_aware(datetime.datetime(year, 1, 1))
    return start, timezone.make_aware(datetime.datetime(year + 1, 1, 1))


def month_bounds(year, month):
    start = timezone.make_aware(datetime.datetime(year, month, 1))
    end = timezone.make_aware(datetime.datetime(year + month // 12, month % 12 + 1, 1))
    return start, end


def rate(part, whole):
    return None if not whole else part / whole


@dataclass
class ComplaintFigures:
    unit: Unit | None = None
    month: datetime.date | None = None
    area_id: int | None = None  # grouped by="area": the plan area of the complaint's category
    received: int = 0
    contact_counted: int = 0
    contact_on_time: int = 0
    reply_counted: int = 0
    reply_on_time: int = 0
    called_back: int = 0
    satisfied: int = 0
    replied: int = 0
    reopened: int = 0
    late: int = 0
    supervised: int = 0

    @property
    def contact_rate(self):
        return rate(self.contact_on_time, self.contact_counted)

    @property
    def closure_rate(self):
        return rate(self.reply_on_time, self.reply_counted)

    @property
    def satisfaction(self):
        return rate(self.satisfied, self.called_back)

    @property
    def reopen_rate(self):
        return rate(self.reopened, self.replied)


@dataclass
class ReviewFigures:
    unit: Unit | None = None
    month: datetime.date | None = None
    reviews: int = 0
    positive: int = 0
    bad: int = 0
    rectified: int = 0
    rectified_on_time: int = 0
    rectify_counted: int = 0  # bad reviews rectified, or whose deadline has passed


    @property
    def positive_rate(self):
        return rate(self.positive, self.reviews)

    @property
    def rectification_rate(self):
        return rate(self.rectified, self.bad)

    @property
    def on_time_rate(self):
        # Of the bad reviews whose 1 working day is over or that are rectified: one given an hour ago
        # is neither on time nor late yet.
        return rate(self.rectified_on_time, self.rectify_counted)


def _group(queryset, by, time_field):
    fields = []
    for name in by:
        if name == "month":
            queryset = queryset.annotate(month=month_of(time_field))
            fields.append("month")
        else:
            fields.append(GROUPS[name][0] if queryset.model is Complaint else "unit")
    return queryset.order_by().values(*fields), fields


def _rows(values, fields, by, cls):
    unit_ids = {row[fields[by.index("unit")]] for row in values} if "unit" in by else set()
    units = Unit.objects.in_bulk([pk for pk in unit_ids if pk])
    result = []
    for row in values:
        row = dict(row)
        keys = {}
        if "unit" in by:
            keys["unit"] = units.get(row.pop(fields[by.index("unit")]))
        if "month" in by:
            month = row.pop("month")
            keys["month"] = (month.date() if isinstance(month, datetime.datetime)
                             else datetime.date.fromisoformat(month) if isinstance(month, str) else month)
        if "area" in by:
            keys["area_id"] = row.pop("category__area")
        result.append(cls(**keys, **row))
    return sorted(result, key=lambda f: ((f.unit.name if f.unit else "\uffff") if "unit" in by else "",
                                         f.month or datetime.date.min))


def _figures(queryset, by, time_field, counts, cls):
    by = list(by)
    if not by:
        return [cls(**queryset.aggregate(**counts))]
    values, fields = _group(queryset, by, time_field)
    return _rows(values.annotate(**counts), fields, by, cls)


def summed(figures, cls):
    """One row counting what the rows `figures` count (grouped by month or by unit: each complaint or review in
    one row), as by=() would count it — without a query of its own."""
    names = [field.name for field in dataclasses.fields(cls) if field.name not in ("unit", "month", "area_id")]
    return cls(**{name: sum(getattr(row, name) for row in figures) for name in names})


def complaint_figures(queryset=None, by=("unit", "month"), now=None):
    """[ComplaintFigures] grouped by unit, month and/or area (by=() gives one total row), as they stood at `now`.

    What happened after `now` is left out, so that a past quarter's figures do not change when its
    complaints are answered later (the supervision circular reads them as of the quarter's end).
    """
    now = now or clock.now()
    queryset = Complaint.objects.all() if queryset is None else queryset
    reply_waiting = Q(state__in=Complaint.REPLY_STATES, next_due__lt=now)
    # Answered late after `now`, but its reply deadline had passed by then: overdue at `now`.
    overdue_then = Q(replied_at__gt=now, replied_on_time=False, reply_due__lt=now)
    replied = Q(replied_at__lte=now)
    called_back = Q(satisfied__isnull=False) & (Q(closed_at__lte=now) | Q(reopened_at__lte=now))
    counts = dict(
        received=Count("pk"),
        contact_counted=Count("pk", filter=Q(contacted_at__lte=now) | Q(contact_due__lt=now)),
        contact_on_time=Count("pk", filter=Q(contacted_at__lte=F("contact_due")) & Q(contacted_at__lte=now)),
        reply_counted=Count("pk", filter=replied | reply_waiting | overdue_then),
        reply_on_time=Count("pk", filter=replied & Q(replied_on_time=True)),
        called_back=Count("pk", filter=called_back),
        satisfied=Count("pk", filter=called_back & Q(satisfied=True)),
        replied=Count("pk", filter=replied),
        reopened=Count("pk", filter=Q(reopen_count__gt=0, reopened_at__lte=now)),
        late=Count("pk", filter=(replied & Q(replied_on_time=False)) | reply_waiting | overdue_then),
        supervised=Count("pk", filter=Q(supervised_at__lte=now)),
    )
    return _figures(queryset, by, "received_at", counts, ComplaintFigures)


def review_figures(queryset=None, by=("unit", "month"), now=None, only=None):
    """[ReviewFigures] grouped by unit and/or month, without reviews set aside on appeal; rectifications
    accepted after `now` do not count yet. `only`: the figures wanted (the others stay 0), so that a caller
    counting reviews and positive ones does not join the rectifications."""
    now = now or clock.now()
    queryset = Review.objects.all() if queryset is None else queryset
    queryset = queryset.exclude(appeal__state=Appeal.State.UPHELD)
    accepted = Q(rectification__state=Rectification.State.ACCEPTED, rectification__accepted_at__lte=now)
    counts = dict(
        reviews=Count("pk"),
        positive=Count("pk", filter=~Q(level__in=Review.BAD_LEVELS)),
        bad=Count("pk", filter=Q(level__in=Review.BAD_LEVELS)),
        rectified=Count("pk", filter=accepted),
        rectified_on_time=Count("pk", filter=accepted & Q(rectification__rectified_at__lte=F("rectification__due_at"))),
        rectify_counted=Count("pk", filter=Q(level__in=Review.BAD_LEVELS)
                              & (accepted | Q(rectification__due_at__lt=now))),
    )
    if only is not None:
        counts = {name: count for name, count in counts.items() if name in only}
    return _figures(queryset, by, "reviewed_at", counts, ReviewFigures)
