"""Proposing metrics on a plan of our own, turning proposals into metrics, reporting and correcting values."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from duban.kpi.models import Direction, Proposal, ValueRevision
from duban.kpi.periods import parse_period
from duban.kpi.services import (
    confirm_proposal,
    correct_value,
    decide,
    metric_from_proposal,
    propose_metrics,
    report_value,
)
from duban.plans.models import Area
from duban.plans.tests import factories as plans

pytestmark = pytest.mark.django_db

Q3 = parse_period("2023-Q3", "quarterly")


@pytest.fixture
def small(units):
    plan = plans.plan()
    area = plans.area(plan, "办理许可", Area.Kind.INDICATOR, number=2, lead=["区住建局"],
                      narrative="施工许可办理时间压缩至15个工作日以内，网上办理率达到90%以上。")
    task = plans.task(area, "推行并联审批，确保并联审批率不低于80%。", number=1)
    measure = plans.measure(area, "联合验收时间压缩至5个工作日。", lead=["区城管执法局", "区住建局"], task=task,
                            annex=2, number=9, deadline="2023-09-30")
    return plan, area, task, measure


def subjects(plan):
    return {(p.subject, p.value, p.direction) for p in plan.metric_proposals.all()}


def test_every_text_of_an_area_is_read(small):
    plan, area, task, measure = small
    assert propose_metrics(plan)["created"] == 4
    assert subjects(plan) == {
        ("施工许可办理时间", Decimal("15"), Direction.AT_MOST), ("网上办理率", Decimal("90"), Direction.AT_LEAST),
        ("并联审批率", Decimal("80"), Direction.AT_LEAST), ("联合验收时间", Decimal("5"), Direction.AT_MOST),
    }
    from_measure = plan.metric_proposals.get(subject="联合验收时间")
    assert (from_measure.area, from_measure.task, from_measure.measure) == (area, task, measure)
    assert from_measure.text == "联合验收时间压缩至5个工作日。"


def test_running_again_keeps_decisions_and_drops_what_the_text_no_longer_says(small):
    plan, area, task, measure = small
    propose_metrics(plan)
    discarded = plan.metric_proposals.get(subject="网上办理率")
    decide(discarded, Proposal.Status.DISCARDED, None)
    area.narrative = "施工许可办理时间压缩至10个工作日以内。"  # the 15 days and the 90% are gone
    area.save()
    counts = propose_metrics(plan)
    assert counts == {"found": 3, "created": 1, "kept": 2, "removed": 1, "conflicts": 0}
    assert plan.metric_proposals.get(pk=discarded.pk).status == Proposal.Status.DISCARDED  # decided: kept
    assert not plan.metric_proposals.filter(value=15).exists()  # undecided and gone from the text: removed
    assert plan.metric_proposals.filter(subject="施工许可办理时间", value=10).exists()


def test_conflicting_statements_are_linked_and_unlinked(small):
    plan, area, task, measure = small
    plans.measure(area, "确保网上办理率达到95%以上。", lead=["区住建局"], annex=2, number=10)
    assert propose_metrics(plan)["conflicts"] == 1
    ninety, ninety_five = (plan.metric_proposals.get(subject="网上办理率", value=v) for v in (90, 95))
    assert list(ninety.conflicts.all()) == [ninety_five]
    area.narrative = "施工许可办理时间压缩至15个工作日以内。"
    area.save()
    propose_metrics(plan)
    assert not plan.metric_proposals.get(subject="网上办理率").conflicts.exists()


def test_a_proposal_becomes_a_metric_with_sensible_defaults(small, office):
    plan, area, task, measure = small
    propose_metrics(plan)
    proposal = plan.metric_proposals.get(subject="联合验收时间")
    metric = metric_from_proposal(proposal)
    assert (metric.name, metric.unit, metric.direction, metric.target) == ("联合验收时间", "工作日", "at_most", 5)
    assert metric.owner.name == "区城管执法局"  # the measure's first lead unit
    assert metric.due == datetime.date(2023, 9, 30)  # the measure's deadline
    confirm_proposal(proposal, metric, office)
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decided_by, proposal.metric) == (Proposal.Status.CONFIRMED, office, metric)

    from_text = metric_from_proposal(plan.metric_proposals.get(subject="网上办理率"))
    assert from_text.owner.name == "区住建局"  # the area's lead unit
    assert from_text.due == datetime.date(2023, 12, 31)


def test_a_reduction_needs_a_baseline_and_the_measured_unit(units, office):
    plan = plans.plan()
    area = plans.area(plan, "获得电力", Area.Kind.INDICATOR, narrative="用户平均停电时间压缩15%以上。")
    propose_metrics(plan)
    proposal = plan.metric_proposals.get()
    metric = metric_from_proposal(proposal)
    assert (metric.direction, metric.target, metric.unit) == ("reduce_by", 15, "")
    with pytest.raises(ValidationError) as error:
        confirm_proposal(proposal, metric, office)
    assert {"baseline", "unit"} <= set(error.value.message_dict)
    metric.unit, metric.baseline = "%", Decimal("6")
    with pytest.raises(ValidationError) as error:
        confirm_proposal(proposal, metric, office)
    assert "not %" in error.value.message_dict["unit"][0]
    metric.unit = "小时"
    confirm_proposal(proposal, metric, office)
    assert metric.target_level == Decimal("5.1")
    assert area.metrics.get() == metric


def test_report_then_report_again_keeps_the_history(kpi, scjg_reporter, scjg_head):
    first = report_value(kpi.rate, scjg_reporter, Q3, Decimal("91"), "首次填报")
    second = report_value(kpi.rate, scjg_head, Q3, Decimal("93"), "复核后")
    assert first.pk == second.pk
    second.refresh_from_db()
    assert (second.value, second.note, second.reported_by) == (Decimal("93"), "复核后", scjg_head)
    assert [(r.kind, r.value, r.by) for r in second.revisions.all()] == [
        ("reported", Decimal("91"), scjg_reporter), ("reported", Decimal("93"), scjg_head)]
    assert report_value(kpi.rate, scjg_head, Q3, Decimal("93"), "复核后").revisions.count() == 2  # nothing new


def test_units_report_only_their_own_metrics(kpi, tax_reporter, leader_user):
    for user in (tax_reporter, leader_user):
        with pytest.raises(PermissionDenied):
            report_value(kpi.rate, user, Q3, Decimal("91"))
    assert not kpi.rate.values.exists()


def test_the_office_corrects_with_a_reason_and_then_owns_the_value(kpi, office, scjg_reporter):
    entry = kpi.days_q1
    with pytest.raises(ValidationError):
        correct_value(entry, office, Decimal("0.9"), "  ")
    with pytest.raises(PermissionDenied):
        correct_value(entry, scjg_reporter, Decimal("0.9"), "我们算错了")
    correct_value(entry, office, Decimal("0.9"), "与省平台数据核对")
    entry.refresh_from_db()
    assert (entry.value, entry.corrected_by, entry.correction_reason) == (Decimal("0.9"), office, "与省平台数据核对")
    assert [(r.kind, r.value, r.reason) for r in entry.revisions.all()] == [
        (ValueRevision.Kind.REPORTED, Decimal("1.0"), ""),
        (ValueRevision.Kind.CORRECTED, Decimal("0.9"), "与省平台数据核对")]
    with pytest.raises(PermissionDenied):
        report_value(kpi.days, scjg_reporter, parse_period("2023-Q1", "quarterly"), Decimal("0.8"))
    report_value(kpi.days, office, parse_period("2023-Q1", "quarterly"), Decimal("0.8"))
    assert kpi.days.values.get(period="2023-Q1").value == Decimal("0.8")
