"""An agenda item about a missed target writes the numbers as the KPI pages do."""

from decimal import Decimal
from types import SimpleNamespace

from duban.kpi.models import Direction, Metric
from duban.supervision.kpi_sources import target_and_latest


def latest(value, period="2023-Q3"):
    return SimpleNamespace(latest=SimpleNamespace(value=Decimal(value), period=period))


def test_no_trailing_zeros_and_the_units_as_on_the_kpi_pages():
    metric = Metric(direction=Direction.AT_LEAST, target=Decimal("50.0000"), unit="名")
    assert target_and_latest(metric, latest("68.0000")) == "目标 ≥ 50 名，最新值 68 名（2023-Q3）"
    metric = Metric(direction=Direction.AT_LEAST, target=Decimal("96"), unit="%")
    assert target_and_latest(metric, SimpleNamespace(latest=None)) == "目标 ≥ 96%，尚未填报"


def test_a_cut_by_a_percentage_says_the_level_it_comes_to():
    metric = Metric(direction=Direction.REDUCE_BY, target=Decimal("15.0000"), unit="小时", baseline=Decimal("4.23"))
    assert target_and_latest(metric, latest("3.8100")) == "目标 ↓ 15%（≤ 3.6 小时），最新值 3.81 小时（2023-Q3）"
