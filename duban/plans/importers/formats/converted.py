"""Old Word (.doc) and WPS (.wps) documents, and old Excel (.xls) and WPS (.et) workbooks, converted by
LibreOffice to .docx or .xlsx and read as one.

LibreOffice runs headless in a temporary folder of its own (its own profile too, so that it does not
wait on another instance), with a time limit; when it is not installed the message names the Debian
package that brings it.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from ..base import PlanImportError
from ..document import Document
from . import docx, xlsx

PACKAGES = {"docx": "libreoffice-writer-nogui", "xlsx": "libreoffice-calc-nogui"}
FILTERS = {"docx": "docx:MS Word 2007 XML", "xlsx": "xlsx:Calc MS Excel 2007 XML"}
TARGETS = {".doc": "docx", ".wps": "docx", ".xls": "xlsx", ".et": "xlsx"}
DEFAULT_TIMEOUT = 120  # seconds; a 40-page plan converts in a few


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def read(path: Path) -> Document:
    target = TARGETS[path.suffix.lower()]
    program = soffice()
    if program is None:
        raise PlanImportError(_("%(file)s: %(suffix)s files are read through LibreOffice, which is not installed "
                                "here (Debian package %(package)s); or save the file as .docx or .xlsx") % {
            "file": path.name, "suffix": path.suffix.lower(), "package": PACKAGES[target]})
    timeout = int(getattr(settings, "DUBAN_CONVERT_TIMEOUT", DEFAULT_TIMEOUT))
    with tempfile.TemporaryDirectory(prefix="duban-convert-") as folder:
        work = Path(folder)
        source = work / ("input" + path.suffix.lower())
        shutil.copyfile(path, source)
        command = [program, f"-env:UserInstallation=file://{work / 'profile'}", "--headless", "--norestore",
                   "--convert-to", FILTERS[target], "--outdir", str(work / "out"), str(source)]
        try:
            subprocess.run(command, capture_output=True, timeout=timeout, check=False, cwd=folder)
        except subprocess.TimeoutExpired as exc:
            raise PlanImportError(_("%(file)s: LibreOffice did not finish converting it within %(seconds)s "
                                    "seconds") % {"file": path.name, "seconds": timeout}) from exc
        converted = work / "out" / f"input.{target}"
        if not converted.exists() or converted.stat().st_size == 0:
            raise PlanImportError(_("%(file)s: LibreOffice could not convert it to .%(target)s; the file is damaged, "
                                    "or another kind of file renamed") % {"file": path.name, "target": target})
        document = (docx if target == "docx" else xlsx).read(converted)
    document.name = path.name
    for block in document.blocks:
        _rename(block, path.name)
    return document


def _rename(block, name: str) -> None:
    """Positions name the file the person gave, not the converted copy."""
    from dataclasses import replace

    block.at = replace(block.at, source=name)
    for row in getattr(block, "rows", []):
        row.at = replace(row.at, source=name)
