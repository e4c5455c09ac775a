"""A parsed plan as the list of items it would create: what `import-plan --dry-run --format json` prints
and what the office reviews in the browser before anything is saved.

    {"areas": N, "tasks": N, "measures": N, "units": N, "warnings": [...],
     "items": [{"area", "task", "number", "text", "lead", "cooperating", "scope", "deadline", "ongoing",
                "recurring", "milestones", "source", "warnings"}]}

One item per measure, in the plan's order (each area's loose measures, then its tasks' measures: the
order `ParsedPlan.all_measures()` walks, so an item's index is the measure's). Each item's `warnings`
are the guesses the reader made about that measure (a deadline assumed, units carried from the row
above, a number inferred …) and the file's warnings printed at its place, in the user's language.

With `find_unit` (a function from a printed name to the directory's Unit or None, e.g.
`UnitResolver(region).find`), names that are not in the region's unit directory are flagged too.
`review=True` adds what the review page needs besides: per item the index of its area and the fields
a flag is about (`flagged`), so that the page highlights the cell where the guess is.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .base import ParsedArea, ParsedMeasure, ParsedPlan, ParsedTask
from . import cells
from .cells import clean_unit_name

# Fields of an item a flag can be about; the review page highlights that cell.
AREA, NUMBER, TEXT, LEAD, COOPERATING, DEADLINE = "area", "number", "text", "lead", "cooperating", "deadline"


# An item's fields in words (the review's list of changes, a measure's corrections).
FIELD_LABELS = {
    "area": gettext_lazy("area"), "task": gettext_lazy("task"), "number": gettext_lazy("number"),
    "text": gettext_lazy("text"), "lead": gettext_lazy("lead units"), "cooperating": gettext_lazy("cooperating units"),
    "scope": gettext_lazy("stated scope"), "deadline": gettext_lazy("deadline"), "ongoing": gettext_lazy("ongoing"),
}


def describe_corrections(changes: dict) -> str:
    """{field: {"read": …, "corrected": …}} (a measure's notes["corrected_at_import"]) in words:
    完成时限：2024-12-31 → 2024-10-31；配合单位：区市场监管局、区应急管理局 → 区市场监管局."""
    def said(value):
        if value is None or value == []:
            return "—"
        if value is True or value is False:
            return _("yes") if value else _("no")
        return _joined(value)

    # In the fields' own order: PostgreSQL's jsonb keeps a dict's keys in an order of its own.
    order = {name: position for position, name in enumerate(FIELD_LABELS)}
    names = sorted(changes, key=lambda name: (order.get(name, len(order)), name))
    return "；".join(f"{FIELD_LABELS.get(name, name)}：{said(changes[name].get('read'))} → "
                    f"{said(changes[name].get('corrected'))}" for name in names if isinstance(changes[name], dict))


@dataclass(frozen=True)
class Flag:
    field: str
    message: str


def _joined(value) -> str:
    if isinstance(value, (list, tuple)):
        return "、".join(str(v) for v in value)
    if isinstance(value, dict):  # units_split: {printed: [names]}
        return "；".join(f"{k} → {_joined(v)}" for k, v in value.items())
    return str(value)


def _note_flags(measure: ParsedMeasure) -> Iterator[Flag]:
    """The reader's guesses about a measure, from its flags and notes, in words."""
    notes = measure.notes or {}
    if measure.number_inferred:
        yield Flag(NUMBER, _("Number inferred from its neighbours (lost at a page break)"))
    if notes.get("deadline_missing"):
        yield Flag(DEADLINE, _("No deadline printed: the plan's year end assumed"))
    elif notes.get("deadline_relative"):
        yield Flag(DEADLINE, _("Deadline printed without a year: the plan's year assumed"))
    elif measure.deadline_year_only and measure.deadline:
        yield Flag(DEADLINE, _("Deadline gives only a year: 31 December assumed"))
    if notes.get("deadline_from_row_above"):
        yield Flag(DEADLINE, _("Deadline taken from the row above (merged cell)"))
    if notes.get("deadline_from_heading"):
        yield Flag(DEADLINE, _("Deadline taken from the heading above the item"))
    if notes.get("deadline_from_body_item"):
        yield Flag(DEADLINE, _("Deadline taken from the body text's item"))
    if notes.get("lead_units_from_row_above"):
        yield Flag(LEAD, _("Units taken from the row above (merged cell)"))
    if notes.get("units_from_heading"):
        yield Flag(LEAD, _("Units taken from the heading above the item"))
    if notes.get("units_from_body_item"):
        yield Flag(LEAD, _("Units taken from the body text's item"))
    if notes.get("units_as_printed"):
        yield Flag(LEAD, _("Unit names completed from a shared prefix; printed: %(printed)s")
                   % {"printed": _joined(notes["units_as_printed"])})
    if notes.get("units_split"):
        yield Flag(LEAD, _("Unit names printed together were split: %(printed)s")
                   % {"printed": _joined(notes["units_split"])})
    if notes.get("first_listed_leads"):
        yield Flag(LEAD, _("The first unit listed taken as the lead unit, as the plan says"))
    if notes.get("cut_off"):
        yield Flag(TEXT, _("The item seems cut off here"))
    if notes.get("from_body_text"):
        yield Flag(TEXT, _("Drawn from the body text, not from a task list"))
    if notes.get("unplaced"):
        yield Flag(TEXT, _("Cells the importer could not place: %(cells)s") % {"cells": _joined(notes["unplaced"])})
    if not measure.lead_units and not measure.scope_text:
        yield Flag(LEAD, _("No lead unit"))


def _directory_flags(measure: ParsedMeasure, find_unit) -> Iterator[Flag]:
    for field, names in ((LEAD, measure.lead_units), (COOPERATING, measure.cooperating_units)):
        missing = [name for name in names if _unknown(name, find_unit)]
        if missing:
            yield Flag(field, _("Not in the unit directory: %(names)s") % {"names": "、".join(missing)})


def _unknown(name, find_unit) -> bool:
    unit = find_unit(name)
    return unit is None or not getattr(unit, "confirmed", True)


def _source(measure: ParsedMeasure) -> str:
    at = getattr(measure, "at", None)
    if at is not None and at.label():
        return at.label()
    return f"line {measure.line}" if measure.line else ""


def _where(measure: ParsedMeasure, label: str) -> str:
    """Where the measure was printed, for people: 第12页, 表格2第5行, 第340行 (without the file's name)."""
    at = getattr(measure, "at", None)
    if at is not None:
        said = str(at)
        return said[len(at.source):].strip() if said.startswith(at.source) and said != at.source else said
    kind, _sep, number = label.partition(" ")
    if kind == "line" and number.isdigit():
        return _("line %(line)s") % {"line": number}
    if kind == "page" and number.isdigit():
        return _("page %(page)s") % {"page": number}
    return label


def _number(measure: ParsedMeasure) -> str | None:
    if measure.number is None:
        return None
    return f"{measure.annex}-{measure.number}" if measure.annex else str(measure.number)


_SCOPE_SEPARATORS = re.compile(r"[、，,]+")


def _scope(measure: ParsedMeasure) -> list[str]:
    # '各县（市、区）人民政府' is one scope: split only outside brackets
    return [part for part in (p.strip() for p in cells.split_outside_brackets(measure.scope_text or "",
                                                                              _SCOPE_SEPARATORS)) if part]


def walk(parsed: ParsedPlan) -> Iterator[tuple[int, ParsedArea, ParsedTask | None, ParsedMeasure]]:
    """(area index, area, task or None, measure) in item order: the order of `ParsedPlan.all_measures()`."""
    for index, area in enumerate(parsed.areas):
        for measure in area.measures:
            yield index, area, None, measure
        for task in area.tasks:
            for measure in task.measures:
                yield index, area, task, measure


def measure_flags(parsed: ParsedPlan, measure: ParsedMeasure, find_unit: Callable | None = None,
                  notes_by_line: dict | None = None) -> list[Flag]:
    flags = list(_note_flags(measure))
    if find_unit is not None:
        flags += _directory_flags(measure, find_unit)
    if notes_by_line is not None:
        notes = {id(note): note for place in _places(measure, parsed.source_name)
                 for note in notes_by_line.get(place, [])}
        flags += [Flag("", note.message) for note in notes.values()]  # the file's own: said, about no one cell
    return flags


def _places(obj, default_source: str) -> list:
    """Where a warning or a measure was printed: its Position and its file and line (a reader may give a
    warning only the line)."""
    places = []
    at = getattr(obj, "at", None)
    if at is not None:
        places.append(at)
    if obj.line:
        places.append((obj.source or default_source, obj.line))
    return places


def plan_items(parsed: ParsedPlan, find_unit: Callable | None = None, *, review: bool = False) -> dict:
    notes_by_line: dict = {}
    for note in parsed.warnings:
        places = _places(note, parsed.source_name)
        if places:  # by its Position when it has one, else by its file and line
            notes_by_line.setdefault(places[0], []).append(note)
    items = []
    for area_index, area, task, measure in walk(parsed):
        flags = measure_flags(parsed, measure, find_unit, notes_by_line)
        item = {
            "area": area.name,
            "task": task.text if task else None,
            "number": _number(measure),
            "text": measure.text,
            "lead": list(measure.lead_units),
            "cooperating": list(measure.cooperating_units),
            "scope": _scope(measure),
            "deadline": measure.deadline.isoformat() if measure.deadline else None,
            "ongoing": bool(measure.ongoing),
            "recurring": getattr(measure, "recurring", None) or None,
            "milestones": [{"date": m.date.isoformat(), "text": m.text} for m in measure.milestones],
            "source": _source(measure),
            "warnings": list(dict.fromkeys(flag.message for flag in flags)),
        }
        if review:
            item["area_index"] = area_index
            item["deadline_text"] = measure.deadline_text
            item["flagged"] = sorted({flag.field for flag in flags} - {""})
            item["where"] = _where(measure, _source(measure))
            item["units_split"] = dict(measure.notes.get("units_split") or {})
        items.append(item)
    units = {clean_unit_name(name) for name in parsed.unit_names()} - {""}
    return {
        "areas": len(parsed.areas),
        "tasks": sum(len(area.tasks) for area in parsed.areas),
        "measures": len(items),
        "units": len(units),
        "warnings": [str(note) for note in parsed.warnings],
        "items": items,
    }
