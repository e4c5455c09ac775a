"""Drafting a dispatch meeting's agenda from live data.

The agenda starts with the open action items of the plan's earlier meetings,
then what needs the district's attention now. Each kind of problem comes from
a *source*: a function (meeting, today) → candidates. The plan ledger's lights
are built in; the progress, KPI and hotline apps add theirs with @source.
Re-drafting keeps what was decided and adds what is new.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from duban.calendar.lights import Light, annotate_measure_lights
from duban.core import clock
from duban.plans.models import Measure

from .models import ActionItem, AgendaItem

SOURCES = []


def source(func):
    SOURCES.append(func)
    return func


@dataclass
class Candidate:
    kind: str
    title: str
    source: str
    detail: str = ""
    area: object = None
    unit: object = None
    measure: object = None
    url: str = ""


def scoped_measures(meeting):
    measures = Measure.objects.filter(plan=meeting.plan)
    area_ids = list(meeting.areas.values_list("pk", flat=True))
    return measures.filter(area__in=area_ids) if area_ids else measures


def carried_over(meeting):
    earlier = (ActionItem.objects.select_related("measure__area", "owner_unit", "agenda_item__meeting")
               .filter(agenda_item__meeting__plan=meeting.plan, measure__completed_on=None)
               .filter(Q(agenda_item__meeting__held_on__lt=meeting.held_on)
                       | Q(agenda_item__meeting__held_on=meeting.held_on, agenda_item__meeting__pk__lt=meeting.pk)))
    for item in earlier:
        yield Candidate(
            kind=AgendaItem.Kind.CARRIED_OVER, title=item.measure.text[:300], source=f"action:{item.pk}",
            detail=f"{item.meeting.title}（{item.meeting.held_on:%Y-%m-%d}）议定，完成时限 {item.measure.deadline:%Y-%m-%d}",
            area=item.measure.area, unit=item.owner_unit, measure=item.measure,
            url=item.measure.get_absolute_url())


@source
def red_and_yellow_measures(meeting, today):
    measures = (annotate_measure_lights(scoped_measures(meeting), today)
                .filter(light__in=[Light.RED, Light.YELLOW], action_item=None)
                .select_related("area").prefetch_related("lead_links__unit").order_by("deadline", "position"))
    for measure in measures:
        red = measure.light == Light.RED
        units = [link.unit for link in measure.lead_links.all()]
        yield Candidate(
            kind=AgendaItem.Kind.RED if red else AgendaItem.Kind.YELLOW,
            title=f"{measure.label} {measure.text[:200]}", source=f"measure:{measure.pk}",
            detail=f"{'、'.join(u.name for u in units)}，完成时限 {measure.deadline:%Y-%m-%d}",
            area=measure.area, unit=units[0] if units else None, measure=measure, url=measure.get_absolute_url())


@transaction.atomic
def draft_agenda(meeting, today=None):
    """(Re)draft the agenda. Decided items stay; undecided drafted items that no longer apply go.

    Returns the number of items added.
    """
    today = today or clock.today()
    candidates = list(carried_over(meeting))
    for func in SOURCES:
        candidates += list(func(meeting, today))
    wanted = {c.source for c in candidates}
    meeting.agenda.filter(drafted=True, decision="", action_items=None).exclude(source__in=wanted).delete()
    existing = set(meeting.agenda.values_list("source", flat=True))
    position = (meeting.agenda.order_by("-position").values_list("position", flat=True).first() or 0)
    added = 0
    for candidate in candidates:
        if candidate.source in existing:
            continue
        position += 1
        AgendaItem.objects.create(
            meeting=meeting, position=position, kind=candidate.kind, title=candidate.title[:300],
            detail=candidate.detail, area=candidate.area, unit=candidate.unit, measure=candidate.measure,
            source=candidate.source, url=candidate.url, drafted=True)
        added += 1
    _order(meeting)
    return added


KIND_ORDER = [AgendaItem.Kind.CARRIED_OVER, AgendaItem.Kind.COORDINATION, AgendaItem.Kind.RED,
              AgendaItem.Kind.SUPERVISED_COMPLAINT, AgendaItem.Kind.KPI_MISSED, AgendaItem.Kind.RETURNED,
              AgendaItem.Kind.YELLOW, AgendaItem.Kind.OTHER]


def _order(meeting):
    """Carried-over items first, then the most pressing kinds; hand-added items keep their place at the end."""
    items = sorted(meeting.agenda.all(), key=lambda i: (KIND_ORDER.index(i.kind), i.position))
    for position, item in enumerate(items, start=1):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])


@dataclass
class Group:
    """The agenda items of one kind, with their figures: how many items and units, how many decided."""

    kind: str
    label: str
    rows: list
    units: int = 0
    decided: int = 0


def grouped(rows):
    """[(item, extra)] in agenda order → [Group] by kind (KIND_ORDER), each kind's items by unit."""
    labels = dict(AgendaItem.Kind.choices)
    by_kind = {}
    for row in rows:
        by_kind.setdefault(row[0].kind, []).append(row)
    groups = []
    for kind in sorted(by_kind, key=KIND_ORDER.index):
        items = sorted(by_kind[kind], key=lambda row: (row[0].unit.name if row[0].unit else "\uffff", row[0].position))
        groups.append(Group(kind, str(labels.get(kind, kind)), items,
                            units=len({row[0].unit_id for row in items if row[0].unit_id}),
                            decided=sum(1 for row in items if row[0].decision or row[0].action_items.all())))
    return groups


def summary(meeting, items):
    """The leader's one page: per kind its figures, and per unit how many items of each kind (busiest first)."""
    groups = grouped([(item, None) for item in items])
    kinds = [group.kind for group in groups]
    per_unit = {}
    for item in items:
        name = item.unit.name if item.unit else ""
        per_unit.setdefault(name, dict.fromkeys(kinds, 0))[item.kind] += 1
    units = sorted(((name, [counts[k] for k in kinds], sum(counts.values())) for name, counts in per_unit.items()),
                   key=lambda row: (-row[2], row[0] == "", row[0]))
    return {"groups": groups, "units": units}
