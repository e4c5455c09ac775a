"""Plain functions that build KPI data for tests, on top of duban.plans.tests.factories."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

from django.utils import timezone

from duban.kpi.models import (
    Direction,
    Frequency,
    Metric,
    MetricValue,
    Proposal,
    SourceField,
    ValueRevision,
)
from duban.kpi.periods import parse_period
from duban.plans.models import Area
from duban.plans.tests import factories as plans


def metric(area=None, *, plan=None, name="企业开办时间", unit="工作日", direction=Direction.AT_MOST, target="0.5",
           baseline=None, owner=None, frequency=Frequency.QUARTERLY, due=None, **fields):
    plan = plan or area.plan
    return Metric.objects.create(
        plan=plan, area=area, name=name, unit=unit, direction=direction, target=Decimal(str(target)),
        baseline=None if baseline is None else Decimal(str(baseline)), owner=plans._unit(owner) if owner else None,
        frequency=frequency, due=due or datetime.date(plan.year, 12, 31), **fields,
    )


def value(metric, period, number, by=None, note=""):
    """A reported value with its first revision, as report_value leaves it (without permission checks)."""
    period = parse_period(period, metric.frequency)
    entry = MetricValue.objects.create(
        metric=metric, period=period.label, period_end=period.end, value=Decimal(str(number)), note=note,
        reported_by=by, reported_at=timezone.now(),
    )
    ValueRevision.objects.create(metric_value=entry, kind=ValueRevision.Kind.REPORTED, value=entry.value, by=by,
                                 at=entry.reported_at)
    return entry


def proposal(area, subject="政务服务好评率", value="95", unit="%", direction=Direction.AT_LEAST, **fields):
    fields.setdefault("fingerprint", f"{area.pk}-{subject}-{value}-{direction}")
    fields.setdefault("text", f"确保{subject}达到{value}{unit}以上。")
    return Proposal.objects.create(
        plan=area.plan, area=area, subject=subject, value=Decimal(value), unit=unit, direction=direction,
        quantity_text=f"{value}{unit}以上", source_field=fields.pop("source_field", SourceField.NARRATIVE), **fields,
    )


def kpi_plan():
    """A 2023 plan with three areas and five metrics.

    - indicator 1 开办企业 (chief 胡海, lead 区市场监管局): "days" ≤ 0.5 工作日 and "rate" ≥ 96%,
      both owned by 区市场监管局; days reported 1.0 (Q1) and 0.5 (Q2) → met
    - indicator 5 纳税 (chief 胡海): "hours" ≤ 70 小时, owned by 区税务局, reported 80 (Q1)
    - indicator 3 获得电力 (chief 万勇): "outage" reduce by 15% from 6 小时, owned by 西湖供电公司
    - the whole plan: "rank" ≤ 50 名 (provincial ranking), owned by 区营商环境服务中心
    """
    plan = plans.plan()
    scjg, tax = plans.unit("区市场监管局"), plans.unit("区税务局")
    power, office = plans.unit("西湖供电公司"), plans.unit("区营商环境服务中心")
    startup = plans.area(plan, "开办企业", Area.Kind.INDICATOR, chief="胡海", number=1, lead=[scjg])
    taxes = plans.area(plan, "纳税", Area.Kind.INDICATOR, chief="胡海", number=5, lead=[tax])
    electricity = plans.area(plan, "获得电力", Area.Kind.INDICATOR, chief="万勇", number=3, lead=[power])
    k = SimpleNamespace(plan=plan, startup=startup, taxes=taxes, electricity=electricity, scjg=scjg, tax=tax,
                        power=power, office=office)
    k.days = metric(startup, name="企业开办时间", unit="工作日", direction=Direction.AT_MOST, target="0.5", owner=scjg)
    k.rate = metric(startup, name="半日办结率", unit="%", direction=Direction.AT_LEAST, target="96", owner=scjg)
    k.hours = metric(taxes, name="纳税时间", unit="小时", direction=Direction.AT_MOST, target="70", owner=tax)
    k.outage = metric(electricity, name="用户平均停电时间", unit="小时", direction=Direction.REDUCE_BY, target="15",
                      baseline="6", owner=power)
    k.rank = metric(plan=plan, name="全省营商环境评价排名", unit="名", direction=Direction.AT_MOST, target="50",
                    owner=office, frequency=Frequency.YEARLY)
    k.days_q1 = value(k.days, "2023-Q1", "1.0")
    k.days_q2 = value(k.days, "2023-Q2", "0.5")
    k.hours_q1 = value(k.hours, "2023-Q1", "80")
    return k


def url_matrix_objects(world):
    """KPI objects for the URL permission matrix (duban/tests_security), made once per world.

    A quarterly metric of 获得信贷 (led by 胡海) owned by 区市场监管局, with a value that has
    evidence, and a proposal. For the rules in duban/tests_security/url_rules.py.
    """
    if getattr(world, "kpi", None) is None:
        from django.core.files.base import ContentFile

        owned = metric(world.credit_area, name="首贷户数量", unit="家", direction=Direction.AT_LEAST, target="300",
                       owner=world.units["scjg"])
        entry = value(owned, f"{world.plan.year}-Q1", "120")
        entry.evidence.save("evidence.pdf", ContentFile(b"%PDF-1.4 matrix"), save=True)
        world.kpi = SimpleNamespace(metric=owned, value=entry, proposal=proposal(world.credit_area))
    return world.kpi
