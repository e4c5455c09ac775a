import datetime

from django.test import override_settings

from duban.core import clock


def test_real_clock_by_default():
    with override_settings(DUBAN_TODAY=""):
        assert abs((clock.now() - datetime.datetime.now(datetime.timezone.utc)).total_seconds()) < 5


@override_settings(DUBAN_TODAY="2023-10-20")
def test_fixed_date():
    assert clock.today() == datetime.date(2023, 10, 20)
    assert clock.now().hour == 9


@override_settings(DUBAN_TODAY="2026-02-13T17:45")
def test_fixed_datetime_is_local_time():
    assert clock.today() == datetime.date(2026, 2, 13)
    assert clock.now().astimezone(datetime.timezone(datetime.timedelta(hours=8))).hour == 17
