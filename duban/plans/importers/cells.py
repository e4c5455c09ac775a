"""Recognising what a table cell or a phrase holds: a deadline, units, a person, prose.

Shared by every reader, so that a deadline or a list of units means the same
thing whether it came from a PDF's text, an Excel sheet or a Word table.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

from duban.core.chinese import fold_width, squeeze, to_simplified

from .base import ParsedMilestone

# ---------------------------------------------------------------- deadlines

_DEADLINE = re.compile(
    r"^(?P<year>\d{4})\s*(?:年|[-./])\s*"
    r"(?:(?P<month>\d{1,2})\s*(?:月|[-./])\s*(?:(?P<day>\d{1,2})\s*日?)?)?"
    r"\s*(?P<suffix>底前|底|前|之前|以前)?\s*(?:完成)?$"
)
_ISO_DATETIME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[ T]00:00(:00)?$")


@dataclass
class Deadline:
    date: datetime.date
    year_only: bool
    text: str


def parse_deadline(text):
    """'2023年12月31日' → that date; '2023年' → 31 Dec, year only; '2023年6月底' → 30 Jun.

    Returns None when the text is not a deadline.
    """
    raw = squeeze(fold_width(text or ""))
    if not raw or len(raw) > 20:
        return None
    iso = _ISO_DATETIME.match(raw)
    if iso:
        raw = f"{iso.group(1)}-{iso.group(2)}-{iso.group(3)}"
    m = _DEADLINE.match(raw)
    if not m:
        return None
    year = int(m["year"])
    if not 1990 <= year <= 2100:
        return None
    if m["month"] is None:
        return Deadline(datetime.date(year, 12, 31), True, text.strip())
    month = int(m["month"])
    if not 1 <= month <= 12:
        return None
    last = calendar.monthrange(year, month)[1]
    day = int(m["day"]) if m["day"] else last
    if not 1 <= day <= last:
        return None
    return Deadline(datetime.date(year, month, day), False, text.strip())


# ------------------------------------------------------------------ units

_UNIT_SUFFIXES = (
    "局", "委", "办", "中心", "院", "公司", "集团", "街道", "街办", "部", "队", "会", "联", "所", "处", "室", "站",
    "组", "团", "厅", "社区", "政府", "人大", "政协", "工委", "监委", "办公室", "银行", "镇", "乡",
)
_COLLECTIVE = re.compile(r"各|有关|相关|成员单位|^区属|^所有|^全区|^其他")
_SEPARATORS = re.compile(r"[、，,；;／/]+")
_TRAILING_PAREN = re.compile(r"[（(][^（）()]*[）)]$")
_SENTENCE_MARKS = re.compile(r"[。：:！？“”\"《》]")
_HAN = re.compile(r"^[\u4e00-\u9fff]+$")


def clean_unit_name(name):
    """'区 审计局' → '区审计局'; '南站街道（社区）' → '南站街道'."""
    name = to_simplified(squeeze(fold_width(name))).strip("，,、；;。.")
    stripped = _TRAILING_PAREN.sub("", name)
    return stripped or name


def is_collective(name):
    """Stated scopes such as 区直各有关单位 or 各街道 are kept as text, not turned into units."""
    return bool(_COLLECTIVE.search(name))


def is_unit_name(name):
    name = clean_unit_name(name)
    if not 2 <= len(name) <= 30 or _SENTENCE_MARKS.search(name):
        return False
    return name.endswith(_UNIT_SUFFIXES) or is_collective(name)


def split_units(text):
    """Split a printed list of units into cleaned names, in printed order."""
    parts = [clean_unit_name(p) for p in _SEPARATORS.split(text or "")]
    return [p for p in parts if p]


def is_unit_list(text):
    text = (text or "").strip()
    if not text or "。" in text or len(text) > 300:
        return False
    parts = split_units(text)
    return bool(parts) and all(is_unit_name(p) for p in parts)


@dataclass
class UnitList:
    units: list[str]
    scope: list[str]


def parse_units(text):
    """Units and collective scopes from a printed list."""
    result = UnitList([], [])
    for name in split_units(text):
        (result.scope if is_collective(name) else result.units).append(name)
    return result


# ----------------------------------------------------------------- people


def is_person_name(text):
    text = squeeze(text or "")
    return 2 <= len(text) <= 4 and bool(_HAN.match(text)) and not is_unit_name(text)


def clean_person_name(text):
    return to_simplified(squeeze(text or ""))


# ------------------------------------------------------------------ prose

_NUMBERED = re.compile(r"^\s*(\d{1,3})\s*[.．、]\s*(?=\S)(?!\d)")


def split_number(text):
    """'29.推行行政执法…' → (29, '推行行政执法…'); unnumbered text → (None, text)."""
    m = _NUMBERED.match(text or "")
    if not m:
        return None, (text or "").strip()
    return int(m.group(1)), text[m.end():].strip()


def is_number(text):
    return bool(re.fullmatch(r"\d{1,4}", (text or "").strip()))


# ------------------------------------------------------------- milestones

_MILESTONE = re.compile(
    r"(?:(?P<year>\d{4})\s*年\s*)?(?P<month>\d{1,2})\s*月\s*(?:(?P<day>\d{1,2})\s*日|(?P<end>底))\s*(?:前|之前|以前)"
)
_CLAUSE_END = re.compile(r"[；;。]")


def find_milestones(text, default_year):
    """Dated steps inside a measure's text: '2023年7月31日前,印发通知…;' → milestone on 31 July."""
    milestones = []
    for m in _MILESTONE.finditer(text or ""):
        year = int(m["year"]) if m["year"] else default_year
        if not year:
            continue
        month = int(m["month"])
        if not 1 <= month <= 12:
            continue
        last = calendar.monthrange(year, month)[1]
        day = last if m["end"] else int(m["day"])
        if not 1 <= day <= last:
            continue
        end = _CLAUSE_END.search(text, m.end())
        clause = text[m.end(): end.start() if end else len(text)].strip(" ,，、")
        milestones.append(ParsedMilestone(datetime.date(year, month, day), clause or text[m.start(): m.end()]))
    return milestones
