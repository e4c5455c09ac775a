"""Plan files for the importer tests, made in the tests and read through the one entry point."""

from __future__ import annotations

import tempfile
from pathlib import Path

from duban.plans.importers import read_plan_file


def read_text_plan(text: str, name: str, layout: str | None = None, encoding: str = "utf-8"):
    """The plan in `text`, written to a file called `name` and read as any upload is."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(text.encode(encoding))
        return read_plan_file(path, layout=layout)


# ------------------------------------------------------------------ OFD
#
# A small OFD writer (GB/T 33190): enough of the format for the reader to be tested on a document laid
# out as print — A4 pages, one TextObject a printed line, PathObjects for the table rulings, a running
# header and a page number on every page, a table whose header row is printed again on each page and
# whose merged cells (rowspan) have no ruling between the rows they span.

OFD_NS = "http://www.ofdspec.org/2016"


class OfdPrinter:
    width, height = 210.0, 297.0
    left, right, top, bottom = 25.0, 185.0, 30.0, 270.0
    size, leading = 4.2, 7.4  # mm: about 12pt type

    def __init__(self, running_header: str = ""):
        self.running_header = running_header
        self.pages: list[list[str]] = []
        self.new_page()

    # ------------------------------------------------------------ pages
    def new_page(self):
        self.pages.append([])
        self.y = self.top
        number = len(self.pages)
        if self.running_header:
            self.text(self.left + 40, 18, self.running_header, size=3.2)
        self.text(self.width / 2 - 6, 285, f"— {number} —", size=3.5)

    def text(self, x, baseline, text, size=None):
        size = size or self.size
        width = size * len(text)
        self.pages[-1].append(
            f'<ofd:TextObject ID="{self._id()}" Boundary="{x:.2f} {baseline - size:.2f} {width:.2f} {size * 1.2:.2f}" '
            f'Font="3" Size="{size}"><ofd:TextCode X="0" Y="{size:.2f}" DeltaX="g {max(len(text) - 1, 0)} {size}">'
            f"{_xml(text)}</ofd:TextCode></ofd:TextObject>")

    def rule(self, x1, y1, x2, y2):
        self.pages[-1].append(
            f'<ofd:PathObject ID="{self._id()}" Boundary="0 0 {self.width} {self.height}" LineWidth="0.25">'
            f"<ofd:AbbreviatedData>M {x1:.2f} {y1:.2f} L {x2:.2f} {y2:.2f}</ofd:AbbreviatedData></ofd:PathObject>")

    def _id(self):
        self.ids = getattr(self, "ids", 10) + 1
        return self.ids

    # ------------------------------------------------------- paragraphs
    def paragraph(self, text, indent=True, centre=False):
        per_line = int((self.right - self.left) / self.size)
        lines, first = [], (per_line - 2 if indent else per_line)
        while text:
            room = first if not lines else per_line
            lines.append(text[:room])
            text = text[room:]
        for k, line in enumerate(lines):
            if self.y + self.leading > self.bottom:
                self.new_page()
            self.y += self.leading
            if centre:
                x = (self.left + self.right) / 2 - self.size * len(line) / 2
            else:
                x = self.left + (2 * self.size if indent and k == 0 else 0)
            self.text(x, self.y, line)

    # ----------------------------------------------------------- tables
    def table(self, header, rows, widths):
        """`rows`: cell texts, None for a cell merged with the one above (rowspan)."""
        size, leading = 3.6, 5.2
        xs = [self.left]
        for w in widths:
            xs.append(xs[-1] + w)

        def wrapped(text, width):
            per = max(int((width - 2) / size), 1)
            return [text[i:i + per] for i in range(0, len(text), per)] or [""]

        def draw(cells, top, height, header_row=False, ruled_top=None):
            for j, text in enumerate(cells):
                if ruled_top is None or ruled_top[j]:
                    self.rule(xs[j], top, xs[j + 1], top)
                self.rule(xs[j], top, xs[j], top + height)
                for k, line in enumerate(wrapped(text or "", widths[j])):
                    self.text(xs[j] + 1, top + 1 + size + k * leading, line, size=size)
            self.rule(xs[-1], top, xs[-1], top + height)

        def height(cells):
            return max(len(wrapped(t or "", w)) for t, w in zip(cells, widths)) * leading + 2

        self.y += 3
        draw(header, self.y, height(header), header_row=True)
        self.y += height(header)
        for row in rows:
            h = height([c or "" for c in row])
            if self.y + h > self.bottom:
                self.rule(xs[0], self.y, xs[-1], self.y)
                self.new_page()
                self.y += 3
                draw(header, self.y, height(header), header_row=True)
                self.y += height(header)
                draw(["" if c is None else c for c in row], self.y, h)
            else:
                draw(["" if c is None else c for c in row], self.y, h, ruled_top=[c is not None for c in row])
            self.y += h
        self.rule(xs[0], self.y, xs[-1], self.y)

    # ------------------------------------------------------------- file
    def save(self, path, title=""):
        import zipfile

        pages = "".join(f'<ofd:Page ID="{100 + n}" BaseLoc="Pages/Page_{n}/Content.xml"/>' for n in range(len(self.pages)))
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("OFD.xml", (
                f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="{OFD_NS}" Version="1.0" DocType="OFD">'
                f"<ofd:DocBody><ofd:DocInfo><ofd:DocID>duban-test</ofd:DocID><ofd:Title>{_xml(title)}</ofd:Title>"
                f"</ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"))
            archive.writestr("Doc_0/Document.xml", (
                f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="{OFD_NS}"><ofd:CommonData>'
                f"<ofd:MaxUnitID>{getattr(self, 'ids', 10) + 200}</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 "
                f"{self.width} {self.height}</ofd:PhysicalBox></ofd:PageArea><ofd:PublicRes>PublicRes.xml"
                f"</ofd:PublicRes></ofd:CommonData><ofd:Pages>{pages}</ofd:Pages></ofd:Document>"))
            archive.writestr("Doc_0/PublicRes.xml", (
                f'<?xml version="1.0" encoding="UTF-8"?><ofd:Res xmlns:ofd="{OFD_NS}" BaseLoc="Res"><ofd:Fonts>'
                f'<ofd:Font ID="3" FontName="SimSun" FamilyName="SimSun"/></ofd:Fonts></ofd:Res>'))
            for n, objects in enumerate(self.pages):
                archive.writestr(f"Doc_0/Pages/Page_{n}/Content.xml", (
                    f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="{OFD_NS}"><ofd:Content>'
                    f'<ofd:Layer ID="{2 + n}">{"".join(objects)}</ofd:Layer></ofd:Content></ofd:Page>'))
        return path


def _xml(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
