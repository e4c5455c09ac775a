"""Reading a published plan, whatever its format and layout: a small library with one entry point.

    read_plan_file(path, layout=None) -> ParsedPlan

1. A format reader (`formats/`: text, docx, xlsx, pdf, ofd, and .doc/.wps converted by LibreOffice)
   turns the file into a `document.Document`: paragraphs and tables, each with its `Position`.
2. `particulars.split_annexes` cuts the document into its body and its annexes; `grid.source_table`
   finds each table's header and columns.
3. A layout reader turns those into a `base.ParsedPlan`: `prose` (a 任务分工方案: numbered items with
   bracketed attributions, any annex tables merged in), `annex` (the Xihu layout: body items are the
   areas, annex tables their measures; also a bare task list), `ledger` (Duban's own export). The
   layout is detected unless `layout` names it ("prose", "annex" or "table").

The layout readers read only the Document, never a file; a new format is one reader. Every area, task,
measure and warning knows the `Position` it came from (`.at`).
"""

from __future__ import annotations

from pathlib import Path

from .base import ParsedPlan, PlanImportError, SourceTable
from .document import Document, Paragraph, Position, Row

LAYOUTS = ("annex", "table", "prose")

__all__ = ["LAYOUTS", "PlanImportError", "ParsedPlan", "read_document_plan", "read_plan_file"]


def read_plan_file(path: str | Path, layout: str | None = None) -> ParsedPlan:
    """The plan in a file, read by the format its extension names and the layout its content shows."""
    from django.utils.translation import gettext as _

    from .formats import read_document

    if layout is not None and layout not in LAYOUTS:
        raise PlanImportError(_("unknown layout %(layout)s; use one of %(layouts)s") % {
            "layout": layout, "layouts": ", ".join(LAYOUTS)})
    return read_document_plan(read_document(path), layout=layout)


def read_document_plan(document: Document, layout: str | None = None) -> ParsedPlan:
    """The plan in a Document (any format's), by the layout its content shows unless `layout` says."""
    from django.utils.translation import gettext as _

    from . import ledger
    from .annex import read_annex_plan
    from .grid import annex_number, source_label, source_table
    from .numbering import check_numbering
    from .particulars import split_annexes
    from .prose import is_prose_body, parse_prose_lines

    plan = ParsedPlan(source_name=document.name)
    parts = split_annexes(document)
    is_ledger = ledger.is_ledger(document)
    done = ledger.read_ledger_sheets(plan, document) if is_ledger else set()

    tables: list[SourceTable] = []
    titles: list[str] = []
    for part in parts.parts:
        table = part.table
        sheet = table.at.sheet
        if sheet in done:
            continue
        if sheet is not None:
            name = sheet
            where = _("%(file)s, sheet %(sheet)s") % {"file": document.name, "sheet": sheet}
            annex = annex_number(sheet)
        else:
            name = f"附件{part.annex}" if part.annex is not None else f"表{part.number}"
            where = _("%(file)s, %(part)s") % {"file": str(part.at), "part": name}
            annex = part.annex
        label = document.name if _is_text(table.at) else source_label(document.name, name)
        found, table_titles = source_table(table, source=label, where=where, annex=annex,
                                           key=_row_key(part.pieces), positions=plan.positions)
        if found is None:
            if sheet is not None:
                plan.warn(label, None, _("no task-list header (序号 … 工作举措 …) on this sheet; sheet not imported"))
            continue  # a layout table (letterhead, signatures), not a task list
        if not found.title:
            found.title = next((t for t in part.titles if annex_number(t) is None), "")
        tables.append(found)
        titles += part.titles + table_titles

    body = parts.body_lines
    numbers = [_paragraph_key(p, i) for i, p in enumerate(parts.body, start=1)]
    for paragraph, number in zip(parts.body, numbers):
        plan.positions[(document.name, number)] = paragraph.at
    annexes = {number for number, _at in parts.annex_headings if number is not None}
    annexes |= {t.annex for t in tables if t.annex is not None}

    prose = layout == "prose" or (layout is None and not is_ledger and any(line.strip() for line in body)
                                  and (not tables or is_prose_body(body)))
    if prose:
        parse_prose_lines(body, document.name, tables=tables, numbers=numbers, plan=plan, annexes=annexes)
    else:
        fallback = "" if _is_text_document(document) else (document.title or Path(document.name).stem)
        read_annex_plan(plan, body, tables, titles=titles, numbers=numbers, annexes=annexes,
                        fallback_title=fallback, particulars=not is_ledger,
                        add_table=ledger.add_table if document_has_sheets(document) else None)
    plan.locate()
    if tables and not any(True for _measure in plan.all_measures()):
        # A task list was found and none of its rows read as a measure: refused, never an empty plan.
        raise PlanImportError(_("%(file)s: a task-list table was found but no row of it could be read as a "
                                "measure; see the notes: %(notes)s") % {
            "file": document.name, "notes": "；".join(str(w) for w in plan.warnings[:3]) or "—"})
    if not is_ledger:  # Duban's own export was checked when its plan was first read
        check_numbering(plan)
    return plan


def document_has_sheets(document: Document) -> bool:
    return any(table.at.sheet is not None for table in document.tables())


def _is_text(at: Position) -> bool:
    """A position in a text file: its line is the file's line."""
    return at.line is not None and at.page is None and at.sheet is None


def _is_text_document(document: Document) -> bool:
    first = next(iter(document.blocks), None)
    return first is not None and _is_text(first.at)


def _paragraph_key(paragraph: Paragraph, index: int) -> int:
    at = paragraph.at
    return at.line if at.line is not None and _is_text(at) else (at.paragraph or index)


def _row_key(pieces):
    """The number a table row's warnings and measures carry: its file line (text), its sheet row
    (workbooks), else its place in the table's pieces counted through (header rows included)."""
    offsets, total = {}, 0
    for piece in pieces:
        offsets[piece.at.table] = total
        total += max((row.at.row or 0 for row in piece.rows), default=0) or len(piece.rows)

    def key(index: int, row: Row) -> int:
        at = row.at
        if at.line is not None and _is_text(at):
            return at.line
        if at.row and (at.sheet is not None or at.table is None):
            return at.row
        if at.row and at.table in offsets:
            return offsets[at.table] + at.row
        return index

    return key
