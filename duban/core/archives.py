"""The one guard every Office or zip file passes before anything parses it.

An 800 KB .xlsx whose one part unpacks to 800 MB kept an import busy for a minute and took gigabytes of
memory. .docx, .xlsx, .pptx and .ofd files are zip archives; before any reader opens one:

    from duban.core.archives import ArchiveRefused, check_archive

    try:
        check_archive(upload_or_path_or_bytes, name="values.xlsx")
    except ArchiveRefused as refused:
        ...   # refused.message says why, naming the file

It reads only the archive's directory (a few KB), never the parts, and refuses an archive
- whose parts together unpack to more than DUBAN_ARCHIVE_MAX_BYTES (50 MB unless set),
- with a part that unpacks more than DUBAN_ARCHIVE_MAX_RATIO (200) times its packed size (beyond 1 MB),
- with more than DUBAN_ARCHIVE_MAX_MEMBERS (10,000) parts.
Python's zipfile never unpacks a part beyond the size the directory states, so the directory bounds
what every reader (openpyxl, python-docx) can be made to unpack. A file that is not a zip passes
untouched: the reader says what is wrong with it.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
DEFAULT_MAX_RATIO = 200
DEFAULT_MAX_MEMBERS = 10_000
RATIO_FROM_BYTES = 1024 * 1024  # small parts may compress as they like (a sheet of empty cells)
ZIP_MAGIC = b"PK\x03\x04"


class ArchiveRefused(ValueError):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def limits():
    return (getattr(settings, "DUBAN_ARCHIVE_MAX_BYTES", DEFAULT_MAX_BYTES),
            getattr(settings, "DUBAN_ARCHIVE_MAX_RATIO", DEFAULT_MAX_RATIO),
            getattr(settings, "DUBAN_ARCHIVE_MAX_MEMBERS", DEFAULT_MAX_MEMBERS))


def _opened(file):
    """A seekable binary file for the input (a path, bytes or a file object) and whether we opened it."""
    if isinstance(file, (str, Path)):
        return open(file, "rb"), True
    if isinstance(file, (bytes, bytearray, memoryview)):
        return io.BytesIO(bytes(file)), True
    return file, False


def check_archive(file, *, name, error=ArchiveRefused):
    """Refuse a zip whose parts would unpack beyond the limits, raising `error(message)` (ArchiveRefused
    unless the caller names its own exception); anything else passes.

    `file` is a path, bytes or a seekable file object (left at position 0)."""
    try:
        _check(file, name)
    except ArchiveRefused as refused:
        if error is ArchiveRefused:
            raise
        raise error(refused.message) from None


def _check(file, name):
    try:
        handle, own = _opened(file)
    except OSError:
        return  # missing or unreadable: the reader says so in its own words
    try:
        handle.seek(0)
        if handle.read(len(ZIP_MAGIC)) != ZIP_MAGIC:
            return
        handle.seek(0)
        try:
            with zipfile.ZipFile(handle) as archive:
                members = archive.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError):
            return  # not readable as a zip: the reader reports the damaged file in its own words
        max_bytes, max_ratio, max_members = limits()
        mb = max_bytes // (1024 * 1024)
        if len(members) > max_members:
            raise ArchiveRefused(_("%(name)s holds more than %(count)d parts; it is refused (a damaged or "
                                   "malicious file?).") % {"name": name, "count": max_members})
        total = 0
        for member in members:
            total += member.file_size
            if total > max_bytes:
                raise ArchiveRefused(_("%(name)s unpacks to more than %(mb)d MB; it is refused (a damaged or "
                                       "malicious file?). Split it, or save it again without embedded objects.")
                                     % {"name": name, "mb": mb})
            if member.file_size > RATIO_FROM_BYTES and member.file_size > max_ratio * max(member.compress_size, 1):
                raise ArchiveRefused(_("%(name)s: its part %(part)s unpacks %(ratio)d times larger than it is "
                                       "stored; it is refused (a damaged or malicious file?).")
                                     % {"name": name, "part": member.filename[:100],
                                        "ratio": member.file_size // max(member.compress_size, 1)})
    finally:
        if own:
            handle.close()
        else:
            handle.seek(0)
