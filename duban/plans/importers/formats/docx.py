"""Word documents (.docx): paragraphs and tables in document order, merged cells known.

A paragraph's position is its number in the document (Word has no pages until it prints); a table
row's is its table's number and its row. A cell under a vertical merge (`w:vMerge`) or beside a
horizontal one (`w:gridSpan`) is `merged`, with the text of the cell that opened the merge.
"""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext as _

from ..base import PlanImportError
from ..document import Cell, Document, Paragraph, Position, Row, Table
from .office import check_file, damaged


def read(path: Path) -> Document:
    import docx
    from docx.oxml.ns import qn
    from docx.table import Table as WordTable
    from docx.text.paragraph import Paragraph as WordParagraph

    kind = _("a Word document (.docx)")
    check_file(path, kind)
    try:
        word = docx.Document(str(path))
        document = Document(name=path.name, title=(word.core_properties.title or "").strip())
        paragraphs = tables = 0
        for child in word.element.body.iterchildren():
            if child.tag == qn("w:p"):
                paragraphs += 1
                paragraph = WordParagraph(child, word)
                style = paragraph.style.name.lower() if paragraph.style is not None else ""
                document.blocks.append(Paragraph(paragraph.text.strip(), Position(path.name, paragraph=paragraphs),
                                                 style=style))
            elif child.tag == qn("w:tbl"):
                tables += 1
                document.blocks.append(_table(WordTable(child, word), path.name, tables))
    except PlanImportError:
        raise
    except Exception as exc:  # PackageNotFoundError, KeyError, broken XML inside a valid zip …
        raise PlanImportError(damaged(path, kind)) from exc
    return document


def _table(table, name: str, number: int) -> Table:
    """A Word table on its grid: a merged cell's text in the cell that opened it, the cells it covers
    marked merged (with that text)."""
    from docx.table import _Cell

    rows: list[Row] = []
    for index, tr in enumerate(table._tbl.tr_lst, start=1):
        cells = [Cell("") for _ in range(tr.grid_before)]
        for tc in tr.tc_lst:
            column = len(cells)
            if tc.vMerge == "continue":
                above = rows[-1].cells[column] if rows and column < len(rows[-1].cells) else Cell("")
                cell = Cell(above.text, merged=True)
            else:
                cell = Cell(_Cell(tc, table).text.strip())
            cells.append(cell)
            cells += [Cell(cell.text, merged=True) for _ in range(tc.grid_span - 1)]
        rows.append(Row(cells, Position(name, table=number, row=index)))
    return Table(rows, Position(name, table=number, row=1))
