"""Visit problems beside complaints: on the dispatch agenda, in the circular's columns and totals, in the API.

Three problems raised Wednesday 2026-09-30 (third quarter): two routed to 区市场监管局 (one answered on time,
one left to become a supervised case), one to 区税务局 solved on the spot (not tracked work, not counted).
"""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from duban.api.models import ApiToken
from duban.plans.models import Area, Measure, MeasureLeadUnit, Plan
from duban.supervision.agenda import draft_agenda
from duban.supervision.circulars import create_circular
from duban.supervision.models import AgendaItem, DispatchMeeting
from duban.supervision.statistics import Period, unit_table
from duban.visits import services
from duban.visits.models import Problem
from duban.conftest import HOME

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(units):
    plan = Plan.objects.create(region_id=HOME, year=2026, title="2026年营商环境优化升级行动方案")
    forward = Area.objects.create(plan=plan, kind=Area.Kind.FORWARD, name="前瞻探索宜商环境工作", position=15)
    credit = Area.objects.create(plan=plan, kind=Area.Kind.INDICATOR, name="获得信贷", position=1)
    for number, (area, unit) in enumerate([(forward, "scjg"), (credit, "tax")], start=1):
        measure = Measure.objects.create(plan=plan, area=area, annex=1, number=number, text="推进千名干部访千企",
                                         position=number, deadline=datetime.date(2026, 12, 31))
        MeasureLeadUnit.objects.create(measure=measure, unit=units[unit])
    return plan


@pytest.fixture
def problems(record, scjg_reporter, clock_at):
    visit = record(problems=[("scjg", False, "general"), ("scjg", False, "general"), ("tax", True, "general")])
    answered, late, on_spot = visit.problems.order_by("pk")
    clock_at("2026-10-09T10:00")
    services.answer(answered, scjg_reporter, "已办理。")
    call_command("tick", "--job", "visit-problem-escalations", "--now", "2026-10-15T09:00", stdout=StringIO())
    late.refresh_from_db()
    assert late.supervised_at is not None
    return answered, late, on_spot


def test_the_supervised_problem_is_on_the_agenda(plan, problems, office):
    _answered, late, _on_spot = problems
    meeting = DispatchMeeting.objects.create(plan=plan, title="第五次双月调度会", held_on=datetime.date(2026, 10, 20),
                                             created_by=office)
    draft_agenda(meeting, today=datetime.date(2026, 10, 16))
    item = meeting.agenda.get(source=f"visit_problem:{late.pk}")
    assert item.kind == AgendaItem.Kind.SUPERVISED_COMPLAINT
    assert item.unit.name == "区市场监管局" and item.area.kind == Area.Kind.FORWARD
    assert item.title.startswith("督办件（走访企业诉求）南昌市青云电子科技有限公司")
    assert meeting.agenda.filter(source__startswith="visit_problem:").count() == 1
    # Answered, it leaves the next draft.
    services.answer(late, late.unit.users.first() or office, "已办理。")
    draft_agenda(meeting, today=datetime.date(2026, 10, 16))
    assert not meeting.agenda.filter(source__startswith="visit_problem:").exists()


def test_a_meeting_on_other_areas_leaves_them_out(plan, problems, office):
    meeting = DispatchMeeting.objects.create(plan=plan, title="获得信贷专题会", held_on=datetime.date(2026, 10, 20),
                                             created_by=office)
    meeting.areas.set([plan.areas.get(name="获得信贷")])
    draft_agenda(meeting, today=datetime.date(2026, 10, 16))
    assert not meeting.agenda.filter(source__startswith="visit_problem:").exists()


def test_the_circular_counts_them_per_unit(plan, problems, units):
    period = Period.quarter("2026Q3", datetime.date(2026, 10, 16))
    columns, rows = unit_table(plan, period)
    values = {row.unit.name: row.values for row in rows}
    # As of 30 September neither deadline had passed nor was anything answered: raised, none counted yet.
    assert values["区市场监管局"]["visit_problems"] == 2
    assert values["区市场监管局"]["visit_problems_on_time_rate"] is None
    assert values["区税务局"]["visit_problems"] == 0, "solved on the spot: not tracked work"
    period = Period.year(2026, datetime.date(2026, 10, 16))
    values = {row.unit.name: row.values for row in unit_table(plan, period)[1]}
    assert values["区市场监管局"]["visit_problems"] == 2
    assert values["区市场监管局"]["visit_problems_on_time_rate"] == 50.0, "one on time, one overdue"
    assert values["区市场监管局"]["visit_problem_escalations"] == 1
    circular = create_circular(plan, "2026Q4", today=datetime.date(2026, 10, 16))
    assert "visit_problems" in [c["key"] for c in circular.snapshot["columns"]]


def test_the_api_lists_and_answers_them(problems, scjg_reporter, tax_reporter, units):
    _answered, late, _on_spot = problems
    _token, key = ApiToken.issue(name="市场监管局系统", user=scjg_reporter, unit=units["scjg"], read_only=False)
    client = Client(headers={"Authorization": f"Bearer {key}"})
    body = client.get("/api/v1/visit-problems").json()
    assert body["count"] == 2
    assert client.get("/api/v1/visit-problems?supervised=true").json()["count"] == 1
    response = client.post(f"/api/v1/visit-problems/{late.pk}/answer", {"answer": "已加急办理。"},
                           content_type="application/json")
    assert response.status_code == 200 and response.json()["state"] == Problem.State.ANSWERED
    again = client.post(f"/api/v1/visit-problems/{late.pk}/answer", {"answer": "x"}, content_type="application/json")
    assert again.status_code == 409
    _token, tax_key = ApiToken.issue(name="税务", user=tax_reporter)
    tax = Client(headers={"Authorization": f"Bearer {tax_key}"})
    assert tax.get("/api/v1/visit-problems").json()["count"] == 0, "on the spot at 税务局: not routed, not theirs"
    assert tax.get(f"/api/v1/visit-problems/{late.pk}").status_code == 404
