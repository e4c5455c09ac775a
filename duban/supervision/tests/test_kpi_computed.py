"""Indicators Duban computes from its own data (issue 17): 好评率 from the reviews, period by period, labelled
with its formula, equal to the statistics page's figure for the same days; a unit's own figure beside it."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.test import override_settings
from django.utils import timezone

from duban.api.models import ApiToken
from duban.hotline import reviews
from duban.kpi.attainment import assess
from duban.kpi.computed import computed_values, suggest
from duban.kpi.models import Metric, Proposal
from duban.kpi.periods import Period as KpiPeriod
from duban.kpi.services import metric_from_proposal, report_value
from duban.plans.tests import factories
from duban.supervision.circulars import create_circular

pytestmark = pytest.mark.django_db
D = datetime.date


def at(text):
    return timezone.make_aware(datetime.datetime.fromisoformat(text))


@pytest.fixture
def rated(units, office):
    """Q3 2023: 区市场监管局's windows get 8 reviews of 5 and 2 bad ones (2 and 1); Q2: 3 of 5, 1 of 1."""
    plan = factories.plan()
    area = factories.area(plan, "政务服务", chief="胡海")
    factories.measure(area, "好差评", lead=[units["scjg"]], deadline="2023-12-31")
    metric = Metric.objects.create(plan=plan, area=area, name="政务服务好评率", unit="%", direction="at_least",
                                   target=Decimal("95"), owner=units["scjg"], frequency="quarterly",
                                   due=D(2023, 12, 31), computed_from="review_positive_rate")
    with override_settings(DUBAN_TODAY="2023-10-20"):
        for n, (day, level) in enumerate([("2023-04-10", 5)] * 3 + [("2023-05-10", 1)] + [("2023-07-10", 5)] * 8
                                         + [("2023-08-10", 2), ("2023-09-29", 1)]):
            reviews.record(unit=units["scjg"], matter="营业执照", level=level, reviewed_at=at(f"{day}T10:00"),
                           external_ref=f"HCP-{n}")
    return metric


def test_the_value_of_each_ended_period_is_computed_with_its_arithmetic(rated, scjg_reporter):
    values = {v.period: v for v in computed_values(rated, D(2023, 10, 20))}
    assert list(values) == ["2023-Q2", "2023-Q3"]  # Q1 had no reviews; Q4 has not ended
    assert (values["2023-Q3"].value, values["2023-Q3"].arithmetic) == (Decimal("80.00"), "8 ÷ 10 × 100% = 80.00%")
    assert values["2023-Q2"].value == Decimal("75.00")
    assert "基本满意" in values["2023-Q3"].formula
    # The unit reports its own, official figure: kept, shown beside, and not what attainment counts.
    with override_settings(DUBAN_TODAY="2023-10-08"):
        report_value(rated, scjg_reporter, KpiPeriod(2023, 3, "quarterly"), Decimal("89.58"))
    result = assess(rated, list(rated.values.all()), D(2023, 10, 20))
    assert (result.latest.period, result.latest.value) == ("2023-Q3", Decimal("80.00"))


def test_the_metric_page_and_the_api_show_both_side_by_side(client, rated, office, scjg_reporter):
    with override_settings(DUBAN_TODAY="2023-10-08"):
        report_value(rated, scjg_reporter, KpiPeriod(2023, 3, "quarterly"), Decimal("89.58"))
    client.force_login(office)
    with override_settings(DUBAN_TODAY="2023-10-20"):
        page = client.get(rated.get_absolute_url()).content.decode()
        _, key = ApiToken.issue(name="大屏", user=office)
        data = client.get(f"/api/v1/metrics/{rated.pk}", HTTP_AUTHORIZATION=f"Bearer {key}").json()
    assert "Computed by Duban" in page and "8 ÷ 10 × 100% = 80.00%" in page and "89.58" in page
    assert [(v["period"], v["value"], v["part"], v["whole"]) for v in data["computed_values"]] == [
        ("2023-Q2", "75.00", 3, 4), ("2023-Q3", "80.00", 8, 10)]
    assert [(v["period"], v["value"]) for v in data["values"]] == [("2023-Q3", "89.5800")]
    assert data["computed_from"] == "review_positive_rate"


def test_computed_equals_the_statistics_page_and_the_circular(client, rated, office):
    client.force_login(office)
    with override_settings(DUBAN_TODAY="2023-10-20"):
        stats = client.get("/hotline/stats/?year=2023").context
        circular = create_circular(rated.plan, "2023Q3")
    q3 = [f for f in stats["reviews_by_month"] if f.month.month in (7, 8, 9)]
    positive, total = sum(f.positive for f in q3), sum(f.reviews for f in q3)
    [q3_value] = [v for v in computed_values(rated, D(2023, 10, 20)) if v.period == "2023-Q3"]
    assert (q3_value.part, q3_value.whole) == (positive, total)
    assert float(q3_value.value) == circular.snapshot["totals"]["positive_review_rate"] == 80.0


def test_a_confirmed_proposal_for_a_rate_duban_holds_is_computed():
    assert suggest("政务服务好评率") == "review_positive_rate"
    assert suggest("投诉按时办结率") == "complaint_closure_rate" and suggest("半日办结率") == ""
    plan = factories.plan()
    proposal = Proposal(plan=plan, subject="政务服务好评率", value=Decimal("99"), unit="%", direction="at_least",
                        source_field="narrative")
    assert metric_from_proposal(proposal).computed_from == "review_positive_rate"


def test_the_office_chooses_in_the_metric_form_whether_duban_computes_it(client, rated, office):
    client.force_login(office)
    url = f"/kpi/metrics/{rated.pk}/edit/"
    page = client.get(url).content.decode()
    assert 'value="review_positive_rate" selected' in page and "基本满意" in page
    data = {"name": rated.name, "area": rated.area_id, "unit": "%", "direction": "at_least", "target": "95",
            "tolerance": "0", "owner": rated.owner_id, "frequency": "quarterly", "due": "2023-12-31",
            "source_note": ""}
    assert client.post(url, data | {"computed_from": "weather"}).status_code == 400
    assert Metric.objects.get(pk=rated.pk).computed_from == "review_positive_rate"
    assert client.post(url, data | {"computed_from": ""}).status_code == 302
    rated.refresh_from_db()
    assert rated.computed_from == "" and computed_values(rated, D(2023, 10, 20)) == []


def test_the_kpi_export_has_the_computed_values_beside_the_reported(client, rated, office):
    client.force_login(office)
    with override_settings(DUBAN_TODAY="2023-10-20"):
        response = client.get(f"/kpi/export.xlsx?plan={rated.plan_id}")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = list(book["系统计算值"].iter_rows(values_only=True))
    assert rows[0][:6] == ("指标编号", "指标名称", "统计期", "截至", "计算值", "算式")
    assert [(r[2], r[4], r[5]) for r in rows[1:]] == [("2023-Q2", 75, "3 ÷ 4 × 100% = 75.00%"),
                                                     ("2023-Q3", 80, "8 ÷ 10 × 100% = 80.00%")]
