"""One reader per file format, each turning a file into a `Document`.

`read_document(path)` picks the reader by the file's extension, after bounding the file: its size
(`DUBAN_PLAN_MAX_BYTES`), and for the zip-based formats (.docx, .xlsx, .ofd) what the archive would
unpack to (`duban.core.archives.check_archive`). A format reader reads only; what the paragraphs and tables mean
is for the layout readers.

| extension | reader |
|---|---|
| .txt (and anything unknown) | `text`: UTF-8 or GB18030 text; tables whose cells are separated by tabs or ` \\| ` |
| .docx | `docx`: paragraphs and tables, merged cells known |
| .xlsx, .xlsm | `xlsx`: one table per sheet |
| .pdf | `pdf`: pdfplumber; paragraphs, ruled tables, page furniture dropped |
| .ofd | `ofd`: GB/T 33190 read from its XML; text lines and ruled tables |
| .doc, .wps, .xls, .et | `converted`: LibreOffice to .docx or .xlsx, then `docx` or `xlsx` |
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from ..base import PlanImportError
from ..document import Document

DEFAULT_MAX_BYTES = 50 * 1024 * 1024


def max_bytes() -> int:
    return int(getattr(settings, "DUBAN_PLAN_MAX_BYTES", DEFAULT_MAX_BYTES))


def check_size(path: Path) -> None:
    """Refuse a file that is missing, empty or larger than a plan ever is, before anything parses it."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise PlanImportError(_("%(file)s: no such file") % {"file": path}) from None
    except OSError as exc:
        raise PlanImportError(_("%(file)s: cannot be read (%(reason)s)") % {
            "file": path.name, "reason": exc.strerror}) from exc
    if size == 0:
        raise PlanImportError(_("%(file)s: the file is empty") % {"file": path.name})
    limit = max_bytes()
    if size > limit:
        raise PlanImportError(_("%(file)s: the file is %(size)s MB; a plan file may be at most %(limit)s MB") % {
            "file": path.name, "size": round(size / 1024 / 1024, 1), "limit": round(limit / 1024 / 1024, 1)})


def read_document(path: str | Path) -> Document:
    """The file as a Document, by its extension; PlanImportError (naming the file) when it cannot be."""
    path = Path(path)
    suffix = path.suffix.lower()
    check_size(path)
    if suffix == ".docx":
        from . import docx

        return docx.read(path)
    if suffix in (".xlsx", ".xlsm"):
        from . import xlsx

        return xlsx.read(path)
    if suffix == ".pdf":
        from . import pdf

        return pdf.read(path)
    if suffix == ".ofd":
        from . import ofd

        return ofd.read(path)
    if suffix in (".doc", ".wps", ".xls", ".et"):
        from . import converted

        return converted.read(path)
    from . import text

    return text.read(path)
