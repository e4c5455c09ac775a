"""A revised plan (修订版) over the live one: which measure is which, what is added, removed and changed.

The one rule that says which live measure a revised plan's item is — used by the review page to show
the differences and by `services.save_parsed_plan(…, revise=plan)` to write them — so that what the
office is shown is what is saved:

1. the same text (compared by `match_key`: simplified, no spaces, no punctuation) is the same measure;
2. else, in the same area (by name or one of its annex spellings), the same printed number (annex and
   number) with a text at least half alike (RELATED) is the same measure, reworded;
3. else, in the same area, the text most alike (at least SIMILAR) is the same measure, reworded.

A matched measure keeps its row — and with it the progress reported on it, its reminders and its
history; only what changed is written. A live measure no item matches is removed; an item no live
measure matches is added.

Items are the dicts of `importers.items.plan_items` (after the office's corrections): the rule reads
only them, so the comparison needs no second reading of the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from difflib import SequenceMatcher

from django.db.models import Prefetch

from duban.core.chinese import match_key

from .models import Measure, MeasureCooperatingUnit, MeasureLeadUnit, Plan

SIMILAR = 0.8
RELATED = 0.5

# What the review page compares, in this order; each is read from an item and from a live measure.
FIELDS = ("area", "task", "number", "text", "lead", "cooperating", "scope", "deadline", "ongoing")


@dataclass
class Changed:
    index: int  # the item's index
    measure: Measure
    fields: list[str]
    before: dict
    after: dict


@dataclass
class Revision:
    plan: Plan
    matched: dict[int, Measure] = field(default_factory=dict)  # item index → live measure
    added: list[int] = field(default_factory=list)
    removed: list[Measure] = field(default_factory=list)
    changed: list[Changed] = field(default_factory=list)
    unchanged: int = 0

    @property
    def counts(self):
        return {"added": len(self.added), "removed": len(self.removed), "changed": len(self.changed),
                "unchanged": self.unchanged}


def _number(measure: Measure) -> str | None:
    if measure.number is None:
        return None
    return f"{measure.annex}-{measure.number}" if measure.annex else str(measure.number)


def measure_values(measure: Measure) -> dict:
    """A live measure as the fields an item has (units by the directory's names)."""
    return {
        "area": measure.area.name,
        "task": measure.task.text if measure.task else None,
        "number": _number(measure),
        "text": measure.text,
        "lead": [link.unit.name for link in measure.lead_links.all()],
        "cooperating": [link.unit.name for link in measure.cooperating_links.all()],
        "scope": [p for p in (s.strip() for s in measure.scope_text.replace("，", "、").split("、")) if p],
        "deadline": measure.deadline.isoformat() if measure.deadline else None,
        "ongoing": measure.ongoing,
    }


def item_values(item: dict, find_unit=None) -> dict:
    """An item's fields as they would be saved: unit names through the directory (aliases understood)."""
    def named(names):
        if find_unit is None:
            return list(names)
        out = []
        for name in names:
            unit = find_unit(name)
            name = unit.name if unit is not None else name
            if name not in out:
                out.append(name)
        return out

    splits = item.get("units_split") or {}

    def rejoined(names):  # as services.measure_units saves them: a run-together name the directory knows, whole
        if not splits or find_unit is None:
            return list(names)
        from types import SimpleNamespace

        from .services import _rejoin_known

        return _rejoin_known(SimpleNamespace(find=find_unit), names, splits)

    values = {name: item.get(name) for name in FIELDS}
    values["lead"] = named(rejoined(item.get("lead") or []))
    values["cooperating"] = [n for n in named(rejoined(item.get("cooperating") or [])) if n not in values["lead"]]
    values["ongoing"] = bool(item.get("ongoing"))
    return values


def _area_keys(measure: Measure) -> set[str]:
    return {match_key(measure.area.name), *(match_key(name) for name in measure.area.annex_names or [])}


def live_measures(plan: Plan) -> list[Measure]:
    links = {
        "lead_links": MeasureLeadUnit.objects.select_related("unit").order_by("position"),
        "cooperating_links": MeasureCooperatingUnit.objects.select_related("unit").order_by("position"),
    }
    return list(plan.measures.select_related("area", "task").prefetch_related(
        *(Prefetch(name, queryset) for name, queryset in links.items())).order_by("area__position", "position"))


def _alike(text: str, measure: Measure, at_least: float) -> float:
    """How alike the texts are (0–1) when at least `at_least`, else 0."""
    matcher = SequenceMatcher(None, text, match_key(measure.text), autojunk=False)
    if matcher.real_quick_ratio() < at_least or matcher.quick_ratio() < at_least:
        return 0
    ratio = matcher.ratio()
    return ratio if ratio >= at_least else 0


def match(plan: Plan, items: list[dict]) -> tuple[dict[int, Measure], list[Measure]]:
    """(item index → live measure, live measures no item matches): the rule of this module's docstring."""
    live = live_measures(plan)
    free = {measure.pk: measure for measure in live}
    matched: dict[int, Measure] = {}
    by_text: dict[str, list[Measure]] = {}
    for measure in live:
        by_text.setdefault(match_key(measure.text), []).append(measure)
    for index, item in enumerate(items):  # 1. the same text
        for measure in by_text.get(match_key(item["text"]), []):
            if measure.pk in free:
                matched[index] = free.pop(measure.pk)
                break
    for index, item in enumerate(items):  # 2. the same area and number
        if index in matched or not item.get("number"):
            continue
        area, text = match_key(item["area"]), match_key(item["text"])
        for measure in free.values():
            if _number(measure) == item["number"] and area in _area_keys(measure) and _alike(text, measure, RELATED):
                matched[index] = free.pop(measure.pk)
                break
    for index, item in enumerate(items):  # 3. the same area, the text most alike
        if index in matched:
            continue
        area, text = match_key(item["area"]), match_key(item["text"])
        best, best_ratio = None, SIMILAR
        for measure in free.values():
            if area not in _area_keys(measure):
                continue
            ratio = _alike(text, measure, best_ratio)
            if ratio:
                best, best_ratio = measure, ratio
        if best is not None:
            matched[index] = free.pop(best.pk)
    removed = [measure for measure in live if measure.pk in free]
    return matched, removed


def compare(plan: Plan, items: list[dict], find_unit=None) -> Revision:
    """What saving `items` over `plan` would add, remove and change."""
    matched, removed = match(plan, items)
    revision = Revision(plan=plan, matched=matched, removed=removed)
    for index, item in enumerate(items):
        measure = matched.get(index)
        if measure is None:
            revision.added.append(index)
            continue
        before, after = measure_values(measure), item_values(item, find_unit)
        fields = [name for name in FIELDS if before[name] != after[name]]
        if fields:
            revision.changed.append(Changed(index, measure, fields, {f: before[f] for f in fields},
                                            {f: after[f] for f in fields}))
        else:
            revision.unchanged += 1
    return revision


# Writing a revision ---------------------------------------------------------------------------------

PLAN_FIELDS = ("year", "title", "document_number", "issuing_bodies", "issue_date", "source_name", "missing_annexes")
AREA_FIELDS = ("kind", "number", "name", "scope_text", "benchmarks", "target_text", "pilots", "narrative",
               "attribution_text", "source")


def _set(obj, values: dict) -> bool:
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    return bool(changed)


def revise_in_place(plan: Plan, parsed, source_path, units):
    """Write `parsed` into the live `plan` (inside the caller's transaction); returns (plan, counts).

    Areas are kept by name (or annex spelling), tasks by text (else number) within their area, measures
    by `match`; rows no longer in the plan are deleted, after the kept measures have left them.
    """
    from pathlib import Path

    from django.core.files.base import ContentFile
    from django.db import transaction

    from .importers.items import plan_items, walk
    from .models import Area, Campaign, Task
    from .services import LeaderResolver, _resolve_all, _write_measure

    items = plan_items(parsed, review=True)["items"]
    revision = compare(plan, items, units.find)
    leaders = LeaderResolver(units.region_id)

    _set(plan, {name: getattr(parsed, name) for name in PLAN_FIELDS})
    if source_path is not None:
        old = plan.source_file.name
        plan.source_file.save(Path(source_path).name, ContentFile(Path(source_path).read_bytes()), save=False)
        if old:
            storage = plan.source_file.storage
            transaction.on_commit(lambda: storage.delete(old))
    plan.save()

    live_areas = list(plan.areas.all())
    area_by_key: dict[str, Area] = {}
    for area in live_areas:
        for name in [area.name, *(area.annex_names or [])]:
            area_by_key.setdefault(match_key(name), area)
    areas, tasks, kept_areas, kept_tasks = [], {}, set(), set()
    for position, parsed_area in enumerate(parsed.areas):
        area = next((area_by_key[key] for key in map(match_key, [parsed_area.name, *parsed_area.other_names])
                     if key in area_by_key and area_by_key[key].pk not in kept_areas), None)
        area = area or Area(plan=plan)
        _set(area, {name: getattr(parsed_area, name) for name in AREA_FIELDS} | {
            "chief": leaders.resolve(parsed_area.chief),
            "responsible_unit": units.resolve(parsed_area.responsible_unit) if parsed_area.responsible_unit else None,
            "annex_names": parsed_area.other_names, "source_line": parsed_area.line, "position": position})
        area.save()
        kept_areas.add(area.pk)
        area.lead_units.set(_resolve_all(units, parsed_area.lead_units))
        area.cooperating_units.set(_resolve_all(units, parsed_area.cooperating_units))
        if [(c.name, sorted(u.name for u in c.lead_units.all())) for c in area.campaigns.all()] != [
                (c.name, sorted(u.name for u in _resolve_all(units, c.lead_units))) for c in parsed_area.campaigns]:
            area.campaigns.all().delete()
            for i, parsed_campaign in enumerate(parsed_area.campaigns):
                campaign = Campaign.objects.create(area=area, name=parsed_campaign.name, position=i)
                campaign.lead_units.set(_resolve_all(units, parsed_campaign.lead_units))
        live_tasks = list(area.tasks.all()) if area.pk else []
        for task_position, parsed_task in enumerate(parsed_area.tasks):
            task = next((t for t in live_tasks if t.pk not in kept_tasks and match_key(t.text) == match_key(
                parsed_task.text)), None) or next((t for t in live_tasks if t.pk not in kept_tasks and t.number
                                                   and t.number == parsed_task.number), None)
            task = task or Task(area=area)
            _set(task, {"number": parsed_task.number, "number_inferred": parsed_task.number_inferred,
                        "text": parsed_task.text, "source": parsed_task.source, "source_line": parsed_task.line,
                        "position": task_position})
            task.save()
            kept_tasks.add(task.pk)
            tasks[id(parsed_task)] = task
        areas.append(area)

    positions: dict[int, int] = {}
    for index, (area_index, _area, parsed_task, parsed_measure) in enumerate(walk(parsed)):
        area = areas[area_index]
        task = tasks[id(parsed_task)] if parsed_task is not None else None
        positions[area_index] = position = positions.get(area_index, 0) + 1
        measure = revision.matched.get(index)
        if measure is None:
            _write_measure(plan, area, task, parsed_measure, position, units)
        else:
            _update_measure(measure, area, task, parsed_measure, position, units)
    for measure in revision.removed:
        measure.delete()
    Task.objects.filter(area__plan=plan).exclude(pk__in=kept_tasks).delete()
    plan.areas.exclude(pk__in=kept_areas).delete()
    return plan, revision.counts


def _update_measure(measure: Measure, area, task, parsed, position, units):
    from .models import Milestone
    from .services import measure_units

    if _set(measure, {
        "area": area, "task": task, "annex": parsed.annex, "number": parsed.number,
        "number_inferred": parsed.number_inferred, "text": parsed.text, "scope_text": parsed.scope_text,
        "deadline": parsed.deadline, "deadline_text": parsed.deadline_text,
        "deadline_year_only": parsed.deadline_year_only, "ongoing": parsed.ongoing, "notes": parsed.notes,
        "source": parsed.source, "source_line": parsed.line, "position": position,
    }):
        measure.save()
    lead, cooperating = measure_units(units, parsed)
    for model, wanted in ((MeasureLeadUnit, lead), (MeasureCooperatingUnit, cooperating)):
        links = list(model.objects.filter(measure=measure).order_by("position"))
        if [link.unit_id for link in links] != [unit.pk for unit in wanted]:
            for link in links:
                link.delete()
            model.objects.bulk_create(model(measure=measure, unit=unit, position=i) for i, unit in enumerate(wanted))
    live = list(measure.milestones.order_by("position"))
    if [(m.date, m.text) for m in live] != [(m.date, m.text) for m in parsed.milestones]:
        done = {(m.date, m.text): m.completed_on for m in live}
        for milestone in live:
            milestone.delete()
        Milestone.objects.bulk_create(
            Milestone(measure=measure, date=m.date, text=m.text, position=i,
                      completed_on=done.get((m.date, m.text))) for i, m in enumerate(parsed.milestones))
