"""A visit's unsolved problems become tracked work: routed with a working-day deadline, answered, told.

The visit is recorded Wednesday 2026-09-30 17:45, the eve of National Day: as for a complaint received
then, a general problem is due Tuesday 13 October 17:30 (8, 9, Sat 10 (调休), 12, 13 October) and a
difficult one ten working days on.
"""

import pytest

from duban.api.models import WebhookDelivery, WebhookEndpoint
from duban.calendar.deadlines import registered
from duban.core.models import Notification
from duban.hotline import clocks
from duban.visits import services
from duban.visits.models import Problem, ProblemEvent

from .conftest import client_for, moment
from duban.conftest import HOME

pytestmark = pytest.mark.django_db


def test_unsolved_problems_are_routed_with_the_complaint_deadline(record, scjg_reporter, scjg_head):
    visit = record(problems=[("scjg", False, "general"), ("tax", False, "difficult"), ("scjg", True, "general")])
    general, difficult, on_spot = visit.problems.order_by("pk")
    assert general.state == Problem.State.ROUTED
    assert general.reply_due == moment("2026-10-13T17:30")
    assert general.reply_due == clocks.reply_deadline(moment("2026-09-30T17:45"), "general").due_at
    assert difficult.reply_due == clocks.reply_deadline(moment("2026-09-30T17:45"), "difficult").due_at
    assert difficult.reply_due > general.reply_due
    assert on_spot.state == Problem.State.SOLVED_ON_SPOT and on_spot.reply_due is None
    assert list(ProblemEvent.objects.filter(problem=general).values_list("kind", flat=True)) == ["routed"]
    assert not on_spot.events.exists()
    # The unit routed to is told, nobody else.
    assert Notification.objects.filter(user=scjg_reporter).count() == 1
    assert Notification.objects.filter(user=scjg_head).count() == 1
    assert "answer by 2026-10-13" in scjg_reporter.notifications.get().subject


def test_the_deadline_is_registered_for_recompute():
    assert any(d.model is Problem and d.field == "reply_due" for d in registered())


def test_a_resubmitted_form_records_one_visit(cadre, company, units):
    first = services.record_visit(cadre=cadre, company=company, visited_on=moment("2026-09-30T10:00").date(),
                                  people_met="张总", form_token="tok-1")
    again = services.record_visit(cadre=cadre, company=company, visited_on=moment("2026-09-30T10:00").date(),
                                  people_met="张总", form_token="tok-1")
    assert first.pk == again.pk


def test_answer_then_tell_the_company(record, scjg_reporter, cadre, clock_at):
    problem = record().problems.get()
    clock_at("2026-10-09T10:00")
    services.answer(problem, scjg_reporter, "已加急办理，10月12日可领取新证。")
    problem.refresh_from_db()
    assert problem.state == Problem.State.ANSWERED and problem.answered_on_time is True
    assert "answered the problem" in cadre.notifications.get().subject
    with pytest.raises(services.NotAllowed):
        services.answer(problem, scjg_reporter, "again")
    services.tell_company(problem, cadre, "10月9日电话告知张总，企业表示满意。")
    problem.refresh_from_db()
    assert problem.state == Problem.State.TOLD and problem.told_by == cadre
    assert list(problem.events.values_list("kind", flat=True)) == ["routed", "answered", "told"]
    with pytest.raises(services.NotAllowed):
        services.tell_company(problem, cadre, "again")


def test_a_late_answer_is_marked_late(record, scjg_reporter, clock_at):
    problem = record().problems.get()
    clock_at("2026-10-14T09:00")
    services.answer(problem, scjg_reporter, "已办理。")
    problem.refresh_from_db()
    assert problem.answered_on_time is False


def test_webhooks_hear_of_routing_and_answers(record, scjg_reporter):
    WebhookEndpoint.objects.create(region_id=HOME, name="12345", url="https://example.invalid/hook", secret="s" * 32,
                                   events=["visit_problem.routed", "visit_problem.answered"])
    problem = record().problems.get()
    services.answer(problem, scjg_reporter, "已办理。")
    assert sorted(WebhookDelivery.objects.values_list("event", flat=True)) == [
        "visit_problem.answered", "visit_problem.routed"]
    payload = WebhookDelivery.objects.get(event="visit_problem.routed").payload
    assert payload["unit"] == "区市场监管局" and payload["company"] == "南昌市青云电子科技有限公司"


# --- who sees what ----------------------------------------------------------------------------------------


def test_the_cadre_sees_his_visits_and_problems_only(record, cadre, other_cadre, company):
    visit = record()
    problem = visit.problems.get()
    mine = client_for(cadre)
    assert mine.get(visit.get_absolute_url()).status_code == 200
    assert mine.get(problem.get_absolute_url()).status_code == 200
    assert "许可变更" in mine.get("/visits/problems/").content.decode()
    theirs = client_for(other_cadre)
    assert theirs.get(visit.get_absolute_url()).status_code == 404
    assert theirs.get(problem.get_absolute_url()).status_code == 404
    assert "许可变更" not in theirs.get("/visits/problems/").content.decode()
    # A cadre answers nothing: that is the unit's.
    assert mine.post(f"/visits/problems/{problem.pk}/step/answer/", {"answer": "x"}).status_code == 403


def test_the_unit_sees_and_answers_what_was_routed_to_it(record, scjg_reporter, tax_reporter, cadre):
    visit = record(problems=[("scjg", False, "general"), ("tax", False, "general")])
    scjg_problem, tax_problem = visit.problems.order_by("pk")
    scjg = client_for(scjg_reporter)
    assert scjg.get(scjg_problem.get_absolute_url()).status_code == 200
    assert scjg.get(tax_problem.get_absolute_url()).status_code == 404
    page = scjg.get(visit.get_absolute_url()).content.decode()
    assert "问题1" in page and "问题2" not in page, "a unit sees only its own problems of a visit"
    response = scjg.post(f"/visits/problems/{tax_problem.pk}/step/answer/", {"answer": "不是我们的"})
    assert response.status_code == 404
    response = scjg.post(f"/visits/problems/{scjg_problem.pk}/step/answer/", {"answer": "已办理。"})
    assert response.status_code == 302
    scjg_problem.refresh_from_db()
    assert scjg_problem.state == Problem.State.ANSWERED
    # The cadre sees the answer and tells the company.
    cadre_page = client_for(cadre).get(scjg_problem.get_absolute_url()).content.decode()
    assert "已办理。" in cadre_page and "Tell the company" in cadre_page
    assert client_for(tax_reporter).get(scjg_problem.get_absolute_url()).status_code == 404


def test_the_office_sees_its_region_only(record, office):
    from duban.accounts.models import Role
    from duban.conftest import make_user
    from duban.core.models import Region
    from duban.plans.models import Unit

    problem = record().problems.get()
    assert client_for(office).get(problem.get_absolute_url()).status_code == 200
    neighbour = Region.objects.create(code="360104", name="邻区")
    other = make_user("neighbour", Role.OFFICE, Unit.objects.create(region=neighbour, name="邻区营商办"),
                      region=neighbour)
    assert client_for(other).get(problem.get_absolute_url()).status_code == 404
    assert "许可变更" not in client_for(other).get("/visits/problems/").content.decode()


def test_notes_about_a_problem_are_read_when_it_is_answered_and_told(record, scjg_reporter, scjg_head, cadre,
                                                                      clock_at):
    problem = record().problems.get()
    assert scjg_reporter.notifications.filter(read_at=None).count() == 1
    clock_at("2026-10-09T10:00")
    services.answer(problem, scjg_reporter, "已加急办理。")
    # Answered: the unit's "answer by …" is done; the cadre's "tell the company" now waits.
    assert not Notification.objects.filter(user__in=[scjg_reporter, scjg_head], read_at=None).exists()
    assert cadre.notifications.filter(read_at=None).count() == 1
    services.tell_company(Problem.objects.get(pk=problem.pk), cadre, "已电话告知。")
    assert not cadre.notifications.filter(read_at=None).exists()
