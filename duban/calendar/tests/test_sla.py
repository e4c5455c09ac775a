"""Time limits counted from a moment of receipt, in office hours (08:30–12:00, 14:30–17:30 by default)."""

import datetime
import zoneinfo

import pytest
from django.test import override_settings

from duban.calendar.sla import close_of_business, first_counting_day, is_open, office_hours, sla_deadline

from .conftest import d

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(text):
    return datetime.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


class TestFridayEveningBeforeTheNationalDayWeek2025:
    """Received Friday 26 September 2025 at 17:45, after close of business.

    The notice: Sunday 28 September is worked, 1–8 October off, Saturday 11 October worked.
    """

    received = at("2025-09-26T17:45")

    def test_counting_starts_on_the_adjusted_sunday(self):
        assert first_counting_day(self.received) == d("2025-09-28")

    def test_within_one_working_day(self):
        assert sla_deadline(self.received, 1).due_at == at("2025-09-28T17:30")

    def test_within_five_working_days(self):
        # 28, 29, 30 September, then 9 and 10 October.
        assert sla_deadline(self.received, 5).due_at == at("2025-10-10T17:30")

    def test_within_six_working_days_ends_on_the_adjusted_saturday(self):
        assert sla_deadline(self.received, 6).due_at == at("2025-10-11T17:30")


class TestFridayEveningBeforeSpringFestival2026:
    """Received Friday 13 February 2026 at 17:45; Saturday 14 worked, 15–23 off, Saturday 28 worked."""

    received = at("2026-02-13T17:45")

    def test_within_one_working_day_is_the_adjusted_saturday(self):
        deadline = sla_deadline(self.received, 1)
        assert deadline.date == d("2026-02-14")
        assert deadline.due_at == at("2026-02-14T17:30")
        assert not deadline.provisional

    def test_within_two_working_days_jumps_the_festival(self):
        assert sla_deadline(self.received, 2).due_at == at("2026-02-24T17:30")

    def test_within_ten_working_days(self):
        # 14, 24, 25, 26, 27, 28 February (a Saturday), 2, 3, 4, 5 March.
        assert sla_deadline(self.received, 10).due_at == at("2026-03-05T17:30")

    def test_the_same_friday_before_close_counts_the_friday(self):
        assert sla_deadline(at("2026-02-13T17:00"), 1).due_at == at("2026-02-13T17:30")
        assert sla_deadline(at("2026-02-13T17:00"), 2).due_at == at("2026-02-14T17:30")


def test_received_during_the_festival_starts_after_it():
    assert first_counting_day(at("2026-02-17T10:00")) == d("2026-02-24")
    assert sla_deadline(at("2026-02-17T10:00"), 1).due_at == at("2026-02-24T17:30")


def test_received_on_an_ordinary_sunday_starts_monday():
    assert first_counting_day(at("2026-03-08T09:00")) == d("2026-03-09")


def test_received_before_opening_and_at_lunch_count_that_day():
    assert first_counting_day(at("2026-03-09T07:10")) == d("2026-03-09")
    assert first_counting_day(at("2026-03-09T12:30")) == d("2026-03-09")
    assert first_counting_day(at("2026-03-09T17:30")) == d("2026-03-10")


def test_utc_input_is_read_in_shanghai_time():
    # 09:45 UTC is 17:45 in Shanghai: after close.
    utc = datetime.datetime(2026, 2, 13, 9, 45, tzinfo=datetime.UTC)
    assert first_counting_day(utc) == d("2026-02-14")


def test_received_late_december_2026_is_provisional():
    deadline = sla_deadline(at("2026-12-31T18:00"), 1)
    # 1 January 2027 is 元旦, then a weekend.
    assert deadline.due_at == at("2027-01-04T17:30")
    assert deadline.provisional
    assert deadline.as_dict()["provisional"] is True
    assert deadline.as_dict()["due_at"] == "2027-01-04T17:30:00+08:00"


def test_open_hours():
    assert is_open(at("2026-03-09T08:30"))
    assert not is_open(at("2026-03-09T12:00"))
    assert is_open(at("2026-03-09T15:00"))
    assert not is_open(at("2026-03-09T17:30"))
    assert not is_open(at("2026-02-17T10:00"))  # 春节
    assert is_open(at("2026-02-14T10:00"))  # adjusted Saturday


@override_settings(DUBAN_OFFICE_HOURS=[("09:00", "12:00"), ("13:30", "18:00")])
def test_office_hours_are_a_setting():
    assert close_of_business() == datetime.time(18, 0)
    assert first_counting_day(at("2026-03-09T17:45")) == d("2026-03-09")
    assert sla_deadline(at("2026-03-09T17:45"), 1).due_at == at("2026-03-09T18:00")


@override_settings(DUBAN_OFFICE_HOURS=[("12:00", "08:30")])
def test_bad_office_hours_are_refused():
    with pytest.raises(ValueError):
        office_hours()


def test_at_least_one_working_day():
    with pytest.raises(ValueError):
        sla_deadline(at("2026-03-09T10:00"), 0)
