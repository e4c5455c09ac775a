"""Domain operations on the plan ledger, shared by commands, views and the API."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.db.models.fields.files import FieldFile
from django.db import transaction
from django.dispatch import Signal
from django.utils.translation import gettext as _

from duban.core.archives import check_archive
from duban.core.chinese import to_simplified

from .importers import read_plan_file
from .importers.base import ImportNote, ParsedMeasure, ParsedPlan, PlanImportError
from .importers.particulars import confirming_office
from .models import (
    Area, Campaign, Leader, Measure, MeasureCooperatingUnit, MeasureLeadUnit, Milestone, Plan, Region, Task, Unit,
)
from .units import UnitResolver


# Sent inside the import's transaction with plan=the new Plan; a receiver may return a dict for the summary.
plan_imported = Signal()


class LeaderResolver:
    def __init__(self, region_id: int) -> None:
        self.region_id = region_id
        self.by_name: dict[str, Leader] = {}
        for leader in Leader.objects.filter(region=region_id):
            for name in [leader.name, *leader.aliases]:
                self.by_name[to_simplified(name)] = leader

    def resolve(self, name: str) -> Leader | None:
        if not name:
            return None
        key = to_simplified(name)
        leader = self.by_name.get(key)
        if leader is None:
            leader = Leader.objects.create(region_id=self.region_id, name=key, aliases=[name] if name != key else [])
            self.by_name[key] = leader
        return leader


def find_existing_plan(parsed: ParsedPlan, region_id: int) -> Plan | None:
    plans = Plan.objects.filter(region=region_id)
    if parsed.document_number:
        found = plans.filter(document_number=parsed.document_number).first()
        if found:
            return found
    if parsed.year is None:  # no plan has no year
        return None
    return plans.filter(year=parsed.year, title=parsed.title).first()


def summarize(parsed: ParsedPlan, unit_count: int) -> dict[str, Any]:
    return {
        "areas": len(parsed.areas),
        "tasks": sum(len(a.tasks) for a in parsed.areas),
        "measures": sum(1 for _ in parsed.all_measures()),
        "units": unit_count,
        "warnings": [str(w) for w in parsed.warnings],
    }


class _DryRunRollback(Exception):
    pass


def save_parsed_plan(parsed: ParsedPlan, *, replace: bool = False, dry_run: bool = False,
                     source_path: str | Path | None = None, region_id: int | None = None,
                     revise: Plan | None = None) -> dict[str, Any]:
    """Write a parsed plan into a region in one transaction. Returns the summary dict.

    A plan already imported (same document number, or same year and title) is
    refused unless replace=True, which deletes it and imports afresh. With
    dry_run the same work is done and rolled back, so the summary is exact.

    revise=plan (a revised plan, 修订版, over a live one of the region) writes the parsed plan into
    that plan in place instead: measures are matched by `revision.match`, and a matched measure keeps
    its row and the progress reported on it; the summary's "revision" counts what was added, removed
    and changed.
    """
    if not parsed.title:
        raise PlanImportError(_("%(file)s: no plan title found") % {"file": parsed.source_name})
    if not parsed.year:
        raise PlanImportError(_("%(file)s: the plan's year could not be determined (neither its title, its document "
                                "number nor its date line gives it)") % {"file": parsed.source_name})
    if region_id is None:  # a one-region site's first set-up; several regions: LookupError, never region 1
        region_id = Region.objects.sole().pk
    result: dict[str, Any] = {}
    stored: list[FieldFile] = []
    try:
        with transaction.atomic():
            existing = find_existing_plan(parsed, region_id)
            if revise is not None and revise.region_id != region_id:
                raise PlanImportError(_("%(file)s: the plan it revises belongs to another region") % {
                    "file": parsed.source_name})
            if existing and revise is not None and existing.pk != revise.pk:
                raise PlanImportError(_(
                    "%(file)s: plan %(plan)s has the same document number or title; it cannot also become "
                    "%(revised)s") % {"file": parsed.source_name, "plan": existing.document_number or existing.title,
                                      "revised": revise.document_number or revise.title})
            if existing and not replace and revise is None:
                raise PlanImportError(_(
                    "%(file)s: plan %(plan)s is already imported (id %(id)s); import it as a revision (--revise, "
                    "or the import page), or use --replace to import it afresh") % {
                    "file": parsed.source_name, "plan": existing.document_number or existing.title, "id": existing.pk})
            units = UnitResolver(region_id)
            if revise is not None:
                from .revision import revise_in_place

                plan, result["revision"] = revise_in_place(revise, parsed, source_path, units)
            else:
                if existing:
                    existing.delete()
                plan = _write(parsed, source_path, units)
            if plan.source_file:
                stored.append(plan.source_file)
            result.update(summarize(parsed, _unit_count(plan)))
            result["proposed_units"] = names = [unit.name for unit in units.proposed]
            # the plan's own office confirms them (its issuer), else whichever office leads the plan
            said = {"count": len(names), "names": "、".join(names),
                    "office": confirming_office(parsed) or _("the lead office")}
            if names and dry_run:
                result["warnings"].append(str(ImportNote(parsed.source_name, None, _(
                    "%(count)s units are not in the unit directory and would be added as proposals for %(office)s "
                    "to confirm: %(names)s") % said)))
            elif names:
                result["warnings"].append(str(ImportNote(parsed.source_name, None, _(
                    "%(count)s units are not in the unit directory and were added as proposals for %(office)s to "
                    "confirm: %(names)s") % said)))
            result["plan"] = plan.pk
            # Other apps add what they derive from a plan (the KPI app proposes its targets), in the same
            # transaction: a failure there leaves nothing half-imported, and a dry run shows it too.
            for receiver, response in plan_imported.send(sender=Plan, plan=plan):
                if isinstance(response, dict):
                    result.update(response)
            if dry_run:
                raise _DryRunRollback
    except _DryRunRollback:
        result["plan"] = None
        result["dry_run"] = True
    except BaseException:
        # The kept source is a file, outside the transaction: remove it when the import rolls back.
        # (A killed process can still leave one behind; the plan-source-orphans tick job removes those.)
        for field in stored:
            if field.name:
                field.storage.delete(field.name)
        raise
    return result


def _unit_count(plan: Plan) -> int:
    lead = MeasureLeadUnit.objects.filter(measure__plan=plan).values_list("unit", flat=True)
    cooperating = MeasureCooperatingUnit.objects.filter(measure__plan=plan).values_list("unit", flat=True)
    ids = set(lead) | set(cooperating)
    for area in plan.areas.prefetch_related("lead_units", "cooperating_units", "campaigns__lead_units"):
        ids |= {u.pk for u in area.lead_units.all()} | {u.pk for u in area.cooperating_units.all()}
        if area.responsible_unit_id:
            ids.add(area.responsible_unit_id)
        for campaign in area.campaigns.all():
            ids |= {u.pk for u in campaign.lead_units.all()}
    return len(ids)


def _write(parsed: ParsedPlan, source_path: str | Path | None, units: UnitResolver) -> Plan:
    leaders = LeaderResolver(units.region_id)
    assert parsed.year is not None  # save_parsed_plan refused a plan without one
    plan = Plan(
        region_id=units.region_id, year=parsed.year, title=parsed.title, document_number=parsed.document_number,
        issuing_bodies=parsed.issuing_bodies, issue_date=parsed.issue_date, source_name=parsed.source_name,
        missing_annexes=parsed.missing_annexes,
    )
    if source_path is not None:
        plan.source_file.save(Path(source_path).name, ContentFile(Path(source_path).read_bytes()), save=False)
    plan.save()
    for position, parsed_area in enumerate(parsed.areas):
        area = Area.objects.create(
            plan=plan, kind=parsed_area.kind, number=parsed_area.number, name=parsed_area.name,
            chief=leaders.resolve(parsed_area.chief),
            responsible_unit=units.resolve(parsed_area.responsible_unit) if parsed_area.responsible_unit else None,
            scope_text=parsed_area.scope_text, benchmarks=parsed_area.benchmarks,
            target_text=parsed_area.target_text, pilots=parsed_area.pilots, narrative=parsed_area.narrative,
            attribution_text=parsed_area.attribution_text, annex_names=parsed_area.other_names,
            source=parsed_area.source,
            source_line=parsed_area.line, position=position,
        )
        area.lead_units.set(_resolve_all(units, parsed_area.lead_units))
        area.cooperating_units.set(_resolve_all(units, parsed_area.cooperating_units))
        for i, parsed_campaign in enumerate(parsed_area.campaigns):
            campaign = Campaign.objects.create(area=area, name=parsed_campaign.name, position=i)
            campaign.lead_units.set(_resolve_all(units, parsed_campaign.lead_units))
        measure_position = 0
        for parsed_measure in parsed_area.measures:
            measure_position += 1
            _write_measure(plan, area, None, parsed_measure, measure_position, units)
        for task_position, parsed_task in enumerate(parsed_area.tasks):
            task = Task.objects.create(
                area=area, number=parsed_task.number, number_inferred=parsed_task.number_inferred,
                text=parsed_task.text, source=parsed_task.source, source_line=parsed_task.line,
                position=task_position,
            )
            for parsed_measure in parsed_task.measures:
                measure_position += 1
                _write_measure(plan, area, task, parsed_measure, measure_position, units)
    return plan


def _resolve_all(resolver: UnitResolver, names: list[str]) -> list[Unit]:
    seen: set[int] = set()
    result: list[Unit] = []
    for name in names:
        unit = resolver.resolve(name)
        if unit and unit.pk not in seen:
            seen.add(unit.pk)
            result.append(unit)
    return result


def _rejoin_known(units: UnitResolver, names: list[str], splits: dict[str, list[str]]) -> list[str]:
    """Names a reader split because they ran together in a cell ('县委县政府督查室' → …), joined again when
    the unit directory knows the whole name: the directory decides what one unit is."""
    names = list(names)
    for printed, parts in splits.items():
        if units.find(printed) is None or not all(part in names for part in parts):
            continue
        at = names.index(parts[0])
        names = [name for name in names if name not in parts]
        names.insert(min(at, len(names)), printed)
    return names


def measure_units(units: UnitResolver, parsed: ParsedMeasure) -> tuple[list[Unit], list[Unit]]:
    """A parsed measure's (lead, cooperating) Units: names resolved through the directory, run-together
    names it knows joined again, a lead unit never also cooperating. Shared by a first import and a revision."""
    splits = parsed.notes.get("units_split") or {}
    lead = _resolve_all(units, _rejoin_known(units, parsed.lead_units, splits))
    cooperating = [u for u in _resolve_all(units, _rejoin_known(units, parsed.cooperating_units, splits))
                   if u not in lead]
    return lead, cooperating


def _write_measure(plan: Plan, area: Area, task: Task | None, parsed: ParsedMeasure, position: int,
                   units: UnitResolver) -> Measure:
    measure = Measure.objects.create(
        plan=plan, area=area, task=task, annex=parsed.annex, number=parsed.number,
        number_inferred=parsed.number_inferred, text=parsed.text, scope_text=parsed.scope_text,
        deadline=parsed.deadline, deadline_text=parsed.deadline_text,
        deadline_year_only=parsed.deadline_year_only, ongoing=parsed.ongoing, notes=parsed.notes,
        source=parsed.source, source_line=parsed.line, position=position,
    )
    lead, cooperating = measure_units(units, parsed)
    MeasureLeadUnit.objects.bulk_create(
        MeasureLeadUnit(measure=measure, unit=unit, position=i) for i, unit in enumerate(lead))
    MeasureCooperatingUnit.objects.bulk_create(
        MeasureCooperatingUnit(measure=measure, unit=unit, position=i) for i, unit in enumerate(cooperating))
    Milestone.objects.bulk_create(
        Milestone(measure=measure, date=m.date, text=m.text, position=i) for i, m in enumerate(parsed.milestones))
    return measure


def import_plan_file(path: str | Path, *, replace: bool = False, dry_run: bool = False, layout: str | None = None,
                     keep_source: bool = True, region_id: int | None = None) -> dict[str, Any]:
    """Read and save a plan file; the one entry point for the command, uploads and tests."""
    check_archive(path, name=Path(path).name, error=PlanImportError)  # before any reader unpacks a zip
    parsed = read_plan_file(path, layout=layout)
    return save_parsed_plan(parsed, replace=replace, dry_run=dry_run,
                            source_path=path if keep_source and not dry_run else None, region_id=region_id)
