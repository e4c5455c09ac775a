"""The annual assessment: hand-computed scores, bonuses, and a freeze that past changes cannot move."""

import datetime

import pytest

from duban.plans.models import Measure
from duban.plans.tests import factories
from duban.supervision import assessment
from duban.supervision.models import AssessmentBonus

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def year(units):
    plan = factories.plan()
    area = factories.area(plan, "开办企业", chief="胡海")
    scjg, tax = units["scjg"], units["tax"]
    # 区市场监管局: 4 due, 3 on time → 75%; 区税务局: 2 due, 1 on time, 1 overdue → 50%, −1
    for i, done in enumerate([D(2023, 3, 1), D(2023, 4, 1), D(2023, 5, 1), D(2023, 12, 1)]):
        factories.measure(area, f"市{i}", lead=[scjg], deadline=f"2023-0{i + 3}-30", completed_on=done)
    factories.measure(area, "税甲", lead=[tax], deadline="2023-04-30", completed_on=D(2023, 4, 1))
    factories.measure(area, "税乙", lead=[tax], deadline="2023-05-31")
    return plan


def by_unit(result):
    return {r["unit"]: r for r in result["rows"]}


def test_scores_scale_available_weights_and_deduct(year):
    result = by_unit(assessment.compute(year, today=D(2023, 12, 31)))
    # Only the on-time rate exists here, so its 40 points are scaled to 100.
    assert result["区市场监管局"]["score"] == "75.00" and result["区市场监管局"]["rank"] == 1
    assert result["区税务局"]["score"] == "49.00"  # 50.00 − 1 overdue × 1.00
    parts = {p["key"]: p for p in result["区税务局"]["parts"]}
    assert parts["measures_overdue"]["points"] == "-1.00"
    assert [label.split()[-1] for label, url in result["区税务局"]["items"]["measures_overdue"]] == ["税乙"]


def test_bonus_is_capped_and_explained(year, units, office):
    scheme = assessment.scheme_for(year)
    AssessmentBonus.objects.create(scheme=scheme, unit=units["tax"], points=4, reason="一件事一次办获省推广",
                                   recognised_by="江西省发改委", created_by=office)
    AssessmentBonus.objects.create(scheme=scheme, unit=units["tax"], points=3, reason="市级典型案例",
                                   recognised_by="南昌市营商办", created_by=office)
    row = by_unit(assessment.compute(year, today=D(2023, 12, 31)))["区税务局"]
    assert row["score"] == "54.00"  # 49 + min(7, 5)
    assert len(next(p for p in row["parts"] if p["key"] == "bonus")["reasons"]) == 2


def test_freeze_keeps_the_result(client, year, office, units):
    assessment.freeze(year, office, today=D(2023, 12, 31))
    Measure.objects.filter(text="税乙").update(completed_on=D(2023, 5, 1))
    assert by_unit(assessment.current(year))["区税务局"]["score"] == "49.00"
    with pytest.raises(ValueError):
        assessment.freeze(year, office)
    client.force_login(office)
    response = client.post(f"/supervision/assessment/{year.pk}/bonus/", {
        "unit": units["tax"].pk, "points": 2, "reason": "x", "recognised_by": "y"})
    assert response.status_code == 302 and not AssessmentBonus.objects.exists()


def test_permissions(client, year, scjg_reporter, leader_user):
    client.force_login(scjg_reporter)
    assert client.get(f"/supervision/assessment/{year.pk}/").status_code == 403
    client.force_login(leader_user)
    assert client.get(f"/supervision/assessment/{year.pk}/").status_code == 200
    assert client.post(f"/supervision/assessment/{year.pk}/freeze/").status_code == 403


def test_every_part_shows_arithmetic_a_calculator_repeats(year, units, office):
    """The rescaling written out: a unit with only some rates is scored on their weights' own sum."""
    scheme = assessment.scheme_for(year)
    scheme.weights = {"on_time_rate": 40, "reports_on_time_rate": 10, "reports_first_time_rate": 10,
                      "kpi_attainment_rate": 15, "complaints_on_time_rate": 10, "satisfaction_rate": 5,
                      "rectification_on_time_rate": 10}
    scheme.save()
    AssessmentBonus.objects.create(scheme=scheme, unit=units["tax"], points=4, reason="甲", recognised_by="省",
                                   created_by=office)
    AssessmentBonus.objects.create(scheme=scheme, unit=units["tax"], points=3, reason="乙", recognised_by="市",
                                   created_by=office)
    row = by_unit(assessment.compute(year, today=D(2023, 12, 31)))["区税务局"]
    parts = {p["key"]: p for p in row["parts"]}
    # Only the on-time rate (40) applies: 50 × 40 ÷ 40 = 50.00 — not "50% × 40 → 50".
    assert parts["on_time_rate"]["arithmetic"] == "50 × 40 ÷ 40 = 50.00"
    assert parts["measures_overdue"]["arithmetic"] == "−1 × 1 = −1.00"
    assert parts["bonus"]["arithmetic"] == "4 + 3 = 7，超过上限5分，按5分计"
    assert row["arithmetic"] == "50.00 − 1.00 + 5.00 = 54.00" and row["score"] == "54.00"
    assert row["rescaled"].startswith("本单位无按时报送率、一次通过率、指标完成率") and "其余各项权重合计40" in row["rescaled"]
    # The calculator: every rate part is rate × weight ÷ the weights the unit has, rounded to 0.01.
    for part in (p for p in row["parts"] if p["kind"] == "rate"):
        value, weight, divisor = (float(x) for x in part["arithmetic"].split(" = ")[0].replace("×", "÷").split("÷"))
        assert f"{value * weight / divisor:.2f}" == part["points"]
    assert row["item_labels"]["measures_overdue"] == "逾期未完成的举措"


def test_the_scheme_form_has_a_field_per_weight_and_checks_the_total(client, year, office):
    client.force_login(office)
    page = client.get(f"/supervision/assessment/{year.pk}/").content.decode()
    assert "按时完成率权重" in page and "投诉满意率权重" in page and "Weights (JSON)" not in page
    url = f"/supervision/assessment/{year.pk}/scheme/"
    weights = {"weight_on_time_rate": 40, "weight_reports_on_time_rate": 10, "weight_reports_first_time_rate": 10,
               "weight_kpi_attainment_rate": 15, "weight_complaints_on_time_rate": 10, "weight_satisfaction_rate": 5,
               "weight_rectification_on_time_rate": 10}
    base = {"deduction_per_overdue": 1, "deduction_per_escalation": 0.5, "max_bonus": 5}
    response = client.post(url, base | weights | {"weight_on_time_rate": 35})
    assert response.status_code == 400 and "95" in response.content.decode()
    assert client.post(url, base | weights | {"weight_on_time_rate": -5, "weight_satisfaction_rate": 50}
                       ).status_code == 400
    assert assessment.scheme_for(year).weights["on_time_rate"] == 40  # unchanged
    response = client.post(url, base | weights | {"weight_on_time_rate": 50, "weight_satisfaction_rate": 0,
                                                  "weight_kpi_attainment_rate": 10, "deduction_per_overdue": 2})
    assert response.status_code == 302
    scheme = assessment.scheme_for(year)
    assert scheme.weights["on_time_rate"] == 50 and "satisfaction_rate" not in scheme.weights
    assert scheme.deduction_per_overdue == 2
