"""Seeding the national calendar from the `chinesecalendar` package (2004 to its last year).

Used by a data migration, so it takes the model classes as arguments (the
migration passes its historical models) and inserts with bulk_create: a fresh
test database gets ~800 rows in one go.
"""

from __future__ import annotations

import collections
import datetime
from typing import TYPE_CHECKING

import chinese_calendar
from chinese_calendar import constants

if TYPE_CHECKING:  # the migration passes its historical models, with the same fields
    from .models import Holiday as HolidayModel
    from .models import Notice as NoticeModel

# chinesecalendar names festivals in English; the notices call them so.
FESTIVAL_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


def notice_title(year: int) -> str:
    return f"国务院办公厅关于{year}年部分节假日安排的通知"


def seeded_days() -> dict[int, list[tuple[datetime.date, str, str]]]:
    """{year: [(date, kind, name)]} for every year chinesecalendar covers."""
    by_year: dict[int, list[tuple[datetime.date, str, str]]] = collections.defaultdict(list)
    for kind, table in (("holiday", constants.holidays), ("workday", constants.workdays)):
        for day, english in table.items():
            # A notice may reach into the year before (元旦 from 31 December);
            # the notice is the one of the festival's year.
            year = day.year + 1 if day.month == 12 and english == "New Year's Day" else day.year
            by_year[year].append((day, kind, FESTIVAL_NAMES.get(english, english)))
    return {year: sorted(days) for year, days in sorted(by_year.items())}


def seed(Notice: type[NoticeModel], Holiday: type[HolidayModel], region: str = "CN") -> list[int]:
    """Insert the package's years that have no notice yet for the region; return the years added."""
    source = f"chinesecalendar {chinese_calendar.__version__}"
    days = seeded_days()
    existing = set(Notice.objects.filter(region=region).values_list("year", flat=True))
    notices = Notice.objects.bulk_create(
        [Notice(region=region, year=year, title=notice_title(year), source=source) for year in days if year not in existing]
    )
    taken = set(Holiday.objects.filter(region=region).values_list("date", flat=True))
    rows = [
        Holiday(notice=notice, region=region, date=day, kind=kind, name=name)
        for notice in notices
        for day, kind, name in days[notice.year]
        if day not in taken
    ]
    Holiday.objects.bulk_create(rows)
    return [notice.year for notice in notices]
