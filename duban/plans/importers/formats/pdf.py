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
    verticals = [e for e in page.edges if e["orientation"] == "v"]
    if chars and verticals:
        # A table cut by the page break has no ruling where the cut is: its column lines end there.
        cut = [min(e["top"] for e in verticals), max(e["bottom"] for e in verticals)]
        found = page.find_tables({"vertical_strategy": "lines", "horizontal_strategy": "lines",
                                  "explicit_horizontal_lines": cut})
        tables = [[tuple(c) for c in table.cells] for table in found]
    return lay_out_page(result, chars, tables, name)
