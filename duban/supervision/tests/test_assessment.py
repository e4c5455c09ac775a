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


def test_scheme_form_validates_weights(client, year, office):
    client.force_login(office)
    url = f"/supervision/assessment/{year.pk}/scheme/"
    base = {"deduction_per_overdue": 1, "deduction_per_escalation": 0.5, "max_bonus": 5}
    assert client.post(url, base | {"weights": '{"on_time_rate": 50}'}).status_code == 400
    assert client.post(url, base | {"weights": "not json"}).status_code == 400
    assert client.post(url, base | {"weights": '{"on_time_rate": 60, "reports_on_time_rate": 40}'}).status_code == 302
    assert assessment.scheme_for(year).weights == {"on_time_rate": 60.0, "reports_on_time_rate": 40.0}


def test_permissions(client, year, scjg_reporter, leader_user):
    client.force_login(scjg_reporter)
    assert client.get(f"/supervision/assessment/{year.pk}/").status_code == 403
    client.force_login(leader_user)
    assert client.get(f"/supervision/assessment/{year.pk}/").status_code == 200
    assert client.post(f"/supervision/assessment/{year.pk}/freeze/").status_code == 403
