import datetime

import pytest
from django.test import override_settings

from duban.plans.tests import factories
from duban.supervision.models import AgendaItem, DispatchMeeting
from duban.supervision.services import record_decision

pytestmark = pytest.mark.django_db


@pytest.fixture
def ledger(units):
    plan = factories.plan()
    mine = factories.area(plan, "开办企业", chief="胡海")
    other = factories.area(plan, "执行合同", chief="万勇")
    factories.measure(mine, "全程网办", lead=[units["scjg"]], deadline="2023-06-30")
    factories.measure(mine, "歇业备案", lead=[units["scjg"]], deadline="2023-12-31")
    factories.measure(other, "诉前调解", lead=[units["tax"]], deadline="2023-06-30")
    meeting = DispatchMeeting.objects.create(plan=plan, title="第五次双月调度会", held_on=datetime.date(2023, 10, 20))
    item = AgendaItem.objects.create(meeting=meeting, kind="other", title="临时动议", area=mine, drafted=False)
    record_decision(item, "", [{"text": "十日内上线", "owner_unit": units["scjg"], "workdays": 10}])
    return plan


@override_settings(DUBAN_TODAY="2023-10-25")
def test_leader_sees_own_areas_with_lights_and_open_items(client, ledger, leader_user):
    client.force_login(leader_user)
    response = client.get("/supervision/leaders/")
    assert response.status_code == 302
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "开办企业" in html and "执行合同" not in html and "十日内上线" in html
    [(area, counts, numbers)] = page.context["rows"]
    assert counts["red"] == 1 and counts["green"] == 2  # 全程网办 overdue; 歇业备案 and the action item on track


def test_leader_cannot_open_another_leaders_page(client, ledger, leader_user, office, scjg_reporter):
    other = factories.leader("万勇")
    client.force_login(leader_user)
    assert client.get(f"/supervision/leaders/{other.pk}/").status_code == 404
    client.force_login(office)
    assert client.get(f"/supervision/leaders/{other.pk}/").status_code == 200
    client.force_login(scjg_reporter)
    assert client.get(f"/supervision/leaders/{other.pk}/").status_code == 403


def test_complaints_about_the_led_areas(client, ledger, leader_user, office, units, settings):
    from django.utils import timezone

    from duban.hotline import escalation, flow
    from duban.hotline.models import Category
    from duban.plans.models import Area

    def at(text):
        settings.DUBAN_TODAY = text
        return timezone.make_aware(datetime.datetime.fromisoformat(text))

    mine, other = Area.objects.get(name="开办企业"), Area.objects.get(name="执行合同")
    categories = {a: Category.objects.create(name=f"{a.name}投诉", area=a) for a in (mine, other)}

    def receive(area, when):
        at(when)
        complaint = flow.receive(category=categories[area], company_name="某公司", contact_name="王先生",
                                 mobile="13800138000", description="反映问题", received_at=at(when))
        flow.contact(complaint, office, note="已联系")
        flow.classify(complaint, office, difficulty="general")
        flow.assign(complaint, office, lead_unit=units["scjg"])
        return complaint

    # 开办企业: one answered on time and satisfied; one left unanswered (due Fri 13 Oct 17:30, supervised
    # from Mon 16 Oct 17:30). 执行合同 (万勇's) does not show.
    done = receive(mine, "2023-10-09T09:00")
    at("2023-10-10T09:00")
    flow.start(done, office)
    flow.reply(done, office, text="已办结", resolution="resolved")
    flow.callback(done, office, satisfied=True)
    receive(mine, "2023-10-09T10:00")
    receive(other, "2023-10-09T11:00")
    escalation.escalate(at("2023-10-20T09:00"))
    at("2023-10-25")
    client.force_login(leader_user)
    page = client.get(f"/supervision/leaders/{leader_user.leader_id}/")
    [section] = [s for s in page.context["sections"] if s["template"] == "hotline/_leader_section.html"]
    [row] = section["rows"]
    assert row["area"] == mine and row["figures"].received == 2
    assert (row["figures"].closure_rate, row["figures"].satisfaction) == (0.5, 1.0)
    assert (row["open"], row["overdue"], row["supervised"]) == (1, 1, 1)
    assert "Complaints about the areas led (2023)" in page.content.decode()


@override_settings(DUBAN_TODAY="2023-10-25T10:00")
def test_the_page_costs_the_same_queries_for_one_area_or_five(client, ledger, leader_user, units):
    """Per-area figures come from grouped queries, not one set of counts per area (issue "Constant-time pages")."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from duban.hotline import flow
    from duban.hotline.models import Category
    from duban.plans.models import Area

    def complaint_about(area):
        category = Category.objects.create(name=f"{area.name}投诉", area=area, region_id=area.plan.region_id)
        flow.receive(category=category, company_name="某公司", contact_name="王先生", mobile="13800138000",
                     description="反映问题")

    complaint_about(Area.objects.get(name="开办企业"))
    client.force_login(leader_user)
    url = f"/supervision/leaders/{leader_user.leader_id}/"
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for name in ("获得电力", "登记财产", "纳税", "跨境贸易"):
        area = factories.area(ledger, name, chief="胡海")
        factories.measure(area, f"{name}举措", lead=[units["scjg"]], deadline="2023-12-31")
        complaint_about(area)
    with CaptureQueriesContext(connection) as five:
        page = client.get(url)
    [section] = [s for s in page.context["sections"] if s["template"] == "hotline/_leader_section.html"]
    assert len(section["rows"]) == 5
    assert len(five) == len(one), [q["sql"][:120] for q in five.captured_queries]


def test_the_reports_of_the_led_areas_are_the_matrix_narrowed_to_them(client, ledger, leader_user, office, units):
    """The page's reports table is the reporting matrix's totals for the leader's areas: a report of a measure two
    units lead once, another leader's area left out; the office reads the same figures about him."""
    from django.utils import timezone

    from duban.plans.models import Area
    from duban.progress import services
    from duban.progress.models import ReportingRound

    mine = Area.objects.get(name="开办企业")
    factories.measure(mine, "联合办理", lead=[units["scjg"], units["tax"]], deadline="2023-12-31")
    opened = timezone.make_aware(datetime.datetime(2023, 10, 9, 9))
    round_ = services.open_round(ledger, ReportingRound.Kind.MONTHLY, datetime.date(2023, 10, 1), now=opened)

    def figures(user):
        client.force_login(user)
        with override_settings(DUBAN_TODAY="2023-10-25", LANGUAGE_CODE="zh-hans"):
            page = client.get(f"/supervision/leaders/{leader_user.leader_id}/")
        [section] = [s for s in page.context["sections"] if s["template"] == "progress/_leader_section.html"]
        return [(row["round"], row["due"], dict(row["counts"])) for row in section["rows"]], page.content.decode()

    rows, html = figures(leader_user)
    # 全程网办 (overdue, still open), 歇业备案, the meeting's action item and 联合办理 (two units: once) in 开办企业;
    # 诉前调解 is 万勇's.
    assert [(r, due) for r, due, _counts in rows] == [(round_, 4)]
    assert rows[0][2]["missing" if round_.due_on < datetime.date(2023, 10, 25) else "pending"] == 4
    assert "分管领域进展报告报送情况（2023年）" in html and "报送截止日" in html
    assert figures(office)[0] == rows
