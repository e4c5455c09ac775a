"""Indicator targets in supervision: a missed target on the agenda, attainment per owner unit."""

import datetime
from decimal import Decimal

import pytest
from django.test import override_settings

from duban.kpi.models import Metric
from duban.kpi.periods import parse_period
from duban.kpi.services import report_value
from duban.plans.tests import factories
from duban.supervision.agenda import draft_agenda
from duban.supervision.models import DispatchMeeting
from duban.supervision.statistics import Period, unit_table

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def metrics(units, scjg_reporter, tax_reporter):
    plan = factories.plan()
    startup = factories.area(plan, "开办企业", chief="胡海")
    tax = factories.area(plan, "纳税", chief="胡海")
    factories.measure(startup, "全程网办", lead=[units["scjg"]], deadline="2023-12-31")
    factories.measure(tax, "出口退税", lead=[units["tax"]], deadline="2023-12-31")
    half_day = Metric.objects.create(plan=plan, area=startup, name="半日办结率", unit="%", direction="at_least",
                                     target=Decimal("96"), owner=units["scjg"], frequency="quarterly",
                                     due=D(2023, 9, 30))
    refund = Metric.objects.create(plan=plan, area=tax, name="出口退税办理时间", unit="个工作日", direction="at_most",
                                   target=Decimal("3"), owner=units["tax"], frequency="quarterly", due=D(2023, 12, 31))
    report_value(half_day, scjg_reporter, parse_period("2023-Q3", "quarterly"), Decimal("72"))
    report_value(refund, tax_reporter, parse_period("2023-Q3", "quarterly"), Decimal("3"))
    return plan


@override_settings(DUBAN_TODAY="2023-10-20")
def test_missed_target_on_the_agenda(metrics):
    meeting = DispatchMeeting.objects.create(plan=metrics, title="第五次双月调度会", held_on=D(2023, 10, 20))
    draft_agenda(meeting)
    [item] = meeting.agenda.filter(kind="kpi_missed")
    assert item.title.startswith("半日办结率") and "72" in item.detail and item.unit.name == "区市场监管局"


def test_attainment_per_owner_unit(metrics):
    _, rows = unit_table(metrics, Period.quarter("2023Q3", D(2023, 10, 20)))
    rates = {r.unit.name: r.values["kpi_attainment_rate"] for r in rows}
    assert rates == {"区市场监管局": 75.0, "区税务局": 100.0}  # 72 ÷ 96; 3 days ≤ 3 days
