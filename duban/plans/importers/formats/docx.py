"""Word documents (.docx): paragraphs and tables in document order, merged cells known.

A paragraph's position is its number in the document (Word has no pages until it prints); a table
row's is its table's number and its row. A paragraph numbered by Word's automatic list numbering
(`w:numPr`, in the paragraph or its style) gets its number as Word prints it (`一、`, `（二）`, `3.`),
counted from numbering.xml, before its text. A cell under a vertical merge (`w:vMerge`) or beside a
horizontal one (`w:gridSpan`) is `merged`, with the text of the cell that opened the merge.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

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
        numbers = _ListNumbers(word)
        for child in word.element.body.iterchildren():
            if child.tag == qn("w:p"):
                paragraphs += 1
                paragraph = WordParagraph(child, word)
                style = paragraph.style.name.lower() if paragraph.style is not None else ""
                text = paragraph.text.strip()
                label = numbers.label(paragraph) if text else ""
                document.blocks.append(Paragraph(label + text, Position(path.name, paragraph=paragraphs), style=style))
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


_CHINESE = "〇一二三四五六七八九"


def _chinese(n: int) -> str:
    if n < 10:
        return _CHINESE[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else _CHINESE[tens]) + "十" + (_CHINESE[ones] if ones else "")
    return str(n)


def _format(n: int, fmt: str) -> str:
    if fmt.startswith(("chineseCounting", "taiwaneseCounting", "japaneseCounting", "ideographDigital")):
        return _chinese(n)  # 一 二 三 (LibreOffice writes taiwaneseCountingThousand for them)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if fmt in ("upperLetter", "lowerLetter") and 1 <= n <= 26:
        return chr((0x41 if fmt == "upperLetter" else 0x61) + n - 1)
    if fmt in ("upperRoman", "lowerRoman") and 1 <= n <= 39:
        roman = "".join(r * c for r, c in zip(("X", "IX", "V", "IV", "I"), _roman(n)))
        return roman if fmt == "upperRoman" else roman.lower()
    if fmt in ("bullet", "none"):
        return ""
    return str(n)


def _roman(n: int) -> tuple[int, ...]:
    counts = []
    for value in (10, 9, 5, 4, 1):
        counts.append(n // value)
        n %= value
    return tuple(counts)


class _ListNumbers:
    """Word's automatic numbering, counted as Word counts it: per list (numId), a level's counter
    going on until a higher level of the same list appears (then it starts again)."""

    def __init__(self, word: Any) -> None:
        from docx.oxml.ns import qn

        self.qn = qn
        self.levels: dict[str, dict[int, tuple[int, str, str]]] = {}  # numId → level → (start, format, text)
        self.counters: dict[str, dict[int, int]] = {}
        try:
            numbering = word.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstracts = {a.get(qn("w:abstractNumId")): a for a in numbering.findall(qn("w:abstractNum"))}
        for num in numbering.findall(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            abstract = abstracts.get(ref.get(qn("w:val")) if ref is not None else None)
            if abstract is None:
                continue
            levels = {}
            for lvl in abstract.findall(qn("w:lvl")):
                levels[int(lvl.get(qn("w:ilvl"), "0"))] = (
                    int(self._val(lvl, "w:start") or 1), self._val(lvl, "w:numFmt") or "decimal",
                    self._val(lvl, "w:lvlText") or "")
            for override in num.findall(qn("w:lvlOverride")):
                start = override.find(qn("w:startOverride"))
                level = int(override.get(qn("w:ilvl"), "0"))
                if start is not None and level in levels:
                    levels[level] = (int(start.get(qn("w:val"))), *levels[level][1:])
            self.levels[num.get(qn("w:numId"))] = levels

    def _val(self, element: Any, tag: str) -> str | None:
        child = element.find(self.qn(tag))
        return child.get(self.qn("w:val")) if child is not None else None

    def _num_pr(self, paragraph: Any) -> tuple[str | None, int]:
        p_pr = paragraph._p.pPr
        num_pr = p_pr.find(self.qn("w:numPr")) if p_pr is not None else None
        style = paragraph.style
        while num_pr is None and style is not None:
            s_pr = style.element.find(self.qn("w:pPr"))
            num_pr = s_pr.find(self.qn("w:numPr")) if s_pr is not None else None
            style = style.base_style
        if num_pr is None:
            return None, 0
        return self._val(num_pr, "w:numId"), int(self._val(num_pr, "w:ilvl") or 0)

    def label(self, paragraph: Any) -> str:
        """The number Word prints before the paragraph, or ''."""
        num_id, level = self._num_pr(paragraph)
        levels = self.levels.get(num_id or "")
        if num_id is None or not levels or level not in levels:
            return ""
        counters = self.counters.setdefault(num_id, {})
        start = levels[level][0]
        counters[level] = counters[level] + 1 if level in counters else start
        for deeper in [k for k in counters if k > level]:
            del counters[deeper]

        def number(m: re.Match[str]) -> str:
            at = int(m.group(1)) - 1
            if at not in levels:
                return ""
            return _format(counters.get(at, levels[at][0]), levels[at][1])

        return re.sub(r"%(\d)", number, levels[level][2])
