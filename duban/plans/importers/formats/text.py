"""Plain text (.txt): what a PDF's text extraction or a web page gives, UTF-8 or GB18030.

Each line is a paragraph. Lines whose cells are separated by tabs (a PDF's text extraction) or by
` | ` (a table copied from a web page, Markdown's `| a | b |`) are table rows wherever they stand.
A table runs on over blank lines and over lines without separators (a cell the extraction broke
onto a line of its own) while more rows follow before the next heading or annex; the header printed
again on every page stays in the table (the layout readers pass over it).
"""

from __future__ import annotations

import re
from pathlib import Path

from django.utils.translation import gettext as _

from ..base import PlanImportError
from ..document import Cell, Document, Paragraph, Position, Row, Table
from ..grid import looks_like_header
from ..particulars import ANNEX_HEADING, clean_line, issue_date

_PIPE_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?$")
_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])")


def decode(data: bytes, name: str) -> str:
    if not data.strip():
        raise PlanImportError(_("%(file)s: the file is empty") % {"file": name})
    if b"\x00" in data[:4096] or data[:8] == b"\x89PNG\r\n\x1a\n" or data[:2] == b"PK" or data[:4] == b"%PDF":
        raise PlanImportError(_("%(file)s: not a text file (binary content); give a Word, Excel, PDF or OFD file "
                                "its own extension (.docx, .xlsx, .pdf, .ofd)") % {"file": name})
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise PlanImportError(_("%(file)s: cannot be read as UTF-8 or GB18030 text") % {"file": name})


def read(path: Path) -> Document:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PlanImportError(_("%(file)s: cannot be read (%(reason)s)") % {
            "file": path.name, "reason": exc.strerror}) from exc
    return document_from_text(decode(data, path.name), path.name)


def split_cells(line: str) -> list[str] | None:
    """The cells of a table row, or None when the line is not one."""
    if "\t" in line:
        return line.split("\t")
    stripped = line.strip()
    if " | " in stripped or (stripped.startswith("|") and stripped.endswith("|") and stripped.count("|") >= 3):
        inner = stripped[1:] if stripped.startswith("|") else stripped
        inner = inner[:-1] if inner.endswith("|") else inner
        cells = [c.strip() for c in inner.split("|")]
        return cells if len(cells) >= 2 else None
    return None


def _stops_table(text: str) -> bool:
    """A line that ends a table: an annex heading, a section heading, a closing line (office, date)."""
    return bool(ANNEX_HEADING.match(text) or _HEADING.match(text) or issue_date(re.sub(r"\s+", "", text))
                or re.search(r"印发$", text) or re.fullmatch(r"[\u4e00-\u9fff]{2,20}办公室", text))


def document_from_text(text: str, name: str) -> Document:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    n = len(lines)
    cells = [split_cells(line) for line in lines]
    # For each line, whether another table row follows before anything that ends a table.
    more_rows = [False] * (n + 1)
    more_rows[n] = True  # the last table's loose lines up to the end are its rows
    next_is_row = False  # whether the next line with text is a table row
    for i in range(n - 1, -1, -1):
        if cells[i] is not None:
            more_rows[i] = next_is_row = True
            continue
        text_i = clean_line(lines[i])
        # A section heading between a table's rows ('一、政务服务领域' spanning the columns, as a copied
        # table prints it) is a row of the table; one before anything else ends it.
        section_row = bool(text_i) and bool(_HEADING.match(text_i)) and next_is_row
        more_rows[i] = False if text_i and _stops_table(text_i) and not section_row else more_rows[i + 1]
        if text_i:
            next_is_row = False
    document = Document(name=name)
    i = 0
    while i < n:
        at = Position(name, line=i + 1)
        if cells[i] is None:
            document.blocks.append(Paragraph(lines[i], at))
            i += 1
            continue
        rows, task_list, j, last = [], False, i, i
        while j < n:
            row_cells = cells[j]
            if row_cells is not None:
                if _PIPE_RULE.match(lines[j].strip()):
                    j += 1
                    continue
                rows.append(Row([Cell(c) for c in row_cells], Position(name, line=j + 1)))
                task_list = task_list or looks_like_header(row_cells)
                last = j
            else:
                text_j = clean_line(lines[j])
                if text_j and (re.fullmatch(r"-{3,}", text_j) or not task_list or not more_rows[j]):
                    if not re.fullmatch(r"-{3,}", text_j):
                        break
                elif text_j:
                    rows.append(Row([Cell(text_j)], Position(name, line=j + 1)))
                    last = j
            j += 1
        document.blocks.append(Table(rows, at, merges_known=False))
        for k in range(last + 1, j):  # blank lines after the table's last row
            document.blocks.append(Paragraph(lines[k], Position(name, line=k + 1)))
        i = j
    return document
