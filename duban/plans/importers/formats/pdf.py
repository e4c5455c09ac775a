"""PDF, the form every plan is published in, read with pdfplumber.

pdfplumber gives each page's characters and finds its tables from their ruling lines (its line
strategy; a table cut by the page break gets a ruling where its column lines end). The rest —
lines into paragraphs, cells onto the grid with merges known, tables joined over pages, page
furniture dropped — is `layout.py`'s, shared with the OFD reader. A PDF without a text layer (a scan)
is refused with a message that says so.
"""

from __future__ import annotations

import logging
from pathlib import Path

from django.utils.translation import gettext as _

from ..base import PlanImportError
from ..document import Document
from .layout import Page, document_from_pages, drop_furniture, lay_out_page


def read(path: Path) -> Document:
    import pdfplumber

    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    with path.open("rb") as handle:
        if handle.read(5) != b"%PDF-":
            raise PlanImportError(_("%(file)s: not a PDF document (the file is damaged, or another kind of file "
                                    "renamed)") % {"file": path.name})
    try:
        pdf = pdfplumber.open(path)
    except Exception as exc:  # pdfminer's syntax errors, a password asked for …
        raise PlanImportError(_("%(file)s: the PDF cannot be opened (damaged, or protected by a password)") % {
            "file": path.name}) from exc
    try:
        pages, images = [], 0
        for number, page in enumerate(pdf.pages, start=1):
            pages.append(_read_page(page, number, path.name))
            images += len(page.images)
    except PlanImportError:
        raise
    except Exception as exc:
        raise PlanImportError(_("%(file)s: the PDF cannot be read (%(error)s)") % {
            "file": path.name, "error": exc.__class__.__name__}) from exc
    finally:
        pdf.close()
    if not any(page.items for page in pages):
        if images:
            raise PlanImportError(_("%(file)s: this PDF is a scan (its pages are pictures, with no text in them); "
                                    "Duban reads the text of a PDF and does not recognise characters in pictures. "
                                    "Ask for the plan as published (a PDF with text, Word or OFD), or run OCR first") % {
                "file": path.name})
        raise PlanImportError(_("%(file)s: this PDF holds no text") % {"file": path.name})
    drop_furniture(pages)
    return document_from_pages(path.name, pages)


def _read_page(page, number: int, name: str) -> Page:
    result = Page(number, float(page.width), float(page.height))
    chars = page.chars
    tables = []
    # (a horizontal rule drawn as a thin box has vertical edges of its line's width: not a column line)
    verticals = [e for e in page.edges if e["orientation"] == "v" and e["bottom"] - e["top"] > 2]
    if chars and len({round(e["x0"] / 3) for e in verticals}) <= 2:
        # no column lines, or only the table's outer frame: the columns are where the text leaves them
        verticals = _columns_between_rules(page, chars) or verticals
    if chars and verticals:
        # A table cut by the page break has no ruling where the cut is: its column lines end there.
        cut = [min(e["top"] for e in verticals), max(e["bottom"] for e in verticals)]
        settings = {"vertical_strategy": "lines", "horizontal_strategy": "lines", "explicit_horizontal_lines": cut}
        if verticals and "orientation" not in verticals[0]:  # columns inferred from the text, not printed
            settings.update(vertical_strategy="explicit", explicit_vertical_lines=[e["x"] for e in verticals])
        found = page.find_tables(settings)
        tables = [[tuple(c) for c in table.cells] for table in found]
    return lay_out_page(result, chars, tables, name)


_MIN_GAP = 4.0  # points of white between two columns' text


def _columns_between_rules(page, chars) -> list:
    """A table ruled only across (no vertical lines, as many plans print their task lists): its
    columns where the text between the rules leaves a white band from the first rule to the last.
    Returns pdfplumber's explicit vertical lines (dicts with x, top, bottom), or [] when the page has
    no such table (fewer than three long horizontal rules of the same width)."""
    rows: dict[int, list[list[float]]] = {}  # a rule's height → its pieces (cells draw their own borders)
    for e in sorted((e for e in page.edges if e["orientation"] == "h"), key=lambda e: e["x0"]):
        pieces = rows.setdefault(round(e["top"]), [])
        if pieces and e["x0"] - pieces[-1][1] < 2:
            pieces[-1][1] = max(pieces[-1][1], e["x1"])
        else:
            pieces.append([e["x0"], e["x1"]])
    spans: dict[tuple[int, int], list[int]] = {}
    for top, pieces in rows.items():
        for x0, x1 in pieces:
            if x1 - x0 > page.width / 3:
                spans.setdefault((round(x0), round(x1)), []).append(top)
    if not spans:
        return []
    (left, right), same = max(spans.items(), key=lambda item: len(item[1]))
    if len(same) < 3:
        return []
    top, bottom = min(same), max(same)
    inside = [c for c in chars if top <= c["top"] and c["bottom"] <= bottom and left <= c["x0"] and c["x1"] <= right]
    if not inside:
        return []
    covered = sorted((c["x0"], c["x1"]) for c in inside)
    xs, reach = [], covered[0][1]
    for x0, x1 in covered[1:]:
        if x0 - reach >= _MIN_GAP:
            xs.append((reach + x0) / 2)
        reach = max(reach, x1)
    if not xs:
        return []
    return [{"x": x, "top": top, "bottom": bottom} for x in [left, *xs, right]]
