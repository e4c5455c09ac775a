"""Every advertised webhook event leaves the domain operation that makes it happen (docs/api.md, issue 17).

Each test drives the operation — the page's or API's function, or `duban tick` — never emit(), and sees the
delivery arrive at a receiver on 127.0.0.1 (JSON, and the WeCom robot preset's text).
"""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from duban.api.models import ApiToken, WebhookDelivery, WebhookEndpoint
from duban.api.webhooks import EVENTS
from duban.hotline import flow
from duban.hotline.models import Category
from duban.core.models import DEFAULT_REGION_PK
from duban.plans.models import Measure
from duban.plans.tests import factories

from .test_webhooks import Receiver

pytestmark = pytest.mark.django_db


def moment(text):
    return timezone.make_aware(datetime.datetime.fromisoformat(text))


@pytest.fixture
def hooks():
    """A JSON endpoint subscribed to every event and a WeCom robot to the hotline's, both of the demo region."""
    json_receiver, robot_receiver = Receiver(()), Receiver(())
    WebhookEndpoint.objects.create(name="12345平台", url=json_receiver.url, events=list(EVENTS), secret="s",
                                   region_id=DEFAULT_REGION_PK)
    WebhookEndpoint.objects.create(name="营商办群", url=robot_receiver.url, format=WebhookEndpoint.Format.WECOM,
                                   events=["complaint.escalated", "review.bad", "measure.overdue"],
                                   region_id=DEFAULT_REGION_PK)
    yield json_receiver, robot_receiver
    json_receiver.close()
    robot_receiver.close()


def tick(now, *jobs):
    """`duban tick --job … --now …` with the site's clock standing at that moment too."""
    args = [arg for name in jobs for arg in ("--job", name)]
    with override_settings(DUBAN_TODAY=now):
        call_command("tick", *args, "--now", now, stdout=StringIO())


def delivered(receiver, now):
    """Run the delivery job at `now`; the events the receiver got, with their data (JSON) or text (robots)."""
    tick(now, "webhook-deliveries")
    found = []
    for _path, headers, body in receiver.requests:
        payload = json.loads(body)
        found.append((headers.get("X-Duban-Event"), payload.get("data") or payload.get("text")))
    receiver.requests.clear()
    return found


@pytest.fixture
def world(units, office):
    plan = factories.plan()
    area = factories.area(plan, "开办企业", chief="胡海")
    category = Category.objects.create(name="开办企业", area=area, default_unit=units["scjg"])
    return {"plan": plan, "area": area, "category": category}


def file(world, received_at="2023-09-15T10:00", **fields):
    return flow.receive(**({"category": world["category"], "company_name": "南昌甲商贸有限公司",
                            "contact_name": "张三", "mobile": "13800138000", "description": "营业执照变更迟迟未办理",
                            "received_at": moment(received_at)} | fields))


@override_settings(DUBAN_TODAY="2023-09-15T11:00")
def test_a_complaint_received_through_the_api_or_a_page_is_announced(client, world, office, hooks):
    json_receiver, robot_receiver = hooks
    _, key = ApiToken.issue(name="12345平台", user=office, read_only=False)
    body = {"reference": "12345-1", "category": "开办企业", "company_name": "南昌甲商贸有限公司", "credit_code": "",
            "contact_name": "张三", "mobile": "13800138000", "description": "营业执照变更迟迟未办理",
            "received_at": "2023-09-15T10:00:00+08:00"}
    assert client.post("/api/v1/complaints", body, content_type="application/json",
                       HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 201
    assert client.post("/api/v1/complaints", body, content_type="application/json",
                       HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200  # a retry: no second event
    file(world, channel="phone", recorded_by=office)  # what the office's page and the public form call
    events = delivered(json_receiver, "2023-09-15T11:01")
    assert [(name, data["channel"]) for name, data in events] == [("complaint.created", "12345"),
                                                                  ("complaint.created", "phone")]
    assert "张三" not in json.dumps(events, ensure_ascii=False) and "13800138000" not in json.dumps(events)
    assert delivered(robot_receiver, "2023-09-15T11:01") == []  # the robot did not ask for it


@override_settings(DUBAN_TODAY="2023-09-15T11:00")
def test_a_complaint_filed_on_the_public_form_or_recorded_by_the_office_is_announced(client, world, office, hooks):
    """The two pages that take complaints, driven as a business and the office use them: one event each, with
    its channel (web, and the office's phone call or visit)."""
    from duban.hotline.forms import PublicComplaintForm

    json_receiver, _ = hooks
    response = client.post("/hotline/public/complain/", {
        "company_name": "南昌市青云电子科技有限公司", "credit_code": "91350100M000100Y43", "contact_name": "王小明",
        "mobile": "138 1234 5678", "category": world["category"].pk, "description": "区某单位拖欠货款18万元。",
        "consent": "on", "token": PublicComplaintForm().initial["token"]})
    assert response.status_code in (200, 302)  # the tracking code's page, or a redirect to it
    client.force_login(office)
    for channel in ("phone", "visit"):
        assert client.post("/hotline/new/", {
            "company_name": "南昌某建筑公司", "credit_code": "", "contact_name": "李四", "mobile": "139 1234 5678",
            "category": world["category"].pk, "description": "施工许可迟迟不批", "channel": channel,
            "received_at": "2023-09-15T10:40", "external_ref": ""}).status_code == 302
    events = delivered(json_receiver, "2023-09-15T11:01")
    assert [(name, data["channel"]) for name, data in events] == [
        ("complaint.created", "web"), ("complaint.created", "phone"), ("complaint.created", "visit")]


def test_a_missed_deadline_escalates_once_and_a_callback_closes(world, office, units, hooks):
    json_receiver, robot_receiver = hooks
    with override_settings(DUBAN_TODAY="2023-09-15T10:00"):
        complaint = file(world)
    delivered(json_receiver, "2023-09-15T10:01")
    # Contact due at the close of the day (17:30); still missed a working day later: a supervised case.
    tick("2023-09-15T18:00", "hotline-escalations")  # overdue, not yet supervised
    tick("2023-09-19T18:00", "hotline-escalations")
    tick("2023-09-20T09:05", "hotline-escalations")  # the next tick: not again
    assert [(n, d["id"], d["supervised"]) for n, d in delivered(json_receiver, "2023-09-20T09:06")] == [
        ("complaint.escalated", complaint.pk, True)]
    [(name, text)] = delivered(robot_receiver, "2023-09-20T09:06")
    assert name is None and text["content"].startswith("【督办】") and complaint.formatted_code in text["content"]

    with override_settings(DUBAN_TODAY="2023-09-20T09:30"):
        flow.contact(complaint, office, note="已联系")
        flow.classify(complaint, office, difficulty="general")
        flow.assign(complaint, office, lead_unit=units["scjg"])
        flow.start(complaint, office)
        flow.reply(complaint, office, text="已办结", resolution="resolved")
        assert delivered(json_receiver, "2023-09-20T09:31") == []  # none of these steps is an advertised event
        flow.callback(complaint, office, satisfied=True)
    [(name, data)] = delivered(json_receiver, "2023-09-20T09:31")
    assert (name, data["id"], data["state"], data["satisfied"]) == ("complaint.closed", complaint.pk, "closed", True)


@override_settings(DUBAN_TODAY="2023-09-15T11:00")
def test_a_bad_review_is_announced_a_good_one_is_not(client, world, office, hooks):
    json_receiver, robot_receiver = hooks
    _, key = ApiToken.issue(name="好差评系统", user=office, read_only=False)
    rows = [{"reference": "HCP-1", "unit": "区市场监管局", "matter": "营业执照", "level": 5,
             "reviewed_at": "2023-09-15T10:00:00+08:00"},
            {"reference": "HCP-2", "unit": "区市场监管局", "matter": "食品经营许可", "level": 1,
             "reviewed_at": "2023-09-15T10:30:00+08:00"}]
    assert client.post("/api/v1/reviews/bulk", rows, content_type="application/json",
                       HTTP_AUTHORIZATION=f"Bearer {key}").json() == {"created": 2, "already_known": 0}
    assert [(n, d["label"], d["level"]) for n, d in delivered(json_receiver, "2023-09-15T11:01")] == [
        ("review.bad", "食品经营许可", 1)]
    [(_name, text)] = delivered(robot_receiver, "2023-09-15T11:01")
    assert "食品经营许可" in text["content"]


def test_a_measure_turning_overdue_is_announced_once_per_deadline(world, units, hooks):
    json_receiver, robot_receiver = hooks
    measure = factories.measure(world["area"], "推行企业开办全程网办", lead=[units["scjg"]], deadline="2023-09-15")
    factories.measure(world["area"], "已完成的举措", lead=[units["scjg"]], deadline="2023-09-15",
                      completed_on=datetime.date(2023, 9, 14))
    tick("2023-09-15T18:00", "measures-overdue")  # due today: not overdue yet
    tick("2023-09-18T09:05", "measures-overdue")
    tick("2023-09-18T17:35", "measures-overdue")  # the next tick: nothing again
    events = delivered(json_receiver, "2023-09-18T17:36")
    assert [(n, d["id"], d["deadline"], d["units"]) for n, d in events] == [
        ("measure.overdue", measure.pk, "2023-09-15", ["区市场监管局"])]
    assert len(delivered(robot_receiver, "2023-09-18T17:36")) == 1
    # The office gives it a new deadline, which passes too: announced again, once.
    Measure.objects.filter(pk=measure.pk).update(deadline=datetime.date(2023, 9, 20))
    tick("2023-09-19T09:05", "measures-overdue")
    tick("2023-09-21T09:05", "measures-overdue")
    tick("2023-09-22T09:05", "measures-overdue")
    assert [d["deadline"] for _n, d in delivered(json_receiver, "2023-09-22T09:06")] == ["2023-09-20"]
    assert WebhookDelivery.objects.filter(event="measure.overdue").count() == 4  # 2 deadlines × 2 endpoints


def test_every_advertised_event_is_tested_here():
    tested = {"complaint.created", "complaint.escalated", "complaint.closed", "review.bad", "measure.overdue"}
    # report.submitted / report.returned: duban/progress/tests (the submit and review services); the visit
    # problems' events: duban/visits/tests/test_problems.py and test_escalation.py (routing, answer, tick).
    assert set(EVENTS) == tested | {"report.submitted", "report.returned", "visit_problem.routed",
                                    "visit_problem.answered", "visit_problem.escalated"}
