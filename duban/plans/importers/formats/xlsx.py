"""Excel workbooks (.xlsx, .xlsm): one table per sheet, rows numbered as the sheet numbers them.

Cells are given as a printed sheet shows them (dates as 2023年6月30日, percentages with %, booleans as
是/否). The workbook's title property is the document's title.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from django.utils.translation import gettext as _

from ..base import PlanImportError
from ..document import Cell, Document, Position, Row, Table
from .office import check_file, damaged


def format_date(date: datetime.date) -> str:
    return f"{date.year}年{date.month}月{date.day}日"


def cell_text(value: object, number_format: str = "General") -> str:
    """One spreadsheet value as the text a printed table would show."""
    if value is None:
        return ""
    if isinstance(value, (datetime.datetime, datetime.date)):
        return format_date(value)
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float)):
        if "%" in (number_format or ""):
            return f"{round(value * 100, 6):g}%"
        if float(value).is_integer():
            return str(int(value))
        return str(value)
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def read(path: Path) -> Document:
    import openpyxl

    kind = _("an Excel workbook (.xlsx)")
    check_file(path, kind)
    try:
        # Not read-only: a read-only sheet does not say which cells are merged (the archive was bounded above).
        workbook = openpyxl.load_workbook(path, data_only=True)
    except Exception as exc:  # openpyxl raises KeyError, ValueError, zip and XML errors alike
        raise PlanImportError(damaged(path, kind)) from exc
    try:
        title = (workbook.properties.title or "").strip() if workbook.properties else ""
        document = Document(name=path.name, title=title)
        for ws in workbook.worksheets:
            document.blocks.append(Table(_sheet_rows(ws, path.name), Position(path.name, sheet=ws.title)))
    except Exception as exc:  # a sheet's XML is broken
        raise PlanImportError(damaged(path, kind)) from exc
    finally:
        workbook.close()
    return document


def _sheet_rows(ws, name: str) -> list[Row]:
    """The rows that hold anything, each with its row number on the sheet. A cell merged down from the row
    above is marked merged, with the merge's text (as Word's and PDF's readers give it: the table builder
    then carries units and deadlines, and knows a blank cell is blank); a merge across one row (a title
    over the sheet) leaves the cells to its right blank."""
    covered = {}
    for merge in ws.merged_cells.ranges:
        top = ws.cell(merge.min_row, merge.min_col)
        text = cell_text(top.value, getattr(top, "number_format", "General"))
        for row_number in range(merge.min_row + 1, merge.max_row + 1):
            covered[(row_number, merge.min_col)] = text
    rows = []
    for row in ws.iter_rows(min_row=1, min_col=1):  # from A1, so that numbers are the sheet's own
        if not row:
            continue
        number = row[0].row
        cells = [Cell(covered[(number, column)], merged=True) if (number, column) in covered
                 else Cell(cell_text(c.value, getattr(c, "number_format", "General")))
                 for column, c in enumerate(row, start=1)]
        while cells and not cells[-1].text:
            cells.pop()
        if any(cell.text for cell in cells):
            rows.append(Row(cells, Position(name, sheet=ws.title, row=number)))
    return rows
