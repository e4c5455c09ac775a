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
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
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
    """The rows that hold anything, each with its row number on the sheet."""
    ws.reset_dimensions()  # some writers record a wrong sheet size; read every row there is
    rows = []
    for number, row in enumerate(ws.iter_rows(), start=1):
        texts = [cell_text(c.value, getattr(c, "number_format", "General")) for c in row]
        while texts and not texts[-1]:
            texts.pop()
        if texts:
            rows.append(Row([Cell(t) for t in texts], Position(name, sheet=ws.title, row=number)))
    return rows
