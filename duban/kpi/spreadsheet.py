"""Metric values in and out of .xlsx: one row per metric and period.

The export is also the form to fill in: it lists every reported value and, for
each metric, an empty row for the next period. The import is as careful as the
plan import: every row is checked before anything is saved, each problem is
reported with its row and column, and either all rows are saved or none
(with a dry run to see what would change).
"""

from __future__ import annotations

import datetime
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from duban.accounts.permissions import can
from duban.core import clock, exports
from duban.core.archives import check_archive
from duban.core.models import sees_every_region

from .computed import computed_values
from .models import Metric, MetricValue, ValueRevision
from .periods import PeriodError, parse_period, period_containing
from .services import correct_value, may_change, report_value

MAX_ROWS = 5000
COMPUTED_SHEET_TITLE = "系统计算值"  # the computed indicators, beside the reported values
# The sheet's name in the user's language (a function: the language is the request's); an import reads the
# first sheet, or one named so in any language.
SHEET_TITLE = gettext_lazy("Indicator values")
SHEET_TITLES = {"Indicator values", "指标数值", "values"}

# (key, header written on export, other headers accepted on import)
COLUMNS = [
    ("metric", gettext_lazy("Metric ID"), ("指标编号", "metric id", "metric_id", "id", "编号")),
    ("name", gettext_lazy("Metric"), ("指标", "指标名称", "metric", "name")),
    ("owner", gettext_lazy("Owner unit"), ("责任单位", "owner", "owner unit")),
    ("unit", gettext_lazy("Unit"), ("单位", "计量单位", "unit")),
    ("period", gettext_lazy("Period"), ("期间", "报告期", "period")),
    ("value", gettext_lazy("Value"), ("数值", "指标值", "value")),
    ("note", gettext_lazy("Note"), ("说明", "备注", "note")),
    ("reason", gettext_lazy("Reason for a correction"), ("更正原因", "reason")),
]
REQUIRED = ("metric", "period", "value")


class SpreadsheetError(Exception):
    """The file as a whole cannot be read (not an .xlsx, no header row, too many rows)."""


@dataclass
class RowError:
    row: int
    column: str | None  # letter, or None for the row as a whole
    header: str
    message: str

    def __str__(self):
        if self.column:
            return _("Row %(row)s, column %(column)s (%(header)s): %(message)s") % {
                "row": self.row, "column": self.column, "header": self.header, "message": self.message}
        return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}


@dataclass
class RowChange:
    row: int
    metric: Metric
    period: object
    value: Decimal
    note: str
    reason: str
    action: str  # created, changed, corrected, unchanged
    old: Decimal | None = None


@dataclass
class ImportResult:
    changes: list[RowChange] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    skipped: int = 0
    dry_run: bool = False
    saved: bool = False

    def count(self, action):
        return sum(1 for change in self.changes if change.action == action)

    @property
    def summary(self):
        return {action: self.count(action) for action in ("created", "changed", "corrected", "unchanged")} | {
            "skipped": self.skipped, "errors": len(self.errors), "saved": self.saved}


# Export -------------------------------------------------------------------------------------------


def next_period(metric, today=None):
    """The period to report next: after the latest reported one, else the current one (within the plan year)."""
    values = list(metric.values.all())
    if values:
        return parse_period(values[-1].period, metric.frequency).next()
    today = today or clock.today()
    when = today if today.year == metric.plan.year else datetime.date(metric.plan.year, 1, 1)
    return period_containing(when, metric.frequency)


def export_values(metrics, today=None):
    """The .xlsx bytes: every value of `metrics` and an empty row per metric for its next period."""
    book = Workbook()
    sheet = book.active
    sheet.title = str(SHEET_TITLE)
    exports.append(sheet, [str(header) for _key, header, _others in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="ECEEF1")
    for metric in metrics:
        start = [metric.pk, metric.name, metric.owner.name if metric.owner else "", metric.unit]
        for entry in metric.values.all():
            exports.append(sheet, [*start, entry.period, entry.value, entry.note, ""])  # a note is text, never a formula
        exports.append(sheet, [*start, next_period(metric, today).label, None, "", ""])
    for index, width in enumerate([10, 40, 18, 10, 10, 12, 40, 30], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    # What Duban computes itself, beside (not instead of) what the units report; the import reads only the
    # first sheet.
    computed = [(metric, value) for metric in metrics for value in computed_values(metric, today)]
    if computed:
        extra = book.create_sheet(COMPUTED_SHEET_TITLE)
        exports.append(extra, ["指标编号", "指标名称", "统计期", "截至", "计算值", "算式", "口径"])
        for cell in extra[1]:
            cell.font = Font(bold=True)
        for metric, value in computed:
            exports.append(extra, [metric.pk, metric.name, value.period, value.period_end.isoformat(), value.value,
                          value.arithmetic, value.formula])
        for index, width in enumerate([10, 40, 10, 12, 10, 30, 80], start=1):
            extra.column_dimensions[get_column_letter(index)].width = width
    return exports.xlsx_bytes(book)


# Import -------------------------------------------------------------------------------------------


def _header_map(header_row):
    """{key: (column index, header as printed)} from the first row."""
    accepted = {}
    for key, label, others in COLUMNS:
        for name in (str(label), *others):
            accepted[name.strip().lower()] = key
    found = {}
    for index, cell in enumerate(header_row):
        name = str(cell).strip().lower() if cell is not None else ""
        key = accepted.get(name)
        if key and key not in found:
            found[key] = (index, str(cell).strip())
    return found


def _number(cell):
    if isinstance(cell, bool):
        raise InvalidOperation
    if isinstance(cell, (int, float, Decimal)):
        return Decimal(str(cell))
    text = str(cell).strip().translate({ord("％"): "%", ord("，"): ","}).replace(",", "").removesuffix("%").strip()
    text = text.translate({ord("０") + i: ord("0") + i for i in range(10)}).replace("．", ".")
    value = Decimal(text)
    if not value.is_finite():
        raise InvalidOperation
    return value


def _text(cell):
    return "" if cell is None else str(cell).strip()


def read_rows(file):
    """(header map, [(row number, cells)]) of the first sheet; SpreadsheetError if the file cannot be read."""
    check_archive(file, name=getattr(file, "name", "") or "xlsx", error=SpreadsheetError)
    try:
        book = load_workbook(file, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as error:
        raise SpreadsheetError(_("The file is not a readable .xlsx workbook (%(error)s).") % {"error": error}) from None
    named = [name for name in book.sheetnames if name in SHEET_TITLES | {str(SHEET_TITLE)}]
    sheet = book[named[0]] if named else book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    columns = _header_map(header or [])
    missing = [str(label) for key, label, _others in COLUMNS if key in REQUIRED and key not in columns]
    if missing:
        raise SpreadsheetError(
            _("Row 1 must name the columns; missing: %(columns)s.") % {"columns": "、".join(missing)})
    body = []
    for number, cells in enumerate(rows, start=2):
        if number - 1 > MAX_ROWS:
            raise SpreadsheetError(_("More than %(max)s rows; split the file.") % {"max": MAX_ROWS})
        body.append((number, cells))
    book.close()
    return columns, body


def check_rows(columns, rows, user, reason=""):
    """Check every row; return an ImportResult with the changes it would make and every error found."""
    result = ImportResult()
    seen = {}
    metric_ids = set()
    for _row, cells in rows:
        raw = _cell(cells, columns, "metric")
        if isinstance(raw, (int, float)) or str(raw or "").strip().isdigit():
            metric_ids.add(int(float(raw)))
    # Only the user's region's metrics exist for this import: another region's ID is "not a metric", never named.
    in_region = Metric.objects.all() if sees_every_region(user) else Metric.objects.filter(plan__region=user.region_id)
    metrics = in_region.select_related("plan", "owner").in_bulk(metric_ids)
    entries = {(e.metric_id, e.period): e for e in MetricValue.objects.filter(metric__in=list(metrics))}
    corrector = can(user, "kpi.correct")

    for number, cells in rows:
        if all(cell is None or str(cell).strip() == "" for cell in cells):
            continue

        def error(key, message, number=number):
            index, header = columns.get(key, (None, ""))
            column = get_column_letter(index + 1) if index is not None else None
            result.errors.append(RowError(number, column, header, message))

        raw_value = _cell(cells, columns, "value")
        if raw_value is None or str(raw_value).strip() == "":
            result.skipped += 1  # a row of the form left empty
            continue
        raw_id = _cell(cells, columns, "metric")
        try:
            metric = metrics[int(float(raw_id))]
        except KeyError:  # no such metric in the user's region (another region's is not named)
            error("metric", _("Metric %(id)s: not found.") % {"id": _text(raw_id)})
            continue
        except (TypeError, ValueError):
            error("metric", _("“%(value)s” is not the ID of a metric.") % {"value": _text(raw_id)})
            continue
        if not can(user, "kpi.report", metric):
            error("metric", _("you may not report values for metric %(id)s (%(name)s): it belongs to %(owner)s.")
                  % {"id": metric.pk, "name": metric.name, "owner": metric.owner or _("no unit")})
            continue
        name = _text(_cell(cells, columns, "name"))
        if name and name != metric.name:
            error("name", _("metric %(id)s is “%(name)s”, not “%(given)s”; check that the row is not shifted.")
                  % {"id": metric.pk, "name": metric.name, "given": name})
            continue
        try:
            period = parse_period(_cell(cells, columns, "period"), metric.frequency)
        except PeriodError as problem:
            error("period", str(problem))
            continue
        try:
            value = _number(raw_value)
        except (InvalidOperation, ValueError):
            error("value", _("“%(value)s” is not a number.") % {"value": _text(raw_value)})
            continue
        if (metric.pk, period.label) in seen:
            error("period", _("metric %(id)s already has a value for %(period)s in row %(row)s.")
                  % {"id": metric.pk, "period": period.label, "row": seen[(metric.pk, period.label)]})
            continue
        seen[(metric.pk, period.label)] = number
        note = _text(_cell(cells, columns, "note"))
        row_reason = _text(_cell(cells, columns, "reason")) or reason.strip()
        entry = entries.get((metric.pk, period.label))
        change = RowChange(number, metric, period, value, note, row_reason, "created")
        if entry is not None:
            change.old = entry.value
            if entry.value == value and (entry.note == note or not note):
                change.action = "unchanged"
            elif not may_change(user, entry):
                error("value", _("the office has corrected this value (%(value)s); ask the office to change it.")
                      % {"value": entry.value})
                continue
            elif corrector and entry.value != value:
                if not row_reason:
                    error("reason", _("changing %(old)s to %(new)s needs a reason.") % {"old": entry.value, "new": value})
                    continue
                change.action = "corrected"
            else:
                change.action = "changed"
        result.changes.append(change)
    return result


def _cell(cells, columns, key):
    index = columns.get(key, (None,))[0]
    if index is None or index >= len(cells):
        return None
    return cells[index]


def import_values(file, user, *, dry_run=False, reason=""):
    """Read, check and (unless dry_run or any row is wrong) save the values in an .xlsx file."""
    if not can(user, "kpi.import"):
        raise PermissionDenied
    columns, rows = read_rows(file)
    result = check_rows(columns, rows, user, reason)
    result.dry_run = dry_run
    if result.errors or dry_run:
        return result
    with transaction.atomic():
        for change in result.changes:
            if change.action == "unchanged":
                continue
            if change.action == "corrected":
                entry = MetricValue.objects.get(metric=change.metric, period=change.period.label)
                correct_value(entry, user, change.value, change.reason, note=change.note or None)
            else:
                report_value(change.metric, user, change.period, change.value, change.note,
                             kind=ValueRevision.Kind.IMPORTED)
    result.saved = True
    return result
