"""What the Office Open XML readers (.docx, .xlsx) share: refusing at once what cannot be one."""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ..base import PlanImportError
from duban.core.archives import check_archive

# Files exported from WPS or Office are zip files; these are the usual impostors.
_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", gettext_noop("a PNG image")),
    (b"\xff\xd8\xff", gettext_noop("a JPEG image")),
    (b"%PDF", gettext_noop("a PDF document")),
    (b"\xd0\xcf\x11\xe0", gettext_noop("an old-format Office file (.xls or .doc) or a password-protected one")),
)


def check_file(path: Path, kind: str) -> None:
    """Refuse at once what cannot be an Office Open XML file, and a zip bomb; returns nothing."""
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        message = _("%(file)s: cannot be read (%(reason)s)") % {"file": path.name, "reason": exc.strerror}
        raise PlanImportError(message) from exc
    if not head:
        raise PlanImportError(_("%(file)s: the file is empty") % {"file": path.name})
    for signature, what in _SIGNATURES:
        if head.startswith(signature):
            raise PlanImportError(_("%(file)s: this is %(what)s, not %(kind)s") % {
                "file": path.name, "what": _(what), "kind": kind})
    import zipfile

    if not zipfile.is_zipfile(path):
        raise PlanImportError(_("%(file)s: not %(kind)s (the file is not a valid Office document)") % {
            "file": path.name, "kind": kind})
    check_archive(path, name=path.name, error=PlanImportError)


def damaged(path: Path, kind: str) -> str:
    return _("%(file)s: not a readable %(kind)s; the file is damaged, or another kind of file renamed") % {
        "file": path.name, "kind": kind}
