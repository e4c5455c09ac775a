"""Attachments to complaints: checked by what they contain, not by what they are called.

A file is accepted when its first bytes say it is a PDF, a PNG or JPEG
image, or a Word/Excel (.docx/.xlsx) document, and its name agrees; anything
else, and anything over the size limit, is refused with a message naming the
file, before anything is stored. Accepted files are stored under a random
name and served only through a view that checks permissions.
"""

import hashlib
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .models import Attachment

MAX_FILES = 5
DEFAULT_MAX_BYTES = 10 * 1024 * 1024

# kind: (extensions accepted for it, content type served)
KINDS = {
    "pdf": ({"pdf"}, "application/pdf"),
    "png": ({"png"}, "image/png"),
    "jpg": ({"jpg", "jpeg"}, "image/jpeg"),
    "docx": ({"docx"}, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": ({"xlsx"}, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}
ACCEPTED = "PDF, JPG, PNG, DOCX, XLSX"


def max_bytes():
    return int(getattr(settings, "DUBAN_HOTLINE_MAX_ATTACHMENT_BYTES", DEFAULT_MAX_BYTES))


def sniff(upload):
    """The kind of file the content says it is (a key of KINDS), or None."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError):
            return None
        finally:
            upload.seek(0)
        if "[Content_Types].xml" in names:
            if "word/document.xml" in names:
                return "docx"
            if "xl/workbook.xml" in names:
                return "xlsx"
    return None


def extension_of(name):
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def check(upload):
    """Raise ValidationError unless the upload may be attached; returns its kind."""
    name = upload.name
    limit = max_bytes()
    if upload.size > limit:
        raise ValidationError(
            _("“%(name)s” is %(size)s; each attachment may be at most %(limit)s. Nothing was saved.")
            % {"name": name, "size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    if upload.size == 0:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name}, code="empty")
    kind = sniff(upload)
    if kind is None:
        raise ValidationError(
            _("“%(name)s” is not a file type we accept (%(types)s). Nothing was saved.")
            % {"name": name, "types": ACCEPTED},
            code="type",
        )
    if extension_of(name) not in KINDS[kind][0]:
        raise ValidationError(
            _("“%(name)s” is named like a .%(ext)s file but contains a %(kind)s file; please rename or convert it.")
            % {"name": name, "ext": extension_of(name) or "?", "kind": kind.upper()},
            code="mismatch",
        )
    return kind


def check_all(uploads):
    """Check every upload; all problems are reported together."""
    errors, kinds = [], []
    if len(uploads) > MAX_FILES:
        errors.append(ValidationError(_("At most %(count)d attachments, please.") % {"count": MAX_FILES}))
    for upload in uploads:
        try:
            kinds.append(check(upload))
        except ValidationError as error:
            errors.append(error)
    if errors:
        raise ValidationError(errors)
    return kinds


def clean_name(name):
    """The uploaded name, shown back to people: no path, no control characters, not too long."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if c.isprintable())
    return name[-200:] or "attachment"


def store(complaint, uploads):
    """Save checked uploads for a complaint; returns the Attachments."""
    saved = []
    try:
        for upload in uploads:
            kind = sniff(upload)
            digest = hashlib.sha256()
            for chunk in upload.chunks():
                digest.update(chunk)
            upload.seek(0)
            attachment = Attachment(
                complaint=complaint, original_name=clean_name(upload.name), extension=kind,
                content_type=KINDS[kind][1], size=upload.size, sha256=digest.hexdigest(),
            )
            attachment.file.save("upload", upload, save=False)
            saved.append(attachment)
            attachment.save()
    except Exception:
        # The complaint's transaction rolls back; do not leave its files behind.
        for attachment in saved:
            attachment.file.delete(save=False)
        raise
    return saved
