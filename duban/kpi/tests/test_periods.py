import datetime

import pytest

from duban.kpi.periods import Period, PeriodError, parse_period, period_containing


@pytest.mark.parametrize("text, frequency, label, end", [
    ("2023-03", "monthly", "2023-03", "2023-03-31"),
    ("2023/2", "monthly", "2023-02", "2023-02-28"),
    ("2023年11月", "monthly", "2023-11", "2023-11-30"),
    ("2023年十二月份", "monthly", "2023-12", "2023-12-31"),
    ("2023-B2", "bimonthly", "2023-B2", "2023-04-30"),
    ("2023-Q3", "quarterly", "2023-Q3", "2023-09-30"),
    ("2023q1", "quarterly", "2023-Q1", "2023-03-31"),
    ("2023年第二季度", "quarterly", "2023-Q2", "2023-06-30"),
    ("2023年4季度", "quarterly", "2023-Q4", "2023-12-31"),
    ("2023-H1", "half_yearly", "2023-H1", "2023-06-30"),
    ("2023年下半年", "half_yearly", "2023-H2", "2023-12-31"),
    ("2023", "yearly", "2023", "2023-12-31"),
    ("2023年度", "yearly", "2023", "2023-12-31"),
    (2023, "yearly", "2023", "2023-12-31"),  # a year typed into a spreadsheet cell
    (datetime.date(2023, 8, 15), "quarterly", "2023-Q3", "2023-09-30"),  # a date cell: the period containing it
])
def test_parse(text, frequency, label, end):
    period = parse_period(text, frequency)
    assert (period.label, period.end.isoformat()) == (label, end)


@pytest.mark.parametrize("text, message", [
    ("2023-05", "“2023-05” is a monthly period; this metric is reported quarterly (for example 2023-Q2)."),
    ("2023-Q5", "“2023-Q5” is not a period; write it like"),
    ("Q3", "“Q3” is not a period"),
    ("", "The period is missing."),
    (None, "The period is missing."),
])
def test_errors_say_what_to_write(text, message):
    with pytest.raises(PeriodError) as error:
        parse_period(text, "quarterly")
    assert str(error.value).startswith(message)


def test_next_and_containing():
    assert Period(2023, 4, "quarterly").next().label == "2024-Q1"
    assert Period(2023, 5, "bimonthly").next().label == "2023-B6"
    assert period_containing(datetime.date(2023, 7, 1), "bimonthly").label == "2023-B4"
    assert period_containing(datetime.date(2023, 7, 1), "half_yearly").start == datetime.date(2023, 7, 1)
