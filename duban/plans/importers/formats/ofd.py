"""OFD (GB/T 33190), the national layout format many governments publish in, read from its XML.

An OFD is a zip: OFD.xml names the document root (Doc_0/Document.xml), which lists the pages
(Pages/Page_N/Content.xml). On a page, each TextObject places its TextCode's characters — X and Y the
first one's baseline within the object's Boundary, DeltaX the advance to each next one ("g 3 4.2":
three times 4.2) — and PathObjects draw the tables' ruling lines (AbbreviatedData: M x y L x y … C,
relative to the Boundary). Coordinates are millimetres from the top left; they are turned into
points, the table rulings into cells by pdfplumber's table algorithms, and from there the page is
read as a PDF's is (`layout.py`): lines, paragraphs, tables joined over pages, page furniture dropped.
Read with the standard library and lxml (entities not resolved, nothing fetched); no OFD library.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path

from django.utils.translation import gettext as _

from ..base import PlanImportError
from ..document import Document
from duban.core.archives import check_archive
from .layout import Page, document_from_pages, drop_furniture, lay_out_page

PT_PER_MM = 72 / 25.4
MAX_XML = 50 * 1024 * 1024  # one part of the archive, unpacked
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE]-?\d+)?")


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _parse(archive: zipfile.ZipFile, name: str, file: str):
    from lxml import etree

    try:
        info = archive.getinfo(name)
    except KeyError:
        raise PlanImportError(_("%(file)s: not a readable OFD document: %(part)s is missing") % {
            "file": file, "part": name}) from None
    if info.file_size > MAX_XML:
        raise PlanImportError(_("%(file)s: %(part)s is too large for an OFD part") % {"file": file, "part": name})
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True)
    try:
        return etree.fromstring(archive.read(name), parser)
    except etree.XMLSyntaxError as exc:
        raise PlanImportError(_("%(file)s: not a readable OFD document: %(part)s is not valid XML") % {
            "file": file, "part": name}) from exc


def _child(element, name):
    return next((c for c in element.iter() if _local(c.tag) == name), None)


def _numbers(text: str | None) -> list[float]:
    return [float(n) for n in _NUMBER.findall(text or "")]


def _box(text: str | None) -> tuple[float, float, float, float]:
    values = _numbers(text) + [0.0] * 4
    return values[0], values[1], values[2], values[3]


def _path_target(base: str, location: str) -> str:
    location = location.strip().lstrip("/") if location.strip().startswith("/") else location.strip()
    joined = location if location.startswith(base) or not base else posixpath.join(base, location)
    return posixpath.normpath(joined)


def read(path: Path) -> Document:
    check_archive(path, name=path.name, error=PlanImportError)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise PlanImportError(_("%(file)s: not an OFD document (the file is damaged, or another kind of file "
                                "renamed)") % {"file": path.name}) from exc
    with archive:
        root = _parse(archive, "OFD.xml", path.name)
        doc_root = _child(root, "DocRoot")
        if doc_root is None or not (doc_root.text or "").strip():
            raise PlanImportError(_("%(file)s: not a readable OFD document: OFD.xml names no DocRoot") % {
                "file": path.name})
        title_element = _child(root, "Title")
        document_path = posixpath.normpath(doc_root.text.strip().lstrip("/"))
        base = posixpath.dirname(document_path)
        document_xml = _parse(archive, document_path, path.name)
        default_box = _box((_child(document_xml, "PhysicalBox").text
                            if _child(document_xml, "PhysicalBox") is not None else "0 0 210 297"))
        pages_element = _child(document_xml, "Pages")
        entries = [p for p in (pages_element.iter() if pages_element is not None else []) if _local(p.tag) == "Page"
                   and p.get("BaseLoc")]
        pages = []
        for number, entry in enumerate(entries, start=1):
            content = _parse(archive, _path_target(base, entry.get("BaseLoc")), path.name)
            pages.append(_read_page(content, number, default_box, path.name))
    if not any(page.items for page in pages):
        raise PlanImportError(_("%(file)s: this OFD document holds no text (a scan?); Duban reads the text of a "
                                "document and does not recognise characters in pictures") % {"file": path.name})
    drop_furniture(pages)
    document = document_from_pages(path.name, pages)
    document.title = (title_element.text or "").strip() if title_element is not None else ""
    return document


def _read_page(content, number: int, default_box, name: str) -> Page:
    box_element = _child(content, "PhysicalBox")
    box = _box(box_element.text) if box_element is not None else default_box
    page = Page(number, box[2] * PT_PER_MM, box[3] * PT_PER_MM)
    chars, edges = [], []
    for element in content.iter():
        tag = _local(element.tag)
        if tag == "TextObject":
            chars += _text_object(element)
        elif tag == "PathObject":
            edges += _path_object(element)
    return lay_out_page(page, chars, _tables(edges), name)


def _deltas(text: str | None) -> list[float]:
    """DeltaX as advances, 'g 3 4.2' expanded to 4.2 4.2 4.2."""
    tokens, out, i = (text or "").split(), [], 0
    while i < len(tokens):
        if tokens[i] == "g" and i + 2 < len(tokens):
            out += [float(tokens[i + 2])] * int(float(tokens[i + 1]))
            i += 3
        else:
            try:
                out.append(float(tokens[i]))
            except ValueError:
                pass
            i += 1
    return out


def _text_object(element) -> list[dict]:
    x0, y0, _w, _h = _box(element.get("Boundary"))
    size = float(element.get("Size") or 3.5)
    chars = []
    for code in element:
        if _local(code.tag) != "TextCode" or not code.text:
            continue
        x = x0 + float(code.get("X") or 0)
        baseline = y0 + float(code.get("Y") or size)
        deltas = _deltas(code.get("DeltaX"))
        for k, ch in enumerate(code.text):
            advance = deltas[k] if k < len(deltas) else size
            chars.append({"text": ch, "x0": x * PT_PER_MM, "x1": (x + min(advance, size)) * PT_PER_MM,
                          "top": (baseline - size * 0.88) * PT_PER_MM, "bottom": (baseline + size * 0.12) * PT_PER_MM,
                          "size": size * PT_PER_MM})
            x += advance
    return chars


def _path_object(element) -> list[dict]:
    """The straight segments a PathObject draws, as pdfplumber's edges (in points)."""
    x0, y0, _w, _h = _box(element.get("Boundary"))
    data = _child(element, "AbbreviatedData")
    tokens = re.findall(r"[A-Za-z]|-?\d+(?:\.\d+)?", data.text if data is not None and data.text else "")
    edges, start, current, i = [], None, None, 0
    while i < len(tokens):
        op = tokens[i]
        if op in ("M", "L") and i + 2 < len(tokens):
            point = (x0 + float(tokens[i + 1]), y0 + float(tokens[i + 2]))
            if op == "L" and current is not None:
                edges.append(_edge(current, point))
            else:
                start = point
            current = point
            i += 3
        elif op == "C" and current is not None and start is not None:  # close the subpath
            edges.append(_edge(current, start))
            current = start
            i += 1
        else:
            i += 1
    return [e for e in edges if e is not None]


def _edge(a, b):
    (ax, ay), (bx, by) = a, b
    if abs(ay - by) < 0.05 and abs(ax - bx) > 0.05:
        top = ay * PT_PER_MM
        return {"orientation": "h", "x0": min(ax, bx) * PT_PER_MM, "x1": max(ax, bx) * PT_PER_MM, "top": top,
                "bottom": top, "width": abs(ax - bx) * PT_PER_MM, "height": 0}
    if abs(ax - bx) < 0.05 and abs(ay - by) > 0.05:
        x = ax * PT_PER_MM
        return {"orientation": "v", "x0": x, "x1": x, "top": min(ay, by) * PT_PER_MM, "bottom": max(ay, by) * PT_PER_MM,
                "width": 0, "height": abs(ay - by) * PT_PER_MM}
    return None


def _tables(edges: list[dict]) -> list[list[tuple]]:
    """The cells the rulings make, grouped into tables (pdfplumber's algorithms, on the OFD's lines)."""
    from pdfplumber.table import cells_to_tables, edges_to_intersections, intersections_to_cells, merge_edges

    verticals = [e for e in edges if e["orientation"] == "v"]
    if not verticals:
        return []
    # A table cut by the page break has no ruling where the cut is: its column lines end there.
    left, right = min(e["x0"] for e in verticals), max(e["x0"] for e in verticals)
    for y in (min(e["top"] for e in verticals), max(e["bottom"] for e in verticals)):
        edges.append({"orientation": "h", "x0": left, "x1": right, "top": y, "bottom": y, "width": right - left,
                      "height": 0})
    merged = merge_edges(edges, snap_x_tolerance=3, snap_y_tolerance=3, join_x_tolerance=3, join_y_tolerance=3)
    cells = intersections_to_cells(edges_to_intersections(merged, 1, 1))
    return [[tuple(c) for c in table] for table in cells_to_tables(cells)]
