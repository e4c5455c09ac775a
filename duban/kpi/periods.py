"""Reporting periods: a month, two months (双月), a quarter, a half year or a year.

Stored as a short label that sorts and reads the same in every language
(2023-03, 2023-B2, 2023-Q1, 2023-H1, 2023); people may also type the Chinese
forms they use in reports (2023年3月, 2023年第一季度, 2023年上半年, 2023年).
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from duban.core import clock

from .models import Frequency

MONTHS_PER_PERIOD = {
    Frequency.MONTHLY: 1, Frequency.BIMONTHLY: 2, Frequency.QUARTERLY: 3, Frequency.HALF_YEARLY: 6,
    Frequency.YEARLY: 12,
}
CHINESE = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
           "十一": 11, "十二": 12}
NUM = r"(\d{1,2}|十[一二]?|[一二三四五六七八九])"
PATTERNS = [
    (Frequency.YEARLY, re.compile(r"^(\d{4})\s*(?:年|年度|年全年|全年)?$")),
    (Frequency.HALF_YEARLY, re.compile(r"^(\d{4})\s*[-/ ]?\s*H([12])$", re.I)),
    (Frequency.HALF_YEARLY, re.compile(r"^(\d{4})\s*年\s*(上|下)半年$")),
    (Frequency.QUARTERLY, re.compile(r"^(\d{4})\s*[-/ ]?\s*Q([1-4])$", re.I)),
    (Frequency.QUARTERLY, re.compile(rf"^(\d{{4}})\s*年\s*第?\s*{NUM}\s*季度?$")),
    (Frequency.BIMONTHLY, re.compile(r"^(\d{4})\s*[-/ ]?\s*B([1-6])$", re.I)),
    (Frequency.MONTHLY, re.compile(r"^(\d{4})\s*[-/.]\s*M?(\d{1,2})$", re.I)),
    (Frequency.MONTHLY, re.compile(rf"^(\d{{4}})\s*年\s*{NUM}\s*月(?:份)?$")),
]


class PeriodError(ValueError):
    pass


@dataclass(frozen=True, order=True)
class Period:
    year: int
    index: int  # 1-based: month, two-month period, quarter or half within the year
    frequency: str

    @property
    def months(self):
        return MONTHS_PER_PERIOD[self.frequency]

    @property
    def start(self):
        return datetime.date(self.year, (self.index - 1) * self.months + 1, 1)

    @property
    def end(self):
        month = self.index * self.months
        return datetime.date(self.year, month, calendar.monthrange(self.year, month)[1])

    @property
    def label(self):
        return {
            Frequency.MONTHLY: f"{self.year}-{self.index:02d}",
            Frequency.BIMONTHLY: f"{self.year}-B{self.index}",
            Frequency.QUARTERLY: f"{self.year}-Q{self.index}",
            Frequency.HALF_YEARLY: f"{self.year}-H{self.index}",
            Frequency.YEARLY: str(self.year),
        }[self.frequency]

    def __str__(self):
        return self.label

    def next(self):
        count = 12 // self.months
        return Period(self.year + self.index // count, self.index % count + 1, self.frequency)


def period_containing(date, frequency):
    months = MONTHS_PER_PERIOD[frequency]
    return Period(date.year, (date.month - 1) // months + 1, frequency)


def example(frequency, year=None):
    return period_containing(datetime.date(year or clock.today().year, 6, 30), frequency).label


def parse_period(value, frequency):
    """The period `value` names, which must be one of `frequency`; PeriodError says why not."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return period_containing(value, frequency)
    if isinstance(value, (int, float)) and float(value).is_integer():
        value = str(int(value))  # a year typed into a spreadsheet cell is a number
    text = str(value or "").strip()
    if not text:
        raise PeriodError(_("The period is missing."))
    for kind, pattern in PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        year = int(match[1])
        index = 1
        if match.lastindex and match.lastindex > 1:
            part = match[2]
            index = {"上": 1, "下": 2}.get(part) or (int(part) if part.isdigit() else CHINESE[part])
        if not 1 <= index <= 12 // MONTHS_PER_PERIOD[kind] or not 1900 < year < 2200:
            break
        if kind != frequency:
            raise PeriodError(
                _("“%(text)s” is a %(given)s period; this metric is reported %(frequency)s (for example %(example)s).")
                % {"text": text, "given": Frequency(kind).label, "frequency": Frequency(frequency).label,
                   "example": example(frequency, year)}
            )
        return Period(year, index, frequency)
    raise PeriodError(
        _("“%(text)s” is not a period; write it like %(example)s.") % {"text": text, "example": example(frequency)}
    )
