"""The plan ledger written back as an Excel workbook, in the annexes' column layout.

Offices print these sheets and hand them round, and edit them and import them
again, so the workbook is both: the annex sheets keep the printed columns
(附件1: 序号 专项行动 牵头区领导 … 完成时限, one measure a row, the task number in
序号 and the measure's own number in front of its text; 附件2: 序号 指标名称 对标城市
…), and around them sits what the printed annexes leave out — the plan's
particulars ("方案"), every area with its body text ("工作领域"), and a few
columns after the annex's own. `duban.plans.importers.read_plan_file` reads it (`importers/ledger.py`)
back; importing an export reproduces the ledger it came from.
"""

from __future__ import annotations

import io
import json
import re

from django.db.models import Prefetch
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from duban.core import exports

from .importers import cells
from .importers.grid import column_role
from .importers.ledger import (
    AREA_COLUMNS, AREAS_SHEET, INFERRED_COLUMN, INFERRED_MEASURE, INFERRED_TASK, KIND_LABELS, LEDGER_COLUMNS,
    MILESTONES_COLUMN, OTHER_MEASURES_SHEET, PLAN_KEY_HEADER, PLAN_KEYS, PLAN_SHEET, RECORD_COLUMN, SCOPE_COLUMN,
    format_date, milestone_line,
)
from .models import Area, Measure, MeasureCooperatingUnit, MeasureLeadUnit

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# The two printed layouts. Annex 1 groups measures under tasks; annex 2 lists them under indicators.
TASK_LAYOUT = ("序号", "{area}", "牵头区领导", "总责任单位", "工作任务", "工作举措", "牵头单位", "配合单位", "完成时限")
INDICATOR_LAYOUT = ("序号", "{area}", "对标城市", "预期目标", "创新试点项目", "工作举措", "指标长", "牵头单位", "配合单位",
                    "完成时限")

WIDTHS = {
    "序号": 6, "专项行动": 16, "指标名称": 14, "工作领域": 16, "牵头区领导": 9, "指标长": 9, "总责任单位": 12,
    "工作任务": 34, "工作举措": 56, "牵头单位": 16, "配合单位": 24, "完成时限": 13, "对标城市": 14, "预期目标": 20,
    "创新试点项目": 28, SCOPE_COLUMN: 14, MILESTONES_COLUMN: 30, INFERRED_COLUMN: 8,
    "类别": 9, "名称": 22, AREA_COLUMNS["chief"]: 10, AREA_COLUMNS["scope_text"]: 14, "原文": 60, "归属原文": 36,
    AREA_COLUMNS["annex_names"]: 20, AREA_COLUMNS["campaigns"]: 30, "项目": 10, "内容": 90,
}
NOTE_WIDTH = 20

_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FONT = Font(name="宋体", bold=True, size=11)
_BODY_FONT = Font(name="宋体", size=10)
_HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
_WRAP = Alignment(wrap_text=True, vertical="top")
_CENTRED = Alignment(wrap_text=True, vertical="top", horizontal="center")
_HEADER_ALIGN = Alignment(wrap_text=True, vertical="center", horizontal="center")
_NARROW = {"序号", INFERRED_COLUMN, "类别"}


def export_ledger_xlsx(plan) -> bytes:
    """The plan's ledger as .xlsx bytes: sheets 方案, 工作领域, then one per annex."""
    workbook = Workbook()
    _plan_sheet(workbook.active, plan)
    areas = list(plan.areas.select_related("chief", "responsible_unit")
                 .prefetch_related("lead_units", "cooperating_units", "campaigns__lead_units"))
    _areas_sheet(workbook.create_sheet(AREAS_SHEET), plan, areas)
    for annex, measures in _measures_by_annex(plan):
        title = f"附件{annex}" if annex is not None else OTHER_MEASURES_SHEET
        _annex_sheet(workbook.create_sheet(title), plan, measures)
    workbook.properties.title = plan.title
    workbook.properties.creator = "Duban"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def ledger_filename(plan) -> str:
    """'西办发〔2023〕20号.xlsx': the document number, else the title, safe as a file name."""
    stem = plan.document_number or plan.title[:60] or f"plan-{plan.pk}"
    return re.sub(r'[\\/:*?"<>|\s]+', "_", stem).strip("._") + ".xlsx"


# ------------------------------------------------------------------ sheets


def _plan_sheet(ws, plan):
    ws.title = PLAN_SHEET
    values = {
        "title": plan.title,
        "year": plan.year,
        "document_number": plan.document_number,
        "issuing_bodies": plan.issuing_bodies,
        "issue_date": format_date(plan.issue_date) if plan.issue_date else "",
        "missing_annexes": "\n".join(plan.missing_annexes or []),
    }
    _write_table(ws, plan, list(PLAN_KEY_HEADER), [[PLAN_KEYS[k], v] for k, v in values.items()])


def _areas_sheet(ws, plan, areas):
    rows = []
    for area in areas:
        values = {
            "kind": KIND_LABELS.get(area.kind, area.kind),
            "number": area.number,
            "name": area.name,
            "chief": area.chief.name if area.chief else "",
            "responsible_unit": area.responsible_unit.name if area.responsible_unit else "",
            "lead_units": _names(area.lead_units.all()),
            "cooperating_units": _names(area.cooperating_units.all()),
            "scope_text": area.scope_text,
            "benchmarks": area.benchmarks,
            "target_text": area.target_text,
            "pilots": area.pilots,
            "narrative": area.narrative,
            "attribution_text": area.attribution_text,
            "annex_names": "\n".join(area.annex_names or []),
            "campaigns": "\n".join(f"{c.name}：{_names(c.lead_units.all())}" for c in area.campaigns.all()),
            "record": _json(_provenance(area.source, area.source_line)),
        }
        rows.append([values[field] for field in AREA_COLUMNS])
    _write_table(ws, plan, list(AREA_COLUMNS.values()), rows, hidden=[RECORD_COLUMN])


def _measures_by_annex(plan):
    measures = (
        Measure.objects.filter(plan=plan)
        .select_related("area", "area__chief", "area__responsible_unit", "task")
        .prefetch_related(
            Prefetch("lead_links", queryset=MeasureLeadUnit.objects.select_related("unit").order_by("position")),
            Prefetch("cooperating_links",
                     queryset=MeasureCooperatingUnit.objects.select_related("unit").order_by("position")),
            "milestones",
        )
    )
    groups = {}
    for measure in measures:
        groups.setdefault(measure.annex, []).append(measure)
    return sorted(groups.items(), key=lambda item: (item[0] is None, item[0] or 0))


def _area_header(measures):
    """The annex's own name for its area column; a neutral one when the sheet mixes kinds."""
    kinds = {m.area.kind for m in measures}
    if kinds <= {Area.Kind.SPECIAL_ACTION, Area.Kind.GOVERNANCE}:
        return "专项行动"
    if kinds <= {Area.Kind.INDICATOR, Area.Kind.FORWARD}:
        return "指标名称"
    return "工作领域"


def _annex_sheet(ws, plan, measures):
    by_task = any(m.task_id for m in measures)
    area_header = _area_header(measures)
    layout = [h.format(area=area_header) for h in (TASK_LAYOUT if by_task else INDICATOR_LAYOUT)]
    note_keys = _note_columns(measures, layout)
    header = layout + [SCOPE_COLUMN, MILESTONES_COLUMN, INFERRED_COLUMN] + note_keys + [RECORD_COLUMN]
    rows = []
    for measure in measures:
        values = _layout_values(measure, by_task)
        inferred = []
        if by_task and measure.task and measure.task.number_inferred:
            inferred.append(INFERRED_TASK)
        if measure.number_inferred:
            inferred.append(INFERRED_MEASURE)
        values.update({
            SCOPE_COLUMN: measure.scope_text,
            MILESTONES_COLUMN: "\n".join(milestone_line(m.date, m.text) for m in measure.milestones.all()),
            INFERRED_COLUMN: "、".join(inferred),
        })
        notes = measure.notes or {}
        values.update({key: notes.get(key, "") for key in note_keys})
        values[RECORD_COLUMN] = _json(_record(measure, values, by_task, note_keys))
        rows.append([values.get(h, "") for h in header])
    _write_table(ws, plan, header, rows, hidden=[RECORD_COLUMN])


def _layout_values(measure, by_task):
    area, task = measure.area, measure.task
    values = {
        "牵头单位": _names(link.unit for link in measure.lead_links.all()),
        "配合单位": _names(link.unit for link in measure.cooperating_links.all()),
        "完成时限": _deadline_cell(measure),
    }
    for name in ("专项行动", "指标名称", "工作领域"):
        values[name] = area.name
    chief = area.chief.name if area.chief else ""
    if by_task:
        values.update({
            "序号": task.number if task else None,
            "牵头区领导": chief,
            "总责任单位": area.responsible_unit.name if area.responsible_unit else "",
            "工作任务": task.text if task else "",
            "工作举措": f"{measure.number}.{measure.text}" if measure.number is not None else measure.text,
        })
    else:
        values.update({
            "序号": measure.number, "对标城市": area.benchmarks, "预期目标": area.target_text, "创新试点项目": area.pilots,
            "工作举措": measure.text, "指标长": chief,
        })
    return values


def _note_columns(measures, layout):
    """Notes that are text (the source's extra columns) get a column each, headed by their name.

    A name the reader would take for a task-list column stays in the record instead.
    """
    taken = set(layout) | set(LEDGER_COLUMNS)
    keys = {}
    for measure in measures:
        for key, value in (measure.notes or {}).items():
            if isinstance(value, str) and key and key not in taken and column_role(key) is None:
                keys.setdefault(key, None)
    return list(keys)


def _deadline_cell(measure):
    """The deadline as printed when that still says the same date; else the date itself."""
    printed = measure.deadline_text
    if measure.deadline is None:
        return "" if cells.parse_deadline(printed) else printed
    parsed = cells.parse_deadline(printed)
    if parsed and parsed.date == measure.deadline and parsed.year_only == measure.deadline_year_only:
        return printed
    return f"{measure.deadline.year}年" if measure.deadline_year_only else format_date(measure.deadline)


def _record(measure, values, by_task, note_keys):
    """What the visible cells cannot say: provenance, non-text notes, and the odd exact value."""
    record = _provenance(measure.source, measure.source_line)
    task = measure.task
    if by_task and task is None:
        record["task"] = None
    if task is not None:
        record["task_source"], record["task_line"] = task.source, task.source_line
    flags = {k: v for k, v in (measure.notes or {}).items() if k not in note_keys}
    if flags:
        record["flags"] = flags
    if by_task and cells.split_number(values["工作举措"]) != (measure.number, measure.text.strip()):
        record["number"] = measure.number  # the text itself starts with a number
    if measure.ongoing:
        record["ongoing"] = True
    if values["完成时限"] != measure.deadline_text:
        record["deadline_text"] = measure.deadline_text
        record["deadline"] = measure.deadline.isoformat() if measure.deadline else None
    return record


def _provenance(source, line):
    # Kept even when empty: a row typed in by hand has no source, and so has its copy.
    return {"source": source, "line": line}


def _names(units):
    return "、".join(unit.name for unit in units)


def _json(record):
    return json.dumps(record, ensure_ascii=False, sort_keys=True) if record else ""


# ----------------------------------------------------------------- styling


def _write_table(ws, plan, header, rows, hidden=()):
    """Header and rows, styled for printing: bold header, borders, wrapped text, frozen header."""
    exports.append(ws, header)
    for row in rows:
        exports.append(ws, row)
    for cell in ws[1]:
        cell.font, cell.fill, cell.alignment, cell.border = _HEADER_FONT, _HEADER_FILL, _HEADER_ALIGN, _BORDER
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            name = header[cell.column - 1]
            cell.font, cell.border = _BODY_FONT, _BORDER
            cell.alignment = _CENTRED if name in _NARROW else _WRAP
    for j, name in enumerate(header, start=1):
        dimension = ws.column_dimensions[get_column_letter(j)]
        dimension.width = WIDTHS.get(name, NOTE_WIDTH)
        dimension.hidden = name in hidden
    ws.freeze_panes = "A2"
    if rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(rows) + 1}"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.oddHeader.center.text = f"{plan.title[:100]}  {ws.title}".replace("&", "&&")  # & starts a field code
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
