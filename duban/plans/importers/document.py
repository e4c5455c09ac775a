"""The document model every plan file is read into, whatever its format.

A format reader (plain text, .docx, .xlsx, .pdf, .ofd, .doc/.wps through LibreOffice) turns a file
into a `Document`: the blocks of the file in reading order — `Paragraph`s and `Table`s — each with the
`Position` it came from (page, line, sheet and row). Page headers, footers and page numbers are the
reader's to drop; a table that a page break or Word split in two is the reader's to join. Merged cells
are known: a cell covered by a merge keeps the merge's text and says so (`Cell.merged`), so a layout
reader can tell "blank under a merged 工作任务 cell" (carry from above) from "blank".

The layout readers (annex tables, prose with bracketed attributions, body text) read only this model,
never a file: so every convention they understand works in every format, and a new format is one
reader that produces a Document.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Union


@dataclass(frozen=True)
class Position:
    """Where a block, row or line came from, for warnings a person can follow back to the file."""

    source: str  # the file's name
    page: int | None = None  # 1-based, layout formats (PDF, OFD)
    line: int | None = None  # 1-based, text formats; for paged formats the line on the page
    sheet: str | None = None  # spreadsheets
    row: int | None = None  # 1-based row of a sheet or of a table
    paragraph: int | None = None  # 1-based paragraph of a Word document (no pages there)
    table: int | None = None  # 1-based table of a Word document, for its rows

    def label(self) -> str:
        """Machine-readable, for `import-plan --format json`: "page 12", "line 340", "sheet 附件1 row 5"."""
        if self.sheet is not None:
            return f"sheet {self.sheet} row {self.row}" if self.row else f"sheet {self.sheet}"
        if self.page is not None:
            return f"page {self.page}"
        if self.table is not None:
            return f"table {self.table} row {self.row}" if self.row else f"table {self.table}"
        if self.paragraph is not None:
            return f"paragraph {self.paragraph}"
        if self.line is not None:
            return f"line {self.line}"
        if self.row is not None:
            return f"row {self.row}"
        return ""

    def __str__(self) -> str:
        """For people, in Chinese: 西湖区方案.pdf 第12页, 方案.txt 第340行, 任务表.xlsx 工作表“附件1”第5行."""
        if self.sheet is not None:
            where = f"工作表“{self.sheet}”" + (f"第{self.row}行" if self.row else "")
        elif self.page is not None:
            where = f"第{self.page}页" + (f"第{self.line}行" if self.line else "")
        elif self.table is not None:
            where = f"第{self.table}个表格" + (f"第{self.row}行" if self.row else "")
        elif self.paragraph is not None:
            where = f"第{self.paragraph}段"
        elif self.line is not None:
            where = f"第{self.line}行"
        elif self.row is not None:
            where = f"第{self.row}行"
        else:
            return self.source
        return f"{self.source} {where}"

    @property
    def number(self) -> int | None:
        """The one number an `ImportNote` carries: the line, else the row, else the paragraph, else the page."""
        return self.line or self.row or self.paragraph or self.page


@dataclass
class Paragraph:
    """One paragraph of running text (a line of a .txt file, a Word paragraph, a PDF text line
    joined with its wrapped continuation)."""

    text: str
    at: Position
    style: str = ""  # what the format says of it, when it says: "title", "heading 1" … ("" if nothing)


@dataclass
class Cell:
    text: str
    merged: bool = False  # covered by a merge that began above or to the left; `text` is the merge's text


@dataclass
class Row:
    cells: list[Cell]
    at: Position

    @property
    def texts(self) -> list[str]:
        return [cell.text for cell in self.cells]


@dataclass
class Table:
    """A table as printed: rows of cells, a table split across pages already joined into one."""

    rows: list[Row]
    at: Position
    caption: list[str] = field(default_factory=list)  # title lines just above it, when the format keeps them apart
    # Whether the format tells merged cells (Word, PDF and OFD rulings, a workbook's merges): then a blank
    # cell is blank. Text does not: a blank cell there may stand under a merge, as a copied table prints it.
    merges_known: bool = True

    @property
    def width(self) -> int:
        return max((len(row.cells) for row in self.rows), default=0)


Block = Union[Paragraph, Table]


@dataclass
class Document:
    """A file read into blocks, in reading order."""

    name: str  # the file's name, as warnings name it
    blocks: list[Block] = field(default_factory=list)
    title: str = ""  # a title the format's metadata gives (Word core properties, OFD DocInfo), if any

    def paragraphs(self) -> Iterator[Paragraph]:
        return (block for block in self.blocks if isinstance(block, Paragraph))

    def tables(self) -> Iterator[Table]:
        return (block for block in self.blocks if isinstance(block, Table))

    def lines(self) -> list[str]:
        """The paragraphs' texts in order (tables left out): what the body-text readers walk."""
        return [paragraph.text for paragraph in self.paragraphs()]
