"""Reading the State Council's yearly holiday notice into dates, and storing them.

The notice (国务院办公厅关于YYYY年部分节假日安排的通知) has one numbered item
per festival:

    二、春节：1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天。1月26日（周日）、2月8日（周六）上班。

A sentence with 放假 gives the days off (a span "A至B" or one day), one with
上班 the weekend days worked. Copies found online mix full- and half-width
punctuation and some are in traditional characters, so the text is normalised
first. Everything the notice states is checked — the weekday in brackets, the
"共N天" count, that a worked day is a weekend day — and the first mismatch
stops the import with the line it is on.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from .models import Notice

# The traditional characters that change what the parser reads (festival
# names, 週, 調休, the title); the rest of the text is never interpreted.
_T2S = str.maketrans("節勞動國慶調週農曆臘關於辦廳務發補閏", "节劳动国庆调周农历腊关于办厅务发补闰")

_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_CN_NUMBERS = "一二三四五六七八九十"

_YEAR = re.compile(r"(\d{4})年部分节假日安排")
_ITEM = re.compile(rf"^\s*(?:[{_CN_NUMBERS}]+|\d+)\s*[、.]\s*([^:]{{1,40}}?)\s*:\s*(.*)$")
_DATE = re.compile(r"(?:(\d{4})年)?(?:(\d{1,2})月)?(\d{1,2})日(?:\(([^)]*)\))?")
_SIGNED = re.compile(r"^\s*(\d{4})年(\d{1,2})月(\d{1,2})日\s*$")
_WEEKDAY = re.compile(r"(?:周|星期)([一二三四五六日天])")
_TOTAL = re.compile(r"共(\d+)天|放假(\d+)天")


class NoticeError(Exception):
    """The notice says something the parser cannot use; ``line`` is 1-based."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message

    def __str__(self) -> str:
        return _("line %(line)s: %(message)s") % {"line": self.line, "message": self.message}


@dataclass
class Item:
    line: int
    name: str
    days_off: list[datetime.date] = field(default_factory=list)
    worked: list[datetime.date] = field(default_factory=list)


@dataclass
class ParsedNotice:
    year: int
    title: str
    published_on: datetime.date | None
    items: list[Item]

    def days(self) -> list[tuple[datetime.date, str, str, int]]:
        """[(date, kind, name, line)] in date order; kind is "holiday" or "workday"."""
        rows = [(d, "holiday", item.name, item.line) for item in self.items for d in item.days_off]
        rows += [(d, "workday", item.name, item.line) for item in self.items for d in item.worked]
        return sorted(rows)


def normalize(text: str) -> str:
    """Half-width punctuation and digits, simplified characters, no stray spaces."""
    text = unicodedata.normalize("NFKC", text).translate(_T2S)
    return text.replace("\u3000", " ")


def _weekday_in(note):
    found = _WEEKDAY.search(note or "")
    return _WEEKDAYS[found.group(1)] if found else None


def _dates(sentence, line, year, new_year_item, month=None):
    """The dates in a sentence as [(date, joined_to_previous_by_至)], checking stated weekdays."""
    found: list[tuple[datetime.date, bool]] = []
    last_end = 0
    for match in _DATE.finditer(sentence):
        y, m, d, note = match.groups()
        if m:
            month = int(m)
        if month is None:
            raise NoticeError(line, _("“%(text)s” has no month.") % {"text": match.group(0)})
        if y:
            the_year = int(y)
        elif month == 12 and new_year_item:
            # 元旦 may start on 31 December of the year before.
            the_year = year - 1
        else:
            the_year = year
        try:
            day = datetime.date(the_year, month, int(d))
        except ValueError:
            raise NoticeError(line, _("“%(text)s” is not a date.") % {"text": match.group(0)}) from None
        stated = _weekday_in(note)
        if stated is not None and stated != day.weekday():
            raise NoticeError(
                line,
                _("%(date)s is a %(actual)s, but the notice says %(stated)s.")
                % {"date": day.isoformat(), "actual": _weekday_name(day.weekday()), "stated": _weekday_name(stated)},
            )
        joined = "至" in sentence[last_end : match.start()] and bool(found)
        found.append((day, joined))
        last_end = match.end()
    return found, month


def _weekday_name(weekday):
    return ("周一", "周二", "周三", "周四", "周五", "周六", "周日")[weekday]


def _expand(dates, line):
    """Spans ("A至B") to every day in them; single dates as they are."""
    days: list[datetime.date] = []
    for day, joined in dates:
        if joined:
            start = days[-1]
            if day <= start:
                raise NoticeError(line, _("The span ending %(date)s ends before it starts.") % {"date": day.isoformat()})
            days.extend(start + datetime.timedelta(days=i) for i in range(1, (day - start).days + 1))
        else:
            days.append(day)
    return days


def _parse_item(item, text, year):
    new_year_item = "元旦" in item.name
    month = None
    for sentence in re.split(r"[。;]", text):
        if not _DATE.search(sentence):
            continue
        if "放假" in sentence:
            head = sentence[: sentence.index("放假")]
            dates, month = _dates(head, item.line, year, new_year_item, month)
            if not dates:
                raise NoticeError(item.line, _("No date before 放假 in “%(text)s”.") % {"text": sentence})
            days = _expand(dates, item.line)
            total = _TOTAL.search(sentence[sentence.index("放假") :])
            if total:
                stated = int(total.group(1) or total.group(2))
                if stated != len(days):
                    raise NoticeError(
                        item.line,
                        _("The notice says %(stated)s days off but gives %(counted)s (%(first)s to %(last)s).")
                        % {"stated": stated, "counted": len(days), "first": days[0], "last": days[-1]},
                    )
            item.days_off.extend(days)
        elif "上班" in sentence:
            dates, month = _dates(sentence[: sentence.index("上班")], item.line, year, new_year_item, month)
            if any(joined for _day, joined in dates):
                raise NoticeError(item.line, _("Worked days are listed one by one, not as a span."))
            for day, _joined in dates:
                if day.weekday() < 5:
                    raise NoticeError(
                        item.line,
                        _("%(date)s is a %(weekday)s; only a Saturday or Sunday can be an adjusted working day.")
                        % {"date": day.isoformat(), "weekday": _weekday_name(day.weekday())},
                    )
                item.worked.append(day)
        else:
            raise NoticeError(
                item.line, _("“%(text)s” says neither 放假 (days off) nor 上班 (working day).") % {"text": sentence.strip()}
            )
    if not item.days_off:
        raise NoticeError(item.line, _("The item for %(name)s gives no days off.") % {"name": item.name})


def parse_notice(text: str, year: int | None = None) -> ParsedNotice:
    """Parse the notice's text into a ParsedNotice; raise NoticeError naming the line."""
    lines = normalize(text).splitlines()
    title, title_line = "", None
    for number, line in enumerate(lines, 1):
        found = _YEAR.search(line)
        if found:
            title, title_line = line.strip(), number
            if year is not None and int(found.group(1)) != year:
                raise NoticeError(
                    number, _("The title is for %(title_year)s, not %(year)s.") % {"title_year": found.group(1), "year": year}
                )
            year = int(found.group(1))
            break
    if year is None:
        raise NoticeError(1, _("No title “…关于YYYY年部分节假日安排的通知” found; give the year with --year."))
    title = title or f"国务院办公厅关于{year}年部分节假日安排的通知"

    items: list[tuple[Item, str]] = []
    published_on = None
    for number, line in enumerate(lines, 1):
        if number == title_line:
            continue
        header = _ITEM.match(line)
        if header:
            items.append((Item(number, header.group(1).replace(",", "、")), header.group(2)))
        elif items and _DATE.search(line) and not _SIGNED.match(line):
            # An item's text wrapped onto the next line.
            items[-1] = (items[-1][0], items[-1][1] + line.strip())
        signed = _SIGNED.match(line)
        if signed:
            published_on = datetime.date(*map(int, signed.groups()))
    if not items:
        raise NoticeError(len(lines) or 1, _("No numbered items (一、元旦：…) found."))

    seen: dict[datetime.date, int] = {}
    for item, body in items:
        _parse_item(item, body, year)
        for day in item.days_off + item.worked:
            if day in seen:
                raise NoticeError(
                    item.line, _("%(date)s already appears on line %(other)s.") % {"date": day, "other": seen[day]}
                )
            seen[day] = item.line
    return ParsedNotice(year, title, published_on, [item for item, _body in items])


@dataclass
class ImportResult:
    notice: Notice
    replaced: bool
    holidays: int
    workdays: int


def import_notice(text: str, region: str | None = None, source: str = "", year: int | None = None) -> ImportResult:
    """Store a notice's days for the region, replacing that year's previous schedule, in one transaction."""
    from .models import Holiday, Notice
    from .workdays import clear_cache

    region = region or settings.DUBAN_DEFAULT_REGION
    parsed = parse_notice(text, year)
    days = parsed.days()
    with transaction.atomic():
        replaced = Notice.objects.filter(region=region, year=parsed.year).delete()[0] > 0
        taken = dict(
            Holiday.objects.filter(region=region, date__in=[d for d, *_rest in days]).values_list("date", "notice__year")
        )
        for day, _kind, _name, line in days:
            if day in taken:
                raise NoticeError(
                    line, _("%(date)s already belongs to the %(year)s schedule.") % {"date": day, "year": taken[day]}
                )
        notice = Notice.objects.create(
            region=region, year=parsed.year, title=parsed.title, published_on=parsed.published_on,
            source=source, text=text,
        )
        Holiday.objects.bulk_create(
            Holiday(notice=notice, region=region, date=day, kind=kind, name=name) for day, kind, name, _line in days
        )
        # bulk_create sends no signals; forget the arrays once this commits.
        transaction.on_commit(clear_cache)
    return ImportResult(
        notice, replaced, sum(1 for d in days if d[1] == "holiday"), sum(1 for d in days if d[1] == "workday")
    )
