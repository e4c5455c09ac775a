"""Accepting and serving uploaded files safely: one place for every app's evidence and attachments.

    from duban.core.uploads import UploadRejected, save_upload, serve_file

    try:
        stored = save_upload(request.FILES["evidence"], "progress", allowed=DOCUMENTS | IMAGES)
    except UploadRejected as exc:
        form.add_error("evidence", exc.message)
    report.evidence_name, report.evidence_path = stored.original_name, stored.name   # or a FileField: = stored.name

    # in the permission-checked download view:
    return serve_file(report.evidence_path, report.evidence_name)

The type is decided by the file's first bytes, never by its name or the browser's
Content-Type; the name is cleaned for display and never used on disk (files are
stored under MEDIA_ROOT/<folder>/<yyyy>/<random>.<ext>); MEDIA_ROOT is outside
the web root and nothing serves it except views that check permissions first.
"""

from __future__ import annotations

import secrets
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

from duban.core import clock
from duban.core.archives import ArchiveRefused, check_archive

# kind → (extension, content type)
PDF, PNG, JPEG, GIF = "pdf", "png", "jpeg", "gif"
DOCX, XLSX, PPTX, DOC, XLS, CSV, TXT = "docx", "xlsx", "pptx", "doc", "xls", "csv", "txt"
OFD = "ofd"  # China's fixed-layout e-document (GB/T 33190): a zip with OFD.xml at its root
KINDS = {
    PDF: ("pdf", "application/pdf"),
    PNG: ("png", "image/png"),
    JPEG: ("jpg", "image/jpeg"),
    GIF: ("gif", "image/gif"),
    DOCX: ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    XLSX: ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    PPTX: ("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    DOC: ("doc", "application/msword"),
    XLS: ("xls", "application/vnd.ms-excel"),
    CSV: ("csv", "text/csv"),
    TXT: ("txt", "text/plain"),
    OFD: ("ofd", "application/ofd"),
}
IMAGES = frozenset({PNG, JPEG, GIF})
DOCUMENTS = frozenset({PDF, DOCX, XLSX, PPTX, DOC, XLS, CSV, TXT})
SPREADSHEETS = frozenset({XLSX, XLS, CSV})
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the container of .doc and .xls
ZIP = b"PK\x03\x04"  # the container of .docx, .xlsx and .pptx


class UploadRejected(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass
class StoredFile:
    name: str  # storage name under MEDIA_ROOT, e.g. "progress/2026/Xq3…k.pdf"
    original_name: str  # cleaned, for display and the download's file name
    kind: str
    size: int
    content_type: str


def sniff(head: bytes, file=None, name=""):
    """The kind of a file from its first bytes (and, for zip and OLE2 containers, their contents)."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if head.startswith(ZIP) and file is not None:
        return _office_zip(_zip_names(file))
    if head.startswith(OLE2):
        return _ole2(file, name)
    if _is_text(head):
        return CSV if name.lower().endswith(".csv") else TXT
    return None


def _zip_names(file):
    """The names inside a zip file, or None when it is not one."""
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            return archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return None
    finally:
        file.seek(0)


def _office_zip(names):
    if names and "OFD.xml" in names:
        return OFD
    if not names or "[Content_Types].xml" not in names:
        return None
    folders = {n.split("/", 1)[0] for n in names}
    return DOCX if "word" in folders else XLSX if "xl" in folders else PPTX if "ppt" in folders else None


def has_macros(file):
    """Whether a file is an Office zip carrying a VBA project (a .docm or .xlsm, whatever it is called)."""
    file.seek(0)
    head = file.read(len(ZIP))
    names = _zip_names(file) if head == ZIP else None
    return any(n.lower().endswith("vbaproject.bin") for n in names or ())


def _ole2(file, name):
    # Word and Excel 97–2003 share the container. Its directory names the streams (in UTF-16):
    # WordDocument for Word, Workbook or Book for Excel. Without either, the name tells which one the user meant.
    if file is not None:
        file.seek(0)
        data = file.read()
        file.seek(0)
        if "WordDocument".encode("utf-16-le") in data:
            return DOC
        if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
            return XLS
    suffix = PurePosixPath(name.lower()).suffix
    return XLS if suffix in {".xls", ".et"} else DOC if suffix in {".doc", ".wps"} else None


def _is_text(head):
    if not head or b"\x00" in head:
        return False
    for encoding in ("utf-8", "gb18030"):
        # The sample may end inside a multi-byte character: allow up to 3 cut-off bytes.
        for cut in range(4):
            try:
                head[: len(head) - cut].decode(encoding)
                return True
            except UnicodeDecodeError:
                continue
    return False


def clean_name(name, kind=None, max_length=120):
    """A display name without paths, control characters or tricks (RTL overrides, dots-only)."""
    name = unicodedata.normalize("NFC", str(name or "")).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C" and ch not in '<>:"|?*')
    name = name.strip(" .")[:max_length]
    if kind:
        ext = KINDS[kind][0]
        stem = name.rsplit(".", 1)[0] if "." in name else name
        name = f"{stem or 'file'}.{ext}"
    return name or "file"


TOO_LARGE, EMPTY = "too_large", "empty"


def size_problem(upload, max_size):
    """TOO_LARGE, EMPTY or None: each caller words the refusal for its own page."""
    if upload.size > max_size:
        return TOO_LARGE
    if upload.size == 0:
        return EMPTY
    return None


def check_upload(upload, allowed, max_size=None):
    """The kind of an uploaded file, or UploadRejected with a message for the form."""
    max_size = max_size or settings.DUBAN_MAX_UPLOAD_SIZE
    problem = size_problem(upload, max_size)
    if problem == TOO_LARGE:
        raise UploadRejected(_("The file is too large (at most %(mb)d MB).") % {"mb": max_size // (1024 * 1024)})
    if problem == EMPTY:
        raise UploadRejected(_("The file is empty."))
    try:
        check_archive(upload, name=clean_name(upload.name))  # before anything looks inside a zip
    except ArchiveRefused as refused:
        raise UploadRejected(refused.message) from None
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    kind = sniff(head, upload, upload.name)
    if kind is None or kind not in allowed:
        names = ", ".join(sorted(KINDS[k][0].upper() for k in allowed))
        raise UploadRejected(_("This kind of file is not accepted. Accepted: %(kinds)s.") % {"kinds": names})
    return kind


def save_upload(upload, folder, allowed=DOCUMENTS | IMAGES, max_size=None):
    """Check and store an uploaded file under a random name; returns a StoredFile."""
    kind = check_upload(upload, allowed, max_size)
    ext, content_type = KINDS[kind]
    folder = PurePosixPath(folder.strip("/")) / str(clock.today().year)
    name = default_storage.save(str(folder / f"{secrets.token_urlsafe(16)}.{ext}"), upload)
    return StoredFile(name=name, original_name=clean_name(upload.name, kind), kind=kind,
                      size=upload.size, content_type=content_type)


def serve_file(name, download_name, content_type=None):
    """A download of a stored file: always an attachment, with nosniff. Check permissions first."""
    if not name or not default_storage.exists(name):
        raise Http404
    ext = PurePosixPath(name).suffix.lstrip(".")
    content_type = content_type or next((ct for e, ct in KINDS.values() if e == ext), "application/octet-stream")
    response = FileResponse(default_storage.open(name, "rb"), as_attachment=True,
                            filename=clean_name(download_name, max_length=255), content_type=content_type)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def bytes_upload(data: bytes, name: str):
    """An in-memory upload, for tests and for files that arrive by other ways than a form."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)

