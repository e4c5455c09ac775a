"""Progress reports on the agenda and in the per-unit figures."""

import datetime

import pytest
from django.test import override_settings
from django.utils import timezone

from duban.plans.tests import factories
from duban.progress import services as progress
from duban.progress.models import ProgressReport
from duban.supervision.agenda import draft_agenda
from duban.supervision.models import DispatchMeeting
from duban.supervision.statistics import Period, unit_table

pytestmark = pytest.mark.django_db
D = datetime.date


def T(*args):
    return timezone.make_aware(datetime.datetime(*args))


@pytest.fixture
def reported(units, scjg_head, office, tax_reporter):
    """Round of 2023-08-01 due 2023-08-08 (5 working days). 区市场监管局: one report on time asking for
    coordination, accepted first time; one on time but returned. 区税务局: one submitted late."""
    plan = factories.plan()
    area = factories.area(plan, "开办企业", chief="胡海")
    coordinate = factories.measure(area, "全程网办", lead=[units["scjg"]], deadline="2023-12-31")
    returned = factories.measure(area, "歇业备案", lead=[units["scjg"]], deadline="2023-12-31")
    late = factories.measure(area, "出口退税", lead=[units["tax"]], deadline="2023-12-31")
    round_ = progress.open_round(plan, "bimonthly", D(2023, 8, 1), opened_on=D(2023, 8, 1), due_workdays=5)
    assert round_.due_on == D(2023, 8, 8)
    reports = {r.measure_id: r for r in round_.reports.all()}

    def file(measure, user, when, **content):
        report = reports[measure.pk]
        progress.save_draft(report, user, {"progress": "in_progress", "percent": 40, "done_text": "推进中", **content},
                            report.version)
        progress.submit(report, user, now=when)
        return report

    r1 = file(coordinate, scjg_head, T(2023, 8, 7, 10), needs_coordination=True, problems="需区数据局开放接口")
    progress.accept(r1, office, now=T(2023, 8, 9, 10))
    r2 = file(returned, scjg_head, T(2023, 8, 8, 10))
    progress.return_for_correction(r2, office, "缺少佐证材料", now=T(2023, 8, 9, 11))
    tax_reporter.role = "unit_head"
    tax_reporter.save()
    file(late, tax_reporter, T(2023, 8, 10, 10))
    return plan


@override_settings(DUBAN_TODAY="2023-08-20")
def test_agenda_lists_coordination_requests_and_returned_reports(reported):
    meeting = DispatchMeeting.objects.create(plan=reported, title="第四次双月调度会", held_on=D(2023, 8, 20))
    draft_agenda(meeting)
    items = [(i.kind, i.title.split()[-1], i.detail.split("：")[-1]) for i in meeting.agenda.all()]
    assert items == [("coordination", "全程网办", "需区数据局开放接口"),
                     ("returned", "区市场监管局：1份进展报告被退回待修改", "缺少佐证材料")]


@override_settings(DUBAN_TODAY="2023-10-20")
def test_settled_coordination_requests_stay_off_the_agenda(reported, scjg_head, office):
    """The August request is settled by October's report that no longer asks, or by an earlier meeting's decision."""
    august = DispatchMeeting.objects.create(plan=reported, title="第四次双月调度会", held_on=D(2023, 8, 20))
    draft_agenda(august)
    request = august.agenda.get(kind="coordination")
    october = DispatchMeeting.objects.create(plan=reported, title="第五次双月调度会", held_on=D(2023, 10, 18))
    draft_agenda(october)
    assert october.agenda.filter(kind="coordination").count() == 1  # still asked, not decided yet
    request.decision = "区数据局10月底前开放接口"
    request.save()
    draft_agenda(october)
    assert not october.agenda.filter(kind="coordination").exists()

    request.decision = ""
    request.save()
    measure = request.measure
    round_ = progress.open_round(reported, "bimonthly", D(2023, 10, 1), opened_on=D(2023, 10, 9), due_workdays=5)
    report = round_.reports.get(measure=measure)
    progress.save_draft(report, scjg_head, {"progress": "in_progress", "percent": 80, "done_text": "接口已开放"},
                        report.version)
    progress.submit(report, scjg_head, now=T(2023, 10, 12, 10))
    draft_agenda(october)
    assert not october.agenda.filter(kind="coordination").exists()


@override_settings(DUBAN_TODAY="2023-08-20")
def test_returned_reports_are_one_item_per_unit(reported, scjg_head, office):
    from duban.progress.models import ProgressReport

    report = ProgressReport.objects.get(measure__text="全程网办")
    ProgressReport.objects.filter(pk=report.pk).update(status="returned", review_comment="数据不全")
    meeting = DispatchMeeting.objects.create(plan=reported, title="第四次双月调度会", held_on=D(2023, 8, 20))
    draft_agenda(meeting)
    returned = meeting.agenda.get(kind="returned")
    assert returned.title == "区市场监管局：2份进展报告被退回待修改"
    assert "缺少佐证材料" in returned.detail and "数据不全" in returned.detail


def test_report_figures_per_unit(reported):
    period = Period.quarter("2023Q3", D(2023, 10, 20))
    _, rows = unit_table(reported, period)
    figures = {r.unit.name: (r.values["reports_due"], r.values["reports_on_time_rate"],
                             r.values["reports_first_time_rate"]) for r in rows}
    assert figures == {"区市场监管局": (2, 100.0, 50.0), "区税务局": (1, 0.0, None)}
    assert ProgressReport.objects.filter(status="returned").count() == 1
