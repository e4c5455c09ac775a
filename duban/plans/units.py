"""Finding the one Unit behind the many ways a plan writes its name.

区法院 and 区人民法院, 西湖电力公司 and 西湖供电公司: the alias table (editable in
the admin) maps spellings to units. A few spellings are the same name by rule
and need no alias: spaces inside a name, traditional characters, 人民法院 for 法院.
"""

from __future__ import annotations

import csv
import io
import re

from django.db import transaction

from .importers.cells import clean_unit_name, is_collective
from .models import Region, Unit, UnitAlias

_RULES = ((re.compile("人民法院"), "法院"), (re.compile("人民检察院"), "检察院"))


def canonical_spelling(name):
    name = clean_unit_name(name)
    for pattern, replacement in _RULES:
        name = pattern.sub(replacement, name)
    return name


def guess_kind(name):
    if re.search(r"街道|街办|镇$|乡$", name):
        return Unit.Kind.STREET
    if re.search(r"法院|检察院", name):
        return Unit.Kind.JUDICIAL
    if re.search(r"税务|供电|电力|公安|分局$|海关|国网|大队$|支队$", name):
        return Unit.Kind.BRANCH
    if re.search(r"集团|公司$", name):
        return Unit.Kind.ENTERPRISE
    return Unit.Kind.DEPARTMENT


class UnitResolver:
    """Resolves printed names to Units, creating the ones never seen before.

    A unit created here is a proposal (confirmed=False): the office confirms it,
    or merges it into the unit it really is, in the admin. The region is always
    given (the acting user's, token's or import's): names are looked up in it only.
    """

    def __init__(self, region_id):
        if region_id is None:
            raise ValueError("UnitResolver needs the region whose names it resolves")
        self.region_id = region_id
        self.by_key = {}
        for unit in Unit.objects.filter(region=region_id):
            self.by_key[canonical_spelling(unit.name)] = unit
        for alias in UnitAlias.objects.filter(region=region_id).select_related("unit"):
            self.by_key[canonical_spelling(alias.alias)] = alias.unit
        self.created = []
        self.proposed = []  # unconfirmed units this import uses, new or left from an earlier import

    def find(self, name):
        return self.by_key.get(canonical_spelling(name))

    def resolve(self, name):
        key = canonical_spelling(name)
        if not key:
            return None
        unit = self.by_key.get(key)
        if unit is None:
            unit = Unit.objects.create(region_id=self.region_id, name=key, kind=guess_kind(key), confirmed=False)
            self.by_key[key] = unit
            self.created.append(unit)
        if not unit.confirmed and unit not in self.proposed:
            self.proposed.append(unit)
        return unit


class UnitDirectoryError(Exception):
    pass


@transaction.atomic
def import_unit_directory(text, source="units", region_id=None):
    """Load a region's unit directory: CSV with columns name, kind, aliases ('|'-separated).

    Existing units are updated; aliases are added. Returns (created, aliases_added). Without
    region_id, the site's only region (a one-region site's first set-up; LookupError when there are several).
    """
    if region_id is None:
        region_id = Region.objects.sole().pk
    reader = csv.DictReader(io.StringIO(text))
    missing = {"name", "kind"} - set(reader.fieldnames or [])
    if missing:
        raise UnitDirectoryError(f"{source}: missing column(s) {', '.join(sorted(missing))}")
    kinds = set(Unit.Kind.values)
    created = aliases_added = 0
    for line, row in enumerate(reader, start=2):
        name = canonical_spelling(row["name"] or "")
        kind = (row["kind"] or "").strip() or Unit.Kind.DEPARTMENT
        if not name or is_collective(name):
            raise UnitDirectoryError(f"{source}:{line}: {row['name']!r} is not a unit name")
        if kind not in kinds:
            raise UnitDirectoryError(f"{source}:{line}: unknown kind {kind!r} (one of {', '.join(sorted(kinds))})")
        unit, was_created = Unit.objects.update_or_create(
            region_id=region_id, name=name, defaults={"kind": kind, "confirmed": True})
        created += was_created
        for alias in filter(None, (a.strip() for a in (row.get("aliases") or "").split("|"))):
            alias = clean_unit_name(alias)
            existing = UnitAlias.objects.filter(region=region_id, alias=alias).select_related("unit").first()
            if existing and existing.unit != unit:
                raise UnitDirectoryError(
                    f"{source}:{line}: alias {alias} already belongs to {existing.unit.name}")
            if not existing and alias != unit.name:
                UnitAlias.objects.create(unit=unit, alias=alias)
                aliases_added += 1
    return created, aliases_added


@transaction.atomic
def merge_units(keep, others):
    """Merge duplicate units into `keep`: their names become aliases, their links move."""
    from .models import Area, Campaign, MeasureCooperatingUnit, MeasureLeadUnit

    for other in others:
        if other.pk == keep.pk:
            continue
        if other.region_id != keep.region_id:
            raise ValueError(f"{other.name} and {keep.name} belong to different regions")
        for link_model in (MeasureLeadUnit, MeasureCooperatingUnit):
            for link in link_model.objects.filter(unit=other):
                if link_model.objects.filter(measure=link.measure, unit=keep).exists():
                    link.delete()
                else:
                    link.unit = keep
                    link.save(update_fields=["unit"])
        for area in Area.objects.filter(lead_units=other):
            area.lead_units.remove(other)
            area.lead_units.add(keep)
        for area in Area.objects.filter(cooperating_units=other):
            area.cooperating_units.remove(other)
            area.cooperating_units.add(keep)
        for campaign in Campaign.objects.filter(lead_units=other):
            campaign.lead_units.remove(other)
            campaign.lead_units.add(keep)
        Area.objects.filter(responsible_unit=other).update(responsible_unit=keep)
        other.users.update(unit=keep)
        UnitAlias.objects.filter(unit=other).update(unit=keep)
        name = other.name
        other.delete()
        UnitAlias.objects.get_or_create(region_id=keep.region_id, alias=name, defaults={"unit": keep})


def directory_lookup(region_id):
    """A printed name → the region's Unit (or None), for flagging names not in the directory — or None when
    the region has no unit directory yet, where every name would be flagged."""
    if not Unit.objects.filter(region=region_id).exists():
        return None
    return UnitResolver(region_id).find
