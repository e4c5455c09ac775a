"""Attachments to complaints, on top of duban.core.uploads (type by content, random names, safe downloads).

A complaint takes up to five files of at most 10 MB each: PDF, JPG, PNG,
DOCX or XLSX as their first bytes say, whatever they are called. Every
problem names the file, and all files are checked before anything is stored.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from duban.core import uploads as core

from .models import Attachment

MAX_FILES = 5
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
ALLOWED = frozenset({core.PDF, core.PNG, core.JPEG, core.DOCX, core.XLSX})


def max_bytes():
    return int(getattr(settings, "DUBAN_HOTLINE_MAX_ATTACHMENT_BYTES", DEFAULT_MAX_BYTES))


def check_all(uploads):
    """Raise one ValidationError listing every refused file (and too many files)."""
    errors = []
    if len(uploads) > MAX_FILES:
        errors.append(ValidationError(_("At most %(count)d attachments, please.") % {"count": MAX_FILES}))
    for upload in uploads:
        try:
            core.check_upload(upload, ALLOWED, max_bytes())
        except core.UploadRejected as rejected:
            errors.append(ValidationError(_("“%(name)s”: %(problem)s Nothing was saved.")
                                          % {"name": core.clean_name(upload.name), "problem": rejected.message}))
    if errors:
        raise ValidationError(errors)


def store(complaint, uploads):
    """Save checked uploads for a complaint; returns the Attachments."""
    saved, names = [], []
    try:
        for upload in uploads:
            stored = core.save_upload(upload, "hotline", ALLOWED, max_bytes())
            names.append(stored.name)
            attachment = Attachment(complaint=complaint, original_name=stored.original_name, extension=stored.kind,
                                    content_type=stored.content_type, size=stored.size)
            attachment.file.name = stored.name
            attachment.save()
            saved.append(attachment)
    except Exception:
        # The complaint's transaction rolls back; do not leave its files behind.
        for name in names:
            default_storage.delete(name)
        raise
    return saved


def download(attachment):
    return core.serve_file(attachment.file.name, attachment.original_name, attachment.content_type)
