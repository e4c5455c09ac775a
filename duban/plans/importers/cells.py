"""Recognising what a table cell or a phrase holds: a deadline, units, a person, prose.

Shared by every reader, so that a deadline or a list of units means the same
thing whether it came from a PDF's text, an Excel sheet or a Word table.
"""

from __future__ import annotations

import calendar
import datetime
import re
import threading
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from duban.core.chinese import fold_width, squeeze, to_simplified

from .base import ParsedMeasure, ParsedMilestone, ParsedPlan

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


def parse_deadline(text: str) -> Deadline | None:
    """'2023年12月31日' → that date; '2023年' → 31 Dec, year only; '2023年6月底' → 30 Jun.

    Returns None when the text is not a deadline.
    """
    if not text or len(text) > 60:  # long prose is never a deadline; skip normalising it
        return None
    raw = squeeze(fold_width(text))
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
    "组", "团", "厅", "社区", "政府", "人大", "政协", "工委", "监委", "办公室", "银行", "分行", "支行", "镇", "乡",
)
_COLLECTIVE = re.compile(r"各|有关|相关|成员单位|^区属|^所有|^全区|^其他")
_SEPARATORS = re.compile(r"[、，,；;／/\n]+")
_SEPARATORS_OR_SPACE = re.compile(r"[、，,；;／/\s]+")
_TRAILING_PAREN = re.compile(r"[（(][^（）()]*[）)]$")
_SENTENCE_MARKS = re.compile(r"[。：:！？“”\"《》]")
_HAN = re.compile(r"^[\u4e00-\u9fff]+$")


def clean_unit_name(name: str) -> str:
    """'区 审计局' → '区审计局'; '南站街道（社区）' → '南站街道'; a scope keeps its parenthesis: '各乡镇（街道）'."""
    name = to_simplified(squeeze(fold_width(name))).strip("，,、；;。.")
    if is_collective(name):
        return name
    stripped = _TRAILING_PAREN.sub("", name)
    return stripped or name


def split_outside_brackets(text: str, separators: re.Pattern[str] = _SEPARATORS) -> list[str]:
    """Split on the separators that are not inside a bracket: '各县（市、区）政府、市财政局' → two parts."""
    parts: list[str] = []
    depth, start = 0, 0
    for m in re.finditer(r"[（(〔\[【［]|[）)〕\]】］]|" + separators.pattern, text):
        token = m.group(0)
        if token in "（(〔[【［":
            depth += 1
        elif token in "）)〕]】］":
            depth = max(depth - 1, 0)
        elif depth == 0:
            parts.append(text[start:m.start()])
            start = m.end()
    parts.append(text[start:])
    return parts


def is_collective(name: str) -> bool:
    """Stated scopes such as 区直各有关单位 or 各街道 are kept as text, not turned into units."""
    return bool(_COLLECTIVE.search(name))


def is_unit_name(name: str) -> bool:
    name = clean_unit_name(name)
    if not 2 <= len(name) <= 30 or _SENTENCE_MARKS.search(name):
        return False
    return name.endswith(_UNIT_SUFFIXES) or is_collective(name)


def split_units(text: str) -> list[str]:
    """Split a printed list of units into cleaned names, in printed order."""
    parts = [clean_unit_name(p) for p in split_outside_brackets(text or "")]
    return [p for p in parts if p]


_ROLE_LABELS = re.compile(r"(牵头(?:单位|部门)?|配合(?:单位|部门)?|协同(?:单位|部门)?|参与(?:单位|部门)?|责任(?:单位|部门))\s*[:：]")
_MARKED_LEAD = re.compile(r"[（(]\s*牵头(?:单位)?\s*[）)]")


def marked_roles(text: str) -> tuple[str, str] | None:
    """A unit cell that says itself who leads: '区发改局（牵头）、区财政局' or '牵头：区商务局 配合：区市场监管局、
    区税务局' (labels on one line or several) → (lead text, cooperating text); None for a plain list."""
    text = to_simplified(fold_width(text or "")).strip()
    labels = list(_ROLE_LABELS.finditer(text))
    if labels and not text[:labels[0].start()].strip(" ，,；;\n"):
        lead: list[str] = []
        cooperating: list[str] = []
        for k, m in enumerate(labels):
            end = labels[k + 1].start() if k + 1 < len(labels) else len(text)
            part = text[m.end():end].strip(" ，,；;\n")
            (lead if m.group(1).startswith("牵头") else cooperating).append(part)
        if lead:
            return "、".join(p for p in lead if p), "、".join(p for p in cooperating if p)
        return None
    if _MARKED_LEAD.search(text):
        # '市市场监管局（牵头） 市商务局': a cell's line breaks, copied as spaces, separate its units too; and
        # '（牵头）' always ends a name ('市市场监管局（牵头）市商务局', the line break lost)
        text = re.sub(r"([（(]\s*牵头(?:单位)?\s*[）)])(?=[^\s、，,；;])", r"\1、", text)
        parts = [p for p in split_outside_brackets(text, _SEPARATORS_OR_SPACE) if p.strip()]
        lead = [_MARKED_LEAD.sub("", p) for p in parts if _MARKED_LEAD.search(p)]
        cooperating = [p for p in parts if not _MARKED_LEAD.search(p)]
        return "、".join(lead), "、".join(cooperating)
    return _spoken_roles(text)


_SPOKEN_ROLE_WORDS = re.compile(r"牵头|配合|协同|协助|参与|负责|落实")
_reading = threading.local()


def _spoken_roles(text: str) -> tuple[str, str] | None:
    """A unit cell that says who leads in words, as prose does: '市发改委牵头，市财政局、市住建局配合',
    '市政数局牵头，各县（市、区）人民政府落实', '市发改委、市市场监管局按职责分工负责' → (lead text, cooperating
    text, scopes with it). Read by the prose reader's own rules (prose.parse_attribution), so that a cell and
    a bracket after an item mean the same; None when any part of it is not understood (a sentence)."""
    if len(text) > 120 or "。" in text or not _SPOKEN_ROLE_WORDS.search(text) or getattr(_reading, "spoken", False):
        return None  # (while the prose reader reads a cell, a part of it is never read as spoken again)
    if FIRST_LEADS_RULE.search(text) or ALL_LEAD_RULE.search(text):
        return None  # a list with its rule ('…（第一责任单位为牵头单位，下同）'): the table reads and carries the rule
    from .prose import parse_attribution  # the prose reader builds on this module; its rules are read here

    _reading.spoken = True
    try:
        attribution = parse_attribution(text, None)
    finally:
        _reading.spoken = False
    if attribution.not_understood or attribution.deadline_printed or not (attribution.lead or attribution.scope):
        return None
    names = attribution.lead + attribution.cooperating
    if not all(is_unit_name(name) and not _SPOKEN_ROLE_WORDS.search(name) for name in names):
        return None  # '牵头推进一网通办': words, not units
    return "、".join(attribution.lead), "、".join(attribution.cooperating + attribution.scope)


def is_unit_list(text: str) -> bool:
    text = (text or "").strip()
    if not text or "。" in text or len(text) > 300:
        return False
    marked = marked_roles(text)
    if marked:
        return all(is_unit_list(part) for part in marked if part)
    parts = split_units(text)
    return bool(parts) and all(is_unit_name(p) for p in parts)


@dataclass
class UnitList:
    units: list[str]
    scope: list[str]
    split: dict[str, list[str]] = field(default_factory=dict)  # a cell's run-together names as printed → the units read


def parse_units(text: str) -> UnitList:
    """Units and collective scopes from a printed list; names run together without a separator
    ('区住建局区城管局', '县司法局县直各行政执法部门') are split (and listed in `split`, for a warning)."""
    result = UnitList([], [])
    for name in split_units(text):
        units, scopes = split_name(name)
        if len(units) + len(scopes) > 1:
            result.split[name] = units + scopes
        result.units += units
        result.scope += scopes
    return result


def split_name(name: str) -> tuple[list[str], list[str]]:
    """(units, scopes) in one printed name: '区住建局区城管局' → two units; '县司法局县直各行政执法部门' → a unit
    and a scope; '各街道' → a scope; a unit's name → itself. Table cells and prose attributions alike."""
    pieces = split_off_scope(name)
    scopes = [piece for piece in pieces if is_collective(piece)]
    units = [part for piece in pieces if piece not in scopes for part in split_run_together(piece)]
    return units, scopes


_SCOPE_START = re.compile(r"各|[区县市]直|[区县市]属|有关|相关|其他|其余")


def split_off_scope(name: str) -> list[str]:
    """'县司法局县直各行政执法部门' → ['县司法局', '县直各行政执法部门']: a unit and then a stated scope,
    printed without a separator (a cell's line break lost in a PDF). Only where the part before is a
    unit's full name (four characters or more, not itself a scope): '区委各部门' stays one scope."""
    if not is_collective(name):
        return [name]
    for m in _SCOPE_START.finditer(name):
        i = m.start()
        head, rest = name[:i], name[i:]
        if len(head) >= 4 and not is_collective(head) and head.endswith(_UNIT_SUFFIXES) and len(rest) >= 2:
            return [head, rest]
    return [name]


def note_units_split(plan: ParsedPlan, measure: ParsedMeasure, source: str, line: int | None,
                     split: dict[str, list[str]]) -> None:
    """Names printed run together and read as several units ({printed: [parts]}, from parse_units or a
    prose attribution): kept on the measure (the review shows them; services rejoin a name the unit
    directory knows) and warned about where they stand — table cell and prose line alike."""
    for printed, parts in split.items():
        measure.notes.setdefault("units_split", {})[printed] = list(parts)
        plan.warn(source, line, _("unit names run together, read as %(count)s units: %(printed)s → %(parts)s") % {
            "count": len(parts), "printed": printed, "parts": "、".join(parts)})


# Bodies that are one unit though printed as two names (纪委 and 监委 sit together: 区纪委区监委).
_ONE_UNIT = re.compile(r"纪委.{0,3}监委|党委.{0,3}政府|([区县市省])委\1政府|委.{0,2}办公室.{0,3}政府办公室")
_SPLIT_SUFFIXES = tuple(sorted((set(_UNIT_SUFFIXES) - {"部", "会", "联", "所", "处", "室", "站", "组", "团", "厅",
                                                        "镇", "乡", "社区", "人大", "政协"})
                               # the people's organisations, whose names end in 联 or 会 and nothing else
                               | {"工商联", "妇联", "残联", "文联", "侨联", "科协", "总工会", "红十字会"},
                               key=len, reverse=True))


def split_run_together(name: str, known: Collection[str] = ()) -> list[str]:
    """'区住建局区城管局' → ['区住建局', '区城管局']: two unit names printed without a separator.

    A name splits where one unit name ends (局, 委, 办, 院, 中心, 分行, 支行, 政府, 公司, 集团, 街道 …)
    and the next begins as the first began (the same first character: 区…区…, 市…市…, 经开区…经开区…),
    each part long enough to be a unit. A name in `known` (the unit directory) is never split, nor one
    that reads as a single body (区纪委区监委). Anything else stays as printed.
    """
    if name in known or len(name) < 6 or _ONE_UNIT.search(name):
        return [name]
    head = name[0]
    for i in range(3, len(name) - 2):
        if name[i] != head or not name[:i].endswith(_SPLIT_SUFFIXES):
            continue
        rest = name[i:]
        if not rest.endswith(_UNIT_SUFFIXES) or len(rest) < 3:
            continue
        if name[:i] in known or rest in known or is_unit_name(rest):
            return [name[:i]] + split_run_together(rest, known)
    return [name]


# The rule a plan prints beside a list of units, or in a 责任单位 column's header: the first listed leads.
# ('第一责任单位为牵头单位', '排名第一的为牵头单位', '列第一位的为牵头单位', '第一个为牵头单位')
FIRST_LEADS_RULE = re.compile(
    r"(?:列|排)?(?:名|在)?(?:第一位|首位|第一个|第一)(?:的|者)?(?:责任)?(?:单位|部门)?(?:为|是)牵头(?:单位|部门)"
    r"(?:[，,]?\s*(?:其他|其余)(?:单位|部门)?(?:为|是)(?:配合|责任)(?:单位|部门))?")


# '排名不分先后': every unit listed leads. '下同': the rule holds for every later item until another is stated.
ALL_LEAD_RULE = re.compile(r"(?:排名|排序|排列|顺序)?不分(?:先后|主次|前后)(?:顺序)?|均为牵头(?:单位|部门)|(?:均|都)为责任(?:单位|部门)")
RULE_CARRIES = re.compile(r"(?:以)?下同|后同|下文同|以下各项同")
_RULE_NOTE = re.compile(r"^\s*(?:注[：:])?\s*(?:各项任务中?|责任单位中?)?\s*")
_OPEN, _CLOSE = "（(〔[【［", "）)〕]】］"


def bracket_groups(text: str) -> list[tuple[int, int, str]]:
    """Top-level bracket groups as (start, end, inner), any bracket shape, nesting allowed."""
    groups: list[tuple[int, int, str]] = []
    depth, start = 0, 0
    for i, ch in enumerate(text):
        if ch in _OPEN:
            if depth == 0:
                start = i
            depth += 1
        elif ch in _CLOSE and depth:
            depth -= 1
            if depth == 0:
                groups.append((start, i + 1, text[start + 1: i]))
    return groups


def read_bracketed_rule(text: str) -> tuple[str, bool, str]:
    """(rule, carries, text without it) for a rule printed in brackets beside a list of units, in a
    prose attribution or a table's unit cell alike: '区发改委、区财政局（第一责任单位为牵头单位，下同）' →
    ("first", True, '区发改委、区财政局'); '（排名不分先后）' → ("all", False, …); no rule → ("", False, text).
    The parenthesis holding a rule is dropped whole: it is never a unit."""
    rule, carries = "", False
    for start, end, inner in reversed(bracket_groups(text)):
        body = _RULE_NOTE.sub("", inner)
        kind = "first" if FIRST_LEADS_RULE.search(body) else ("all" if ALL_LEAD_RULE.search(body) else "")
        rest = RULE_CARRIES.sub("", ALL_LEAD_RULE.sub("", FIRST_LEADS_RULE.sub("", body)))
        if kind and not re.sub(r"[，,；;。.、\s]", "", rest):
            rule = rule or kind
            carries = carries or bool(RULE_CARRIES.search(body))
            text = text[:start] + text[end:]
    return rule, carries, text


# ----------------------------------------------------------------- people


def is_person_name(text: str) -> bool:
    text = squeeze(text or "")
    return 2 <= len(text) <= 4 and bool(_HAN.match(text)) and not is_unit_name(text)


def clean_person_name(text: str | None) -> str:
    return to_simplified(squeeze(text or ""))


# ------------------------------------------------------------------ prose

_NUMBERED = re.compile(r"^\s*(\d{1,3})\s*[.．、]\s*(?=\S)(?!\d)")


def split_number(text: str | None) -> tuple[int | None, str]:
    """'29.推行行政执法…' → (29, '推行行政执法…'); unnumbered text → (None, text)."""
    text = text or ""
    m = _NUMBERED.match(text)
    if not m:
        return None, text.strip()
    return int(m.group(1)), text[m.end():].strip()


_COMPOUND_NUMBER = re.compile(r"\d{1,3}\s*[-－—–]\s*(\d{1,3})")


def is_number(text: str | None) -> bool:
    """'12', or '1-2' (a section's own numbering: the section, then the item in it)."""
    text = (text or "").strip()
    return bool(re.fullmatch(r"\d{1,4}", text) or _COMPOUND_NUMBER.fullmatch(text))


def cell_number(text: str) -> int:
    """The number a 序号 cell gives an item: 12 → 12; '1-2' → 2, the item's number in its section (the section
    is the row's area, printed in its own column)."""
    text = text.strip()
    compound = _COMPOUND_NUMBER.fullmatch(text)
    return int(compound.group(1)) if compound else int(text)


# ------------------------------------------------------------- milestones

_MILESTONE = re.compile(
    r"(?:(?P<year>\d{4})\s*年\s*)?(?P<month>\d{1,2})\s*月\s*(?:(?P<day>\d{1,2})\s*日|(?P<end>底))\s*(?:前|之前|以前)"
)
_CLAUSE_END = re.compile(r"[；;。]")
_NEXT_DATE = re.compile(r"[，,、](?=\s*(?:\d{4}\s*年\s*)?(?:\d{1,2}\s*月|年底|年末|年内|年中|上半年|下半年|第?[一二三四]季度))")


def find_milestones(text: str | None, default_year: int | None) -> list[ParsedMilestone]:
    """Dated steps inside a measure's text: '2023年7月31日前,印发通知…;' → milestone on 31 July."""
    milestones: list[ParsedMilestone] = []
    text = text or ""
    for m in _MILESTONE.finditer(text):
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
        stop = end.start() if end else len(text)
        following = _MILESTONE.search(text, m.end())
        if following and following.start() < stop:  # '5月31日前完成清单编制、9月30日前开展检查'
            stop = following.start()
        next_date = _NEXT_DATE.search(text, m.end(), stop)
        if next_date:  # '6月底前完成核查，年底前实现应付尽付'
            stop = next_date.start()
        clause = text[m.end(): stop].strip(" ,，、")
        milestones.append(ParsedMilestone(datetime.date(year, month, day), clause or text[m.start(): m.end()]))
    return milestones


# ------------------------------------------------- deadlines written in prose
#
# Prose plans write deadlines the way people say them: 2025年6月底前, 6月底,
# 年底前, 三季度末, 上半年, 长期坚持. Dates without a year resolve against the
# plan's year; continuing work has no date at all.

_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4}
_DATE_PHRASE = re.compile(
    r"(?:(?P<year>\d{4})\s*年\s*|(?P<next>次年|明年|下一年度?|下年度?)\s*)?"
    r"(?:(?P<month>\d{1,2})\s*月\s*(?:(?P<day>\d{1,2})\s*[日号]|(?P<part>底|末|上旬|中旬|下旬|份|中))?"
    r"|(?P<yearpart>年底|年末|年内|年中|底|末|内)"
    r"|(?P<half>上半年|下半年)"
    r"|第?\s*(?P<quarter>[一二三四1-4])\s*季度\s*(?:末|底)?)"
    r"\s*(?:前|之前|以前)?"
)
_ONGOING = re.compile(r"长期坚持|长期推进|长期开展|持续推进|持续开展|持续实施|持续深化|持续落实|常态化|长期|持续|久久为功|"
                      r"每年|每半年|每季度?|每月|每周|全年|逐年|按年度|动态")
_CLOSING_WORDS = re.compile(r"(?:前)?(?:完成|实现|到位|见效|落地|建成)?[。，,；;、\s]*$")


@dataclass
class DeadlinePhrase:
    """A deadline as a prose plan writes it. `date` is None for ongoing work."""

    date: datetime.date | None
    text: str
    year_only: bool = False
    relative: bool = False  # no year printed: resolved against the plan's year
    ongoing: bool = False
    start: int = 0
    end: int = 0
    recurring: str | None = None  # "monthly", "quarterly" …: work done again each period (每月, 每季度)


def _phrase_date(m: re.Match[str], plan_year: int | None) -> tuple[datetime.date, bool, bool] | None:
    if m["year"]:
        year, relative = int(m["year"]), False
    elif m["next"]:
        if not plan_year:
            return None
        year, relative = plan_year + 1, True
    else:
        if not plan_year:
            return None
        year, relative = plan_year, True
    if not 1990 <= year <= 2100:
        return None
    year_only = False
    if m["month"]:
        month = int(m["month"])
        if not 1 <= month <= 12:
            return None
        last = calendar.monthrange(year, month)[1]
        if m["day"]:
            day = int(m["day"])
        else:
            day = {"上旬": 10, "中旬": 20, "中": 15}.get(m["part"], last)
        if not 1 <= day <= last:
            return None
        date = datetime.date(year, month, day)
    elif m["yearpart"]:
        part = m["yearpart"]
        if part in ("底", "末", "内") and not m["year"]:
            return None  # a lone 底 or 内 in running text is not a date
        date = datetime.date(year, 6, 30) if part == "年中" else datetime.date(year, 12, 31)
        year_only = part in ("年内", "内")
    elif m["half"]:
        date = datetime.date(year, 6, 30) if m["half"] == "上半年" else datetime.date(year, 12, 31)
    else:
        quarter = _CN_DIGITS.get(m["quarter"]) or int(m["quarter"])
        month = quarter * 3
        date = datetime.date(year, month, calendar.monthrange(year, month)[1])
    return date, year_only, relative


_QUARTER_Q = re.compile(r"(\d{4})\s*年?\s*[QqＱ]\s*([1-4])")
_YEAR_RANGE = re.compile(r"\d{4}\s*年?\s*[—–－\-~～至到]+\s*(\d{4})\s*年")


def deadline_text(text: str) -> str:
    """A printed deadline in the words the parsers read: '2024年Q3' → '2024年第3季度'; a span of years
    '2024—2025年' → '2025年底' (the work is due when the span ends)."""
    raw = to_simplified(fold_width(text or ""))
    raw = _QUARTER_Q.sub(r"\1年第\2季度", raw)
    return _YEAR_RANGE.sub(r"\1年底", raw)


def find_deadlines(text: str, plan_year: int | None) -> list[DeadlinePhrase]:
    """Every date a prose deadline names, in printed order: '6月底前完成清单，12月底前完成整改' → two."""
    raw = deadline_text(text)
    found: list[DeadlinePhrase] = []
    printed_year: int | None = None
    for m in _DATE_PHRASE.finditer(raw):
        if not m.group(0).strip() or not (m["month"] or m["yearpart"] or m["half"] or m["quarter"]):
            continue
        # '2025年6月底前…，12月底前…': a later date without a year keeps the year printed before it.
        resolved = _phrase_date(m, printed_year or plan_year)
        if resolved is None:
            continue
        date, year_only, relative = resolved
        if m["year"]:
            printed_year = int(m["year"])
        elif printed_year and not m["next"]:
            relative = False
        found.append(DeadlinePhrase(date, m.group(0).strip(), year_only, relative, False, m.start(), m.end()))
    return found


_RECURRING = (
    (re.compile(r"每周|每星期|按周"), "weekly"),
    (re.compile(r"每月|每个月|按月|逐月|月度"), "monthly"),
    (re.compile(r"每季度?|每个季度|按季度?|逐季|季度性"), "quarterly"),
    (re.compile(r"每半年|每个半年|按半年"), "half-yearly"),
    (re.compile(r"每年度?|按年度?|逐年"), "yearly"),
)


def recurrence(text: str) -> str | None:
    """How often a deadline says the work comes back: '每季度' → 'quarterly', '每月调度' → 'monthly', else None."""
    raw = to_simplified(text or "")
    for pattern, period in _RECURRING:
        if pattern.search(raw):
            return period
    return None


def _dated_steps(raw: str) -> bool:
    """'2025年4月底前制定方案，10月底前完成整治': a deadline cell naming its steps, each part begun by its date
    (short parts; a measure's sentences are longer and say more than their dates)."""
    parts = [p for p in re.split(r"[，,；;]", raw) if p]
    return (2 <= len(parts) <= 4 and len(raw) <= 60 and all(_MILESTONE.match(p) and len(p) <= 24 for p in parts))


def is_deadline_cell(text: str) -> bool:
    """A table cell holding a deadline as plans print them: '2024年6月30日', '6月底前', '2024年第三季度',
    '上半年', '长期坚持', '每季度' (short; a measure's sentence is never one)."""
    raw = squeeze(text or "")
    if _dated_steps(raw):
        return True
    if not raw or len(raw) > 24 or re.search(r"[。；;]", raw):
        return False
    if parse_deadline(raw) or parse_deadline(deadline_text(raw)):
        return True
    if not parse_deadline_phrase(raw, 2000):
        return False
    # nothing but the deadline: '持续推进提升政务服务满意度专项行动' names an action, not a deadline
    rest = deadline_text(raw)
    for pattern in (_DATE_PHRASE, _ONGOING, *(p for p, _period in _RECURRING)):
        rest = pattern.sub("", rest)
    return len(_DEADLINE_FILLER.sub("", rest)) <= 2


_DEADLINE_FILLER = re.compile(r"分阶段|分步|逐步|全面|完成|到位|见效|开展|调度|落实|实施|推进|通报|一次|以前|之前|前|"
                              r"[，,、（）()]")


def parse_deadline_phrase(text: str, plan_year: int | None) -> DeadlinePhrase | None:
    """The deadline a prose attribution states, or None when it states none.

    '2025年12月31日' → that date; '6月底前' → 30 June of the plan's year (relative);
    '三季度末' → 30 September; '年底前' → 31 December; '长期坚持' / '持续推进' →
    ongoing, no date. Several dates ('6月底前完成清单，12月底前完成整改'): the
    latest is the deadline (the earlier ones are steps, see find_deadlines).
    """
    printed = (text or "").strip()
    raw = squeeze(deadline_text(printed))
    if not raw:
        return None
    recurring = recurrence(raw)
    exact = parse_deadline(_CLOSING_WORDS.sub("", raw))
    if exact:
        year_end = bool(re.search(r"年(?:底|末)", raw))  # 2025年底前 is a date, not just a year
        return DeadlinePhrase(exact.date, printed, exact.year_only and not year_end, False, recurring=recurring)
    found = find_deadlines(raw, plan_year)
    if found:
        last = max(found, key=lambda d: d.date or datetime.date.min)  # find_deadlines' phrases all have a date
        return DeadlinePhrase(last.date, printed, last.year_only, last.relative, recurring=recurring)
    if _ONGOING.search(raw) or recurring:
        return DeadlinePhrase(None, printed, ongoing=True, recurring=recurring)
    return None


# ------------------------------------------------------ abbreviated unit lists
#
# '市市场监管局、发展改革委、公安局' prints the 市 once: the following names
# share the first one's prefix. Only names that are plainly a bare department
# get the prefix, so that '国网南昌供电公司' or '西湖公安分局' stay as printed.

_LEVEL_PREFIX = re.compile(r"^(省委|市委|区委|县委|州委|省|市(?!场)|区(?!域)|县|州|旗)")  # 市场监管分局 names no 市
_PARTY_DEPARTMENTS = re.compile(r"^(组织部|宣传部|统战部|政法委|编办|网信办|政研室|改革办|深改办|巡察办|老干部局|机要局|保密办|台办)")
_BARE_DEPARTMENTS = re.compile(
    r"^(发展改革委|发改委|发展和改革委员会|发展和改革局|发改局|教育局|教体局|教育体育局|科技局|科学技术局|工信局|工业和信息化局|"
    r"工业和信息化委|公安局|民政局|司法局|财政局|人社局|人力资源社会保障局|人力资源和社会保障局|自然资源局|自然资源和规划局|"
    r"生态环境局|住建局|住房城乡建设局|住房和城乡建设局|城乡建设局|交通运输局|交通局|水利局|水务局|农业农村局|农业局|商务局|"
    r"文旅局|文广新旅局|文化广电旅游局|文化和旅游局|卫健委|卫生健康委|卫生健康局|应急局|应急管理局|审计局|国资委|国资局|"
    r"市场监管局|市场监督管理局|统计局|医保局|医疗保障局|城管局|城管执法局|城市管理局|数据局|政数局|大数据局|行政审批局|"
    r"政务服务管理局|政务服务局|税务局|金融办|金融局|金融服务中心|营商办|信访局|退役军人事务局|外办|机关事务局|林业局|"
    r"气象局|消防救援支队|消防救援大队|政务服务中心|公共资源交易中心|住房公积金中心|中小企业局|服务业发展局|科协|工商联|"
    r"总工会|团委|妇联|残联|法院|人民法院|检察院|人民检察院|公积金中心|融媒体中心|档案馆|投资促进局|招商局|口岸办|海关)$"
)


def expand_shared_prefix(names: Iterable[str]) -> list[str]:
    """['市市场监管局', '发展改革委'] → ['市市场监管局', '市发展改革委']; other names unchanged."""
    result: list[str] = []
    level, party = "", ""
    for name in names:
        m = _LEVEL_PREFIX.match(name)
        if _PARTY_DEPARTMENTS.match(name):
            result.append((party or level + "委") + name if level else name)
        elif _BARE_DEPARTMENTS.match(name):  # before the prefix test: 市场监管局 is bare
            result.append(level + name)
        elif m:
            prefix = m.group(1)
            level = prefix[0]
            party = prefix if prefix.endswith("委") else (party if party[:1] == level else "")
            result.append(name)
        else:
            result.append(name)
    return result
