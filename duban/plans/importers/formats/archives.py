"""A zip-bomb guard for the zip-based formats (.docx, .xlsx, .ofd), before any library unpacks them.

`check_archive(path_or_file, *, name)` reads only the zip's central directory and refuses an archive
that would unpack to more than a plan file ever holds, has more entries than one ever has, or
compresses one entry beyond any real document's ratio. (The security branch's `duban/core/archives.py`
is to take this over with the same interface.)
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import IO

from django.utils.translation import gettext as _

from ..base import PlanImportError

MAX_ENTRIES = 10_000
MAX_UNPACKED = 500 * 1024 * 1024
MAX_RATIO = 200  # deflate gives text XML 5–20×; a bomb gives thousands
RATIO_FLOOR = 10 * 1024 * 1024  # entries smaller than this unpacked are never refused for their ratio


def check_archive(path_or_file: str | Path | IO[bytes], *, name: str) -> None:
    try:
        with zipfile.ZipFile(path_or_file) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise PlanImportError(_("%(file)s: not a valid zip archive (the file is damaged, or another kind of file "
                                "renamed)") % {"file": name}) from exc
    if len(entries) > MAX_ENTRIES:
        raise PlanImportError(_("%(file)s: the archive holds %(count)s files; a document has at most %(limit)s") % {
            "file": name, "count": len(entries), "limit": MAX_ENTRIES})
    total = sum(entry.file_size for entry in entries)
    if total > MAX_UNPACKED:
        raise PlanImportError(_("%(file)s: the archive would unpack to %(size)s MB, more than a document ever "
                                "holds") % {"file": name, "size": total // 1024 // 1024})
    for entry in entries:
        if entry.file_size > RATIO_FLOOR and entry.file_size > MAX_RATIO * max(entry.compress_size, 1):
            raise PlanImportError(_("%(file)s: %(entry)s is compressed %(ratio)s times, as only a zip bomb is") % {
                "file": name, "entry": entry.filename, "ratio": entry.file_size // max(entry.compress_size, 1)})
