"""Per-unit figures for a period: what circulars rank, dashboards show and the assessment scores.

One function computes them, so the circular and the dashboard can never
disagree for the same date. The plan ledger's measure figures are built in;
other apps contribute columns (reports on time, complaints on time,
satisfaction …) by registering a provider with @provider.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from duban.core.links import link_maker
from duban.plans.models import MeasureLeadUnit, Unit

from .figures import definition

PROVIDERS = []


def provider(func):
    """func(plan, period, units) → list[Column]; registered by apps that have per-unit figures."""
    PROVIDERS.append(func)
    return func


@dataclass
class Period:
    start: datetime.date
    end: datetime.date
    as_of: datetime.date  # figures as they stood on this day (≤ end)
    label: str = ""
    closed: bool = False  # as_of is over (the period ended before today): what was due on it and not done is late

    def overdue(self, deadline):
        """Whether something due on `deadline` and not done by as_of was overdue then."""
        return deadline < self.as_of or (self.closed and deadline == self.as_of)

    @classmethod
    def quarter(cls, text, today):
        """'2023Q3' → 1 Jul – 30 Sep 2023, as of the quarter's end (or today, if earlier)."""
        try:
            year, q = text.upper().split("Q")
            year, q = int(year), int(q)
            if not 1 <= q <= 4:
                raise ValueError
        except ValueError as exc:
            raise ValueError(f"not a quarter: {text!r} (write it like 2023Q3)") from exc
        start = datetime.date(year, 3 * q - 2, 1)
        end = (datetime.date(year + (q == 4), (3 * q) % 12 + 1, 1) - datetime.timedelta(days=1))
        return cls(start, end, min(end, today), f"{year}年第{'一二三四'[q - 1]}季度", closed=end < today)

    @classmethod
    def year(cls, year, today):
        end = datetime.date(year, 12, 31)
        return cls(datetime.date(year, 1, 1), end, min(end, today), f"{year}年度", closed=end < today)


@dataclass
class Column:
    key: str
    label: str
    values: dict  # unit id → number (or None: not applicable)
    fmt: str = "{}"
    items: dict = field(default_factory=dict)  # unit id → [(label, url)] the number is made of
    total: float | int | None = None  # the district's figure, each thing once (None: the sum of the units')
    parts: tuple | None = None  # a rate's district total as (part, whole): 143 ÷ 145

    @property
    def definition(self):
        """What the column counts (figures.DEFINITIONS), or None."""
        return definition(self.key)


@dataclass
class UnitRow:
    unit: Unit
    values: dict
    items: dict
    rank: int | None = None
    score: float | None = None


def short(text, length=40):
    """A measure's text cut for a list item, with an ellipsis where it was cut."""
    return text if len(text) <= length else text[:length - 2] + "……"


def _measure_item(measure, link):
    """A late or overdue measure's line in a unit's list: (label and text, link)."""
    return f"{measure.label} {short(measure.text)}", link(measure.pk)


def measure_columns(plan, period, units):
    """Measures due in the period per lead unit: on time, late, overdue (as of period.as_of).

    A measure whose deadline is still ahead on as_of counts only once it is done (then on time).
    """
    links = (MeasureLeadUnit.objects.filter(measure__plan=plan, unit__in=units)
             .filter(measure__deadline__gte=period.start, measure__deadline__lte=period.end)
             .select_related("measure")
             .only("unit_id", "measure__completed_on", "measure__deadline", "measure__text", "measure__number",
                   "measure__annex", "measure__source", "measure__position", "measure__area_id"))
    due, on_time, late, overdue = (defaultdict(int) for _ in range(4))
    overdue_items, late_items = defaultdict(list), defaultdict(list)
    once = {key: set() for key in ("due", "on_time", "late", "overdue")}  # the district's: each measure once
    measure_link = link_maker("plans:measure_detail")
    for link in links:
        measure, unit = link.measure, link.unit_id
        done = measure.completed_on if measure.completed_on and measure.completed_on <= period.as_of else None
        if not done and measure.deadline > period.as_of:
            # Not due yet and not done: neither on time nor late, so it must not weigh on the rate.
            continue
        due[unit] += 1
        once["due"].add(measure.pk)
        if done and done <= measure.deadline:
            on_time[unit] += 1
            once["on_time"].add(measure.pk)
        elif done:
            late[unit] += 1
            late_items[unit].append(_measure_item(measure, measure_link))
            once["late"].add(measure.pk)
        elif period.overdue(measure.deadline):
            overdue[unit] += 1
            overdue_items[unit].append(_measure_item(measure, measure_link))
            once["overdue"].add(measure.pk)
    ids = [u.pk for u in units]
    rate = {u: (round(100 * on_time[u] / due[u], 1) if due[u] else None) for u in ids}
    n = {key: len(pks) for key, pks in once.items()}
    return [
        Column("measures_due", "到期举措", {u: due[u] for u in ids}, total=n["due"]),
        Column("measures_on_time", "按时完成", {u: on_time[u] for u in ids}, total=n["on_time"]),
        Column("measures_late", "逾期完成", {u: late[u] for u in ids}, items=late_items, total=n["late"]),
        Column("measures_overdue", "逾期未完成", {u: overdue[u] for u in ids}, items=overdue_items,
               total=n["overdue"]),
        Column("on_time_rate", "按时完成率", rate, fmt="{}%",
               total=round(100 * n["on_time"] / n["due"], 1) if n["due"] else None),
    ]


def plan_units(plan):
    """Units that lead at least one of the plan's measures: the ones a circular covers."""
    return Unit.objects.filter(pk__in=MeasureLeadUnit.objects.filter(measure__plan=plan).values("unit")).order_by(
        "kind", "name")


def unit_table(plan, period, units=None):
    """(columns, rows) for the period, rows ranked by on-time rate (then fewer overdue)."""
    units = list(plan_units(plan) if units is None else units)
    columns = measure_columns(plan, period, units)
    for func in PROVIDERS:
        columns += func(plan, period, units)
    rows = [UnitRow(u, {c.key: c.values.get(u.pk) for c in columns},
                    {c.key: c.items.get(u.pk, []) for c in columns}) for u in units]
    ranked = [r for r in rows if r.values["measures_due"]]
    ranked.sort(key=lambda r: (-(r.values["on_time_rate"] or 0), r.values["measures_overdue"], r.unit.name))
    for rank, row in enumerate(ranked, start=1):
        row.rank = rank
    rows.sort(key=lambda r: (r.rank is None, r.rank or 0, r.unit.name))
    return columns, rows


def totals(columns, rows):
    """District totals: the column's own district figure where it has one (each measure, report or complaint
    once, rates computed over the district), else the sum of the units' counts; rates without a district
    figure are left out (a mean of rates is no rate)."""
    result = {}
    for column in columns:
        if column.total is not None or column.fmt.endswith("%"):
            if column.total is not None:
                result[column.key] = column.total
            continue
        result[column.key] = sum(v for v in (r.values[column.key] for r in rows) if isinstance(v, (int, float)))
    return result
