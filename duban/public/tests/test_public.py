import datetime
import json

import pytest
from django.test import override_settings
from django.utils import timezone

from duban.plans.tests import factories
from duban.progress import services as progress
from duban.public.models import Publication

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def published(units, scjg_head, office):
    plan = factories.plan(title="测试区2023年行动方案")
    startup = factories.area(plan, "开办企业", chief="胡海")
    secret = factories.area(plan, "内部事项", chief="胡海")
    factories.measure(startup, "全程网办", lead=[units["scjg"]], deadline="2023-06-30",
                             completed_on=D(2023, 6, 1))
    going = factories.measure(startup, "歇业备案", lead=[units["scjg"]], deadline="2023-12-31")
    factories.measure(secret, "不公开的举措", lead=[units["tax"]], deadline="2023-12-31")
    round_ = progress.open_round(plan, "bimonthly", D(2023, 8, 1), opened_on=D(2023, 8, 1))
    report = round_.reports.get(measure=going)
    progress.save_draft(report, scjg_head, {"progress": "in_progress", "percent": 60, "done_text": "内部工作说明",
                                            "problems": "张三13800138000反映"}, report.version)
    progress.submit(report, scjg_head)
    progress.accept(report, office, comment="内部评语")
    publication = Publication.objects.create(plan=plan, published=True)
    publication.areas.set([startup])
    return plan


@override_settings(DUBAN_TODAY="2023-10-20")
def test_public_page_shows_status_without_log_in_and_nothing_internal(client, published):
    response = client.get(f"/public/plans/{published.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "全程网办" in page and "歇业备案" in page and "60%" in page
    for hidden in ("不公开的举措", "内部工作说明", "13800138000", "内部评语", "张三"):
        assert hidden not in page


def test_unpublished_plans_are_404(client, published):
    Publication.objects.filter(plan=published).update(published=False)
    assert client.get(f"/public/plans/{published.pk}/").status_code == 404
    assert client.get(f"/public/plans/{published.pk}/data.json").status_code == 404


@override_settings(DUBAN_TODAY="2023-10-20")
def test_open_data_json_and_csv(client, published):
    data = json.loads(client.get(f"/public/plans/{published.pk}/data.json").content)
    assert [(m["text"], m["percent"], m["light"]) for m in data["measures"]] == [
        ("全程网办", 100, "done"), ("歇业备案", 60, "green")]
    text = client.get(f"/public/plans/{published.pk}/data.csv").content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("领域,编号,工作举措") and "歇业备案" in text
    assert client.get(f"/public/plans/{published.pk}/data.xml").status_code == 404


def test_only_the_office_chooses_what_is_published(client, published, office, scjg_reporter):
    client.force_login(scjg_reporter)
    assert client.get(f"/public/manage/{published.pk}/").status_code == 403
    client.force_login(office)
    response = client.post(f"/public/manage/{published.pk}/", {"published": "", "show_measures": "on"})
    assert response.status_code == 302
    assert not Publication.objects.get(plan=published).published


@override_settings(DUBAN_TODAY="2023-10-20")
def test_indicator_and_complaint_sections_carry_figures_only(client, published, units, scjg_reporter, office):
    from decimal import Decimal

    from duban.hotline import flow
    from duban.hotline.models import Category
    from duban.kpi.models import Metric
    from duban.kpi.periods import parse_period
    from duban.kpi.services import report_value
    from duban.plans.models import Area

    startup = Area.objects.get(plan=published, name="开办企业")
    metric = Metric.objects.create(plan=published, area=startup, name="半日办结率", unit="%", direction="at_least",
                                   target=Decimal("96"), owner=units["scjg"], frequency="quarterly",
                                   due=D(2023, 12, 31))
    report_value(metric, scjg_reporter, parse_period("2023-Q3", "quarterly"), Decimal("97"))
    category = Category.objects.create(name="开办企业", area=startup)
    flow.receive(category=category, company_name="甲公司", contact_name="王五", mobile="13700137000",
                 description="营业执照办理慢", received_at=timezone.make_aware(datetime.datetime(2023, 9, 4, 9)))
    page = client.get(f"/public/plans/{published.pk}/").content.decode()
    assert "半日办结率" in page and "2023-09" in page
    for hidden in ("王五", "13700137000", "甲公司", "营业执照办理慢", "href=\"/kpi/", "/hotline/"):
        assert hidden not in page
    data = json.loads(client.get(f"/public/plans/{published.pk}/data.json").content)
    assert data["indicators"][0]["name"] == "半日办结率" and data["indicators"][0]["status"] == "met"
    assert data["complaints"] == [{"month": "2023-09", "received": 1, "contact_rate": 0.0, "closure_rate": None,
                                   "satisfaction": None}]


@override_settings(DUBAN_TODAY="2023-10-20")
@pytest.mark.zh_hans
def test_the_csv_says_its_lights_in_words(client, published):
    text = client.get(f"/public/plans/{published.pk}/data.csv", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode(
        "utf-8-sig")
    lights = [line.rsplit(",", 1)[1] for line in text.splitlines()[1:]]
    assert lights == ["按期完成", "绿灯：正常推进"]


@override_settings(DUBAN_TODAY="2023-10-20")
def test_a_dispatch_meetings_action_items_are_public_only_when_marked_so(client, published, units):
    from duban.plans.models import Area
    from duban.supervision.models import AgendaItem, DispatchMeeting
    from duban.supervision.services import add_action_item

    meeting = DispatchMeeting.objects.create(plan=published, title="10月调度会", held_on=D(2023, 10, 16))
    item = AgendaItem.objects.create(meeting=meeting, title="企业开办", position=1)
    startup = Area.objects.get(plan=published, name="开办企业")
    add_action_item(item, text="闭门议定：约谈牵头单位", owner_unit=units["scjg"], workdays=5, area=startup)
    add_action_item(item, text="公开承诺：10个工作日内上线", owner_unit=units["scjg"], workdays=10, area=startup,
                    public=True)
    page = client.get(f"/public/plans/{published.pk}/").content.decode()
    data = client.get(f"/public/plans/{published.pk}/data.json").content.decode()
    for text in (page, data):
        assert "公开承诺" in text
        assert "闭门议定" not in text


def test_the_office_reaches_the_public_page_from_its_menu(client, published, office, scjg_reporter):
    client.force_login(office)
    response = client.get("/plans/")
    public = [item for item in response.context["nav_items"] if item["key"] == "public"]
    assert public and public[0]["url"] == "/public/"
    page = client.get("/public/").content.decode()
    assert f'href="/public/manage/{published.pk}/"' in page
    client.force_login(scjg_reporter)
    assert "public" not in [item["key"] for item in client.get("/plans/").context["nav_items"]]
    assert "/public/manage/" not in client.get("/public/").content.decode()
