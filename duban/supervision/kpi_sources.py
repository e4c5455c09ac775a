"""What indicator targets bring to supervision: targets missed or at risk on the agenda, attainment per unit."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from duban.kpi.attainment import Attainment, assess
from duban.kpi.models import Metric

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
        latest = f"最新值 {result.latest.value}{metric.unit}（{result.latest.period}）" if result.latest else "尚未填报"
        yield Candidate(
            kind=AgendaItem.Kind.KPI_MISSED, title=f"{metric.name}：{Attainment(result.status).label}",
            source=f"metric:{metric.pk}", detail=f"目标 {metric.target}{metric.unit}，{latest}。{result.reason}",
            area=metric.area, unit=metric.owner, url=metric.get_absolute_url())


@provider
def attainment_column(plan, period, units):
    """Mean attainment rate of the metrics each unit owns, from the values reported up to period.as_of."""
    ids = {u.pk for u in units}
    rates = defaultdict(list)
    for metric in _metrics(plan).filter(owner__in=ids):
        values = [v for v in metric.values.all() if v.period_end <= period.as_of]
        result = assess(metric, values, period.as_of)
        if result.rate is not None:
            rates[metric.owner_id].append(result.rate)
    mean = {u: (float((sum(r) / len(r)).quantize(Decimal("0.1"))) if (r := rates.get(u)) else None) for u in ids}
    return [Column("kpi_attainment_rate", "指标完成率", mean, fmt="{}%")]


