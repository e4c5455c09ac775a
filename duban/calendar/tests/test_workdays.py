"""The engine against the published notices (expectations written from ../shared/HOLIDAYS.md)."""

import datetime

import pytest
from django.test import override_settings
from django.utils import translation

from duban.calendar import workdays
from duban.calendar.models import Holiday, Notice, Override
from duban.calendar.workdays import (
    add_workdays, day_info, deadline_after, is_provisional, is_workday, provisional_years, workdays_between,
    workdays_in_year,
)

from .conftest import d

pytestmark = pytest.mark.django_db


class TestNationalDay2025:
    """国庆节、中秋节 2025: 1–8 October off, Sunday 28 September and Saturday 11 October worked."""

    def test_three_working_days_after_30_september_is_saturday_11_october(self):
        assert add_workdays(d("2025-09-30"), 3) == d("2025-10-11")

    def test_the_holiday_days_are_closed(self):
        for day in range(1, 9):
            assert not is_workday(datetime.date(2025, 10, day))

    def test_the_adjusted_weekend_days_are_open(self):
        assert is_workday(d("2025-09-28"))  # a Sunday
        assert is_workday(d("2025-10-11"))  # a Saturday
        assert not is_workday(d("2025-10-12"))  # the Sunday after is a normal weekend

    def test_counting_backwards_skips_the_holiday(self):
        assert add_workdays(d("2025-10-09"), -1) == d("2025-09-30")


class TestSpringFestival2026:
    """春节 2026: 15–23 February off (9 days), Saturdays 14 and 28 February worked."""

    def test_friday_before_is_followed_by_the_adjusted_saturday(self):
        assert add_workdays(d("2026-02-13"), 1) == d("2026-02-14")

    def test_the_adjusted_saturday_is_followed_by_tuesday_24(self):
        assert add_workdays(d("2026-02-14"), 1) == d("2026-02-24")

    def test_nine_days_closed(self):
        closed = [day for day in (d("2026-02-15") + datetime.timedelta(i) for i in range(9))]
        assert not any(is_workday(day) for day in closed)
        assert is_workday(d("2026-02-24"))

    def test_both_adjusted_saturdays_work(self):
        assert is_workday(d("2026-02-14")) and is_workday(d("2026-02-28"))
        assert not is_workday(d("2026-03-01"))

    def test_no_working_day_inside_the_break(self):
        assert workdays_between(d("2026-02-14"), d("2026-02-23")) == 0

    def test_reasons(self):
        assert day_info(d("2026-02-17")).name == "春节"
        assert day_info(d("2026-02-17")).kind == workdays.HOLIDAY
        assert day_info(d("2026-02-14")).kind == workdays.ADJUSTED_WORKDAY
        assert day_info(d("2026-02-14")).name == "春节"
        assert day_info(d("2026-03-07")).kind == workdays.WEEKEND
        assert day_info(d("2026-03-09")).kind == workdays.WORKDAY


def test_mid_autumn_and_national_day_2026():
    # After Friday 18 September up to Monday 12 October: Sunday 20 September
    # and Saturday 10 October are worked, 25–27 September and 1–7 October are not.
    assert workdays_between(d("2026-09-18"), d("2026-10-12")) == 12


def test_2026_has_248_working_days():
    assert workdays_in_year(2026) == 248


def test_adjusted_working_days_2026():
    adjusted = [day for day in (d("2026-01-01") + datetime.timedelta(i) for i in range(365))
                if day.weekday() >= 5 and is_workday(day)]
    assert adjusted == [d("2026-01-04"), d("2026-02-14"), d("2026-02-28"), d("2026-05-09"), d("2026-09-20"),
                        d("2026-10-10")]


def test_workdays_between_counts_after_a_up_to_and_including_b():
    assert workdays_between(d("2026-03-02"), d("2026-03-02")) == 0
    assert workdays_between(d("2026-03-02"), d("2026-03-03")) == 1
    assert workdays_between(d("2026-03-06"), d("2026-03-09")) == 1  # Friday to Monday
    assert workdays_between(d("2026-03-09"), d("2026-03-06")) == -1


def test_zero_working_days_is_the_day_itself():
    assert add_workdays(d("2026-02-15"), 0) == d("2026-02-15")


def test_every_seeded_year_matches_chinesecalendar():
    import chinese_calendar

    day = d("2004-01-01")
    while day <= d("2026-12-31"):
        assert is_workday(day) == chinese_calendar.is_workday(day), day
        day += datetime.timedelta(days=1)


class TestYearWithoutNotice:
    """2027 is not published: statutory days computed, weekends off, nothing worked, all provisional."""

    def test_statutory_days_are_closed(self):
        assert not is_workday(d("2027-01-01"))  # 元旦, a Friday
        assert not is_workday(d("2027-02-05"))  # 农历除夕, a Friday
        assert not is_workday(d("2027-02-08"))  # 春节 初三, a Monday
        assert not is_workday(d("2027-05-01"))
        assert not is_workday(d("2027-10-01"))

    def test_no_weekend_day_is_worked(self):
        for day in (d("2027-01-01") + datetime.timedelta(i) for i in range(365)):
            if day.weekday() >= 5:
                assert not is_workday(day), day

    def test_counting_from_december_2026_into_2027_does_not_raise(self):
        # 28–31 December, then 1 January (元旦) and the weekend are closed.
        assert add_workdays(d("2026-12-25"), 5) == d("2027-01-04")
        deadline = deadline_after(d("2026-12-25"), 5)
        assert deadline.provisional and deadline.provisional_years == (2027,)

    def test_deadline_inside_2026_is_not_provisional(self):
        assert not deadline_after(d("2026-12-01"), 5).provisional

    def test_warning_text(self):
        with translation.override("zh-hans"):
            assert deadline_after(d("2026-12-25"), 5).warning == "2027年节假日安排尚未录入，期限为暂定"
            assert workdays.provisional_warning([2028, 2027]) == "2027、2028年节假日安排尚未录入，期限为暂定"
        assert workdays.provisional_warning([]) == ""

    def test_day_info_is_provisional(self):
        assert day_info(d("2027-03-01")).provisional
        assert not day_info(d("2026-03-02")).provisional

    def test_far_years_work_and_unreachable_ones_are_refused(self):
        assert is_workday(d("2150-06-01")) is True  # a Monday
        assert is_provisional(d("2150-06-01"))
        with pytest.raises(ValueError):
            is_workday(d("2300-01-02"))
        with pytest.raises(ValueError):
            add_workdays(d("2199-12-01"), 100)

    def test_importing_the_notice_ends_provisional(self):
        notice = Notice.objects.create(region="CN", year=2027, title="国务院办公厅关于2027年部分节假日安排的通知")
        assert provisional_years(d("2026-12-25"), d("2027-01-04")) == ()
        # Without its days the year is only weekends now: the notice is the truth.
        assert is_workday(d("2027-02-08"))
        Holiday.objects.create(notice=notice, date=d("2027-02-08"), kind=Holiday.Kind.HOLIDAY, name="春节")
        assert not is_workday(d("2027-02-08"))


class TestOverrides:
    def test_a_local_closure_closes_a_working_day(self):
        assert is_workday(d("2026-03-10"))
        Override.objects.create(region="CN", date=d("2026-03-10"), kind=Override.Kind.CLOSED, reason="区里停电")
        assert not is_workday(d("2026-03-10"))
        assert day_info(d("2026-03-10")).reason == "区里停电"
        assert add_workdays(d("2026-03-09"), 1) == d("2026-03-11")

    def test_a_local_working_day_opens_a_holiday(self):
        Override.objects.create(region="CN", date=d("2026-02-16"), kind=Override.Kind.OPEN, reason="值班")
        assert is_workday(d("2026-02-16"))

    def test_a_district_override_does_not_touch_the_nation(self):
        Override.objects.create(region="CN-JX-XH", date=d("2026-03-10"), kind=Override.Kind.CLOSED, reason="西湖区")
        assert not is_workday(d("2026-03-10"), region="CN-JX-XH")
        assert is_workday(d("2026-03-10"), region="CN")
        # The district inherits the national notices.
        assert add_workdays(d("2026-02-13"), 1, region="CN-JX-XH") == d("2026-02-14")

    def test_a_provincial_notice_layers_on_the_nation(self):
        # 广西 closes for 三月三 by its own notice.
        notice = Notice.objects.create(region="CN-GX", year=2026, title="广西壮族自治区2026年“壮族三月三”放假通知")
        Holiday.objects.create(notice=notice, date=d("2026-04-20"), kind=Holiday.Kind.HOLIDAY, name="壮族三月三")
        assert not is_workday(d("2026-04-20"), region="CN-GX-NN")
        assert is_workday(d("2026-04-20"), region="CN")
        # The province's notice does not make the nation's missing year published.
        Notice.objects.create(region="CN-GX", year=2027, title="广西壮族自治区2027年放假通知")
        assert is_provisional(d("2027-03-01"), region="CN-GX")


class TestCache:
    def test_saving_a_row_drops_the_arrays(self):
        assert is_workday(d("2026-03-11"))
        Override.objects.create(date=d("2026-03-11"), kind=Override.Kind.CLOSED, reason="x")
        assert not is_workday(d("2026-03-11"))
        Override.objects.filter(date=d("2026-03-11")).delete()
        assert is_workday(d("2026-03-11"))

    def test_changes_from_another_process_are_seen_after_the_recheck_interval(self):
        assert is_workday(d("2026-03-12"))
        # bulk_create sends no signal, as if another process had written the row.
        Override.objects.bulk_create([Override(region="CN", date=d("2026-03-12"), kind="closed", reason="x")])
        assert is_workday(d("2026-03-12"))  # still the cached arrays
        with override_settings(DUBAN_CALENDAR_RECHECK_SECONDS=0):
            assert not is_workday(d("2026-03-12"))

    def test_tables_grow_to_far_dates(self):
        assert add_workdays(d("2026-01-05"), 250 * 30) > d("2055-01-01")
        assert add_workdays(d("2026-01-05"), -250 * 30) < d("1997-01-01")
        assert workdays_between(d("1990-01-01"), d("2060-01-01")) > 250 * 60
