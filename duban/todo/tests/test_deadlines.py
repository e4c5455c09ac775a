"""A deadline in working days, whether a provider gives a day or a moment (a complaint's 17:30)."""

import datetime

import pytest
from django.utils import timezone

from duban.todo.deadlines import due_in_words

pytestmark = pytest.mark.django_db

THURSDAY = datetime.date(2023, 9, 28)  # the Mid-Autumn and National Day break begins the next day


def test_a_day_and_a_moment_of_that_day_read_the_same():
    moment = timezone.make_aware(datetime.datetime(2023, 10, 9, 17, 30))
    assert due_in_words(moment, THURSDAY) == due_in_words(datetime.date(2023, 10, 9), THURSDAY)
    assert due_in_words(timezone.make_aware(datetime.datetime(2023, 9, 28, 17, 30)), THURSDAY) == (
        "due today", "yellow")
    assert due_in_words(timezone.make_aware(datetime.datetime(2023, 9, 27, 17, 30)), THURSDAY)[1] == "red"
    assert due_in_words(None, THURSDAY) == ("", "")
