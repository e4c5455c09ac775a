"""Indicators Duban computes from the data it holds, period by period, with their formula.

A metric whose `computed_from` names a source here (好评率 from the service reviews, 按时办结率 and
按时联系率 from the complaints, 按时报送率 from the progress reports) is not only reported by hand:
Duban computes its value for each period of its frequency that has ended, as the period's figures stood
on its last day. Attainment (duban.kpi.attainment.assess, hence the KPI pages, the dashboard's 指标完成率,
the circular, the leader's page, the public page and the API) counts the computed values; a value the unit
reports as its official figure is kept and shown beside the computed one, never instead of it.

The apps that hold the data register the sources (@source), from their AppConfig.ready(): the KPI app
does not read complaints or reports itself.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from duban.core import clock

from .periods import Period, period_containing


@dataclass(frozen=True)
class Source:
    key: str
    label: str  # 政务服务好评率
    formula: str  # 好评率 = 基本满意及以上的评价 ÷ 评价总数 × 100%
    words: tuple  # words in a metric's name that suggest this source
    compute: Callable  # (plan, start, as_of) → (part, whole)


SOURCES: dict[str, Source] = {}


def source(key, label, formula, words=()):
    """Register compute(plan, start, as_of) → (part, whole) as the source `key`."""
    def register(func):
        SOURCES[key] = Source(key, label, formula, tuple(words), func)
        return func
    return register


def suggest(name):
    """The source a metric's name suggests (the office confirms it), or ""."""
    for found in SOURCES.values():
        if any(word in name for word in found.words):
            return found.key
    return ""


@dataclass
class ComputedValue:
    """One period's computed value, shaped like a MetricValue for attainment."""

    period: str
    period_start: datetime.date
    period_end: datetime.date
    value: Decimal | None
    part: int
    whole: int
    formula: str
    computed: bool = True

    @property
    def arithmetic(self):
        """「2,340 ÷ 2,398 × 100% = 97.58%」"""
        if self.value is None:
            return "无数据"
        return f"{self.part} ÷ {self.whole} × 100% = {self.value}%"


def periods_ended(metric, today):
    """The metric's periods in its plan year that end by `today` (a period ending today counts as of today)."""
    year = metric.plan.year
    found, period = [], period_containing(datetime.date(year, 1, 1), metric.frequency)
    while period.year == year and period.end <= today:
        found.append(period)
        period = period.next()
    return found


def compute_period(metric, period: Period, as_of=None):
    found = SOURCES[metric.computed_from]
    as_of = as_of or period.end
    part, whole = found.compute(metric.plan, period.start, as_of)
    value = (Decimal(100) * part / whole).quantize(Decimal("0.01"), ROUND_HALF_UP) if whole else None
    return ComputedValue(period.label, period.start, as_of, value, part, whole, found.formula)


def computed_values(metric, today=None):
    """[ComputedValue] for each ended period of a computed metric (those with data), [] for any other."""
    if not metric.computed_from or metric.computed_from not in SOURCES:
        return []
    today = today or clock.today()
    return [v for v in (compute_period(metric, p) for p in periods_ended(metric, today)) if v.value is not None]


def counting_values(metric, values, today=None):
    """The values attainment counts: the computed ones for a computed metric, else those reported."""
    if getattr(metric, "computed_from", "") in SOURCES:  # "" (reported by hand) is no source
        return computed_values(metric, today)
    return values


def side_by_side(metric, reported, today=None):
    """[(ComputedValue, the unit's reported MetricValue or None)] per ended period of a computed metric."""
    by_period = {v.period: v for v in reported}
    return [(value, by_period.get(value.period)) for value in computed_values(metric, today)]
