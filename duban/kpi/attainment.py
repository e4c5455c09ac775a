"""Attainment (达标情况): is a metric met, on track, at risk or missed?

The rules, written so that an office clerk can check them by hand:

- **met**: the latest reported value meets the target (at least / at most /
  within the tolerance of / reduced by at least the percentage from the baseline).
- **missed**: not met, and the due date has passed.
- **on track**: not met yet, but no further from the target than a straight path
  allows. The path runs from the start (the baseline on 1 January, or else the
  first reported value) to the target on the due date; at the latest value's
  period end, the remaining gap may be at most the starting gap times the share
  of time still left. "How far through the year" is counted in calendar days:
  a target is a level to be reached by a date, not an amount of work.
- **at risk**: behind that path, or less than a quarter of the time is left and
  the target is still not met.
- **no data**: nothing reported yet (or a reduction without a baseline).

The attainment rate (完成率, 0–100%) is the share of the target reached: value ÷
target for "at least", target ÷ value for "at most", the achieved reduction ÷ the
promised one for "reduce by", and 100% less the relative distance for "equal".
An area's attainment is the mean rate of its metrics that have data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from duban.core import clock

from .computed import counting_values
from .models import Direction

HUNDRED = Decimal("100")
LATE = Decimal("0.75")  # share of the time after which anything not yet met is at risk


class Attainment(models.TextChoices):
    MET = "met", gettext_lazy("met")
    ON_TRACK = "on_track", gettext_lazy("on track")
    AT_RISK = "at_risk", gettext_lazy("at risk")
    MISSED = "missed", gettext_lazy("missed")
    NO_DATA = "no_data", gettext_lazy("no data")


ORDER = [Attainment.MET, Attainment.ON_TRACK, Attainment.AT_RISK, Attainment.MISSED, Attainment.NO_DATA]


@dataclass
class Assessment:
    metric: object
    status: str
    latest: object = None  # the MetricValue the status rests on
    achieved: Decimal | None = None  # the latest value, or for "reduce by" the reduction in percent
    expected: Decimal | None = None  # the value the path expects at the latest period's end (a level, even for reduce by)
    rate: Decimal | None = None  # attainment rate, 0–100
    reason: str = ""

    @property
    def label(self):
        return Attainment(self.status).label


def time_fraction(start, due, when):
    """Share of the time from start to due that has passed at `when`, between 0 and 1."""
    total = (due - start).days
    if total <= 0:
        return Decimal("1")
    return min(max(Decimal((when - start).days) / Decimal(total), Decimal("0")), Decimal("1"))


def gap(direction, target, value, tolerance=Decimal("0")):
    """How far `value` is from meeting the target (0 when met)."""
    if direction in (Direction.AT_LEAST, Direction.REDUCE_BY):
        return max(target - value, Decimal("0"))
    if direction == Direction.AT_MOST:
        return max(value - target, Decimal("0"))
    return max(abs(value - target) - tolerance, Decimal("0"))


def rate(direction, target, achieved, tolerance=Decimal("0")):
    if gap(direction, target, achieved, tolerance) == 0:
        return HUNDRED
    if direction in (Direction.AT_LEAST, Direction.REDUCE_BY):
        result = achieved / target * HUNDRED if target > 0 else Decimal("0")
    elif direction == Direction.AT_MOST:
        result = target / achieved * HUNDRED if achieved > 0 else HUNDRED
    else:
        result = HUNDRED - abs(achieved - target) / abs(target) * HUNDRED if target else Decimal("0")
    return min(max(result, Decimal("0")), HUNDRED).quantize(Decimal("0.1"))


def assess(metric, values=None, today=None):
    """The metric's attainment on `today` from its reported values (sorted or not)."""
    today = today or clock.today()
    values = counting_values(metric, metric.values.all() if values is None else values, today)
    values = sorted(values, key=lambda v: v.period_end)
    direction, target, tolerance = metric.direction, metric.target, metric.tolerance or Decimal("0")
    if not values:
        reason = _("Past due and nothing reported.") if today > metric.due else _("Nothing reported yet.")
        return Assessment(metric, Attainment.NO_DATA, reason=reason)
    latest = values[-1]
    if direction == Direction.REDUCE_BY:
        if not metric.baseline:
            return Assessment(metric, Attainment.NO_DATA, latest,
                              reason=_("A reduction needs a baseline to be measured against."))
        achieved = (metric.baseline - latest.value) / metric.baseline * HUNDRED
        start_value, start_date = Decimal("0"), metric.start_date
    elif metric.baseline is not None:
        achieved, start_value, start_date = latest.value, metric.baseline, metric.start_date
    else:
        achieved, start_value, start_date = latest.value, values[0].value, values[0].period_end

    result = Assessment(metric, Attainment.AT_RISK, latest, achieved, rate=rate(direction, target, achieved, tolerance))
    if gap(direction, target, achieved, tolerance) == 0:
        result.status, result.reason = Attainment.MET, _("The latest value meets the target.")
        return result
    if today > metric.due:
        result.status, result.reason = Attainment.MISSED, _("The due date has passed and the target is not met.")
        return result
    left = Decimal("1") - time_fraction(start_date, metric.due, latest.period_end)
    allowed = gap(direction, target, start_value, tolerance) * left
    if direction == Direction.AT_LEAST:
        result.expected = target - allowed
    elif direction == Direction.AT_MOST:
        result.expected = target + allowed
    elif direction == Direction.REDUCE_BY:  # as the level the reports should show, like the values
        result.expected = metric.baseline * (HUNDRED - (target - allowed)) / HUNDRED
    if result.expected is not None:
        result.expected = result.expected.quantize(Decimal("0.01"))
    if gap(direction, target, achieved, tolerance) > allowed:
        result.reason = _("Behind the straight path from the start to the target.")
    elif time_fraction(metric.start_date, metric.due, today) >= LATE:
        result.reason = _("Less than a quarter of the time is left and the target is not met.")
    else:
        result.status, result.reason = Attainment.ON_TRACK, _("Not met yet, but on the path to the target.")
    return result


@dataclass
class AreaRollup:
    area: object  # None for the plan's own targets
    assessments: list[Assessment] = field(default_factory=list)

    @property
    def counts(self):
        counts = dict.fromkeys(ORDER, 0)
        for item in self.assessments:
            counts[item.status] += 1
        return counts

    @property
    def status_counts(self):
        """[(status, label, count)] for the statuses present, in order."""
        counts = self.counts
        return [(s, Attainment(s).label, counts[s]) for s in ORDER if counts[s]]

    @property
    def rate(self):
        rates = [item.rate for item in self.assessments if item.rate is not None]
        return (sum(rates) / len(rates)).quantize(Decimal("0.1")) if rates else None

    def sort_key(self):
        rate = self.rate
        position = self.area.position if self.area is not None else -1
        return (rate is None, -(rate or 0), self.counts[Attainment.MISSED], position)


def roll_up(metrics, today=None):
    """{area or None: AreaRollup} for the metrics (values prefetched), in the metrics' order."""
    rollups = {}
    for metric in metrics:
        rollup = rollups.setdefault(metric.area_id, AreaRollup(metric.area))
        rollup.assessments.append(assess(metric, metric.values.all(), today))
    return rollups


def ranked(rollups):
    """Area roll-ups by attainment, best first; areas without data last."""
    return sorted(rollups, key=AreaRollup.sort_key)
