"""Writing through the API: reports, metric values, complaints (idempotent) and reviews (all or nothing)."""

import datetime
from decimal import Decimal

import pytest
from django.test import override_settings

from duban.api.models import ApiToken
from duban.hotline.models import Category, Complaint, Rectification, Review
from duban.kpi.models import Metric
from duban.plans.tests import factories
from duban.progress import services as progress

pytestmark = pytest.mark.django_db
D = datetime.date


def bearer(key):
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.fixture
def world(units, office):
    plan = factories.plan()
    area = factories.area(plan, "开办企业", chief="胡海")
    mine = factories.measure(area, "全程网办", lead=[units["scjg"]], deadline="2023-12-31")
    theirs = factories.measure(area, "出口退税", lead=[units["tax"]], deadline="2023-12-31")
    round_ = progress.open_round(plan, "bimonthly", D(2023, 8, 1), opened_on=D(2023, 8, 1))
    metric = Metric.objects.create(plan=plan, area=area, name="半日办结率", unit="%", direction="at_least",
                                   target=Decimal("96"), owner=units["scjg"], frequency="quarterly",
                                   due=D(2023, 12, 31))
    Category.objects.create(name="开办企业", area=area)
    return {"plan": plan, "mine": round_.reports.get(measure=mine), "theirs": round_.reports.get(measure=theirs),
            "metric": metric}


def test_unit_token_cannot_read_another_units_reports(client, world, scjg_reporter, units):
    _, key = ApiToken.issue(name="局内系统", user=scjg_reporter, unit=units["scjg"])
    ids = {r["id"] for r in client.get("/api/v1/reports", **bearer(key)).json()["items"]}
    assert ids == {world["mine"].pk}
    assert client.get(f"/api/v1/reports/{world['theirs'].pk}", **bearer(key)).status_code == 404
    # Even an office token narrowed to 区市场监管局 sees only that unit.
    office_user = ApiToken.issue(name="x", user=scjg_reporter, unit=units["scjg"])[1]
    assert client.get(f"/api/v1/reports/{world['theirs'].pk}", **bearer(office_user)).status_code == 404


def test_write_a_report_with_optimistic_locking(client, world, scjg_reporter, units):
    _, read_only = ApiToken.issue(name="ro", user=scjg_reporter, unit=units["scjg"])
    _, key = ApiToken.issue(name="rw", user=scjg_reporter, unit=units["scjg"], read_only=False)
    url = f"/api/v1/reports/{world['mine'].pk}"
    body = {"version": 0, "progress": "in_progress", "percent": 40, "done_text": "已完成系统对接"}
    assert client.put(url, body, content_type="application/json", **bearer(read_only)).json()["error"]["code"] == \
        "read_only_token"
    response = client.put(url, body, content_type="application/json", **bearer(key))
    assert response.status_code == 200 and response.json()["version"] == 1
    stale = client.put(url, body | {"percent": 50}, content_type="application/json", **bearer(key))
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "conflict"
    bad = client.put(url, {"version": 1, "percent": 150}, content_type="application/json", **bearer(key))
    assert bad.status_code == 422
    world["mine"].refresh_from_db()
    assert world["mine"].percent == 40
    # A reporter may not submit; the unit head does.
    assert client.post(f"{url}/submit", **bearer(key)).status_code == 403


def test_report_a_metric_value(client, world, scjg_reporter, tax_reporter, units):
    _, key = ApiToken.issue(name="rw", user=scjg_reporter, read_only=False)
    url = f"/api/v1/metrics/{world['metric'].pk}/values"
    response = client.post(url, {"period": "2023-Q3", "value": "97.5"}, content_type="application/json",
                           **bearer(key))
    assert response.status_code == 201 and response.json()["value"] == "97.5"
    assert client.get(f"/api/v1/metrics/{world['metric'].pk}", **bearer(key)).json()["attainment"] == "met"
    assert client.post(url, {"period": "2023-13", "value": 1}, content_type="application/json",
                       **bearer(key)).json()["error"]["code"] == "invalid_period"
    _, other = ApiToken.issue(name="tax", user=tax_reporter, read_only=False)
    assert client.post(url, {"period": "2023-Q3", "value": 1}, content_type="application/json",
                       **bearer(other)).status_code == 403


COMPLAINT = {"reference": "12345-20230915-0001", "category": "开办企业", "company_name": "南昌甲商贸有限公司",
             "credit_code": "", "contact_name": "张三", "mobile": "13800138000",
             "description": "营业执照变更迟迟未办理", "received_at": "2023-09-15T10:00:00+08:00"}


@override_settings(DUBAN_TODAY="2023-09-15T11:00")
def test_complaint_post_retried_ten_times_creates_one(client, world, office):
    _, key = ApiToken.issue(name="12345平台", user=office, read_only=False)
    codes = [client.post("/api/v1/complaints", COMPLAINT, content_type="application/json", **bearer(key)).status_code
             for _ in range(10)]
    assert codes == [201] + [200] * 9
    complaint = Complaint.objects.get()
    assert complaint.external_ref == "12345-20230915-0001" and complaint.channel == "12345"
    data = client.get(f"/api/v1/complaints/{complaint.pk}", **bearer(key)).json()
    assert data["mobile"] == "138****8000"  # masked by default
    data = client.get(f"/api/v1/complaints/{complaint.pk}?personal_data_reason=回访", **bearer(key)).json()
    assert data["mobile"] == "13800138000"  # the office may see it for a reason (and the view is logged)


@override_settings(DUBAN_TODAY="2023-09-15T11:00")
def test_bad_complaint_is_refused_with_details(client, world, office, scjg_reporter):
    _, key = ApiToken.issue(name="12345平台", user=office, read_only=False)
    response = client.post("/api/v1/complaints", COMPLAINT | {"mobile": "12345", "category": "天气"},
                           content_type="application/json", **bearer(key))
    assert response.status_code == 422
    assert set(response.json()["error"]["details"]) >= {"mobile", "category"}
    assert not Complaint.objects.exists()
    _, unit_key = ApiToken.issue(name="x", user=scjg_reporter, read_only=False)
    assert client.post("/api/v1/complaints", COMPLAINT, content_type="application/json",
                       **bearer(unit_key)).status_code == 403


def test_reviews_bulk_is_all_or_nothing_and_idempotent(client, world, office, units):
    _, key = ApiToken.issue(name="好差评系统", user=office, read_only=False)
    rows = [{"reference": "HCP-1", "unit": "区市场监管局", "matter": "营业执照", "level": 5,
             "reviewed_at": "2023-09-01T10:00:00+08:00"},
            {"reference": "HCP-2", "unit": "区市场监督管理局X", "matter": "营业执照", "level": 2,
             "reviewed_at": "2023-09-01T10:00:00+08:00"}]
    response = client.post("/api/v1/reviews/bulk", rows, content_type="application/json", **bearer(key))
    assert response.status_code == 422 and response.json()["error"]["details"] == {"1": ["unknown unit '区市场监督管理局X'"]}
    assert not Review.objects.exists()
    rows[1]["unit"] = "区市场监管局"
    assert client.post("/api/v1/reviews/bulk", rows, content_type="application/json",
                       **bearer(key)).json() == {"created": 2, "already_known": 0}
    assert client.post("/api/v1/reviews/bulk", rows, content_type="application/json",
                       **bearer(key)).json() == {"created": 0, "already_known": 2}
    assert Rectification.objects.count() == 1  # the bad review opened its rectification
