"""Plans written as prose: 任务分工方案, 工作要点 and the like.

Most districts publish their plan as numbered headings with each task a
sentence or paragraph, followed by who does it and by when, in brackets:

    一、持续优化政务服务                                  → area
    （一）深化“一网通办”改革                              → task (items follow under it)
    1.推行……。（牵头单位：区数据局；责任单位：区直各有关单位；完成时限：2025年12月31日）
                                                         → measure
    (1)…  ①…                                             → steps of the item above

The attribution comes in several customary forms, often mixed in one file:
keyed (牵头单位：…；责任单位：…；完成时限：…), spoken (区税务局牵头，区财政局、
区发改委配合，2025年12月底前完成), a bare list (责任单位：A、B、C，列第一位的为牵头单位),
in （）, (), 〔〕, 【】 or on lines of its own after the item. Headings inherit
down: an item without its own units or deadline takes its heading's.

A plan that also carries task-list annexes (a prose body plus a table) is
read as one plan: the annex rows are placed under the body's headings, and a
body item that an annex row repeats or details is not counted again (see
`merge_annex_tables`).

`parse_prose_lines(lines, source)` is the entry point for any reader that has
the document's paragraphs (the text of a PDF, the paragraphs of a .docx).
"""

from __future__ import annotations

import datetime
import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from duban.core.chinese import fold_width, match_key, squeeze, to_simplified

from . import cells
from .base import ParsedArea, ParsedMeasure, ParsedPlan, ParsedTask, PlanImportError, SourceRow, SourceTable
from .grid import header_roles, looks_like_header
from .numbering import match_heading
from .particulars import clean_line, listed_annexes, plan_year, read_particulars
from .tables import NO_DEADLINE, NO_LEAD_UNIT, CellScorer, align_row, area_kind_for_name, build_from_tables

# ------------------------------------------------------------------ headings

STEP_LEVELS = (4, 5)  # (1) and ①: steps inside an item unless they carry their own attribution
_GENERIC_SECTION = re.compile(r"^(主要任务|重点任务|主要措施|工作任务|任务分工|具体任务|重点工作|主要工作|工作措施|工作重点|"
                              r"重点任务分工|任务清单|主要内容)[。：:]?$")
_BODY_END = re.compile(r"^附\s*件\s*[：:]|^附\s*件\s*\d+\s*$|^抄送[：:]")
_HAN_GAP = re.compile(r"(?<=[\u4e00-\u9fff，。、；：（）])\s+(?=[\u4e00-\u9fff，。、；：（）])")


# -------------------------------------------------------------- attributions

_OPEN, _CLOSE = "（(〔[【［", "）)〕]】］"
_KEY_NAMES = {
    "lead": ("牵头责任单位", "牵头单位", "牵头部门", "主责单位", "主责部门", "牵头"),
    "responsible": ("责任单位", "责任部门", "实施单位", "承办单位", "落实单位", "责任主体"),
    "cooperating": ("配合单位", "配合部门", "协同单位", "参与单位", "协办单位", "协同部门"),
    "deadline": ("完成时限", "完成时间", "完成期限", "时间节点", "时间安排", "时限要求", "时限"),
    "leader": ("牵头区领导", "牵头市领导", "牵头领导", "责任领导", "分管领导", "区领导", "市领导", "指标长", "责任人"),
}
_KEY_ROLE = {name: role for role, names in _KEY_NAMES.items() for name in names}
# A bare '时间：' names the deadline only where a part of the attribution starts ('…；时间：长期坚持'), never
# inside a phrase ('办理时间：3个工作日' is no attribution).
_KEY_ROLE["时间"] = "deadline"
_KEY_ALTERNATIVES = "|".join(sorted(set(_KEY_ROLE) - {"时间"}, key=len, reverse=True)) + r"|(?:^|(?<=[；，。\s]))时间"
_KEY = re.compile(r"(%s)\s*[：:]" % _KEY_ALTERNATIVES)
_ATTRIBUTION_LINE = re.compile(r"^(%s)\s*[：:]" % _KEY_ALTERNATIVES)
_FIRST_LEADS = re.compile(
    r"[，,；;。]?\s*(?:注[：:])?\s*(?:各项任务中?|责任单位中?)?(?:列|排)在?(?:第一位|首位|第一个|第一)(?:的|者)?(?:单位)?"
    r"(?:为|是)牵头(?:单位|部门)(?:[，,]?\s*(?:其他|其余)(?:单位)?(?:为|是)(?:配合|责任)(?:单位|部门))?[。]?")
_LEAD_ROLE = re.compile(r"(?:为牵头单位|牵头负责|牵头落实|牵头推进|牵头实施|共同牵头|分别牵头|总牵头|负总责|牵头)$")
_COOP_ROLE = re.compile(r"(?:配合落实|配合推进|配合实施|协同推进|协同配合|按职责配合|共同参与|参与|配合|协同|协助|协办|支持)$")
_NEUTRAL_ROLE = re.compile(r"(?:按职责分工负责|按职责分工落实|按职责负责|按职责落实|分别负责|各负其责|具体负责|负责落实|"
                           r"组织实施|负责|落实|实施)$")
# 'X、Y按职责分工负责': each answers for its own part, so each leads, whatever rule a 下同 carried
_EACH_ROLE = re.compile(r"(?:按职责分工负责|按职责分工落实|按职责负责|按职责落实|分别负责|各负其责)$")
_ROLE_WORDS = re.compile(r"牵头|配合|协同|负责|负总责")
# A rule printed beside a list of units: '（第一责任单位为牵头单位，下同）', '（排名不分先后，下同）'. It says how to
# read the list, never names a unit; with 下同 it holds for every later item until the plan states another.
_RULE_ALL, _RULE_CARRIES = cells.ALL_LEAD_RULE, cells.RULE_CARRIES
_MARKED_LEAD = re.compile(r"[（(]\s*牵头\s*[）)]")
# '★1.推行…' / '▲（三）…': a mark for a key task before the number (the text keeps none of it)
_KEY_MARK = re.compile(r"^[★☆▲△◆◇●■]+\s*")


_SEPARATORS = str.maketrans(":;,〔〕【】［］[]", "：；，（）（）（）（）")


def normalize(text: str) -> str:
    """Simplified characters, half-width letters/digits, the full-width separators prose uses."""
    return to_simplified(fold_width(text)).translate(_SEPARATORS)


bracket_groups = cells.bracket_groups


def is_open(text: str) -> bool:
    """True while a bracket is still open at the end of the text (the attribution goes on)."""
    depth = 0
    for ch in text:
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE and depth:
            depth -= 1
    return depth > 0


def _standalone_attribution(text):
    """The inner text when a whole line is one bracketed attribution, else ''."""
    groups = bracket_groups(text)
    if len(groups) == 1 and groups[0][0] == 0 and not re.sub(r"[。.；;，,\s]", "", text[groups[0][1]:]):
        inner = groups[0][2]
        return inner if looks_like_attribution(inner, True) else ""
    return ""


def _plausible_units(text):
    """Looser than cells.is_unit_list, for the names before 牵头 / 配合: '人民银行云州市分行', '云溪海关'."""
    parts = cells.split_units(text)
    return bool(parts) and all(2 <= len(p) <= 25 and not re.search(r"[\d。“”\"《》：:]", p) for p in parts)


def _clauses(text):
    """The parts of an attribution between its commas and semicolons. 'A，B按职责分工负责' is one part: the
    comma only separates the units that each answer for their share, as 'A、B按职责分工负责' does."""
    parts = [c.strip() for c in re.split(r"[，；。]", text) if c.strip()]
    out: list[str] = []
    for part in parts:
        each = _EACH_ROLE.search(part)
        while (each and out and cells.is_unit_list(out[-1]) and not _ROLE_WORDS.search(out[-1])
               and not cells.parse_deadline_phrase(out[-1], 2000)):
            part = out.pop() + "、" + part
        out.append(part)
    return out


def looks_like_attribution(inner: str, at_end: bool) -> bool:
    """A bracket holding who does it and by when (not '（保证保险）' or '（2019）')."""
    text = normalize(squeeze(inner))
    if not text:
        return False
    if _KEY.search(text) or (_ROLE_WORDS.search(text) and (at_end or _KEY.search(text))):
        return True
    if not at_end:
        return False
    parts = _clauses(_FIRST_LEADS.sub("", text))
    return bool(parts) and all(cells.is_unit_list(p) or cells.parse_deadline_phrase(p, 2000) for p in parts)


def split_attribution(text: str) -> tuple[str, str]:
    """(text without the attribution, attribution as printed or '')."""
    groups = bracket_groups(text)
    for start, end, inner in reversed(groups):
        at_end = not re.sub(r"[。.；;，,、\s]", "", text[end:])
        if looks_like_attribution(inner, at_end):
            before, after = text[:start].rstrip(), text[end:].strip()
            if after and before.endswith(("。", "；", ";", ".")):
                after = ""  # 'xxx。（…）。' → 'xxx。'
            return (before + after).strip(), inner.strip()
    return text.strip(), ""


@dataclass
class Attribution:
    raw: str
    lead: list[str] = field(default_factory=list)
    cooperating: list[str] = field(default_factory=list)
    scope: list[str] = field(default_factory=list)
    deadline: cells.DeadlinePhrase | None = None
    deadline_printed: str = ""  # the deadline part as printed, understood or not
    deadline_value: str = ""  # the whole deadline part, for steps inside it
    leaders: list[str] = field(default_factory=list)
    not_understood: list[str] = field(default_factory=list)
    abbreviated: dict[str, str] = field(default_factory=dict)  # expanded name → as printed
    split: dict[str, list[str]] = field(default_factory=dict)  # a name printed run together → the units read in it
    lead_unstated: bool = False  # 责任单位 listed with no lead named: all of them answer for it
    rule: str = ""  # how a bare list of units was read: "first" (the first leads), "all" (all lead), "" (no rule)
    rule_carries: bool = False  # the rule was printed with 下同: it holds for the items that follow
    first_listed: bool = False  # the lead is the first of a bare list, by the rule (not named as lead)

    @property
    def has_units(self) -> bool:
        return bool(self.lead or self.cooperating or self.scope)


def read_rule(text: str) -> tuple[str, bool, str]:
    """(rule, carries, text without the rule) for a rule printed in an attribution.

    '责任单位：A、B、C（第一责任单位为牵头单位，下同）' → ("first", True, '责任单位：A、B、C');
    '（排名不分先后，下同）' → ("all", True, …); '，列第一位的为牵头单位' → ("first", False, …).
    The parenthesis holding a rule is dropped whole: it is never a unit.
    """
    rule, carries, text = cells.read_bracketed_rule(text)
    for pattern, kind in ((_FIRST_LEADS, "first"), (_RULE_ALL, "all")):
        m = pattern.search(text)
        if m and not _KEY.search(text[m.start():m.end()]):
            rule = rule or kind
            tail = _RULE_CARRIES.match(text, m.end()) or re.compile(r"[，,]\s*(?:以)?下同").match(text, m.end())
            carries = carries or bool(tail)
            text = text[:m.start()] + "，" + text[tail.end() if tail else m.end():]
    return rule, carries, text


def stated_unit_rule(lines: Iterable[str | None]) -> str:
    """"first" when a note of the body says the first unit of a list leads ('注：责任单位中排在第一位的为
    牵头单位'), else "": what a task-list table's lone 责任单位 column means."""
    for raw in lines:
        text = normalize(squeeze(raw or ""))
        if _FIRST_LEADS.search(text) and not _KEY.search(text) and not match_heading(text):
            return "first"
    return ""


def parse_attribution(raw: str, year: int | None, first_listed_leads: bool = False, rule: str = "") -> Attribution:
    """Who leads, who cooperates, by when, from an attribution in any customary form.

    `rule` is how a bare list of units is read when the attribution states no rule of its own:
    "first" (the first-listed leads: a plan-wide note, or a rule printed with 下同 on an earlier item),
    "all" (排名不分先后), "" (none: the units listed all answer for it, as a bare list says).
    """
    result = Attribution(raw=raw)
    text = normalize(squeeze(raw))
    stated, result.rule_carries, text = read_rule(text)
    rule = stated or rule or ("first" if first_listed_leads else "")
    result.rule = rule
    named: list[tuple[str, str]] = []  # (role, printed name) in printed order: lead / cooperating / neutral
    keyed = list(_KEY.finditer(text))
    free = text[: keyed[0].start()] if keyed else text
    for k, m in enumerate(keyed):
        value = text[m.end(): keyed[k + 1].start() if k + 1 < len(keyed) else len(text)].strip("，；。 ")
        role = _KEY_ROLE[m.group(1)]
        if role == "deadline":
            _set_deadline(result, value, year)
        elif role == "leader":
            result.leaders += [cells.clean_person_name(n) for n in re.split(r"[、，]", value) if n.strip()]
        else:
            for clause in _clauses(value):
                if _clause_role(clause)[0]:
                    _free_clause(result, clause, named, year)
                else:
                    _add_names(named, {"lead": "lead", "cooperating": "cooperating"}.get(role, "neutral"), clause)
    for clause in _clauses(free):
        _free_clause(result, clause, named, year)

    printed = [name for _role, name in named]
    expanded = cells.expand_shared_prefix(printed)
    neutral = []
    for (role, name), full in zip(named, expanded):
        if full != name:
            result.abbreviated[full] = name
        # '区住建局区城管执法局', '县司法局县直各行政执法部门': run together, as in a table's cell
        parts, scope = cells.split_name(full)
        result.scope += scope
        if len(parts) + len(scope) > 1:
            result.split[full] = parts + scope
        if not parts:
            continue
        if role == "lead":
            result.lead += parts
        elif role == "cooperating":
            result.cooperating += parts
        else:
            neutral += parts
    if neutral:
        if result.lead:
            result.cooperating = neutral + result.cooperating
        elif rule == "first":
            result.lead, result.cooperating = neutral[:1], neutral[1:] + result.cooperating
            result.first_listed = len(neutral) > 1
        elif rule == "all":
            result.lead = neutral  # 排名不分先后: every unit listed leads, as the plan says
        else:
            result.lead, result.lead_unstated = neutral, True
    result.lead = _unique(result.lead)
    result.cooperating = [u for u in _unique(result.cooperating) if u not in result.lead]
    return result


def _unique(names):
    seen, out = set(), []
    for name in names:
        if name not in seen:
            seen.add(name)
            out.append(name)
    return out


def _clause_role(clause):
    clause = re.sub(r"^由", "", clause)
    for role, pattern in (("lead", _LEAD_ROLE), ("cooperating", _COOP_ROLE), ("lead", _EACH_ROLE),
                          ("neutral", _NEUTRAL_ROLE)):
        m = pattern.search(clause)
        if m:
            units = re.sub(r"(?:等(?:单位|部门)?|会同|和)$", "", clause[: m.start()])
            plausible = cells.is_unit_list(units) or (role != "neutral" and _plausible_units(units))
            if units and (plausible or _MARKED_LEAD.search(units)):
                return role, units
    return None, clause


def _free_clause(result, clause, named, year):
    together = re.match(r"^由?(.+?)会同(.+?)(?:共同)?(?:牵头|负责|落实|推进|实施)?$", clause)
    if together and cells.is_unit_list(together[1]) and cells.is_unit_list(together[2]):
        _add_names(named, "lead", together[1])  # '区商务局会同区发改委负责'
        _add_names(named, "cooperating", together[2])
        return
    role, units = _clause_role(clause)
    if role:
        _add_names(named, role, units)
        return
    if cells.is_unit_list(clause) or _MARKED_LEAD.search(clause):
        _add_names(named, "neutral", clause)
        return
    if cells.parse_deadline_phrase(clause, year):
        _set_deadline(result, clause, year)
        return
    result.not_understood.append(clause)


_NAME_SEPARATORS = re.compile(r"[、，；／/]+")
_ET_CETERA = re.compile(r"^(?P<units>.+?)等(?P<scope>(?:其他|各)?(?:有关|相关)(?:单位|部门|单位和部门|部门和单位)|"
                        r"(?:单位|部门)|[^、，]*(?:有关|相关)[^、，]*)$")


def _add_names(named, role, text):
    for part in cells.split_outside_brackets(text, _NAME_SEPARATORS):
        if not part.strip():
            continue
        et_cetera = _ET_CETERA.match(part.strip())
        if et_cetera and cells.is_unit_name(et_cetera["units"]):
            # 'Y等有关部门': Y is named in its role; 有关部门 is the stated scope beside it
            _add_names(named, role, et_cetera["units"])
            scope = et_cetera["scope"]
            if cells.is_collective(scope):
                named.append(("scope", scope))
            continue
        part_role = "lead" if _MARKED_LEAD.search(part) else role  # '区发改委（牵头）'
        name = cells.clean_unit_name(_MARKED_LEAD.sub("", part))
        if name:
            named.append((part_role, name))


def _set_deadline(result, value, year):
    result.deadline_printed = ((result.deadline_printed + "，") if result.deadline_printed else "") + value
    result.deadline_value = result.deadline_printed
    phrase = cells.parse_deadline_phrase(result.deadline_printed, year)
    if phrase:
        result.deadline = phrase


# ------------------------------------------------------------------ reading


@dataclass
class _Node:
    level: int
    number: int | None
    line: int
    prefix: str = ""  # the number as printed: '1.', '（一）', '(1)'
    parts: list[str] = field(default_factory=list)
    extra_attribution: list[str] = field(default_factory=list)  # '牵头单位：…' printed on lines of their own
    children: list[_Node] = field(default_factory=list)
    parent: _Node | None = None
    closed: bool = False  # the attribution has been printed: later loose lines are not this item's
    text: str = ""
    attribution: Attribution | None = None

    def descendants(self):
        for child in self.children:
            yield child
            yield from child.descendants()

    def attributed_below(self):
        return any(d.attribution for d in self.descendants())

    def full_text(self):
        """The item's text with its steps ((1), ①) folded in."""
        texts = [self.text] + [d.prefix + d.text + (f"（{d.attribution.raw}）" if d.attribution else "")
                               for d in self.descendants()]
        return "".join(t for t in texts if t)


def _join(previous, more):
    if previous and re.search(r"[A-Za-z0-9]$", previous) and re.match(r"[A-Za-z0-9]", more):
        return previous + " " + more
    return previous + more


class ProseReader:
    def __init__(self, plan: ParsedPlan, source: str, numbers: Sequence[int] | None = None) -> None:
        self.plan = plan
        self.source = source
        self.numbers = numbers  # numbers[i]: the number line i's warnings carry (its file line); None: i + 1
        self.year = plan.year
        self.first_listed_leads = False
        self.rule = ""  # a rule printed with 下同, carried to the items after it
        self.split_warned: set[int] = set()  # attributions whose run-together names were warned about
        self.items = 0
        self.missing_deadlines: list[tuple[int, str]] = []  # measures without a printed deadline (one warning if none has one)

    def warn(self, line: int | None, message: str) -> None:
        self.plan.warn(self.source, line, message)

    # -------------------------------------------------------------- the tree
    def read_tree(self, lines: Sequence[str], start: int = 0) -> list[_Node]:
        roots: list[_Node] = []
        stack: list[_Node] = []
        current: _Node | None = None
        for index, raw in enumerate(lines[start:], start=start):
            text = _KEY_MARK.sub("", normalize(_HAN_GAP.sub("", clean_line(raw))))
            if not text or re.fullmatch(r"-{3,}|\d{1,3}|[—－-]\s*\d+\s*[—－-]", text):
                continue  # blank, rule, or a page number
            if _BODY_END.match(text):
                break
            if _FIRST_LEADS.search(text) and not _KEY.search(text) and (
                    current is None or re.match(r"^[（(]?注", text)):
                self.first_listed_leads = True  # '（注：列第一位的为牵头单位）' for the whole plan
                self.plan.unit_rule = "first"  # the annex tables' unit lists too
            heading = match_heading(text)
            if heading:
                level, number, rest = heading
                line = self.numbers[index] if self.numbers else index + 1
                node = _Node(level, number, line, text[: len(text) - len(rest)].strip(), [rest])
                while stack and stack[-1].level >= level:
                    stack.pop()
                node.parent = stack[-1] if stack else None
                (node.parent.children if node.parent else roots).append(node)
                stack.append(node)
                current = node
                current.closed = self._closes(current)
                continue
            if current is None:
                continue  # the notice and preamble before the first heading
            if current.level in STEP_LEVELS and _standalone_attribution(text):
                # '(1)…' '(2)…' then '（责任单位：…）' on its own line: the attribution of the item above the steps
                while current.parent is not None and current.level in STEP_LEVELS:
                    current = current.parent
                current.extra_attribution.append(_standalone_attribution(text))
                current.closed = True
                continue
            if is_open("".join(current.parts)):
                current.parts[-1] = _join(current.parts[-1], text)  # an attribution running over lines
                current.closed = self._closes(current)
                continue
            if _ATTRIBUTION_LINE.match(text) and (current.extra_attribution or not current.closed):
                current.extra_attribution.append(text)
                continue
            if current.closed:
                continue  # a loose paragraph after a complete item: narrative, a closing line
            current.parts[-1] = _join(current.parts[-1], text)
            current.closed = self._closes(current)
        return roots

    @staticmethod
    def _closes(node):
        """The item ends with its attribution: '…。（区税务局牵头，…）'."""
        text = "".join(node.parts)
        groups = bracket_groups(text)
        if is_open(text) or not groups:
            return False
        start, end, inner = groups[-1]
        return not re.sub(r"[。.；;，,、\s]", "", text[end:]) and looks_like_attribution(inner, True)

    def attribute(self, nodes: Iterable[_Node]) -> None:
        for node in nodes:
            text, raw = split_attribution("".join(node.parts))
            if node.extra_attribution:
                raw = "；".join(([raw] if raw else []) + node.extra_attribution)
            node.text = text
            if raw:
                node.attribution = parse_attribution(raw, self.year, rule=self.rule or (
                    "first" if self.first_listed_leads else ""))
                if node.attribution.rule_carries:
                    self.rule = node.attribution.rule  # '（…，下同）': until the plan states another rule
            self.attribute(node.children)

    # ----------------------------------------------------------- the plan
    def build(self, roots: Iterable[_Node]) -> None:
        default_area = None
        for root in roots:
            if not (root.attribution or root.attributed_below()):
                continue  # 指导思想, 工作要求 …: no item in it says who does what
            if self._is_item(root):
                if default_area is None:
                    default_area = ParsedArea(kind="special_action", name="主要任务", source=self.source,
                                              line=root.line)
                    self.plan.areas.append(default_area)
                self._measure(root, default_area, None, [], [])
                continue
            generic = _GENERIC_SECTION.match(_title(root.text)) and any(
                not self._is_item(c) for c in root.children if c.attribution or c.attributed_below())
            if generic:  # 二、主要任务 → its （一）（二） are the areas
                inherited = [root.attribution] if root.attribution else []
                loose = None  # items printed straight under the section, beside its headings
                items_attributed = any(c.attribution for c in root.children if self._is_item(c))
                for child in root.children:
                    is_item = self._is_item(child)
                    if not (child.attribution or child.attributed_below() or (is_item and items_attributed)):
                        continue
                    if is_item:
                        if loose is None:
                            loose = ParsedArea(kind=area_kind(_title(root.text)), name=_title(root.text),
                                               number=root.number, source=self.source, line=root.line)
                            self.plan.areas.append(loose)
                        self._measure(child, loose, None, inherited, [])
                    else:
                        self._area(child, inherited)
            else:
                self._area(root, [])

    def _is_item(self, node):
        """An item (a measure): attributed with no attributed item below, or a step-level node."""
        if node.attributed_below():
            return False
        if not node.children:
            return True
        return bool(node.attribution) and all(c.level in STEP_LEVELS for c in node.descendants())

    def _area(self, node, inherited):
        title, narrative = _title_and_rest(node.text)
        area = ParsedArea(kind=area_kind(title), name=title, number=node.number, narrative=narrative,
                          source=self.source, line=node.line)
        if node.attribution:
            a = node.attribution
            area.attribution_text = a.raw
            area.lead_units, area.cooperating_units = list(a.lead), list(a.cooperating)
            area.scope_text = "、".join(a.scope)
            area.chief = a.leaders[0] if a.leaders else ""
            inherited = inherited + [a]
        self.plan.areas.append(area)
        self._children(node, area, None, inherited, [])

    def _children(self, node, area, task, inherited, headings):
        for child in node.children:
            if self._is_item(child):
                self._measure(child, area, task, inherited, headings)
                continue
            chain = inherited + ([child.attribution] if child.attribution else [])
            if task is None:
                new_task = ParsedTask(text=child.text, number=child.number, source=self.source, line=child.line)
                area.tasks.append(new_task)
                self._children(child, area, new_task, chain, headings)
            else:
                self._children(child, area, task, chain, headings + [_title(child.text)])

    def _measure(self, node, area, task, inherited, headings):
        self.items += 1
        text = node.full_text()
        own = node.attribution
        measure = ParsedMeasure(text=text, number=node.number, source=self.source, line=node.line)
        if own:
            measure.notes["attribution"] = own.raw
        if headings:
            measure.notes["headings"] = headings
        chain = inherited + ([own] if own else [])
        with_units = next((a for a in reversed(chain) if a.lead or a.cooperating or a.scope), None)
        if with_units is not None:
            measure.lead_units = list(with_units.lead)
            measure.cooperating_units = list(with_units.cooperating)
            measure.scope_text = "、".join(with_units.scope)
            heading_lead = next((a.lead for a in reversed(inherited) if a.lead and not a.lead_unstated), None)
            if with_units.lead_unstated and heading_lead:
                # （三）…（牵头单位：区发改委） then 10.…（责任单位：X）: the heading's lead, X cooperating
                measure.lead_units = list(heading_lead)
                measure.cooperating_units = [u for u in with_units.lead + with_units.cooperating
                                             if u not in heading_lead]
            if with_units.first_listed and measure.lead_units == with_units.lead:
                measure.notes["first_listed_leads"] = True  # flagged as a table row read by the rule is
            if with_units is not own:
                measure.notes["units_from_heading"] = True
            if with_units.abbreviated:
                measure.notes["units_as_printed"] = with_units.abbreviated
            if with_units.split:
                measure.notes["units_split"] = dict(with_units.split)
                if id(with_units) not in self.split_warned:  # once, where it is printed
                    self.split_warned.add(id(with_units))
                    cells.note_units_split(self.plan, measure, self.source, node.line, with_units.split)
        label = _label(node)
        if own:
            for part in own.not_understood:
                self.warn(node.line, _("item %(item)s: attribution part not understood: %(part)s")
                          % {"item": label, "part": part})
        if not measure.lead_units:
            if measure.scope_text:
                pass  # 各街道按职责分工负责: a stated scope answers for it
            elif own or with_units is not None:
                self.warn(node.line, _("item %(item)s: the attribution names no lead unit: %(text)s")
                          % {"item": label, "text": _short(text)})
            else:
                self.warn(node.line, _("item %(item)s: no attribution (lead unit, deadline) found; imported "
                                       "without units: %(text)s") % {"item": label, "text": _short(text)})
        self._deadline(measure, node, chain, label)
        year = measure.deadline.year if measure.deadline else self.year
        measure.milestones = _unique_milestones(cells.find_milestones(text, year) + self._steps(own, measure))
        (task.measures if task else area.measures).append(measure)
        return measure

    def _deadline(self, measure, node, chain, label):
        printed = next((a for a in reversed(chain) if a.deadline_printed), None)
        if printed is not None and printed.deadline is not None:
            phrase = printed.deadline
            measure.deadline_text = phrase.text
            if phrase.recurring:
                measure.recurring = measure.notes["recurring"] = phrase.recurring
            if phrase.ongoing:
                measure.ongoing = True
            else:
                measure.deadline, measure.deadline_year_only = phrase.date, phrase.year_only
                if phrase.relative:
                    measure.notes["deadline_relative"] = True  # no year printed: the plan's year
            if printed is not node.attribution:
                measure.notes["deadline_from_heading"] = True
            return
        if printed is not None:
            measure.deadline_text = printed.deadline_printed
            self.warn(node.line, _("item %(item)s: deadline not understood: %(text)s; the plan's year end assumed")
                      % {"item": label, "text": printed.deadline_printed})
        else:
            self.missing_deadlines.append((node.line, label))
        if self.year:
            measure.deadline = datetime.date(self.year, 12, 31)
            measure.deadline_year_only = True
        measure.notes["deadline_missing"] = True

    def _steps(self, attribution, measure):
        """Earlier dates in the deadline itself: '6月底前完成清单编制，12月底前完成整改'."""
        if attribution is None or not attribution.deadline_value or measure.deadline is None:
            return []
        steps = cells.find_milestones(attribution.deadline_value, measure.deadline.year)
        return [s for s in steps if s.date < measure.deadline]

    def finish(self) -> None:
        if not self.missing_deadlines:
            return
        if len(self.missing_deadlines) == self.items and self.items > 1:
            self.warn(None, _("no item prints a deadline; the plan's year end is assumed for all %(count)s items")
                      % {"count": self.items})
            return
        for line, label in self.missing_deadlines:
            self.warn(line, _("item %(item)s: no deadline printed; the plan's year end assumed") % {"item": label})


def _label(node):
    return str(node.number) if node.number is not None else "—"


def _short(text, length=30):
    return text if len(text) <= length else text[:length] + "…"


def _title(text):
    return _title_and_rest(text)[0]


def _title_and_rest(text):
    """'深化“一网通办”改革。依托…' → ('深化“一网通办”改革', '依托…')."""
    m = re.search(r"[。；;：:]", text)
    if m and m.start() <= 60:
        return text[: m.start()].strip(), text[m.end():].strip()
    if len(text) <= 60:
        return text.strip("，, "), ""
    return text[:30], text


def _unique_milestones(milestones):
    seen, out = set(), []
    for m in sorted(milestones, key=lambda m: m.date):
        if (m.date, m.text) not in seen:
            seen.add((m.date, m.text))
            out.append(m)
    return out


INDICATOR_NAMES = re.compile(
    r"^(开办企业|办理建筑许可|获得电力|获得用水用气|登记财产|纳税|跨境贸易|办理破产|获得信贷|保护中小投资者|执行合同|"
    r"劳动力市场监管|政府采购|招标投标|政务服务|知识产权创造保护和运用|市场监管|包容普惠创新|获得经营场所|公用设施服务|"
    r"争端解决|促进市场竞争|企业破产|国际贸易)$")


def area_kind(name: str) -> str:
    """Kind of an area from its heading: an evaluated indicator by name, 专项治理, 前瞻 …, else a line of action."""
    if INDICATOR_NAMES.match(re.sub(r"^\d+[.．、]", "", name)):
        return "indicator"
    if re.search(r"亮点|特色", name):
        return "highlight"
    return area_kind_for_name(name, default="special_action")


# ------------------------------------------------------------- entry points


def is_prose_body(lines: Iterable[str], minimum: int = 3) -> bool:
    """The body's items are measures (lead units and deadlines in brackets), not areas.

    The seed's layout puts areas in the body — items naming an 指标长 or a lead
    district leader — and the measures in its annexes. For a reader that has
    the body's paragraphs apart from its tables (a .docx): prose if this holds.
    """
    attributions = [split_attribution(normalize(clean_line(line)))[1] for line in lines]
    with_leader = sum(1 for a in attributions if re.search(r"指标长|牵头区领导|牵头领导|区领导\s*：", a))
    without = sum(1 for a in attributions if a) - with_leader
    return without >= minimum and without > with_leader


def parse_prose_lines(lines: Iterable[str], source: str, tables: Iterable[SourceTable] | None = None,
                      metadata: bool = True, numbers: Sequence[int] | None = None, plan: ParsedPlan | None = None,
                      annexes: Iterable[int | None] | None = None) -> ParsedPlan:
    """A prose plan from its body's paragraphs, one a line (a PDF's text, a .docx's paragraphs in order).

    `tables`: the task-list tables that came with the document (SourceTables: its annexes, a .docx's
    tables); `numbers[i]`: the number line i's warnings carry; `plan`: the plan to fill (a new one by
    default); `annexes`: the annex numbers the document holds (by default those of `tables`).
    Raises PlanImportError when nothing can be imported.
    """
    lines = [to_simplified(line) for line in lines]
    plan = plan if plan is not None else ParsedPlan(source_name=source)
    if metadata:
        read_particulars(plan, lines)
        if not plan.title:
            plan.title = _first_title(lines)
            plan.year = plan_year(plan)
    reader = ProseReader(plan, source, numbers)
    roots = reader.read_tree(lines)
    reader.attribute(roots)
    reader.build(roots)
    reader.finish()

    tables = list(tables or [])
    if tables:
        merge_annex_tables(plan, tables)
    if not plan.areas or not any(True for _m in plan.all_measures()):
        if any(match_heading(normalize(clean_line(line))) for line in lines):
            raise PlanImportError(_("%(file)s: numbered items found, but none says who does it (牵头单位…, "
                                    "…牵头); is this a task-division plan?") % {"file": source})
        raise PlanImportError(_("%(file)s: no plan items and no task-list table found; is this an action plan?")
                              % {"file": source})
    present = set(annexes) if annexes is not None else {t.annex for t in tables}
    plan.missing_annexes = [f"附件{n}：{title}" for n, title in listed_annexes(lines) if n not in present]
    return plan


def _first_title(lines):
    """A plan titled in no customary way ('某区2025年重点任务清单'): its first line that names a year."""
    for raw in lines:
        text = re.sub(r"\s+", "", clean_line(raw))
        if not text:
            continue
        if match_heading(normalize(text)):
            return ""
        if re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日.*", text):
            continue  # the issue date
        if len(text) < 80 and re.search(r"(?:19|20)\d{2}\s*年", text) and not re.search(r"[。：:]", text):
            return text
    return ""


# ------------------------------------------------------------ mixed plans

SAME_ITEM = 0.75  # similarity above which an annex row and a body item are the same work


def _item_key(text):
    return match_key(_title(text))


def item_similarity(a: str, b: str) -> float:
    """How alike two items are by their titles (the text before the first full stop)."""
    ka, kb = _item_key(a), _item_key(b)
    if not ka or not kb:
        return 0.0
    if ka == kb:
        return 1.0
    if min(len(ka), len(kb)) >= 6 and (ka in kb or kb in ka):
        return 0.9
    return difflib.SequenceMatcher(None, ka, kb, autojunk=False).ratio()


@dataclass
class _BodyItem:
    measure: ParsedMeasure
    area: ParsedArea
    task: ParsedTask | None


def merge_annex_tables(plan: ParsedPlan, tables: list[SourceTable]) -> None:
    """Put a prose plan's annex tables into the same plan without counting anything twice.

    Each annex row goes under the body heading it belongs to: by the table's area
    column when it has one, else by the body item its task (or its own text)
    repeats, else under the row before it. Then, for each body item that annex
    rows repeat or detail:
    - one annex row saying the same thing: the two are one measure (the annex
      row, with the body item's line kept in its notes);
    - several rows, or rows under an annex task naming the item: the body item
      becomes the task (工作任务) over them — linked by the task, counted once.
    Annex rows without their own units or deadline take the body item's.
    """
    body = [_BodyItem(m, a, None) for a in plan.areas for m in a.measures]
    body += [_BodyItem(m, a, t) for a in plan.areas for t in a.tasks for m in t.measures]
    before_measures = {id(m) for m in plan.all_measures()}
    before_areas = {id(a) for a in plan.areas}
    scorer = CellScorer(known_areas=[a.name for a in plan.areas])
    prepared = [_with_area_column(plan, table, body, scorer) for table in tables]
    build_from_tables(plan, prepared)
    for area in plan.areas:
        if id(area) not in before_areas and area.source:
            area.kind = area_kind(area.name)

    groups: dict[int, tuple[_BodyItem, list[tuple[ParsedMeasure, ParsedArea, ParsedTask | None, bool]]]] = {}
    # id(body measure) → (body item, [(annex measure, its area, its annex task)])
    for area in plan.areas:
        placed = [(m, None) for m in area.measures] + [(m, t) for t in area.tasks for m in t.measures]
        for measure, annex_task in placed:
            if id(measure) in before_measures:
                continue
            item, by_task = None, False
            if annex_task is not None and annex_task.text:
                item = _best_body_item(body, annex_task.text)
                by_task = item is not None
            if item is None:
                item = _best_body_item(body, measure.text)
            if item is not None:
                groups.setdefault(id(item.measure), (item, []))[1].append((measure, area, annex_task, by_task))
    for item, refinements in groups.values():
        _link(plan, item, refinements)
    plan.areas[:] = [a for a in plan.areas if id(a) in before_areas or any(True for _m in a.all_measures())]


def _with_area_column(plan, table, body, scorer):
    """The table itself when it names its areas; else a copy with an area column filled from the body."""
    roles = header_roles(table.header)
    if "area" in roles:
        return table
    rows, fallback = [], table.title or (f"附件{table.annex}" if table.annex is not None else _("annex"))
    area_name = None
    for row in table.rows:
        if looks_like_header(row.cells):  # the header again on the next page
            rows.append(SourceRow(["工作领域"] + row.cells, row.line))
            continue
        assignment, _unplaced = align_row(row.cells, roles, scorer)
        got = {roles[j]: text for j, text in assignment.items() if roles[j]}
        name = ""
        for key in ("task", "measure"):
            if got.get(key):
                item = _best_body_item(body, got[key])
                if item is not None:
                    name = item.area.name
                    break
        if not name and area_name is None and got.get("measure"):
            name = fallback  # rows before any that matches the body: an area named after the annex
        if name:
            area_name = name
        rows.append(SourceRow([name] + row.cells, row.line))
    return SourceTable(source=table.source, annex=table.annex, title=table.title, header=["工作领域"] + table.header,
                       rows=rows, header_line=table.header_line, merges_known=table.merges_known)


def _best_body_item(body, text):
    best, best_score = None, SAME_ITEM
    for item in body:
        score = item_similarity(item.measure.text, text)
        if score >= best_score and (best is None or score > best_score):
            best, best_score = item, score
    return best


def _remove(container, measure):
    container[:] = [m for m in container if m is not measure]


def _inherit(plan, annex_measure, body_measure):
    """An annex row without its own units or deadline takes the body item's (and its warning goes)."""
    if not annex_measure.lead_units and not annex_measure.scope_text and body_measure.lead_units:
        annex_measure.lead_units = list(body_measure.lead_units)
        annex_measure.cooperating_units = list(body_measure.cooperating_units)
        annex_measure.scope_text = body_measure.scope_text
        annex_measure.notes["units_from_body_item"] = True
        _drop_warning(plan, annex_measure, NO_LEAD_UNIT())
    if annex_measure.notes.get("deadline_missing") and not body_measure.notes.get("deadline_missing"):
        for name in ("deadline", "deadline_year_only", "deadline_text", "ongoing"):
            setattr(annex_measure, name, getattr(body_measure, name))
        annex_measure.notes.pop("deadline_missing")
        annex_measure.notes["deadline_from_body_item"] = True
        _drop_warning(plan, annex_measure, NO_DEADLINE())


def _drop_warning(plan, measure, message):
    plan.warnings[:] = [w for w in plan.warnings
                        if not (w.source == measure.source and w.line == measure.line and w.message == message)]


def _link(plan, item, refinements):
    body_measure = item.measure
    reference = {"line": body_measure.line, "number": body_measure.number, "text": _title(body_measure.text)}
    if body_measure.notes.get("attribution"):
        reference["attribution"] = body_measure.notes["attribution"]
    container = item.task.measures if item.task else item.area.measures
    position = next(i for i, m in enumerate(container) if m is body_measure)
    _remove(container, body_measure)
    if len(refinements) == 1 and not refinements[0][3]:
        # The annex row and the body item are the same measure: keep one, where the body put it.
        measure, area, annex_task, _by_task = refinements[0]
        _remove(annex_task.measures if annex_task else area.measures, measure)
        _inherit(plan, measure, body_measure)
        measure.notes["body_item"] = reference
        measure.milestones = _unique_milestones(measure.milestones + body_measure.milestones)
        container.insert(min(position, len(container)), measure)
        return
    # The annex details the body item: the item becomes the task over the annex's measures.
    task = ParsedTask(text=body_measure.text, number=body_measure.number, source=body_measure.source,
                      line=body_measure.line)
    item.area.tasks.append(task)
    for measure, area, annex_task, _by_task in refinements:
        if annex_task is not None:
            _remove(annex_task.measures, measure)
            if annex_task.text and match_key(annex_task.text) != match_key(_title(body_measure.text)):
                measure.notes["annex_task"] = annex_task.text
        else:
            _remove(area.measures, measure)
        _inherit(plan, measure, body_measure)
        measure.notes["body_item"] = reference
        task.measures.append(measure)
    for area in plan.areas:
        area.tasks[:] = [t for t in area.tasks if t.measures or t is task]
