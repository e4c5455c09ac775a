"""Importing a plan in the browser: upload, review and correct, then confirm (duban/plans/views_import.py).

    pending = upload(request.FILES["file"], request.user)   # read, checked by a dry run, kept for review
    correct(pending, index, {"lead": ["区住建局"], "deadline": "2024-06-30"})
    summary = confirm(pending, request.user)               # all or nothing; corrections in the audit trail

Between the steps the pending import is a `PlanImport` row of the uploader's region: the file through
the storage API, the items as read (`importers.items.plan_items`) and the corrections. Confirming reads
the kept file again, checks it still reads as it did, applies the corrections and saves with
`services.save_parsed_plan` in one transaction — over the live plan in place when the file is a
revision of it (`revision.py`), so progress reported on unchanged measures stays.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import secrets
import tempfile
import zipfile
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from duban.core import clock
from duban.core.uploads import CSV, DOC, DOCX, PDF, TXT, XLSX, clean_name, has_macros, sniff

from .importers import read_plan_file
from .importers.base import ParsedPlan, PlanImportError
from .importers.items import plan_items, walk
from .models import Plan, PlanImport, sees_every_region
from .revision import compare
from .services import find_existing_plan, save_parsed_plan
from .units import UnitResolver, directory_lookup

log = logging.getLogger(__name__)

# The kinds of file read_plan_file takes, by their content: kind → the extension its reader is chosen by.
SUFFIXES = {PDF: ".pdf", DOCX: ".docx", XLSX: ".xlsx", DOC: ".doc", TXT: ".txt", CSV: ".txt"}
OFD = "ofd"
CORRECTABLE = ("area_index", "number", "lead", "cooperating", "deadline", "ongoing")


class PlanUploadError(Exception):
    """The upload cannot be reviewed or saved; the message names the file and the place, in the user's language."""


def max_bytes() -> int:
    return settings.DUBAN_MAX_UPLOAD_SIZE


def _suffix(upload) -> str:
    """The extension the file's content calls for (its name decides only between .doc and .wps)."""
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as archive:
                names = {name.lower() for name in archive.namelist()}
        except (zipfile.BadZipFile, OSError):
            names = set()
        finally:
            upload.seek(0)
        if "ofd.xml" in names:
            return ".ofd"
    kind = sniff(head, upload, upload.name)
    if kind == DOC and upload.name.lower().endswith(".wps"):
        return ".wps"
    if kind not in SUFFIXES:
        raise PlanUploadError(_(
            "%(file)s is not a plan file Duban reads: upload the plan as PDF, Word (.docx, .doc, .wps), OFD, "
            "Excel (.xlsx) or text (.txt).") % {"file": clean_name(upload.name)})
    if kind in (DOCX, XLSX) and has_macros(upload):
        raise PlanUploadError(_("%(file)s contains macros; save it without them (.docx or .xlsx) and upload it again.")
                              % {"file": clean_name(upload.name)})
    return SUFFIXES[kind]


def _display_name(name: str, suffix: str) -> str:
    cleaned = clean_name(name)
    stem = cleaned.rsplit(".", 1)[0] if "." in cleaned else cleaned
    return f"{stem or 'plan'}{suffix}"


def _read(path: Path, layout: str | None) -> ParsedPlan:
    try:
        return read_plan_file(path, layout=layout or None)
    except PlanImportError as exc:
        reason = str(exc)
        if reason.startswith(path.name):  # the reader's message names the file (and the place) already
            raise PlanUploadError(reason) from exc
        raise PlanUploadError(_("%(file)s cannot be imported: %(reason)s")
                              % {"file": path.name, "reason": reason}) from exc
    except Exception as exc:
        log.warning("plan upload %s could not be read", path.name, exc_info=True)
        raise PlanUploadError(_("%(file)s could not be read as a plan (the file may be damaged): %(reason)s")
                              % {"file": path.name, "reason": exc.__class__.__name__}) from exc


def _dry_run(parsed: ParsedPlan, region_id: int, revises: Plan | None) -> dict:
    try:
        return save_parsed_plan(parsed, dry_run=True, region_id=region_id, revise=revises)
    except PlanImportError as exc:
        raise PlanUploadError(str(exc)) from exc


def upload(upload_file, user, layout: str = "", region_id: int | None = None) -> PlanImport:
    """Read an uploaded plan file and keep it for review in `region_id` (the user's region unless an
    administrator says another); PlanUploadError, and nothing kept, when it cannot be."""
    name = clean_name(upload_file.name)
    if upload_file.size > max_bytes():
        raise PlanUploadError(_("%(file)s is larger than %(mb)d MB; a plan file is smaller.")
                              % {"file": name, "mb": max_bytes() // (1024 * 1024)})
    if upload_file.size == 0:
        raise PlanUploadError(_("%(file)s is empty.") % {"file": name})
    suffix = _suffix(upload_file)
    display = _display_name(upload_file.name, suffix)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / display
        with open(path, "wb") as out:
            out.writelines(upload_file.chunks())
        parsed = _read(path, layout)
    if region_id is None:
        region_id = user.region_id
    elif region_id != user.region_id and not sees_every_region(user):
        raise PlanUploadError(_("No such plan in your region."))
    revises = find_existing_plan(parsed, region_id) if parsed.year else None
    summary = _dry_run(parsed, region_id, revises)
    read = plan_items(parsed, directory_lookup(region_id), review=True)
    pending = PlanImport(
        region_id=region_id, uploaded_by=user, file_name=display, layout=layout or "", revises=revises,
        items=read.pop("items"),
        summary=read | {
            "title": parsed.title, "year": parsed.year, "document_number": parsed.document_number,
            "issuing_bodies": parsed.issuing_bodies, "issue_date": parsed.issue_date.isoformat() if parsed.issue_date
            else None, "area_names": [area.name for area in parsed.areas], "area_facts": [_area_facts(area)
                                                                                       for area in parsed.areas],
            "units": summary["units"],
            "warnings": summary["warnings"], "proposed_units": summary.get("proposed_units", []),
        },
    )
    upload_file.seek(0)
    pending.file.save(f"{secrets.token_urlsafe(16)}{suffix}", upload_file, save=False)
    try:
        pending.save()
    except BaseException:
        pending.file.storage.delete(pending.file.name)
        raise
    return pending


def _area_facts(area) -> dict:
    """What the review shows under an area's heading: its kind, leader and units as read."""
    from .models import Area

    kind = Area.Kind(area.kind).label if area.kind in Area.Kind.values else area.kind
    return {"number": area.number, "kind": str(kind), "chief": area.chief, "responsible": area.responsible_unit,
            "lead": list(area.lead_units), "cooperating": list(area.cooperating_units),
            "campaigns": [campaign.name for campaign in area.campaigns]}


# Corrections ----------------------------------------------------------------------------------------

def corrected_items(pending: PlanImport) -> list[dict]:
    """The items as the office will save them: each with its corrections and `corrected` (the fields)."""
    areas = pending.summary.get("area_names", [])
    items = []
    for index, item in enumerate(pending.items):
        fix = pending.corrections.get(str(index), {})
        item = dict(item) | {k: v for k, v in fix.items() if k in CORRECTABLE}
        if "area_index" in fix:
            item["area"] = areas[fix["area_index"]]
        if fix.get("ongoing"):
            item["deadline"] = None
        item["corrected"] = sorted({"area" if k == "area_index" else k for k in fix})
        item["index"] = index
        items.append(item)
    return items


def correct(pending: PlanImport, index: int, values: dict) -> dict:
    """Keep the office's correction of item `index` (the fields that differ from what was read)."""
    with transaction.atomic():  # two clerks correcting at once: each correction kept, none lost
        locked = PlanImport.objects.select_for_update().get(pk=pending.pk)
        if locked.state != PlanImport.State.REVIEW:
            raise PlanUploadError(_("This import is closed; nothing can be corrected any more."))
        fix = _fix(locked.items[index], values)
        locked.corrections = {**locked.corrections, str(index): fix} if fix else {
            k: v for k, v in locked.corrections.items() if k != str(index)}
        locked.save(update_fields=["corrections"])
    pending.corrections = locked.corrections
    return fix


def _fix(read: dict, values: dict) -> dict:
    fix = {}
    for name in CORRECTABLE:
        if name not in values:
            continue
        was = read.get(name)
        if name == "ongoing":
            was = bool(was)
        if values[name] != was:
            fix[name] = values[name]
    return fix


def _split_number(text: str | None):
    """"2-5" → (annex 2, number 5); "5" → (None, 5); "" → (None, None)."""
    if not text:
        return None, None
    if "-" in text:
        annex, number = text.split("-", 1)
        return int(annex), int(number)
    return None, int(text)


def apply_corrections(parsed: ParsedPlan, items: list[dict], corrections: dict) -> dict[int, dict]:
    """Write the corrections into the parsed plan's measures; returns {item index: {field: (read, corrected)}}."""
    entries = list(walk(parsed))
    done, moves = {}, []
    for key, fix in sorted(corrections.items(), key=lambda kv: int(kv[0])):
        index = int(key)
        _area_index, area, task, measure = entries[index]
        read = items[index]
        changes = {}
        if "lead" in fix:
            measure.lead_units, changes["lead"] = list(fix["lead"]), (read["lead"], fix["lead"])
        if "cooperating" in fix:
            measure.cooperating_units = list(fix["cooperating"])
            changes["cooperating"] = (read["cooperating"], fix["cooperating"])
        if "deadline" in fix or "ongoing" in fix:
            deadline = fix.get("deadline", read["deadline"])
            ongoing = fix.get("ongoing", read["ongoing"])
            measure.deadline = None if ongoing or not deadline else datetime.date.fromisoformat(deadline)
            measure.ongoing = bool(ongoing)
            measure.deadline_year_only = False
            for flag in ("deadline_missing", "deadline_relative", "deadline_from_row_above"):
                measure.notes.pop(flag, None)
            if "deadline" in fix:
                changes["deadline"] = (read["deadline"], fix["deadline"])
            if "ongoing" in fix:
                changes["ongoing"] = (read["ongoing"], fix["ongoing"])
        if "number" in fix:
            measure.annex, measure.number = _split_number(fix["number"]) if fix["number"] else (measure.annex, None)
            measure.number_inferred = False
            changes["number"] = (read["number"], fix["number"])
        if "area_index" in fix:
            target = parsed.areas[fix["area_index"]]
            changes["area"] = (read["area"], target.name)
            moves.append((measure, task.measures if task else area.measures, target))
        measure.notes["corrected_at_import"] = {
            name: {"read": before, "corrected": after} for name, (before, after) in changes.items()}
        done[index] = changes
    for measure, container, target in moves:
        container.remove(measure)
        target.measures.append(measure)
    return done


# Confirming -----------------------------------------------------------------------------------------

KEY_FIELDS = ("area", "task", "number", "text", "lead", "cooperating", "deadline", "ongoing")


def _same_reading(stored: list[dict], again: list[dict]) -> bool:
    return [[i.get(k) for k in KEY_FIELDS] for i in stored] == [[i.get(k) for k in KEY_FIELDS] for i in again]


@contextlib.contextmanager
def local_copy(pending: PlanImport):
    """The kept file (read through the storage API) as a temporary file named as uploaded."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / pending.file_name
        with pending.file.open("rb") as source, open(path, "wb") as out:
            out.writelines(source.chunks())
        yield path


def set_revises(pending: PlanImport, plan: Plan | None) -> None:
    """The live plan the upload revises (None: a new plan); checked by a dry run of the save."""
    if pending.state != PlanImport.State.REVIEW:
        raise PlanUploadError(_("This import is closed; nothing can be corrected any more."))
    if plan is not None and plan.region_id != pending.region_id:
        raise PlanUploadError(_("No such plan in your region."))
    pending.revises = plan
    pending.save(update_fields=["revises"])


def revision_of(pending: PlanImport):
    """What confirming would add, remove and change in the live plan it revises (None for a new plan)."""
    if pending.revises is None:
        return None
    return compare(pending.revises, corrected_items(pending), UnitResolver(pending.region_id).find)


def confirm(pending: PlanImport, user) -> dict:
    """Save the reviewed plan with its corrections in one transaction; the corrections go to the audit trail."""
    from duban import audit
    from duban.audit.models import Entry

    from .models import Measure

    if pending.state != PlanImport.State.REVIEW:
        raise PlanUploadError(_("This import is closed; it was already confirmed or discarded."))
    with local_copy(pending) as path:
        parsed = _read(path, pending.layout)
        if not _same_reading(pending.items, plan_items(parsed)["items"]):
            raise PlanUploadError(_(
                "%(file)s now reads differently from when it was uploaded (Duban was updated in between); "
                "upload it again and review it anew. Nothing was saved.") % {"file": pending.file_name})
        existing = find_existing_plan(parsed, pending.region_id) if pending.revises is None else None
        if existing is not None:
            raise PlanUploadError(_(
                "%(file)s: %(plan)s is already imported; choose “a revision of” it above to update it. "
                "Nothing was saved.") % {"file": pending.file_name, "plan": existing.title})
        with transaction.atomic():
            # A second click on 确认 waits here for the first and then finds the import closed.
            locked = PlanImport.objects.select_for_update().get(pk=pending.pk)
            if locked.state != PlanImport.State.REVIEW:
                raise PlanUploadError(_("This import is closed; it was already confirmed or discarded."))
            corrected = apply_corrections(parsed, locked.items, locked.corrections)
            try:
                summary = save_parsed_plan(parsed, source_path=path, region_id=pending.region_id,
                                           revise=pending.revises)
            except PlanImportError as exc:
                raise PlanUploadError(_("%(reason)s Nothing was saved.") % {"reason": exc}) from exc
            plan = Plan.objects.get(pk=summary["plan"])
            for measure in Measure.objects.filter(plan=plan, notes__has_key="corrected_at_import"):
                changes = measure.notes["corrected_at_import"]
                audit.record(
                    Entry.Action.UPDATE, instance=measure, user=user,
                    before={name: change["read"] for name, change in changes.items()},
                    after={name: change["corrected"] for name, change in changes.items()},
                    detail=_("Corrected in the review of the import of %(file)s") % {"file": pending.file_name})
            pending.state, pending.plan, pending.imported_at = PlanImport.State.IMPORTED, plan, clock.stamp()
            pending.save(update_fields=["state", "plan", "imported_at"])
    summary["corrected"] = len(corrected)
    return summary


def discard(pending: PlanImport) -> None:
    if pending.state != PlanImport.State.REVIEW:
        raise PlanUploadError(_("This import is closed; it was already confirmed or discarded."))
    pending.state = PlanImport.State.DISCARDED
    pending.save(update_fields=["state"])
    name = pending.file.name
    storage = pending.file.storage
    transaction.on_commit(lambda: storage.delete(name))
