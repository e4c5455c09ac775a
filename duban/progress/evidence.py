"""Checking an evidence file by what it contains, not by what it is called.

Accepted: PDF, Word (.docx, .doc), Excel (.xlsx, .xls), PNG and JPEG images.
The name's extension must agree with the content: a renamed executable, an
HTML page called .pdf or a macro-enabled workbook called .xlsx is refused with
a message saying what the file really is. What a file contains, its size
check and its cleaned name come from duban.core.uploads, as for complaint
attachments; these rules and their wording are evidence's own.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from duban.core import uploads

DEFAULT_MAX_BYTES = 20 * 1024 * 1024

PDF, WORD, EXCEL, PNG, JPEG = "pdf", "word", "excel", "png", "jpeg"
# The name's extension → the content it promises (duban.core.uploads' kinds, which also give the content type).
EXTENSIONS = {
    ".pdf": uploads.PDF, ".docx": uploads.DOCX, ".doc": uploads.DOC, ".xlsx": uploads.XLSX, ".xls": uploads.XLS,
    ".png": uploads.PNG, ".jpg": uploads.JPEG, ".jpeg": uploads.JPEG,
}
# Evidence kinds: Word and Excel whether old or new format.
KINDS = {
    uploads.PDF: PDF, uploads.DOCX: WORD, uploads.DOC: WORD, uploads.XLSX: EXCEL, uploads.XLS: EXCEL,
    uploads.PNG: PNG, uploads.JPEG: JPEG,
}
ACCEPT = ",".join(EXTENSIONS)  # for <input type=file accept=…>


def max_bytes():
    return getattr(settings, "DUBAN_EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES)


@dataclass(frozen=True)
class CheckedFile:
    kind: str
    content_type: str
    size: int
    sha256: str
    name: str


def sniff(upload):
    """What the content is (one of the kinds above), or None. Only the content counts, never the name."""
    if uploads.has_macros(upload):
        raise ValidationError(_("The file contains macros, which are not accepted. Save it without macros."),
                              code="macros")
    upload.seek(0)
    return KINDS.get(uploads.sniff(upload.read(2048), upload))


KIND_NAMES = {PDF: "PDF", WORD: "Word", EXCEL: "Excel", PNG: "PNG", JPEG: "JPEG"}


def check_evidence(upload) -> CheckedFile:
    """Validate an uploaded file; raise ValidationError with a message a person can act on."""
    given = PurePath(upload.name or "").name
    suffix = PurePath(given).suffix.lower()
    name = uploads.clean_name(given, max_length=255)
    limit = max_bytes()
    problem = uploads.size_problem(upload, limit)
    if problem == uploads.TOO_LARGE:
        raise ValidationError(
            _("%(name)s is %(size)s; evidence files may be at most %(limit)s.")
            % {"name": name, "size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    if problem == uploads.EMPTY:
        raise ValidationError(_("%(name)s is empty.") % {"name": name}, code="empty")
    if suffix not in EXTENSIONS:
        raise ValidationError(
            _("%(name)s: only PDF, Word (.docx, .doc), Excel (.xlsx, .xls) and PNG or JPEG images are accepted.")
            % {"name": name},
            code="extension",
        )
    expected = KINDS[EXTENSIONS[suffix]]
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
    return CheckedFile(actual, uploads.KINDS[EXTENSIONS[suffix]][1], upload.size, digest.hexdigest(), name)
