"""What indicator targets bring to supervision: targets missed or at risk on the agenda, attainment per unit."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Prefetch

from duban.kpi.attainment import Attainment, assess
from duban.kpi.display import quantity, target_phrase
from duban.kpi.models import Direction, Metric, MetricValue

from .agenda import Candidate, source
from .models import AgendaItem
from .statistics import Column, provider


def _metrics(plan):
    return Metric.objects.filter(plan=plan).select_related("area", "owner", "plan").prefetch_related("values")


@source
def missed_targets(meeting, today):
    area_ids = set(meeting.areas.values_list("pk", flat=True))
    for metric in _metrics(meeting.plan):
        if area_ids and metric.area_id not in area_ids:
            continue
        result = assess(metric, list(metric.values.all()), today)
        if result.status not in (Attainment.MISSED, Attainment.AT_RISK):
            continue
        yield Candidate(
            kind=AgendaItem.Kind.KPI_MISSED, title=f"{metric.name}：{Attainment(result.status).label}",
            source=f"metric:{metric.pk}", detail=f"{target_and_latest(metric, result)}。{result.reason}",
            area=metric.area, unit=metric.owner, url=metric.get_absolute_url())


def target_and_latest(metric, result):
    """目标 ≥ 96%，最新值 93.5%（2023-Q3） — written as the KPI pages write them; a cut by a percentage also
    says the level it comes to (目标 ↓ 15%（≤ 3.6 小时）)."""
    target = target_phrase(metric.direction, metric.target, metric.unit)
    if metric.direction == Direction.REDUCE_BY and metric.baseline is not None:
        target += f"（≤ {quantity(metric.target_level.quantize(Decimal('0.01')), metric.unit)}）"
    latest = (f"最新值 {quantity(result.latest.value, metric.unit)}（{result.latest.period}）" if result.latest
              else "尚未填报")
    return f"目标 {target}，{latest}"


@provider
def attainment_column(plan, period, units):
    """Mean attainment rate of the metrics each unit owns, from the values reported up to period.as_of."""
    ids = {u.pk for u in units}
    rates = defaultdict(list)
    # The values of each metric in date order, without the joins of MetricValue's default ordering.
    values_in_order = Prefetch("values", queryset=MetricValue.objects.order_by("period_end"))
    for metric in (Metric.objects.filter(plan=plan, owner__in=ids).select_related("plan")
                   .prefetch_related(values_in_order)):
        values = [v for v in metric.values.all() if v.period_end <= period.as_of]
        result = assess(metric, values, period.as_of)
        if result.rate is not None:
            rates[metric.owner_id].append(result.rate)
    mean = {u: (float((sum(r) / len(r)).quantize(Decimal("0.1"))) if (r := rates.get(u)) else None) for u in ids}
    return [Column("kpi_attainment_rate", "指标完成率", mean, fmt="{}%")]


