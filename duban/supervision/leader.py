"""A district leader's page: the areas they lead on one printable A4 sheet.

Lights come from the plan ledger, the next meeting's open items from dispatch;
the KPI and hotline blocks come from leader_sections.py (@leader_section).
"""

from __future__ import annotations

from django.db.models import Q

from duban.calendar.lights import LightCounts, measure_light_counts
from duban.plans.models import Area, Measure

from .models import ActionItem, DispatchMeeting

LEADER_SECTIONS = []


def leader_section(func):
    """func(leader, areas, today) → {"title", "template", ...} or None."""
    LEADER_SECTIONS.append(func)
    return func


def led_areas(leader, plan=None):
    areas = Area.objects.filter(chief=leader).select_related("plan").order_by("plan", "position")
    return areas.filter(plan=plan) if plan else areas


def area_lights(areas, today):
    """[(area, LightCounts, [count per light in ORDER])] for a table (red first)."""
    counts = measure_light_counts("area", Measure.objects.filter(area__in=areas), today)
    rows = []
    for area in areas:
        area_counts = counts.get(area.pk, LightCounts())
        rows.append((area, area_counts, [n for _, n in area_counts.rows()]))
    return rows


def next_meeting_items(areas, today):
    plan_ids = {a.plan_id for a in areas}
    meeting = (DispatchMeeting.objects.filter(plan__in=plan_ids, held_on__gte=today)
               .filter(Q(areas__in=areas) | Q(areas=None)).order_by("held_on").distinct().first())
    open_items = (ActionItem.objects.filter(measure__area__in=areas, measure__completed_on=None)
                  .select_related("measure", "owner_unit", "agenda_item__meeting").order_by("measure__deadline"))
    return meeting, list(open_items)


def sections(leader, areas, today):
    return [s for s in (func(leader, areas, today) for func in LEADER_SECTIONS) if s]
