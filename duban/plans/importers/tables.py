"""Task-list tables → areas, tasks and measures.

Every layout hands its tables here as SourceTables (header + rows of cells, see grid.py).
Columns are recognised by their header names, in any order. Rows extracted from
a PDF are often misaligned — merged cells lost, cells shifted left, a number
dropped at a page break — so each row is aligned to the header by what its
cells hold (a deadline, a list of units, a person's name, prose), keeping the
printed order; the printed position only breaks ties.
"""

from __future__ import annotations

import datetime
import difflib
import re
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from duban.core.chinese import chinese_number, match_key, squeeze, to_simplified

from . import cells
from .base import ParsedArea, ParsedMeasure, ParsedPlan, ParsedTask, SourceTable
from .grid import column_role, header_roles, header_says_first_leads, looks_like_header
from .numbering import match_heading

# ------------------------------------------------------------------ aligning

SKIP_PENALTY = -6.0
POSITION_BONUS = 0.6


class Cell:
    """What a cell's text looks like, worked out once per distinct text."""

    __slots__ = ("number", "deadline", "unit_list", "person", "person_name", "numbered", "key", "length",
                 "sentence")

    def __init__(self, text: str) -> None:
        self.number = cells.is_number(text)
        self.deadline = cells.is_deadline_cell(text)
        self.unit_list = cells.is_unit_list(text)
        self.person = cells.is_person_name(text)
        self.person_name = cells.clean_person_name(text) if self.person else ""
        self.numbered = cells.split_number(text)[0] is not None
        self.key = match_key(text)
        self.length = len(text)
        self.sentence = bool(re.search(r"[。；;]", text))


@lru_cache(maxsize=20000)
def describe(text: str) -> Cell:
    return Cell(text)


class CellScorer:
    """How well a cell's content fits a column role (None: cannot be)."""

    def __init__(self, known_leaders: Iterable[str] = (), known_areas: Iterable[str] = ()) -> None:
        self.known_leaders = {cells.clean_person_name(n) for n in known_leaders}
        self.known_areas = {match_key(n) for n in known_areas}

    def __call__(self, role: str | None, text: str) -> float | None:
        cell = describe(text)
        if role is None:
            return 0.3
        if role == "number":
            return 3.0 if cell.number else None
        if role == "deadline":
            return 3.0 if cell.deadline else None
        if cell.number or cell.deadline:
            return None
        if role in ("lead", "cooperating", "responsible"):
            return 2.0 + (0.1 if role == "lead" else 0) if cell.unit_list else None
        known_person = cell.person and cell.person_name in self.known_leaders
        if role == "chief":
            if not cell.person:
                return None
            return 3.0 if known_person else 2.0
        if cell.unit_list:
            # '打造…普惠金融服务站' reads like a unit; prose columns may still hold it.
            return 0.2
        if role == "area":
            if cell.key in self.known_areas:
                return 3.0
            if cell.length > 40 or cell.sentence or known_person:
                return None
            return 2.0 if re.search(r"专项(行动|治理)$", text) else 1.5
        if known_person:
            return None
        if role == "measure":
            return 2.5 if cell.numbered else 1.0
        if role == "task":
            return 0.2 if cell.numbered else 1.0
        if role == "benchmarks":
            return 1.5 if re.search(r"[区市县]([、，,]|$)", text) and cell.length < 60 else 0.3
        if role == "target":
            return 1.5 if "目标" in text else 0.3
        return 1.0  # pilots and any other prose column


def align_row(row_cells: Sequence[str], roles: Sequence[str | None],
              scorer: Callable[[str | None, str], float | None]) -> tuple[dict[int, str], list[str]]:
    """Assign each non-empty cell to a column, keeping order. Returns (assignment, unplaced).

    assignment: {column index: text}; unplaced: texts that fit no column.
    The measure column must be filled when possible.
    """
    filled = [(i, c.strip()) for i, c in enumerate(row_cells) if c and c.strip()]
    ncols = len(roles)
    measure_cols = {j for j, r in enumerate(roles) if r == "measure"}

    @lru_cache(maxsize=None)
    def best(ci, col, has_measure):
        if ci == len(filled):
            return (0.0 if has_measure or not measure_cols else -20.0), ()
        index, text = filled[ci]
        score, rest = best(ci + 1, col, has_measure)
        options = [(score + SKIP_PENALTY, ((ci, None),) + rest)]
        for j in range(col, ncols):
            s = scorer(roles[j], text)
            if s is None:
                continue
            if j == index:
                s += POSITION_BONUS
            sub, rest = best(ci + 1, j + 1, has_measure or j in measure_cols)
            options.append((s + sub, ((ci, j),) + rest))
        return max(options, key=lambda o: o[0])

    _, plan = best(0, 0, False)
    assignment: dict[int, str] = {}
    unplaced: list[str] = []
    for ci, j in plan:
        if j is None:
            unplaced.append(filled[ci][1])
        else:
            assignment[j] = filled[ci][1]
    return assignment, unplaced


# ----------------------------------------------------------------- matching


def _name_key(name):
    key = match_key(name)
    return re.sub(r"^(持续推进|持续深化|持续|深入推进|推进|深化)", "", key)


def similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, match_key(a), match_key(b), autojunk=False).ratio()


def match_area(name: str, areas: Iterable[ParsedArea]) -> ParsedArea | None:
    """The area a table's spelling refers to: exact, then containment, then close spelling."""
    key = _name_key(name)
    best: ParsedArea | None = None
    best_score = 0.0
    for area in areas:
        for candidate in [area.name, *area.other_names]:
            other = _name_key(candidate)
            if key == other:
                score = 1.0
            elif len(key) >= 2 and len(other) >= 2 and (key in other or other in key):
                score = 0.9 - abs(len(key) - len(other)) / 1000
            else:
                score = difflib.SequenceMatcher(None, key, other, autojunk=False).ratio()
            if score > best_score:
                best, best_score = area, score
    return best if best_score >= 0.8 else None


# ------------------------------------------------------------------ building

AREA_KINDS_FOR_COLUMN = {
    "专项行动": ("special_action", "governance"),
    "专项行动名称": ("special_action", "governance"),
    "指标名称": ("indicator", "forward"),
    "指标": ("indicator", "forward"),
}


def area_kind_for_name(name: str, default: str = "indicator") -> str:
    if "专项治理" in name:
        return "governance"
    if name.endswith("专项行动"):
        return "special_action"
    if "前瞻" in name or "宜商" in name:
        return "forward"
    return default


def NO_LEAD_UNIT() -> str:  # noqa: N802 - a message, also looked for when a body item supplies the unit
    return _("measure has no lead unit")


def NO_DEADLINE() -> str:  # noqa: N802 - a message, also looked for when a body item supplies the deadline
    return _("no deadline printed; the plan's year end assumed")


# An area's columns that a warning names when a page prints them differently.
_AREA_FIELDS = {"benchmarks": gettext_lazy("benchmark cities"), "target_text": gettext_lazy("expected targets")}


class TableBuilder:
    """Folds the rows of one plan's tables into its ParsedPlan."""

    def __init__(self, plan: ParsedPlan) -> None:
        self.plan = plan
        leaders = [a.chief for a in plan.areas if a.chief]
        self.scorer = CellScorer(known_leaders=leaders, known_areas=[a.name for a in plan.areas])
        self.tasks_are_areas: bool | None = None  # decided at the first table (see _roles)
        self.rule = ""  # a rule a unit cell printed with 下同: it holds for the rows after it, in every table

    def _roles(self, header):
        """The header's roles; in a plan that is only tables, a 重点任务 column beside a measure column and
        no area column ('序号 | 重点任务 | 具体举措 | 责任单位 | 完成时限') names the areas: it groups the
        measures and there is nothing above it."""
        roles = header_roles(header)
        if "area" not in roles and "measure" in roles and roles.count("task") == 1:
            if self.tasks_are_areas is None:
                self.tasks_are_areas = not self.plan.areas
            if self.tasks_are_areas:
                roles[roles.index("task")] = "area"
        return roles

    def add_table(self, table: SourceTable) -> None:
        roles = self._roles(table.header)
        header_names = [squeeze(h) for h in table.header]
        area_header = next((header_names[j] for j, r in enumerate(roles) if r == "area"), "")
        kinds = AREA_KINDS_FOR_COLUMN.get(area_header)
        numbers_tasks = "task" in roles and not _numbers_measures(table, roles)
        state = _TableState(table=table, kinds=kinds, numbers_tasks=numbers_tasks)
        state.has_tasks = "task" in roles
        state.first_leads = header_says_first_leads(table.header)
        header = list(table.header)
        for row in table.rows:
            if _repeats_header(header, row.cells):
                continue  # a header row printed again at the top of a page ('牵头单位 | 配合单位' under 责任单位)
            combined = _sub_header(header, row.cells)
            if combined:
                # '责任单位' over '牵头单位 | 配合单位': the second header row names the columns it splits
                header = combined
                roles = self._roles(combined)
                header_names = [squeeze(h) for h in combined]
                state.numbers_tasks = "task" in roles and not _numbers_measures(table, roles)
                state.has_tasks = "task" in roles
                continue
            if looks_like_header(row.cells):
                header = list(row.cells)
                roles = self._roles(row.cells)
                header_names = [squeeze(h) for h in row.cells]
                state.first_leads = header_says_first_leads(row.cells)
                continue
            self._add_row(state, row, roles, header_names)
        state.finish(self.plan)

    # One row → at most one measure, with its area and task.
    def _add_row(self, state, row, roles, header_names):
        section = section_row(row.cells)
        if section:
            self._open_section(state, row, *section)
            return
        assignment, unplaced = align_row(row.cells, roles, self.scorer)
        if not assignment and not unplaced:
            return
        got = {roles[j]: text for j, text in assignment.items() if roles[j]}
        notes = {header_names[j] or f"column {j + 1}": text for j, text in assignment.items() if not roles[j]}
        src = state.table.source

        if "measure" not in got:
            if unplaced and state.last_measure and not cells.parse_deadline(unplaced[-1]):
                self._continue_measure(state, row, " ".join(unplaced))
            else:
                self.plan.warn(src, row.line, _("row not understood, not imported: %(cells)s") % {
                    "cells": " | ".join(unplaced or got.values())})
            return
        if unplaced:
            notes["unplaced"] = " | ".join(unplaced)
            self.plan.warn(src, row.line, _("cells that fit no column kept as a note: %(cells)s") % {
                "cells": " | ".join(unplaced)})

        area = self._area_for_row(state, got, row)
        if area is None:
            self.plan.warn(src, row.line, _("measure before any area or action was named, not imported"))
            return
        task = self._task_for_row(state, area, got, row) if state.has_tasks else None

        number, text = cells.split_number(got["measure"]) if state.numbers_tasks else (None, got["measure"])
        if not state.numbers_tasks and "number" in got:
            number = cells.cell_number(got["number"])
        # A row holding only the rest of a sentence cut at a page break.
        if (number is None and not any(k in got for k in ("lead", "cooperating", "deadline", "number", "task", "area"))
                and state.last_measure and not re.search(r"[。；;！!]$", state.last_measure.text)):
            self._continue_measure(state, row, text)
            return

        measure = ParsedMeasure(text=text, number=number, annex=state.table.annex, source=src, line=row.line,
                                notes=notes)
        if "number" in got and not got["number"].strip().isdigit():
            measure.notes["printed_number"] = got["number"].strip()  # '1-2': cited so in the plan
        self._attribute(state, area, measure, got, row)
        year = measure.deadline.year if measure.deadline else self.plan.year
        measure.milestones = cells.find_milestones(text, year)
        if measure.deadline and measure.deadline_text:
            # the earlier steps its deadline cell names are its milestones
            known = {m.date for m in measure.milestones}
            measure.milestones += [step for step in cells.find_milestones(measure.deadline_text, year)
                                   if step.date < measure.deadline and step.date not in known]
            measure.milestones.sort(key=lambda m: m.date)
        (task.measures if task else area.measures).append(measure)
        state.measures.append(measure)
        state.last_measure = measure
        state.last_area_measure[id(area)] = measure

    def _open_section(self, state, row, number, name):
        """A row spanning the table that names a section ('一、政务服务领域'): the area of the rows under it."""
        area = match_area(name, self.plan.areas)
        if area is None:
            area = ParsedArea(kind=area_kind_for_name(name, default=(state.kinds or ("indicator",))[0]),
                              name=to_simplified(name), number=number, source=state.table.source, line=row.line)
            self.plan.areas.append(area)
            self.scorer.known_areas.add(match_key(name))
        state.area, state.task, state.last_measure = area, None, None

    def _continue_measure(self, state, row, text):
        measure = state.last_measure
        measure.text += text
        measure.notes.setdefault("continued", []).append(row.line)

    def _area_for_row(self, state, got, row):
        plan = self.plan
        name = got.get("area")
        if name:
            candidates = [a for a in plan.areas if not state.kinds or a.kind in state.kinds]
            area = match_area(name, candidates)
            if area is None:
                kind = area_kind_for_name(name, default=(state.kinds or ("indicator",))[0])
                area = ParsedArea(kind=kind, name=to_simplified(name).strip(), number=None,
                                  source=state.table.source, line=row.line)
                plan.areas.append(area)
                self.scorer.known_areas.add(match_key(name))
            elif name != area.name and name not in area.other_names:
                area.other_names.append(name)
            state.area = area
        elif got.get("chief") or got.get("responsible"):
            # The action's name was lost at a page break but its leader and unit were
            # printed: '凌婧  区商务局  …' belongs to the action those two lead.
            state.area = self._area_led_by(state, got) or state.area
        area = state.area
        if area is None:
            return None
        chief = got.get("chief")
        if chief:
            chief = cells.clean_person_name(chief)
            if not area.chief:
                area.chief = chief
            elif chief != area.chief:
                plan.warn(state.table.source, row.line,
                          _("%(area)s: leader printed as %(chief)s, elsewhere %(kept)s; kept %(kept)s") % {
                              "area": area.name, "chief": chief, "kept": area.chief})
            self.scorer.known_leaders.add(chief)
        responsible = got.get("responsible")
        if responsible and not area.responsible_unit:
            area.responsible_unit = cells.clean_unit_name(responsible)
        for field in ("benchmarks", "target_text", "pilots"):
            value = got.get("target" if field == "target_text" else field)
            if not value:
                continue
            current = getattr(area, field)
            if not current:
                setattr(area, field, value)
            elif similarity(value, current) < 0.9 and match_key(value) not in match_key(current):
                if field == "pilots":
                    setattr(area, field, current + "\n" + value)
                else:
                    plan.warn(state.table.source, row.line,
                              _("%(area)s: %(field)s printed differently on this page (%(value)s); kept the first") % {
                                  "area": area.name, "field": _AREA_FIELDS[field], "value": value})
        return area

    def _area_led_by(self, state, got):
        chief = cells.clean_person_name(got.get("chief", ""))
        responsible = cells.clean_unit_name(got.get("responsible", ""))
        current = state.area
        if current and (not chief or current.chief == chief) and (
                not responsible or current.responsible_unit == responsible):
            return current
        matches = [a for a in self.plan.areas
                   if (not state.kinds or a.kind in state.kinds)
                   and (not chief or a.chief == chief) and (not responsible or a.responsible_unit == responsible)]
        return matches[0] if len(matches) == 1 else None

    def _task_for_row(self, state, area, got, row):
        number = cells.cell_number(got["number"]) if "number" in got and state.numbers_tasks else None
        text = got.get("task", "")
        task = None
        if number is not None:
            task = next((t for t in area.tasks if t.number == number and not t.number_inferred), None)
        if task is None and text:
            # the same task printed again (at the top of a page); never one that prints another number
            task = next((t for t in area.tasks if similarity(t.text, text) >= 0.85
                         and (number is None or t.number is None or t.number == number)), None)
        if task is None and (number is not None or text):
            task = ParsedTask(text=text, number=number, source=state.table.source, line=row.line)
            area.tasks.append(task)
            state.tasks.append(task)
        elif task is not None and number is not None and task.number is None:
            task.number = number
        if task is not None and text and not task.text:
            task.text = text
        if task is None:
            task = state.task if state.task in area.tasks else None
        if task is None:
            task = ParsedTask(text="", source=state.table.source, line=row.line)
            area.tasks.append(task)
            state.tasks.append(task)
            self.plan.warn(state.table.source, row.line, _("measure without a task; put under an untitled task"))
        state.task = task
        return task

    def _attribute(self, state, area, measure, got, row):
        first_leads = False
        for role in ("lead", "cooperating"):
            marked = cells.marked_roles(got.get(role, ""))
            if marked and not (role == "cooperating" and got.get("lead")):
                # '区发改局（牵头）、区财政局' or '牵头：X 配合：Y' in one cell: the cell says who leads
                got["lead"], got["cooperating"] = marked
                measure.notes["roles_marked_in_cell"] = True
                break
        # '区发改委、区财政局（第一责任单位为牵头单位，下同）': the rule, read as prose reads it, is never a unit;
        # with 下同 it holds for the later rows too, until a cell states another.
        stated = ""
        for role in ("lead", "cooperating"):
            if got.get(role):
                rule, carries, got[role] = cells.read_bracketed_rule(got[role])
                if rule:
                    stated = rule
                    self.rule = rule if carries else self.rule
        rule = stated or self.rule
        if "lead" not in got and "cooperating" in got:
            # Extracted rows drift right; a lone unit column is the lead unit, never
            # a cooperating unit under an empty lead (readers of real sheets fill
            # merged lead cells themselves) — or, when the plan says the first unit
            # listed leads, the first of its units.
            got["lead"] = got.pop("cooperating")
            first_leads = rule == "first" or (rule != "all" and (self.plan.unit_rule == "first" or state.first_leads))
        elif stated == "first" and not got.get("cooperating"):
            first_leads = True  # a 牵头单位 cell listing several, stating that the first leads
        lead = cells.parse_units(got.get("lead", ""))
        cooperating = cells.parse_units(got.get("cooperating", ""))
        split = {**lead.split, **cooperating.split}
        if first_leads and len(lead.units) > 1:
            lead, cooperating = cells.UnitList(lead.units[:1], lead.scope), cells.UnitList(lead.units[1:], [])
            measure.notes["first_listed_leads"] = True
        cells.note_units_split(self.plan, measure, state.table.source, row.line, split)
        measure.lead_units = lead.units
        measure.cooperating_units = [u for u in cooperating.units if u not in lead.units]
        measure.scope_text = "、".join(lead.scope + cooperating.scope)
        previous = state.last_area_measure.get(id(area))
        if not measure.lead_units and not lead.scope:
            if previous and previous.lead_units:
                # A merged cell in the printed table: the unit above spans this row.
                measure.lead_units = list(previous.lead_units)
                if not got.get("cooperating"):
                    measure.cooperating_units = list(previous.cooperating_units)
                    measure.scope_text = previous.scope_text
                measure.notes["lead_units_from_row_above"] = True
            else:
                self.plan.warn(state.table.source, row.line, NO_LEAD_UNIT())
        printed = got.get("deadline", "")
        deadline = cells.parse_deadline(printed)
        phrase = None if deadline else cells.parse_deadline_phrase(printed, self.plan.year)
        if deadline:
            measure.deadline, measure.deadline_year_only, measure.deadline_text = (
                deadline.date, deadline.year_only, deadline.text)
        elif phrase:
            # 6月底前, 2024年第三季度, 上半年 …; 长期坚持 / 持续推进: ongoing, never the row above's date
            measure.deadline_text = phrase.text
            if phrase.ongoing:
                measure.ongoing = True
            else:
                measure.deadline, measure.deadline_year_only = phrase.date, phrase.year_only
                if phrase.relative:
                    measure.notes["deadline_relative"] = True
        elif printed and (steps := cells.find_milestones(printed, self.plan.year)):
            # '2025年4月底前制定方案，10月底前完成整治': steps, the last of them the deadline
            last = max(steps, key=lambda step: step.date)
            measure.deadline, measure.deadline_year_only, measure.deadline_text = last.date, False, printed
        elif printed:
            measure.deadline_text = printed
            if self.plan.year:
                measure.deadline, measure.deadline_year_only = datetime.date(self.plan.year, 12, 31), True
            measure.notes["deadline_missing"] = True
            self.plan.warn(state.table.source, row.line,
                           _("deadline not understood: %(text)s; the plan's year end assumed") % {"text": printed})
        elif previous and (previous.deadline or previous.ongoing) and not state.table.merges_known:
            # a blank cell under a merged one: the deadline printed above spans this row (a format that
            # tells merges gives a merged cell's text to each row it spans: a blank there is blank)
            measure.deadline, measure.deadline_year_only, measure.deadline_text = (
                previous.deadline, previous.deadline_year_only, previous.deadline_text)
            measure.ongoing = previous.ongoing
            measure.notes["deadline_from_row_above"] = True
        elif self.plan.year:
            measure.deadline = datetime.date(self.plan.year, 12, 31)
            measure.deadline_year_only = True
            measure.notes["deadline_missing"] = True
            self.plan.warn(state.table.source, row.line, NO_DEADLINE())
        recurring = cells.recurrence(measure.deadline_text)
        if recurring:
            measure.recurring = measure.notes["recurring"] = recurring


_PART = re.compile(r"^第([一二三四五六七八九十]+)(?:部分|章|篇)[、：:\s]*")


def section_row(row_cells: Sequence[str]) -> tuple[int | None, str] | None:
    """(number, name) of a row that only names a section of the table ('一、政务服务领域' or '（三）要素保障'
    in a cell spanning every column, or alone on its line in a copied table; '第二部分 …'), else None."""
    texts = {squeeze(c) for c in row_cells if c and c.strip()}
    if len(texts) != 1:
        return None
    text = texts.pop()
    heading = match_heading(text)
    part = _PART.match(text)
    if heading and heading[0] in (1, 2):
        number, name = heading[1], heading[2]
    elif part:
        number, name = chinese_number(part.group(1)), text[part.end():]
    else:
        return None
    name = name.strip("：: ")
    if not name or len(name) > 30 or re.search(r"[。；;，,]", name):
        return None
    return number, name


def _repeats_header(header, row_cells) -> bool:
    """A row holding only column names, each where the header (as completed by its second row) has it."""
    named = [(j, squeeze(text)) for j, text in enumerate(row_cells) if text and squeeze(text)]
    return bool(named) and all(j < len(header) and column_role(text) and squeeze(header[j] or "") == text
                               for j, text in named)


def _sub_header(header, row_cells):
    """The header completed by a second header row under it ('责任单位' merged over '牵头单位 | 配合单位'):
    each column its second row names takes that name. None when the row is not such a row."""
    texts = [squeeze(c or "") for c in row_cells]
    texts += [""] * (len(header) - len(texts))  # a row's trailing blank cells may be left off
    named = [j for j, text in enumerate(texts) if text and column_role(text)]
    if not named or len(texts) != len(header):
        return None
    if any(text and not column_role(text) for text in texts):
        return None
    if all(squeeze(header[j] or "") == texts[j] for j in named):
        return None  # the header itself, repeated
    return [texts[j] if j in named else header[j] for j in range(len(header))]


def _numbers_measures(table, roles) -> bool:
    """Whether a table with a task column numbers its measures, not its tasks: a numbered row under a
    task cell merged from the row above ('2 | (merged) | 推行…') is a second measure of that task."""
    if "number" not in roles:
        return False
    number, task = roles.index("number"), roles.index("task")
    width = len(roles)
    seen_task = False
    for row in table.rows:
        if len(row.cells) != width or looks_like_header(row.cells):
            continue
        cell = (row.cells[task] or "").strip()
        if cells.is_number((row.cells[number] or "").strip()) and not cell and seen_task:
            return True
        seen_task = seen_task or bool(cell)
    return False


class _TableState:
    def __init__(self, table, kinds, numbers_tasks):
        self.table = table
        self.kinds = kinds
        self.numbers_tasks = numbers_tasks  # the 序号 column numbers the tasks (else the measures)
        self.has_tasks = numbers_tasks
        self.area = None
        self.task = None
        self.tasks = []
        self.measures = []
        self.last_measure = None
        self.last_area_measure = {}
        self.first_leads = False  # the 责任单位 header says the first unit listed leads

    def finish(self, plan):
        infer_numbers(self.tasks)
        if not self.numbers_tasks:
            infer_numbers(self.measures)
        for task in self.tasks if self.numbers_tasks else ():
            if task.number is None and not task.number_inferred:
                plan.warn(self.table.source, task.line, _("task has no number: %(text)s") % {"text": task.text[:30]})


def infer_numbers(items: Sequence[ParsedMeasure | ParsedTask]) -> None:
    """Give lost numbers back where the gap fits exactly: 97, ?, ?, 100 → 98, 99.

    An unnumbered row whose neighbours leave no gap (23, ?, 24) keeps no number.
    """
    i = 0
    while i < len(items):
        if items[i].number is not None:
            i += 1
            continue
        j = i
        while j < len(items) and items[j].number is None:
            j += 1
        before = items[i - 1].number if i > 0 else 0
        after = items[j].number if j < len(items) else None
        if before is not None and after is not None and after - before - 1 == j - i:
            for k in range(i, j):
                items[k].number = before + (k - i) + 1
                items[k].number_inferred = True
        i = j


def build_from_tables(plan: ParsedPlan, tables: list[SourceTable]) -> ParsedPlan:
    builder = TableBuilder(plan)
    for table in tables:
        builder.add_table(table)
    return plan
