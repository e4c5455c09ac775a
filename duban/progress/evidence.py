"""Checking an evidence file by what it contains, not by what it is called.

Accepted: PDF, Word (.docx, .doc), Excel (.xlsx, .xls), PNG and JPEG images.
The name's extension must agree with the content: a renamed executable, an
HTML page called .pdf or a macro-enabled workbook called .xlsx is refused with
a message saying what the file really is.
"""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

DEFAULT_MAX_BYTES = 20 * 1024 * 1024

PDF, WORD, EXCEL, PNG, JPEG = "pdf", "word", "excel", "png", "jpeg"
EXTENSIONS = {
    ".pdf": PDF, ".docx": WORD, ".doc": WORD, ".xlsx": EXCEL, ".xls": EXCEL,
    ".png": PNG, ".jpg": JPEG, ".jpeg": JPEG,
}
CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".doc": "application/msword",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".xls": "application/vnd.ms-excel",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}
ACCEPT = ",".join(EXTENSIONS)  # for <input type=file accept=…>

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the container of .doc and .xls


def max_bytes():
    return getattr(settings, "DUBAN_EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES)


@dataclass(frozen=True)
class CheckedFile:
    kind: str
    content_type: str
    size: int
    sha256: str
    name: str


def _ole2_kind(data):
    # Stream names in an OLE2 directory are UTF-16: WordDocument for Word, Workbook/Book for Excel.
    if "WordDocument".encode("utf-16-le") in data:
        return WORD
    if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
        return EXCEL
    return None


def _zip_kind(upload):
    """docx or xlsx by the parts inside the zip; a macro project is refused."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return None, False
    has_macros = any(name.lower().endswith("vbaproject.bin") for name in names)
    if "[Content_Types].xml" not in names:
        return None, has_macros
    if any(name.startswith("word/") for name in names):
        return WORD, has_macros
    if any(name.startswith("xl/") for name in names):
        return EXCEL, has_macros
    return None, has_macros


def sniff(upload):
    """What the content is (one of the kinds above), or None."""
    upload.seek(0)
    head = upload.read(8)
    if head.startswith(b"%PDF-"):
        return PDF
    if head == b"\x89PNG\r\n\x1a\n":
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        kind, has_macros = _zip_kind(upload)
        if has_macros:
            raise ValidationError(_("The file contains macros, which are not accepted. Save it without macros."),
                                  code="macros")
        return kind
    if head == OLE2:
        upload.seek(0)
        return _ole2_kind(upload.read())
    return None


KIND_NAMES = {PDF: "PDF", WORD: "Word", EXCEL: "Excel", PNG: "PNG", JPEG: "JPEG"}


def check_evidence(upload) -> CheckedFile:
    """Validate an uploaded file; raise ValidationError with a message a person can act on."""
    name = PurePath(upload.name or "").name
    suffix = PurePath(name).suffix.lower()
    limit = max_bytes()
    if upload.size > limit:
        raise ValidationError(
            _("%(name)s is %(size)s; evidence files may be at most %(limit)s.")
            % {"name": name, "size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    if upload.size == 0:
        raise ValidationError(_("%(name)s is empty.") % {"name": name}, code="empty")
    expected = EXTENSIONS.get(suffix)
    if expected is None:
        raise ValidationError(
            _("%(name)s: only PDF, Word (.docx, .doc), Excel (.xlsx, .xls) and PNG or JPEG images are accepted.")
            % {"name": name},
            code="extension",
        )
    actual = sniff(upload)
    upload.seek(0)
    if actual is None:
        raise ValidationError(
            _("%(name)s is not a real %(kind)s file (its content is not what its name says).")
            % {"name": name, "kind": KIND_NAMES[expected]},
            code="content",
        )
    if actual != expected:
        raise ValidationError(
            _("%(name)s is named as a %(expected)s file but its content is %(actual)s. Rename it or save it in the right format.")
            % {"name": name, "expected": KIND_NAMES[expected], "actual": KIND_NAMES[actual]},
            code="mismatch",
        )
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedFile(actual, CONTENT_TYPES[suffix], upload.size, digest.hexdigest(), name[:255])
