"""Proof across every entry point that one region's work never touches another's (issue 19, point 2).

Two regions import the same Xihu plan and unit directory. Region 1 is given things a leak would reach:
reviews with platform numbers, a metric and its value, an API token, robot channels, a webhook endpoint,
people with e-mail addresses. Then region 2 runs every import (plan, units, KPI values, reviews — by
page, API and command), every API write, every `duban tick` job and every notification path (reminders,
escalations, supervised cases, bad reviews, webhooks, robots). Afterwards every row that was region 1's
is unchanged byte for byte, no new row is region 1's, and region 1's people received nothing.

Database-neutral (SQLite and PostgreSQL): rows are compared through Django's JSON serializer.
"""

import datetime
import io

import pytest
from django.apps import apps
from django.core import mail, serializers
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import models
from django.test import Client
from django.utils import timezone
from openpyxl import Workbook

from duban.accounts.models import Role, User
from duban.accounts.permissions import region_of
from duban.api.models import ApiToken, WebhookDelivery, WebhookEndpoint
from duban.core.models import DEFAULT_REGION_PK, Notification, Region, RobotChannel, RobotMessage
from duban.core.tick import run_jobs
from duban.hotline.models import Category, Complaint, Review, ReviewImport
from duban.kpi.tests import factories as kpi
from duban.plans.models import Leader, Plan, Unit
from duban.plans.services import import_plan_file
from duban.plans.tests.conftest import SEED, UNITS
from duban.plans.units import import_unit_directory
from duban.progress import services as progress

pytestmark = pytest.mark.django_db(transaction=False)

# Rows that record traffic rather than a region's data (sessions, rate counters, lockout attempts).
VOLATILE = {"sessions.session", "axes.accessattempt", "axes.accesslog", "axes.accessfailurelog", "hotline.throttle",
            "api.ratewindow", "contenttypes.contenttype", "auth.permission"}
NOWHERE = "http://127.0.0.1:9/"  # nothing listens there: a post that should never happen fails fast


def row_region(obj, depth=0):
    """The region a row belongs to: its own, or its parents' through any foreign key (None: shared data)."""
    region = region_of(obj)
    if region is not None or depth > 3:
        return region
    for field in obj._meta.concrete_fields:
        if isinstance(field, models.ForeignKey) and getattr(obj, field.attname) is not None:
            try:
                related = getattr(obj, field.name)
            except Exception:  # noqa: BLE001 — a dangling reference tells nothing
                continue
            found = row_region(related, depth + 1)
            if found is not None:
                return found
    return None


def dump():
    """{(model, pk): (json, region)} of every row of every model."""
    rows = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in VOLATILE or model._meta.proxy:
            continue
        for obj in model._default_manager.order_by("pk"):
            rows[(label, obj.pk)] = (serializers.serialize("json", [obj]), row_region(obj))
    return rows


def leaks(before, after, region_id):
    """(rows of the region changed or gone, rows of the region that are new)."""
    changed = [key for key, (row, region) in before.items() if region == region_id and after.get(key, (None,))[0] != row]
    born = [key for key, (_row, region) in after.items() if key not in before and region == region_id]
    return changed, born


def test_the_comparison_sees_a_change_and_a_new_row(units, office):
    """The proof below can fail: a changed unit and a notification of region 1 are both caught."""
    before = dump()
    Unit.objects.filter(pk=units["scjg"].pk).update(kind=Unit.Kind.BRANCH)
    Notification.objects.create(user=office, key="leak", subject="泄露")
    changed, born = leaks(before, dump(), DEFAULT_REGION_PK)
    assert changed == [("plans.unit", units["scjg"].pk)]
    assert [key[0] for key in born] == ["core.notification"]


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def bearer(key):
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def xlsx(rows):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def person(username, role, region, unit_name=None, leader=None):
    unit = Unit.objects.get(region=region, name=unit_name) if unit_name else None
    user = User(username=username, role=role, region=region, unit=unit, leader=leader, email=f"{username}@example.gov.cn")
    user.set_unusable_password()
    user.save()
    return user


@pytest.fixture
def two_regions(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.DUBAN_TODAY = "2023-09-15T10:00"
    home = Region.objects.get(pk=DEFAULT_REGION_PK)
    neighbour = Region.objects.create(code="360111", name="青山湖区")
    plans = {}
    for region in (home, neighbour):
        import_unit_directory(UNITS.read_text(encoding="utf-8"), region_id=region.pk)
        plans[region.pk] = Plan.objects.get(pk=import_plan_file(SEED, keep_source=False, region_id=region.pk)["plan"])
    people = {}
    for region, prefix in ((home, "r1"), (neighbour, "r2")):
        hu = Leader.objects.get(region=region, name="胡海")
        people[region.pk] = {
            "office": person(f"{prefix}-office", Role.OFFICE, region, "区营商环境服务中心"),
            "reporter": person(f"{prefix}-reporter", Role.REPORTER, region, "区市场监管局"),
            "head": person(f"{prefix}-head", Role.UNIT_HEAD, region, "区市场监管局"),
            "tax": person(f"{prefix}-tax", Role.REPORTER, region, "区税务局"),
            "leader": person(f"{prefix}-leader", Role.LEADER, region, leader=hu),
        }
    # What a leak from region 2 would reach in region 1.
    r1 = people[home.pk]
    scjg1 = Unit.objects.get(region=home, name="区市场监管局")
    Review.objects.create(unit=scjg1, matter="食品经营许可", level=5, external_ref="HC-1",
                          reviewed_at=timezone.now() - datetime.timedelta(days=30))
    metric1 = kpi.metric(plans[home.pk].areas.first(), name="企业开办时间", owner=scjg1, frequency="quarterly")
    kpi.value(metric1, "2023-Q1", "1.0", by=r1["reporter"])
    ApiToken.issue(name="西湖12345", user=r1["office"], read_only=False)
    RobotChannel.objects.create(region=home, unit=None, kind=RobotChannel.Kind.WECOM, name="西湖营商办", url=NOWHERE)
    RobotChannel.objects.create(region=home, unit=scjg1, kind=RobotChannel.Kind.WECOM, name="西湖市场监管", url=NOWHERE)
    WebhookEndpoint.objects.create(region=home, name="西湖系统", url=NOWHERE, secret="s",
                                   events=["report.submitted", "report.returned", "review.bad", "complaint.received",
                                           "complaint.supervised"])
    return home, neighbour, plans, people


def as_region_2(neighbour, plans, people, tmp_path):
    """Everything region 2's people and systems can do, through every entry point."""
    r2 = people[neighbour.pk]
    scjg2 = Unit.objects.get(region=neighbour, name="区市场监管局")

    # Imports by command: the plan again (replaced) and the unit directory.
    call_command("import_plan", str(SEED), "--region", neighbour.code, "--replace")
    call_command("import_units", "--region", neighbour.code, str(UNITS))
    plan2 = Plan.objects.get(region=neighbour)

    # Progress: a round, a report written and submitted through the API, another returned by the office.
    round_ = progress.open_round(plan2, "bimonthly", datetime.date(2023, 8, 1), opened_by=r2["office"],
                                 opened_on=datetime.date(2023, 9, 1), due_workdays=5)
    report = round_.reports.filter(measure__lead_units=scjg2).first()
    _t, reporter_key = ApiToken.issue(name="局内系统", user=r2["reporter"], read_only=False)
    _t, head_key = ApiToken.issue(name="局长", user=r2["head"], read_only=False)
    api = Client()
    response = api.put(f"/api/v1/reports/{report.pk}", {"version": report.version, "progress": "in_progress",
                                                        "percent": 50, "done_text": "已上线试运行。"},
                       content_type="application/json", **bearer(reporter_key))
    assert response.status_code == 200, response.content
    assert api.post(f"/api/v1/reports/{report.pk}/submit", **bearer(head_key)).status_code == 200
    report.refresh_from_db()
    progress.return_for_correction(report, r2["office"], "请补充佐证")

    # KPI values: by page (spreadsheet) and by API.
    metric2 = kpi.metric(plan2.areas.first(), name="企业开办时间", owner=scjg2, frequency="quarterly")
    page = client_for(r2["reporter"]).post("/kpi/import/", {"file": SimpleUploadedFile(
        "values.xlsx", xlsx([["指标编号", "期间", "数值", "说明"], [metric2.pk, "2023-Q2", "0.8", "=HYPERLINK(1)"]]))})
    assert page.status_code == 200, page.content.decode()[:2000]
    response = api.post(f"/api/v1/metrics/{metric2.pk}/values", {"period": "2023-Q3", "value": "0.5"},
                        content_type="application/json", **bearer(reporter_key))
    assert response.status_code == 201, response.content

    # Reviews: by page (checked, then confirmed), by API (a number region 1 holds too) and by command.
    header = "评价编号,评价时间,评价部门,事项名称,评价等级,评价人,联系电话\n"
    web = (header + "HC-1,2023-09-14 10:15,区市场监管局,营业执照变更,不满意,钱七,13900001111\n").encode()
    office = client_for(r2["office"])
    office.post("/hotline/reviews/import/", {"file": SimpleUploadedFile("reviews.csv", web)})
    batch = ReviewImport.objects.get(uploaded_by=r2["office"])
    office.post(f"/hotline/reviews/import/{batch.pk}/confirm/")
    assert ReviewImport.objects.get(pk=batch.pk).state == ReviewImport.State.IMPORTED, batch.errors
    _t, office_key = ApiToken.issue(name="好差评", user=r2["office"], read_only=False)
    response = api.post("/api/v1/reviews/bulk", [
        {"reference": "HC-2", "unit": "区市场监管局", "matter": "发票申领", "level": 1,
         "reviewed_at": "2023-09-14T11:00:00+08:00", "reviewer_name": "孙八", "reviewer_mobile": "13900002222"}],
        content_type="application/json", **bearer(office_key))
    assert response.json() == {"created": 1, "already_known": 0}, response.content
    by_command = tmp_path / "reviews.csv"
    by_command.write_bytes((header + "HC-3,2023-09-14 12:00,区税务局,发票申领,非常不满意,周九,13900003333\n").encode())
    call_command("import_reviews", str(by_command), "--user", r2["office"].username)

    # Complaints: from the 12345 platform through the API, from the public form, recorded by the office.
    response = api.post("/api/v1/complaints", {
        "reference": "12345-1", "company_name": "南昌青山科技有限公司", "contact_name": "李四",
        "mobile": "13912345678", "category": "拖欠中小企业账款", "description": "拖欠货款。"},
        content_type="application/json", **bearer(office_key))
    assert response.status_code == 201, response.content
    public = Client()
    form = public.get("/hotline/public/complain/?region=360111").content.decode()
    token = form.split('name="token" value="', 1)[1].split('"', 1)[0]
    response = public.post("/hotline/public/complain/", {
        "company_name": "南昌青山电子有限公司", "credit_code": "91350100M000100Y43", "contact_name": "王五",
        "mobile": "13912345679", "category": Category.objects.get(region=neighbour, name="纳税服务").pk,
        "description": "退税慢。", "consent": "on", "token": token, "region": "360111"})
    assert response.status_code == 200, response.content.decode()[:2000]
    assert Complaint.objects.filter(region=neighbour).count() == 2

    # Every tick job, now and a month later: reminders, overdue notices, supervised cases, webhooks, retention.
    tick_through_the_month()


def tick_through_the_month():
    for days in (0, 10, 40):
        results = run_jobs(timezone.now() + datetime.timedelta(days=days))
        assert not [r for r in results.values() if str(r).startswith("error")], results


def test_region_2_never_touches_region_1(two_regions, tmp_path):
    home, neighbour, plans, people = two_regions
    # The tick serves every region: region 1's own deadlines fall due over the month whatever region 2 does. Ticked
    # through it first, region 1 has nothing left to be told, so what changes in it afterwards can only be a leak.
    tick_through_the_month()
    Notification.objects.filter(user__region=home).delete()
    RobotMessage.objects.filter(channel__region=home).delete()
    WebhookDelivery.objects.filter(endpoint__region=home).delete()
    mail.outbox.clear()
    before = dump()
    as_region_2(neighbour, plans, people, tmp_path)
    after = dump()

    changed, born_in_1 = leaks(before, after, home.pk)
    assert not changed, f"region 1's rows changed or gone: {changed[:10]}"
    assert not born_in_1, f"new rows in region 1: {born_in_1[:10]}"
    # And region 2 did do things (the test is not empty).
    assert Notification.objects.filter(user__region=neighbour).exists()
    assert Review.objects.filter(unit__region=neighbour).count() == 3

    # Region 1's people, robots and systems received nothing.
    assert not Notification.objects.filter(user__region=home).exists()
    region_1_addresses = {user.email for user in people[home.pk].values()}
    assert not [m for m in mail.outbox if region_1_addresses & set(m.to)]
    assert not RobotMessage.objects.filter(channel__region=home).exists()
    assert not WebhookDelivery.objects.filter(endpoint__region=home).exists()
