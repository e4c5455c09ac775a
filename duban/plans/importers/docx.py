"""Plans and task lists kept as Word documents (.docx).

Offices hold annexes as Word tables: a paragraph '附件1', the list's title,
then a table whose header names the columns (序号, 工作任务, 工作举措, 牵头单位 …).
Tables of one annex — Word splits long ones, or each page got its own — are
read as one table, as the printed annex is. When the document also holds the
plan's text before the annexes, its particulars (document number, title,
issue date) and its items with their attributions are read as from the text of
the published plan.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.utils.translation import gettext as _

from .base import ParsedPlan, PlanImportError
from .body import find_measures_section, parse_body
from .tables import build_from_tables
from .xlsx import annex_number, check_file, complete_metadata, damaged, source_label, table_from_grid

_ANNEX_HEADING = re.compile(r"^附\s*件\s*(\d+|[一二三四五六七八九十])\s*[:：]?$")


def read_docx(path, layout=None) -> ParsedPlan:
    """Read a plan (its text, if there) and its task-list tables from a .docx file.

    A document whose paragraphs are themselves the measures (a 任务分工方案 written as prose, with or
    without tables) is read as prose; `layout` ("prose" / "annex" / "table") forces one reading.
    """
    path = Path(path)
    blocks, core_title = _read_blocks(path)
    plan = ParsedPlan(source_name=path.name)

    body, groups = _split(blocks)
    tables, titles = [], []
    for annex, title_lines, grids, number in groups:
        part = f"附件{annex}" if annex is not None else f"表{number}"  # the document's own words, like 附件1
        table, table_titles = table_from_grid(
            _concatenate(grids), source=source_label(path.name, part), annex=annex,
            where=_("%(file)s, %(part)s") % {"file": path.name, "part": part})
        if table is None:
            continue  # a layout table (letterhead, signatures), not a task list
        if not table.title:
            table.title = next((t for t in title_lines if annex_number(t) is None), "")
        tables.append(table)
        titles += title_lines + table_titles

    from .prose import is_prose_body, parse_prose_lines
    from .text_annex import _listed_annexes, _read_metadata  # the published text's particulars

    if layout == "prose" or (layout is None and body and is_prose_body(body)):
        return parse_prose_lines(body, path.name, tables=tables)
    _read_metadata(plan, body + titles)
    if find_measures_section(body):
        parse_body(plan, body, path.name)
    if not tables and not plan.areas:
        raise PlanImportError(_("%(file)s: no task-list table found: no table has a header row naming 工作举措 and "
                                "the other columns (序号, 牵头单位, 完成时限 …)") % {"file": path.name})
    present = {t.annex for t in tables}
    plan.missing_annexes = [f"附件{n}：{title}" for n, title in _listed_annexes(body) if n not in present]
    complete_metadata(plan, tables, core_title or path.stem)
    build_from_tables(plan, tables)
    return plan


def _read_blocks(path):
    """The document's paragraphs (as text) and tables (as grids), in order, and its title property."""
    import docx

    kind = _("a Word document (.docx)")
    check_file(path, kind)
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # PackageNotFoundError, KeyError, broken XML inside a valid zip …
        raise PlanImportError(damaged(path, kind)) from exc
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    blocks = []
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            blocks.append(Paragraph(child, document).text.strip())
        elif child.tag == qn("w:tbl"):
            blocks.append(_grid(Table(child, document)))
    return blocks, (document.core_properties.title or "").strip()


def _grid(table):
    """A Word table as rows of cell texts on the table's grid.

    A merged cell's text stands in its first grid cell only, the rest left
    empty, as a printed table shows it; the table builder carries it down.
    """
    from docx.table import _Cell

    rows = []
    for index, tr in enumerate(table._tbl.tr_lst, start=1):
        row_cells = [""] * tr.grid_before
        for tc in tr.tc_lst:
            text = "" if tc.vMerge == "continue" else _Cell(tc, table).text.strip()
            row_cells += [text] + [""] * (tc.grid_span - 1)
        while row_cells and not row_cells[-1]:
            row_cells.pop()
        rows.append((index, row_cells))
    return rows


def _split(blocks):
    """(body lines, [(annex, title lines, [grids], table number)]): tables grouped under their annex heading."""
    body, groups, annex, titles, seen_annex, number = [], [], None, [], False, 0
    for block in blocks:
        if isinstance(block, str):
            if _ANNEX_HEADING.match(block):
                annex, titles, seen_annex = annex_number(block), [], True
            elif not seen_annex:
                body.append(block)
            elif block:
                titles.append(block)
            continue
        number += 1
        current = groups[-1] if groups else None
        if current is not None and annex is not None and current[0] == annex and not titles:
            current[2].append(block)  # the same annex, continued in another table
        else:
            groups.append((annex, titles, [block], number))
            titles = []
    return body, groups


def _concatenate(grids):
    """Tables of one annex as one grid; rows keep their number within the annex's tables."""
    rows, offset = [], 0
    for grid in grids:
        rows += [(offset + line, row_cells) for line, row_cells in grid if row_cells]
        offset += len(grid)
    return rows
