"""Attainment for every direction, by how far through the year we are (no database needed)."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest

from duban.kpi.attainment import (
    AreaRollup,
    Assessment,
    Attainment,
    assess,
    ranked,
    time_fraction,
)
from duban.kpi.models import Direction
from duban.kpi.periods import parse_period

D = Decimal
YEAR = 2023


def metric(direction, target, baseline=None, tolerance="0", due=datetime.date(YEAR, 12, 31), frequency="quarterly"):
    return SimpleNamespace(
        direction=direction, target=D(target), baseline=None if baseline is None else D(baseline),
        tolerance=D(tolerance), due=due, frequency=frequency, start_date=datetime.date(YEAR, 1, 1),
    )


def values(metric, *pairs):
    """[(period, value)] as objects with the fields assess() reads."""
    result = []
    for period, number in pairs:
        p = parse_period(period, metric.frequency)
        result.append(SimpleNamespace(period=p.label, period_end=p.end, value=D(str(number))))
    return result


def status(m, pairs, today):
    return assess(m, values(m, *pairs), today).status


MAY, AUG, NOV, NEXT_YEAR = (datetime.date(YEAR, 5, 10), datetime.date(YEAR, 8, 10), datetime.date(YEAR, 11, 10),
                            datetime.date(YEAR + 1, 1, 15))


class TestAtMost:
    """企业开办 at most 0.5 working days."""

    m = metric(Direction.AT_MOST, "0.5")

    def test_met_when_the_latest_value_is_at_or_under_the_target(self):
        assert status(self.m, [("2023-Q1", 1), ("2023-Q2", "0.5")], AUG) == Attainment.MET
        assert status(self.m, [("2023-Q1", "0.4")], MAY) == Attainment.MET

    def test_on_track_while_closing_the_gap_as_fast_as_the_year_passes(self):
        # From 1.5 at the end of Q1 to 0.5 by 31 Dec: at the end of Q2 (a third of the way) ≤ 1.17 is on the path.
        assert status(self.m, [("2023-Q1", "1.5"), ("2023-Q2", "1.1")], AUG) == Attainment.ON_TRACK

    def test_at_risk_when_behind_the_path(self):
        assert status(self.m, [("2023-Q1", "1.5"), ("2023-Q2", "1.4")], AUG) == Attainment.AT_RISK

    def test_at_risk_in_the_last_quarter_whatever_the_path(self):
        assert status(self.m, [("2023-Q3", "0.8")], NOV) == Attainment.AT_RISK

    def test_missed_after_the_due_date(self):
        assert status(self.m, [("2023-Q4", "0.6")], NEXT_YEAR) == Attainment.MISSED

    def test_rate_is_target_over_value(self):
        result = assess(self.m, values(self.m, ("2023-Q2", 1)), AUG)
        assert result.rate == D("50.0")
        assert result.achieved == D(1)


class TestAtLeast:
    """半日办结率 at least 96%, starting from a baseline of 80% on 1 January."""

    m = metric(Direction.AT_LEAST, "96", baseline="80")

    def test_met(self):
        assert status(self.m, [("2023-Q1", "96.5")], MAY) == Attainment.MET

    def test_the_path_runs_from_the_baseline(self):
        # At the end of Q2 (180 of 364 days) the path expects 80 + 16 × 180/364 ≈ 87.91.
        result = assess(self.m, values(self.m, ("2023-Q2", 88)), AUG)
        assert result.status == Attainment.ON_TRACK
        assert result.expected == D("87.91")
        assert status(self.m, [("2023-Q2", 87)], AUG) == Attainment.AT_RISK

    def test_without_a_baseline_the_path_starts_at_the_first_value(self):
        m = metric(Direction.AT_LEAST, "96")
        assert status(m, [("2023-Q1", 50)], MAY) == Attainment.ON_TRACK  # one value: the starting point
        assert status(m, [("2023-Q1", 50), ("2023-Q2", 60)], AUG) == Attainment.AT_RISK
        assert status(m, [("2023-Q1", 50), ("2023-Q2", 70)], AUG) == Attainment.ON_TRACK

    def test_missed_and_rate(self):
        result = assess(self.m, values(self.m, ("2023-Q4", 72)), NEXT_YEAR)
        assert result.status == Attainment.MISSED
        assert result.rate == D("75.0")

    def test_a_cumulative_count(self):
        jobs = metric(Direction.AT_LEAST, "6000", baseline="0")
        assert status(jobs, [("2023-Q1", 1600), ("2023-Q2", 3100)], AUG) == Attainment.ON_TRACK
        assert status(jobs, [("2023-Q1", 1600), ("2023-Q2", 2500)], AUG) == Attainment.AT_RISK
        assert status(jobs, [("2023-Q4", 6150)], NEXT_YEAR) == Attainment.MET


class TestReduceBy:
    """Average outage time reduced by 15% from a baseline of 6 hours: at most 5.1 hours."""

    m = metric(Direction.REDUCE_BY, "15", baseline="6")

    def test_met_when_reduced_by_at_least_the_percentage(self):
        result = assess(self.m, values(self.m, ("2023-Q3", "5.1")), NOV)
        assert (result.status, result.achieved) == (Attainment.MET, D(15))
        assert status(self.m, [("2023-Q3", "4.8")], NOV) == Attainment.MET

    def test_on_track_and_at_risk_by_the_reduction_so_far(self):
        # At the end of Q2 about half the 15% is due: 5.7 hours is a 5% cut (behind), 5.5 is 8.3% (on the path).
        result = assess(self.m, values(self.m, ("2023-Q2", "5.5")), AUG)
        assert result.status == Attainment.ON_TRACK
        assert result.expected == D("5.55")  # the path, as hours: 6 less 7.4%
        assert status(self.m, [("2023-Q2", "5.7")], AUG) == Attainment.AT_RISK

    def test_missed_and_rate(self):
        result = assess(self.m, values(self.m, ("2023-Q4", "5.4")), NEXT_YEAR)
        assert result.status == Attainment.MISSED
        assert result.rate == D("66.7")  # a 10% cut of the 15% promised

    def test_an_increase_is_no_reduction(self):
        result = assess(self.m, values(self.m, ("2023-Q4", "7")), NEXT_YEAR)
        assert (result.status, result.rate) == (Attainment.MISSED, D("0.0"))

    def test_needs_a_baseline(self):
        m = metric(Direction.REDUCE_BY, "15")
        assert status(m, [("2023-Q2", "5")], AUG) == Attainment.NO_DATA


class TestEqual:
    """管网漏损率 9%, within half a point."""

    m = metric(Direction.EQUAL, "9", tolerance="0.5")

    def test_met_within_the_tolerance_either_side(self):
        assert status(self.m, [("2023-Q2", "9.4")], AUG) == Attainment.MET
        assert status(self.m, [("2023-Q2", "8.6")], AUG) == Attainment.MET

    def test_on_track_then_missed(self):
        assert status(self.m, [("2023-Q1", 14), ("2023-Q2", 11)], AUG) == Attainment.ON_TRACK
        assert status(self.m, [("2023-Q1", 14), ("2023-Q2", 13.5)], AUG) == Attainment.AT_RISK
        assert status(self.m, [("2023-Q4", 10)], NEXT_YEAR) == Attainment.MISSED

    def test_rate_is_one_hundred_less_the_relative_distance(self):
        assert assess(self.m, values(self.m, ("2023-Q2", "10.8")), AUG).rate == D("80.0")


def test_a_rank_is_met_at_or_above_the_place():
    rank = metric(Direction.AT_MOST, "50", frequency="yearly")
    assert status(rank, [("2023", 42)], NEXT_YEAR) == Attainment.MET
    result = assess(rank, values(rank, ("2023", 62)), NEXT_YEAR)
    assert (result.status, result.rate) == (Attainment.MISSED, D("80.6"))


def test_no_data():
    m = metric(Direction.AT_LEAST, "96")
    assert assess(m, [], MAY).status == Attainment.NO_DATA
    assert "Past due" in assess(m, [], NEXT_YEAR).reason


def test_the_latest_value_counts_whatever_the_order_given():
    m = metric(Direction.AT_MOST, "0.5")
    assert assess(m, list(reversed(values(m, ("2023-Q1", "0.4"), ("2023-Q2", 2)))), AUG).status == Attainment.AT_RISK


def test_time_fraction_is_clipped():
    start, due = datetime.date(YEAR, 1, 1), datetime.date(YEAR, 12, 31)
    assert time_fraction(start, due, datetime.date(YEAR - 1, 6, 1)) == 0
    assert time_fraction(start, due, datetime.date(YEAR + 1, 6, 1)) == 1
    assert time_fraction(start, start, start) == 1


def rollup(position, *pairs):
    area = SimpleNamespace(position=position)
    return AreaRollup(area, [Assessment(None, status, rate=None if rate is None else D(rate)) for status, rate in pairs])


def test_area_roll_up_and_ranking():
    good = rollup(3, (Attainment.MET, "100"), (Attainment.ON_TRACK, "90"))
    poor = rollup(1, (Attainment.MISSED, "40"), (Attainment.NO_DATA, None))
    tied_but_missed = rollup(2, (Attainment.MISSED, "95"), (Attainment.MET, "100"))
    tied = rollup(4, (Attainment.AT_RISK, "95"), (Attainment.MET, "100"))
    empty = rollup(0, (Attainment.NO_DATA, None))
    assert good.rate == D("95.0")
    assert poor.rate == D("40.0")  # metrics without data do not drag the mean down …
    assert poor.counts[Attainment.NO_DATA] == 1  # … but are counted
    assert [r for r in ranked([empty, poor, tied_but_missed, good, tied])] == [tied, tied_but_missed, good, poor, empty]
    assert good.status_counts == [(Attainment.MET, Attainment.MET.label, 1),
                                  (Attainment.ON_TRACK, Attainment.ON_TRACK.label, 1)]


@pytest.mark.parametrize("direction", list(Direction))
def test_every_direction_is_assessed(direction):
    m = metric(direction, "10", baseline="20")
    assert assess(m, values(m, ("2023-Q1", 18)), MAY).status in Attainment.values
