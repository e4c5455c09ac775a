"""Dispatch meetings: the agenda drafts itself, decisions become measures in the owner's ledger."""

import datetime

import docx
import pytest
from django.test import override_settings

from duban.plans.tests import factories
from duban.supervision.agenda import draft_agenda
from duban.supervision.models import ActionItem, AgendaItem, DispatchMeeting
from duban.supervision.services import record_decision

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def plan(units):
    plan = factories.plan()
    startup = factories.area(plan, "开办企业", chief="胡海", lead=[units["scjg"]])
    tax = factories.area(plan, "纳税", chief="万勇", lead=[units["tax"]])
    factories.measure(startup, "全程网办", lead=[units["scjg"]], deadline="2023-06-30")   # red on 10-20
    factories.measure(startup, "歇业备案", lead=[units["scjg"]], deadline="2023-10-24")   # yellow
    factories.measure(startup, "特色经营范围", lead=[units["scjg"]], deadline="2023-12-31")  # green
    factories.measure(tax, "出口退税", lead=[units["tax"]], deadline="2023-09-30", completed_on=D(2023, 9, 1))
    plan.startup, plan.tax = startup, tax
    return plan


def meeting(plan, held_on="2023-10-20", **fields):
    return DispatchMeeting.objects.create(plan=plan, title=fields.pop("title", "第五次双月调度会"),
                                          held_on=D.fromisoformat(held_on), **fields)


@override_settings(DUBAN_TODAY="2023-10-20")
def test_agenda_drafts_red_then_yellow_and_redrafting_keeps_decisions(plan, units):
    m = meeting(plan)
    assert draft_agenda(m) == 2
    kinds = [(i.kind, i.title.split()[-1]) for i in m.agenda.all()]
    assert kinds == [("red", "全程网办"), ("yellow", "歇业备案")]
    item = m.agenda.get(kind="red")
    record_decision(item, "限期办结", [{"text": "10个工作日内完成全程网办上线", "owner_unit": units["scjg"],
                                        "workdays": 10}])
    assert draft_agenda(m) == 0
    assert m.agenda.get(pk=item.pk).decision == "限期办结"


@override_settings(DUBAN_TODAY="2023-10-20")
def test_action_item_is_a_measure_in_the_owner_ledger_and_carries_over(plan, units):
    first = meeting(plan, "2023-10-20")
    draft_agenda(first)
    item = first.agenda.get(kind="red")
    [action] = record_decision(item, "", [{"text": "完成全程网办上线", "owner_unit": units["tax"], "workdays": 10}])
    # 10 working days after Fri 2023-10-20 (no holiday in between): Fri 2023-11-03.
    assert action.measure.deadline == D(2023, 11, 3)
    assert action.leader.name == "胡海"  # the area's chief unless the meeting names another
    assert list(action.measure.lead_units.all()) == [units["tax"]]
    assert action.measure.plan == plan and action.measure.area == plan.startup

    second = meeting(plan, "2023-12-20", title="第六次双月调度会")
    with override_settings(DUBAN_TODAY="2023-12-20"):
        draft_agenda(second)
    first_item = second.agenda.first()
    assert first_item.kind == AgendaItem.Kind.CARRIED_OVER and first_item.measure == action.measure
    # The action item's own measure is not listed again as a red measure.
    assert not second.agenda.filter(kind="red", measure=action.measure).exists()


def test_decision_needs_text_or_action_and_an_area(plan, units):
    m = meeting(plan)
    item = AgendaItem.objects.create(meeting=m, kind="other", title="临时动议", drafted=False)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        record_decision(item, "", [])
    with pytest.raises(ValidationError, match="area"):
        record_decision(item, "研究", [{"text": "x", "owner_unit": units["scjg"], "workdays": 3}])
    assert not ActionItem.objects.exists()
    record_decision(item, "研究", [{"text": "x", "owner_unit": units["scjg"], "workdays": 3, "area": plan.tax}])
    assert ActionItem.objects.get().measure.area == plan.tax


@override_settings(DUBAN_TODAY="2023-10-20")
def test_pages_and_permissions(client, plan, office, scjg_reporter, leader_user, units):
    client.force_login(office)
    response = client.post("/supervision/meetings/new/", {
        "plan": plan.pk, "title": "第五次双月调度会", "held_on": "2023-10-20", "attendees": "区营商办、区市场监管局"})
    m = DispatchMeeting.objects.get()
    assert response.status_code == 302 and m.agenda.count() == 2
    item = m.agenda.get(kind="red")
    response = client.post(f"/supervision/meetings/{m.pk}/items/{item.pk}/decide/", {
        f"item{item.pk}-decision": "限期办结", f"item{item.pk}-action_text": "上线全程网办",
        f"item{item.pk}-owner_unit": units["scjg"].pk, f"item{item.pk}-workdays": 5}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "上线全程网办" in response.content.decode()
    bad = client.post(f"/supervision/meetings/{m.pk}/items/{item.pk}/decide/", {
        f"item{item.pk}-action_text": "缺单位"})
    assert bad.status_code == 400 and ActionItem.objects.count() == 1

    # The page carries no item's form; opening an item fetches its own (or ?decide= renders it without JS).
    page = client.get(f"/supervision/meetings/{m.pk}/").content.decode()
    assert 'name="item' not in page and f"/supervision/meetings/{m.pk}/items/{item.pk}/form/" in page
    form = client.get(f"/supervision/meetings/{m.pk}/items/{item.pk}/form/").content.decode()
    assert f'name="item{item.pk}-decision"' in form and f'hx-post="/supervision/meetings/{m.pk}/items/{item.pk}/decide/"' in form
    page = client.get(f"/supervision/meetings/{m.pk}/?decide={item.pk}").content.decode()
    assert page.count('name="item') > 0 and f'name="item{item.pk}-decision"' in page

    client.force_login(scjg_reporter)
    assert client.get(f"/supervision/meetings/{m.pk}/").status_code == 403
    assert client.get(f"/supervision/meetings/{m.pk}/items/{item.pk}/form/").status_code == 403
    assert client.get("/supervision/meetings/").status_code == 403
    client.force_login(leader_user)  # 胡海 leads 开办企业; the meeting covers the whole plan
    assert client.get(f"/supervision/meetings/{m.pk}/").status_code == 200
    assert client.post(f"/supervision/meetings/{m.pk}/redraft/").status_code == 403
    m.areas.set([plan.tax])  # now only about 纳税, which 胡海 does not lead
    assert client.get(f"/supervision/meetings/{m.pk}/").status_code == 404


@override_settings(DUBAN_TODAY="2023-10-20")
def test_minutes_docx(client, plan, office, units):
    m = meeting(plan, chair=factories.leader("胡海"), attendees="区市场监管局、区税务局")
    draft_agenda(m)
    record_decision(m.agenda.get(kind="red"), "限期办结", [
        {"text": "上线全程网办", "owner_unit": units["scjg"], "workdays": 10}])
    client.force_login(office)
    response = client.get(f"/supervision/meetings/{m.pk}/minutes.docx")
    assert response.status_code == 200
    import io

    document = docx.Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "第五次双月调度会会议纪要" in text and "胡海同志主持召开" in text and "限期办结" in text
    rows = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert rows[1] == ["1", "上线全程网办", "区市场监管局", "胡海", "2023年11月3日"]


@override_settings(DUBAN_TODAY="2023-10-20")
def test_the_meeting_page_costs_the_same_however_long_the_agenda(client, plan, office, units):
    """Its queries do not grow with the items, and no item's form (with its selects of every unit) is in it:
    an item's form is fetched when the item is opened."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    m = meeting(plan)
    client.force_login(office)

    def queries_with(items):
        while m.agenda.count() < items:
            AgendaItem.objects.create(meeting=m, position=m.agenda.count() + 1, kind=AgendaItem.Kind.OTHER,
                                      title=f"议题{m.agenda.count()}", drafted=False)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(f"/supervision/meetings/{m.pk}/")
        assert response.status_code == 200
        assert response.content.decode().count(f'>{units["scjg"].name}</option>') == 0  # no item's select
        assert response.content.decode().count("/form/") == items  # each item's form, fetched when opened
        return len(captured)

    assert queries_with(2) == queries_with(8)


@override_settings(DUBAN_TODAY="2023-10-20")
def test_the_agenda_is_grouped_by_kind_with_figures_and_summed_up_on_one_page(client, plan, office, leader_user,
                                                                              units):
    m = meeting(plan)
    draft_agenda(m)
    AgendaItem.objects.create(meeting=m, kind=AgendaItem.Kind.RED, title="出口退税滞后", unit=units["tax"], position=9,
                              decision="区税务局月底前完成")
    client.force_login(office)
    groups = client.get(m.get_absolute_url()).context["groups"]
    assert [(g.kind, len(g.rows), g.units, g.decided) for g in groups] == [("red", 2, 2, 1), ("yellow", 1, 1, 0)]
    # Within a kind, by unit: 区市场监管局 before 区税务局.
    assert [row[0].unit.name for row in groups[0].rows] == ["区市场监管局", "区税务局"]
    client.force_login(leader_user)
    response = client.get(f"/supervision/meetings/{m.pk}/summary/")
    assert response.status_code == 200
    assert response.context["units"] == [("区市场监管局", [1, 1], 2), ("区税务局", [1, 0], 1)]
    assert response.context["total"] == 3
