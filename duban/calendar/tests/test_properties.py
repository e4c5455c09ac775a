"""Property-based tests: the engine's arithmetic holds for any date, published year or not."""

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from duban.calendar.workdays import add_workdays, is_workday, workdays_between

pytestmark = pytest.mark.django_db

# 2004–2026 are seeded from chinesecalendar; 2027–2035 use the statutory fallback.
dates = st.dates(min_value=datetime.date(2004, 1, 1), max_value=datetime.date(2035, 12, 31))
counts = st.integers(min_value=1, max_value=400)
examples = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _next_workday(day):
    return day if is_workday(day) else add_workdays(day, 1)


@examples
@given(dates, counts)
def test_counting_back_what_was_added(day, n):
    start = _next_workday(day)
    assert workdays_between(start, add_workdays(start, n)) == n
    assert workdays_between(start, add_workdays(start, -n)) == -n


@examples
@given(dates, counts)
def test_between_is_the_count_for_any_start(day, n):
    # (a, b] semantics: the start never counts, working day or not.
    assert workdays_between(day, add_workdays(day, n)) == n


@examples
@given(dates, st.integers(min_value=-400, max_value=400).filter(bool))
def test_never_lands_on_a_non_working_day(day, n):
    assert is_workday(add_workdays(day, n))


@examples
@given(dates, counts, counts)
def test_monotonic_in_n(day, n, m):
    low, high = sorted((n, m))
    assert add_workdays(day, low) <= add_workdays(day, high)
    if low < high:
        assert add_workdays(day, low) < add_workdays(day, high)


@examples
@given(dates, dates, counts)
def test_monotonic_in_the_start(a, b, n):
    a, b = sorted((a, b))
    assert add_workdays(a, n) <= add_workdays(b, n)


@examples
@given(dates, counts)
def test_adding_is_stepping_one_working_day_at_a_time(day, n):
    stepped = day
    for _ in range(n % 20 + 1):
        stepped = add_workdays(stepped, 1)
    assert stepped == add_workdays(day, n % 20 + 1)


@examples
@given(dates, dates)
def test_between_matches_a_day_by_day_count(a, b):
    a, b = sorted((a, b))
    b = min(b, a + datetime.timedelta(days=400))
    expected = sum(is_workday(a + datetime.timedelta(days=i)) for i in range(1, (b - a).days + 1))
    assert workdays_between(a, b) == expected
    assert workdays_between(b, a) == -expected


@examples
@given(dates, counts)
def test_no_working_day_is_skipped(day, n):
    result = add_workdays(day, n)
    previous = add_workdays(day, n - 1) if n > 1 else day
    gap = (result - previous).days
    assert all(not is_workday(previous + datetime.timedelta(days=i)) for i in range(1, gap))
