"""A ledger with its latest progress, as .xlsx: the annex's own columns, then the progress columns.

One sheet per annex (附件1 by task, 附件2 by indicator — the layouts of
duban.plans.exporters), one row per measure; offices print these for
meetings and send them up to the city.
"""

from __future__ import annotations

import io
import re

from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from duban.core import clock, exports
from duban.plans.exporters import INDICATOR_LAYOUT, TASK_LAYOUT, XLSX_CONTENT_TYPE, layout_values
from duban.plans.models import Area

from .ledger import ledger_rows
from .models import Contribution

__all__ = ["XLSX_CONTENT_TYPE", "content_disposition", "export_progress_xlsx", "filename"]

_HEADER_FONT = Font(name="宋体", bold=True, size=11)
_BODY_FONT = Font(name="宋体", size=10)
_HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
_WRAP = Alignment(wrap_text=True, vertical="top")
WIDE = {"工作任务": 30, "工作举措": 50, "预期目标": 20, "创新试点项目": 24, "配合单位": 20}


def progress_columns():
    return [
        _("Light"), _("Latest round"), _("Report status"), _("Progress"), _("Percent complete"),
        _("Work done this period"), _("Problems"), _("Needs district coordination"), _("Reason"), _("Next steps"),
        _("Cooperating units' contributions"), _("Evidence files"), _("Completed on"), _("Last updated"),
    ]


def _progress_values(row, contributions):
    report = row.report
    base = [row.light.label]
    if report is None:
        return base + [""] * 11 + [row.measure.completed_on, None]
    edited = report.edited_at or report.round.opened_at
    return base + [
        report.round.title, report.get_status_display(), report.get_progress_display(), report.percent,
        report.done_text, report.problems, _("yes") if report.needs_coordination else "", report.reason,
        report.next_steps, "\n".join(f"{c.unit.name}：{c.text}" for c in contributions.get(report.pk, [])),
        report.evidence_count, row.measure.completed_on, timezone.localtime(edited).replace(tzinfo=None),
    ]


def _area_header(measures):
    kinds = {m.area.kind for m in measures}
    if kinds <= {Area.Kind.SPECIAL_ACTION, Area.Kind.GOVERNANCE}:
        return "专项行动"
    if kinds <= {Area.Kind.INDICATOR, Area.Kind.FORWARD}:
        return "指标名称"
    return "工作领域"


def _cell(ws, value, header=False):
    cell = exports.cell(ws, value)  # text stays text (duban.core.exports)
    value = cell.value
    cell.font = _HEADER_FONT if header else _BODY_FONT
    cell.alignment = _WRAP
    if header:
        cell.fill = _HEADER_FILL
    elif hasattr(value, "year"):
        cell.number_format = "yyyy-mm-dd"
    return cell


def export_progress_xlsx(measures, title="") -> bytes:
    """The measures (a queryset) with their lights and latest reports, as .xlsx bytes."""
    rows = ledger_rows(measures.select_related("area__chief", "area__responsible_unit"), cooperating_units=True)
    contributions = {}
    report_ids = [row.report.pk for row in rows if row.report]
    for c in Contribution.objects.filter(report__in=report_ids).select_related("unit").order_by("unit__name"):
        contributions.setdefault(c.report_id, []).append(c)
    groups = {}
    for row in rows:
        groups.setdefault((row.measure.plan.year, row.measure.annex), []).append(row)
    years = {year for year, _annex in groups}

    workbook = Workbook(write_only=True)
    workbook.properties.title = title
    workbook.properties.creator = "Duban"
    extra = progress_columns()
    for (year, annex), group in sorted(groups.items(), key=lambda item: (item[0][0], item[0][1] is None, item[0][1] or 0)):
        measures_ = [row.measure for row in group]
        by_task = any(m.task_id for m in measures_)
        layout = [h.format(area=_area_header(measures_)) for h in (TASK_LAYOUT if by_task else INDICATOR_LAYOUT)]
        name = f"附件{annex}" if annex is not None else _("Other measures")
        ws = workbook.create_sheet(f"{year} {name}" if len(years) > 1 else name)
        for j, header in enumerate(layout + extra, start=1):
            ws.column_dimensions[get_column_letter(j)].width = WIDE.get(header, 30 if j > len(layout) + 4 else 12)
        ws.freeze_panes = "A2"
        ws.append([_cell(ws, h, header=True) for h in layout + extra])
        for row in group:
            values = layout_values(row.measure, by_task)
            ws.append([_cell(ws, values.get(h, "")) for h in layout] +
                      [_cell(ws, v) for v in _progress_values(row, contributions)])
    if not groups:
        empty = workbook.create_sheet(_("Ledger"))
        empty.append([exports.cell(empty, h) for h in [h.format(area="工作领域") for h in TASK_LAYOUT] + extra])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def filename(stem):
    today = clock.today().isoformat()
    safe = re.sub(r'[\\/:*?"<>|\s]+', "_", stem).strip("._") or "ledger"
    name = _("progress-ledger")  # outside the f-string, where xgettext (makemessages) finds it
    return f"{safe}-{name}-{today}.xlsx"


def content_disposition(name):
    return content_disposition_header(as_attachment=True, filename=name)
