"""Duban's own ledger workbook (`duban export-ledger`), read back as it was written.

Besides its annex sheets (task-list tables any workbook may hold), an export has a sheet "方案" (the
plan's particulars), a sheet "工作领域" (every area with its kind, chief and text from the plan's body)
and, on the annex sheets, columns that the printed annexes lack (collective scope, milestones,
inferred numbers, notes, and a hidden column with where each row first came from). Those are read
back here so that importing an export reproduces the ledger it was made from. The sheet names and
column headings are the exporter's (`duban/plans/exporters.py` imports them from here).
"""

from __future__ import annotations

import datetime
import json
import re

from django.utils.translation import gettext as _

from duban.core.chinese import squeeze

from . import cells as cell_kinds
from .base import ParsedArea, ParsedCampaign, ParsedMeasure, ParsedMilestone, ParsedPlan, SourceRow, SourceTable
from .document import Document
from .formats.xlsx import format_date
from .grid import header_roles, source_label
from .tables import area_kind_for_name, build_from_tables, match_area

# ------------------------------------------------------- the ledger workbook

PLAN_SHEET = "方案"
AREAS_SHEET = "工作领域"
OTHER_MEASURES_SHEET = "其他举措"  # measures that belong to no annex

PLAN_KEY_HEADER = ("项目", "内容")
PLAN_KEYS = {
    "title": "标题",
    "year": "年度",
    "document_number": "文号",
    "issuing_bodies": "印发机关",
    "issue_date": "印发日期",
    "missing_annexes": "缺失附件",
}

# Area kinds as the plan's own words call them (GLOSSARY.md), so the sheet reads in Chinese
# whatever the site's language.
KIND_LABELS = {
    "indicator": "省评指标",
    "forward": "前瞻探索",
    "special_action": "专项行动",
    "governance": "专项治理",
    "highlight": "亮点特色",
}

AREA_COLUMNS = {
    "kind": "类别",
    "number": "序号",
    "name": "名称",
    "chief": "指标长/牵头区领导",
    "responsible_unit": "总责任单位",
    "lead_units": "牵头单位",
    "cooperating_units": "配合单位",
    "scope_text": "范围",
    "benchmarks": "对标城市",
    "target_text": "预期目标",
    "pilots": "创新试点项目",
    "narrative": "原文",
    "attribution_text": "归属原文",
    "annex_names": "附件中写法",  # other spellings the annex tables used, one a line
    "campaigns": "专项治理",
    "record": "导入信息",
}

# Columns the exporter adds to an annex sheet, after the annex's own.
SCOPE_COLUMN = "范围"
MILESTONES_COLUMN = "时间节点安排"  # not 时间节点, which tables.py reads as the deadline
INFERRED_COLUMN = "序号推断"
INFERRED_TASK = "任务"
INFERRED_MEASURE = "举措"
RECORD_COLUMN = "导入信息"  # hidden: JSON with provenance and what the visible cells cannot say
LEDGER_COLUMNS = (SCOPE_COLUMN, MILESTONES_COLUMN, INFERRED_COLUMN, RECORD_COLUMN)

_MILESTONE_LINE = re.compile(r"^\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*[：:]\s*(.*)$")

def milestone_line(date: datetime.date, text: str) -> str:
    return f"{format_date(date)}：{' '.join(text.split())}"




def is_ledger(document: Document) -> bool:
    """A workbook written by `duban export-ledger` (its particulars or areas sheet is there)."""
    sheets = ledger_sheets(document)
    return _is_plan_sheet(sheets.get(PLAN_SHEET)) or _is_areas_sheet(sheets.get(AREAS_SHEET))


def ledger_sheets(document: Document) -> dict[str, list[tuple[int | None, list[str]]]]:
    return {table.at.sheet: [(row.at.row, row.texts) for row in table.rows]
            for table in document.tables() if table.at.sheet in (PLAN_SHEET, AREAS_SHEET)}


def read_ledger_sheets(plan: ParsedPlan, document: Document) -> set[str]:
    """The export's particulars and areas into `plan`; returns the names of the sheets read."""
    sheets, read = ledger_sheets(document), set()
    if _is_plan_sheet(sheets.get(PLAN_SHEET)):
        _read_plan_sheet(plan, sheets[PLAN_SHEET])
        read.add(PLAN_SHEET)
    if _is_areas_sheet(sheets.get(AREAS_SHEET)):
        _read_areas_sheet(plan, sheets[AREAS_SHEET], source_label(document.name, AREAS_SHEET))
        read.add(AREAS_SHEET)
    return read


def add_table(plan: ParsedPlan, table: SourceTable) -> None:
    """An annex sheet: an export's read cell by cell, any other through the table builder."""
    if RECORD_COLUMN in table.header:
        _read_ledger_table(plan, table)
    else:
        before = {id(m) for m in plan.all_measures()}
        build_from_tables(plan, [table])
        _apply_extra_columns(plan, table, [m for m in plan.all_measures() if id(m) not in before])


# Cells an export repeats on every row (so that the sheet sorts and filters) but the
# builder needs once: it carries them down as it does a merged cell's.
_AREA_ROLES = ("chief", "responsible", "benchmarks", "target", "pilots")


def _annex_columns_only(table, rows):
    """The export's annex sheet as the builder needs it, to group rows into areas and tasks.

    Only the annex's own columns, and a repeated cell only where it changes:
    every field is read from the full row afterwards, and aligning long cells
    the builder does not need would only cost time.
    """
    roles = header_roles(table.header)
    keep = [j for j, role in enumerate(roles) if role]
    kept_roles = [roles[j] for j in keep]
    by_task = "task" in kept_roles
    source_rows, rows, above = rows, [], None
    for row in source_rows:
        row_cells = [row.cells[j] if j < len(row.cells) else "" for j in keep]
        cut = list(row_cells)
        if above is not None:
            get = lambda cells_, role: cells_[kept_roles.index(role)] if role in kept_roles else ""  # noqa: E731
            same_area = get(row_cells, "area") == get(above, "area")
            same_task = by_task and same_area and get(row_cells, "number") == get(above, "number")
            for i, role in enumerate(kept_roles):
                repeated = (role in _AREA_ROLES and same_area) or (role == "task" and same_task)
                if repeated and row_cells[i] == above[i]:
                    cut[i] = ""
        above = row_cells
        rows.append(SourceRow(cut, row.line))
    header = [table.header[j] for j in keep]
    return SourceTable(source=table.source, annex=table.annex, title=table.title, header=header, rows=rows,
                       header_line=table.header_line, merges_known=table.merges_known)


def _is_plan_sheet(grid):
    return bool(grid) and tuple(grid[0][1][:2]) == PLAN_KEY_HEADER


def _is_areas_sheet(grid):
    return bool(grid) and {AREA_COLUMNS["kind"], AREA_COLUMNS["name"]} <= set(grid[0][1])


def _read_plan_sheet(plan, grid):
    values = {row_cells[0]: (row_cells[1] if len(row_cells) > 1 else "") for _line, row_cells in grid[1:]}
    get = lambda field: values.get(PLAN_KEYS[field], "")  # noqa: E731
    plan.title = get("title")
    plan.year = int(get("year")) if get("year").isdigit() else None
    plan.document_number = get("document_number")
    plan.issuing_bodies = get("issuing_bodies")
    date = cell_kinds.parse_deadline(get("issue_date"))
    plan.issue_date = date.date if date and not date.year_only else None
    plan.missing_annexes = [line.strip() for line in get("missing_annexes").split("\n") if line.strip()]


def _units(text):
    units = cell_kinds.parse_units(text)
    return units.units, units.scope


def _read_areas_sheet(plan, grid, source):
    header = grid[0][1]
    labels = {label: kind for kind, label in KIND_LABELS.items()} | {kind: kind for kind in KIND_LABELS}
    for line, row_cells in grid[1:]:
        value = dict(zip(header, row_cells))
        get = lambda field: value.get(AREA_COLUMNS[field], "")  # noqa: E731
        name = get("name")
        if not name:
            plan.warn(source, line, _("area without a name, not imported"))
            continue
        kind = labels.get(get("kind"))
        if kind is None:
            kind = area_kind_for_name(name)
            plan.warn(source, line, _("%(area)s: unknown kind %(label)s, taken as %(kind)s") % {
                "area": name, "label": get("kind") or "—", "kind": KIND_LABELS[kind]})
        lead, lead_scope = _units(get("lead_units"))
        cooperating, cooperating_scope = _units(get("cooperating_units"))
        scope = [p for p in [get("scope_text")] + lead_scope + cooperating_scope if p]
        record = _record(get("record"), plan, source, line)
        area = ParsedArea(
            kind=kind, name=name, number=int(get("number")) if get("number").isdigit() else None,
            chief=cell_kinds.clean_person_name(get("chief")), responsible_unit=get("responsible_unit"),
            lead_units=lead, cooperating_units=[u for u in cooperating if u not in lead],
            scope_text="、".join(dict.fromkeys(scope)), benchmarks=get("benchmarks"), target_text=get("target_text"),
            pilots=get("pilots"), narrative=get("narrative"), attribution_text=get("attribution_text"),
            other_names=[n.strip() for n in get("annex_names").split("\n") if n.strip()],
            campaigns=_campaigns(get("campaigns")), source=record.get("source", source),
            line=record.get("line", line),
        )
        plan.areas.append(area)


def _campaigns(text):
    """'“新官不理旧账”专项治理：区营商环境服务中心' lines → campaigns with their lead units."""
    campaigns = []
    for line in text.split("\n"):
        name, _sep, units = line.partition("：")
        if name.strip():
            campaigns.append(ParsedCampaign(name=name.strip(), lead_units=_units(units)[0]))
    return campaigns


def _record(text, plan, source, line):
    if not text:
        return {}
    try:
        record = json.loads(text)
    except ValueError:
        record = None
    if not isinstance(record, dict):
        plan.warn(source, line, _("column %(column)s is not Duban's record; ignored") % {"column": RECORD_COLUMN})
        return {}
    return record


def parse_milestones(text: str) -> list[ParsedMilestone]:
    milestones = []
    for line in text.split("\n"):
        m = _MILESTONE_LINE.match(line)
        if m:
            try:
                date = datetime.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                continue
            milestones.append(ParsedMilestone(date, m[4].strip()))
    return milestones


class _Columns:
    """Where a table's columns are, by role and by name."""

    def __init__(self, header):
        self.header = header
        self.roles = header_roles(header)
        self.names = [squeeze(h) for h in header]

    def role(self, row_cells, role):
        j = self.roles.index(role) if role in self.roles else None
        return row_cells[j] if j is not None and j < len(row_cells) else ""

    def named(self, row_cells, name):
        j = self.names.index(name) if name in self.names else None
        return row_cells[j] if j is not None and j < len(row_cells) else ""

    def has(self, name):
        return name in self.names

    def notes(self, row_cells):
        """The cells of columns nobody reads (kept as notes), keyed by their header."""
        notes = {}
        for j, (role, name) in enumerate(zip(self.roles, self.names)):
            if role is None and name not in LEDGER_COLUMNS and j < len(row_cells) and row_cells[j]:
                notes[self.header[j] or f"column {j + 1}"] = row_cells[j]
        return notes


def _rows_by_line(table):
    return {row.line: row.cells for row in table.rows}


def _apply_extra_columns(plan, table, measures):
    """A table that is not an export may still carry the export's readable extra columns."""
    columns = _Columns(table.header)
    wanted = [name for name in (SCOPE_COLUMN, MILESTONES_COLUMN, INFERRED_COLUMN) if columns.has(name)]
    if not wanted:
        return
    rows = _rows_by_line(table)
    for measure in measures:
        row_cells = rows.get(measure.line)
        if row_cells is None:
            continue
        for name in wanted:
            measure.notes.pop(name, None)
        scope = columns.named(row_cells, SCOPE_COLUMN)
        if scope and scope not in measure.scope_text:
            measure.scope_text = "、".join(p for p in (scope, measure.scope_text) if p)
        if columns.has(MILESTONES_COLUMN):
            measure.milestones = parse_milestones(columns.named(row_cells, MILESTONES_COLUMN))
        if INFERRED_MEASURE in columns.named(row_cells, INFERRED_COLUMN):
            measure.number_inferred = True


def _read_ledger_table(plan, table):
    """An annex sheet of Duban's export: its cells say exactly what each measure is.

    The builder groups the rows into areas and tasks; then each measure takes
    its fields from its own row's cells, so nothing is inherited from the row
    above or guessed from a cell's content, and the record column gives back
    what the printed layout has no room for. A row the record marks as the
    area's own measure (no task) is read here directly: the builder would put
    it under a task.
    """
    columns = _Columns(table.header)
    numbers_tasks = "task" in columns.roles
    records = {row.line: _record(columns.named(row.cells, RECORD_COLUMN), plan, table.source, row.line)
               for row in table.rows}
    own = [row for row in table.rows if numbers_tasks and records[row.line].get("task", True) is None]
    grouped = [row for row in table.rows if not (numbers_tasks and records[row.line].get("task", True) is None)]

    before = {id(m) for m in plan.all_measures()}
    build_from_tables(plan, [_annex_columns_only(table, grouped)])
    rows = {row.line: row.cells for row in grouped}
    for area in plan.areas:
        for task in area.tasks:
            for measure in task.measures:
                if id(measure) in before or measure.line not in rows:
                    continue
                row_cells, record = rows[measure.line], records[measure.line]
                number = columns.role(row_cells, "number")
                if cell_kinds.is_number(number):
                    task.number = int(number)
                task.number_inferred = INFERRED_TASK in columns.named(row_cells, INFERRED_COLUMN)
                if "task_source" in record:
                    task.source, task.line = record["task_source"], record.get("task_line")
                _measure_from_cells(measure, row_cells, columns, record, numbers_tasks)
        for measure in area.measures:
            if id(measure) not in before and measure.line in rows:
                _measure_from_cells(measure, rows[measure.line], columns, records[measure.line], numbers_tasks)

    for row in own:
        area = _area_named(plan, table, columns.role(row.cells, "area"), row.line)
        if area is not None:
            measure = ParsedMeasure(text="", annex=table.annex, source=table.source, line=row.line)
            _measure_from_cells(measure, row.cells, columns, records[row.line], numbers_tasks)
            area.measures.append(measure)


def _area_named(plan, table, name, line):
    if not name:
        plan.warn(table.source, line, _("measure without an area, not imported"))
        return None
    area = match_area(name, plan.areas)
    if area is None:
        area = ParsedArea(kind=area_kind_for_name(name), name=name, source=table.source, line=line)
        plan.areas.append(area)
    return area


def _measure_from_cells(measure, row_cells, columns, record, numbers_tasks):
    raw = columns.role(row_cells, "measure")
    exact = record.get("number", "absent")
    prefix = f"{exact}." if exact is not None else ""
    if numbers_tasks and exact != "absent" and raw.startswith(prefix):
        # The text itself starts with a number, so the printed prefix alone would mislead.
        measure.number, measure.text = exact, raw[len(prefix):]
    elif numbers_tasks:
        measure.number, measure.text = cell_kinds.split_number(raw)
    else:
        number = columns.role(row_cells, "number")
        measure.number = int(number) if cell_kinds.is_number(number) else None
        measure.text = raw
    measure.number_inferred = INFERRED_MEASURE in columns.named(row_cells, INFERRED_COLUMN)

    lead, lead_scope = _units(columns.role(row_cells, "lead"))
    cooperating, cooperating_scope = _units(columns.role(row_cells, "cooperating"))
    measure.lead_units = lead
    measure.cooperating_units = [u for u in cooperating if u not in lead]
    scope = [columns.named(row_cells, SCOPE_COLUMN)] + lead_scope + cooperating_scope
    measure.scope_text = "、".join(dict.fromkeys(p for p in scope if p))

    printed = columns.role(row_cells, "deadline")
    deadline = cell_kinds.parse_deadline(printed)
    measure.deadline = deadline.date if deadline else None
    measure.deadline_year_only = bool(deadline and deadline.year_only)
    # Continuing work (长期坚持) has no date; a date typed over it ends that.
    measure.ongoing = deadline is None and bool(record.get("ongoing") or getattr(measure, "ongoing", False))
    measure.deadline_text = printed
    if "deadline_text" in record and record.get("deadline") == (deadline.date.isoformat() if deadline else None):
        measure.deadline_text = record["deadline_text"]  # as printed in the source, when the cell had to differ

    measure.notes = columns.notes(row_cells) | record.get("flags", {})
    if columns.has(MILESTONES_COLUMN):
        measure.milestones = parse_milestones(columns.named(row_cells, MILESTONES_COLUMN))
    if "source" in record:
        measure.source, measure.line = record["source"], record.get("line")
