"""Pages laid out as print, for the layout formats (PDF, OFD): characters with their boxes, and the
ruling lines of tables, made into a Document.

A format reader gives each page's characters (text, x0, x1, top, bottom, size; in points, top-down)
and the cells its rulings make; from here on PDF and OFD are read alike:

- characters are grouped into lines by their baseline, and the lines into paragraphs — a line goes
  on the paragraph above unless it is indented, centred or set in another size, the line above
  stopped short of the margin, it opens a numbered heading, or a gap stands between them;
- a table's cells are placed on its grid; a cell covered by a merge (rowspan, colspan) is `merged`,
  with the text of the cell that opened it; a cell's wrapped lines are joined, a line that stopped
  short of the cell's edge ends with a line break (units listed one a line);
- a table that goes on at the top of the next page is the same table: the header printed again
  there is dropped, and a row the page break cut in two (its first cell blank, or the first cell
  its longest, its longest cell going on a sentence — or a '…：' — the row above left unfinished) is
  joined back into one row;
- page furniture — the running header, the footer and page numbers (— 3 —, 第3页, 3/40) — is dropped:
  a line near the top or bottom edge that is a page number or that repeats on other pages;
- Kangxi radicals and compatibility ideographs that fonts map glyphs to (⼈, ⻓) are folded back, and
  so are the few traditional forms (戶 for 户) a font's shared glyph gives a plan written in
  simplified characters (a plan printed in traditional characters stays as printed).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any
from dataclasses import dataclass, field

from duban.core.chinese import fold_compatibility, fold_stray_traditional

from ..cells import is_deadline_cell, is_unit_list
from ..document import Cell, Document, Paragraph, Position, Row, Table
from ..grid import join_tables

# A character as pdfplumber (or the OFD reader) gives it: text, x0, x1, top, bottom, size, … — mixed values.
Char = dict[str, Any]

EDGE = 0.10  # the top and bottom tenth of a page is where running headers and page numbers stand
_PAGE_NUMBER = re.compile(r"^[-—–－\s]*\d{1,4}[-—–－\s]*$|^第\s*\d+\s*页(?:\s*[，,]?\s*共\s*\d+\s*页)?$|"
                          r"^\d+\s*/\s*\d+$|^[-—–－\s]*[第]?\s*\d+\s*[页]?[-—–－\s]*$")
_HEADING = re.compile(r"^(?:[★☆▲◆]?(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d{1,3}\s*[.．、](?!\d))|附\s*件"
                      # an attribution printed on its own line: '牵头单位：…', '完成时限：…'
                      r"|(?:牵头|配合|责任|协同|参与)(?:单位|部门)\s*[：:]|(?:完成)?时限(?:要求)?\s*[：:]|完成时间\s*[：:])")
_ENDS_SENTENCE = re.compile(r"[。；;！!？?：:）)]$")
_ENDS_CELL = re.compile(r"[。；;！!？?）)]$")  # a cell's text cut after '目标：' goes on
_CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")
# A line's first unbreakable piece: a word or one character, with the punctuation that may not begin a
# line after it (”，。） …) and any that may not end one (“（《) with the character it opens on — what the
# line above would have needed room for (CJK line breaking moves them down together).
_FIRST_WORD = re.compile(r"[（(“‘《〈「『\[]*(?:[A-Za-z0-9.%]+|.)[”’）)》〉」』\]，,。、；;：:！!？?％%]*"
                         r"(?:[“‘（(《〈「『\[]+.)?")


@dataclass
class Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    page: int
    number: int = 0  # the line's place on its page, 1-based


@dataclass
class Page:
    number: int
    width: float
    height: float
    items: list = field(default_factory=list)  # (top, Line | Table) in reading order


# ------------------------------------------------------------------ a page


def lay_out_page(page: Page, chars: list[dict], tables: list[list[tuple]], name: str) -> Page:
    """Fill `page` with its lines and tables: `tables` are the cell boxes (x0, top, x1, bottom) of each
    ruled table found on it, `chars` every character of the page."""
    chars = [c for c in chars if c.get("text", "").strip() or c.get("text") == " "]
    boxes = [(min(c[0] for c in cells), min(c[1] for c in cells), max(c[2] for c in cells), max(c[3] for c in cells))
             for cells in tables]
    inside: list[list] = [[] for _ in tables]
    outside = []
    for char in chars:
        x, y = (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2
        for k, box in enumerate(boxes):
            if box[0] <= x <= box[2] and box[1] <= y <= box[3]:
                inside[k].append(char)
                break
        else:
            outside.append(char)
    for line in lines_of(outside, page.number):
        page.items.append((line.top, line))
    for k, cells in enumerate(tables):
        rows = table_rows(cells, inside[k], name, page.number)
        if rows:
            page.items.append((boxes[k][1], Table(rows, rows[0].at)))
    page.items.sort(key=lambda item: item[0])
    for n, line in enumerate((item for _top, item in page.items if isinstance(item, Line)), start=1):
        line.number = n
    return page


def lines_of(chars: Iterable[Char], page: int) -> list[Line]:
    """Characters grouped into lines by their baseline, each line's characters left to right."""
    lines: list[list[Char]] = []
    for char in sorted(chars, key=lambda c: (round(c["top"], 1), c["x0"])):
        size = char.get("size") or (char["bottom"] - char["top"])
        if lines and abs(lines[-1][0]["top"] - char["top"]) <= size * 0.5:
            lines[-1].append(char)
        else:
            lines.append([char])
    out = []
    for group in lines:
        group.sort(key=lambda c: c["x0"])
        while group and not group[-1]["text"].strip():  # a space the PDF prints: only between words
            group.pop()
        while group and not group[0]["text"].strip():
            group.pop(0)
        if not group:
            continue
        out.append(Line(_text(group), group[0]["x0"], group[-1]["x1"], min(c["top"] for c in group),
                         max(c["bottom"] for c in group), Counter(round(c.get("size", 0), 1) for c in group)
                         .most_common(1)[0][0], page))
    return [line for line in out if line.text]


def _text(chars) -> str:
    """One line's characters as text: a space where a gap stands between two non-Chinese words, or where
    the file prints a space character between a word and a Chinese character ('1+1+5 模式'); never
    between two Chinese characters (a justified line's spacing)."""
    parts, previous, spaced = [], None, False
    for char in chars:
        text = char["text"]
        if not text.strip():
            spaced = True
            continue
        if previous is not None:
            gap = char["x0"] - previous["x1"]
            size = char.get("size") or 10
            chinese = bool(_CJK.match(previous["text"])) + bool(_CJK.match(text))
            if chinese == 0 and (gap > size * 0.25 or spaced) or chinese == 1 and spaced and gap > size * 0.1:
                parts.append(" ")
        parts.append(text)
        previous, spaced = char, False
    return fold_compatibility("".join(parts)).strip()


def table_rows(cells: Iterable[Sequence[float]], chars: Sequence[Char], name: str, page: int) -> list[Row]:
    """The table's rows on its grid; a cell covered by a merge marked merged with the opening cell's text."""
    boxes = [tuple(c) for c in cells]
    texts = {cell: _cell_text(cell, chars) for cell in boxes}
    columns = _bands([c[0] for c in boxes] + [c[2] for c in boxes])
    rows = []
    for r, (top, bottom) in enumerate(_bands([c[1] for c in boxes] + [c[3] for c in boxes]), start=1):
        out = []
        for left, right in columns:
            x, y = (left + right) / 2, (top + bottom) / 2
            owner = next((c for c in boxes if c[0] <= x <= c[2] and c[1] <= y <= c[3]), None)
            if owner is None:
                out.append(Cell(""))
            elif abs(owner[0] - left) <= 1 and abs(owner[1] - top) <= 1:
                out.append(Cell(texts[owner]))
            else:
                out.append(Cell(texts[owner], merged=True))
        rows.append(Row(out, Position(name, page=page, row=r)))
    return rows


def _bands(edges: list[float]) -> list[tuple[float, float]]:
    """The grid's rows (or columns): between each two neighbouring rulings, rulings within 1pt one."""
    values: list[float] = []
    for value in sorted(edges):
        if not values or value - values[-1] > 1:
            values.append(value)
    return list(zip(values, values[1:]))


def _cell_text(cell, chars) -> str:
    """A cell's characters as text: lines that ran to the cell's edge wrapped (joined without a break),
    a line that stopped short ended (a line break, as between units listed one a line)."""
    mine = [c for c in chars if cell[0] <= (c["x0"] + c["x1"]) / 2 <= cell[2] and cell[1] <= (c["top"] + c["bottom"]) / 2 <= cell[3]]
    lines = lines_of(mine, 0)
    text = ""
    for k, line in enumerate(lines):
        if k:
            # Wrapped by the cell's width unless the next line's first word would have fitted after it.
            size = lines[k - 1].size or 10
            word = _FIRST_WORD.match(line.text)
            needed = (len(word.group(0)) if word else 1) * size
            text += "\n" if cell[2] - lines[k - 1].x1 > needed + 1.5 * size else ""
        text += line.text
    return text


# ------------------------------------------------------------ furniture


def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def drop_furniture(pages: list[Page]) -> None:
    """Running headers, footers and page numbers: near the top or bottom edge, a page number or a line
    that other pages print in the same place."""
    def edge(page, line):
        return line.bottom <= page.height * EDGE or line.top >= page.height * (1 - EDGE)

    seen: Counter = Counter()
    for page in pages:
        keys = {_furniture_key(item.text) for _top, item in page.items if isinstance(item, Line) and edge(page, item)}
        seen.update(keys)
    repeated = max(2, len(pages) // 2) if len(pages) > 1 else None
    for page in pages:
        kept = []
        for top, item in page.items:
            if isinstance(item, Line) and edge(page, item):
                if _PAGE_NUMBER.match(item.text.replace(" ", "")) or (
                        repeated and seen[_furniture_key(item.text)] >= repeated):
                    continue
            kept.append((top, item))
        page.items = kept


# ------------------------------------------------------- the document


def document_from_pages(name: str, pages: list[Page]) -> Document:
    lines = [item for page in pages for _top, item in page.items if isinstance(item, Line)]
    # The text block's margins: where most lines start (continuation lines; first lines are indented)
    # and where full lines end.
    left = sorted(line.x0 for line in lines)[int(len(lines) * 0.05)] if lines else 0
    right = sorted(line.x1 for line in lines)[int(len(lines) * 0.9)] if lines else 0
    document = Document(name=name)
    pending: list[Table] = []  # a table that may go on at the top of the next page
    paragraph: Paragraph | None = None
    previous: Line | None = None
    for page in pages:
        for index, (_top, item) in enumerate(page.items):
            if isinstance(item, Table):
                if pending and index == 0 and _continues(pending[-1], item):
                    pending.append(item)
                else:
                    _flush(document, pending)
                    pending = [item]
                paragraph, previous = None, None
                continue
            if pending:
                _flush(document, pending)
                pending = []
            if paragraph is not None and previous is not None and _goes_on(previous, item, left, right):
                paragraph.text += (" " if _joins_with_space(paragraph.text, item.text) else "") + item.text
            else:
                paragraph = Paragraph(item.text, Position(name, page=item.page, line=item.number))
                document.blocks.append(paragraph)
            previous = item
    _flush(document, pending)
    _fold_strays(document)
    return document


def _fold_strays(document: Document) -> None:
    """Traditional forms in a plan written in simplified characters folded back (户 printed, 戶 in the
    text layer: fonts that share one glyph between the two give either code); a plan printed in
    traditional characters is left as it is."""
    cells = [cell for table in document.tables() for row in table.rows for cell in row.cells]
    table = fold_stray_traditional([p.text for p in document.paragraphs()] + [cell.text for cell in cells])
    if not table:
        return
    for paragraph in document.paragraphs():
        paragraph.text = paragraph.text.translate(table)
    for cell in cells:
        cell.text = cell.text.translate(table)


def _goes_on(above: Line, line: Line, left: float, right: float) -> bool:
    """Whether `line` continues the paragraph whose last line is `above`."""
    size = line.size or 10
    if abs((above.size or 10) - size) > 1:
        return False
    if _HEADING.match(line.text):
        return False
    if above.x1 < right - 2.5 * size or _ENDS_SENTENCE.search(above.text) and above.x1 < right - size:
        return False  # the line above stopped short: its paragraph ended
    if line.page == above.page and line.top - above.bottom > 1.2 * size:
        return False
    centred = line.x0 > left + 1.5 * size and abs((line.x0 - left) - (right - line.x1)) < 2 * size
    if line.x0 > left + 0.8 * size and not (centred and above.x0 <= left + 0.8 * size + size):
        return False  # indented: a new paragraph (a centred title's second line goes on)
    return True


def _joins_with_space(text: str, more: str) -> bool:
    return bool(text) and bool(more) and text[-1].isascii() and text[-1].isalnum() and more[0].isascii() \
        and more[0].isalnum()


def _continues(table: Table, piece: Table) -> bool:
    """A table at the top of a page goes on the one that ended the page before: same columns."""
    return abs(table.width - piece.width) == 0


def _flush(document: Document, pieces: list[Table]) -> None:
    if not pieces:
        return
    joined: list[Table] = []
    for piece in pieces:  # each piece joined to the one before as joined (it may have lost its own top row)
        joined.append(_join_cut_row(joined[-1], piece, _numbered(joined)) if joined else piece)
    pieces = joined
    table = join_tables(pieces)
    numbered = [Row(row.cells, Position(row.at.source, page=row.at.page, row=n))
                for n, row in enumerate(table.rows, start=1)]
    document.blocks.append(Table(numbered, table.at, table.caption, table.merges_known))


_NUMBER = re.compile(r"^\s*\d{1,4}\s*$")


def _numbered(pieces: list[Table]) -> bool:
    """Whether most of the table's rows so far carry a number in their first column."""
    rows = [row for piece in pieces for row in piece.rows[1:] if row.cells]
    return bool(rows) and 2 * sum(1 for row in rows if _NUMBER.match(row.cells[0].text)) >= len(rows)


def _only_rest(rest: Row, column: int) -> bool:
    """A row with no number and text in `column` only (no merge's): no row of its own in a numbered table."""
    return not _NUMBER.match(rest.cells[0].text) and all(
        not cell.text.strip() or cell.merged for j, cell in enumerate(rest.cells) if j != column)


def _prose_goes_on(last: Row, rest: Row) -> bool:
    """Whether the rest of a cut row goes on a sentence in some column other than its longest: every cell
    it fills has text above, none is a list of units or a deadline (a row of its own fills those), and
    one goes on a sentence the row above left unfinished ('…加强知识产权保护，打' ⏎ '击知识产权违法犯罪。'
    beside a cell whose own rest is longer)."""
    filled = [j for j, cell in enumerate(rest.cells) if cell.text.strip() and not cell.merged]
    if not filled or any(not last.cells[j].text.strip() for j in filled):
        return False
    if any(is_unit_list(rest.cells[j].text) or is_deadline_cell(rest.cells[j].text) for j in filled):
        return False
    return any(not _ENDS_CELL.search(last.cells[j].text.strip()) for j in filled)


def _join_cut_row(above: Table, piece: Table, numbered: bool = False) -> Table:
    """A row the page break cut in two: its rest at the top of `piece` (under the repeated header)
    joins the last row of `above`. Recognised by its first cell blank (or its longest) and its longest
    cell going on a sentence the row above left unfinished — or, in a table numbered in its first
    column (`numbered`), by having no number and text in that one cell only, wherever the cut fell;
    the piece returned without that row, `above` with it."""
    header = above.rows[0].texts if above.rows else []
    start = 1 if piece.rows and piece.rows[0].texts == header else 0
    if start >= len(piece.rows) or not above.rows:
        return piece
    rest, last = piece.rows[start], above.rows[-1]
    if not rest.cells or len(rest.cells) != len(last.cells):
        return piece
    longest = max(range(len(rest.cells)), key=lambda j: len(rest.cells[j].text))
    if rest.cells[0].text.strip() and (longest != 0 or not _only_rest(rest, 0)):
        return piece  # a new row: its first cell (a number, an area, a task with its units) is its own
    before, after = last.cells[longest].text, rest.cells[longest].text
    if not before or not after or re.match(r"\d{1,3}\s*[.．、]", after):
        return piece
    if _ENDS_CELL.search(before) and not (numbered and _only_rest(rest, longest)) \
            and not _prose_goes_on(last, rest):
        return piece
    joined = []
    for a, b in zip(last.cells, rest.cells):
        if b.merged or not b.text:
            joined.append(a)
        else:
            joined.append(Cell(a.text + b.text, merged=a.merged))
    above.rows[-1] = Row(joined, last.at)
    return Table(piece.rows[:start] + piece.rows[start + 1:], piece.at, piece.caption, piece.merges_known)
