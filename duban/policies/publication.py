"""Which policies lack which companion material or publication; the weekly explanation's gaps; payout times.

口径 (what the figures mean):
- A reform policy needs the four materials (简本, 解读, 流程图, 办事指南), each published both on a
  department website and in the media (四（四）: "同步推出……在各部门网站和相关媒体上同时发布").
  A material is "missing" while it does not exist, "unpublished" while it lacks one of the two channels.
- Light per policy: green when nothing is missing; yellow while something is missing but the policy was
  issued less than GRACE_WORKDAYS working days ago; red after that. Non-reform policies need no materials.
- The weekly explanation: every week (Monday to Sunday) of the year up to the current one should have one
  policy explained. A past week without an explanation held is missed; the current week is due.
- Payout time: working days from application (or, without application, the day it became due) to payout,
  counted by the calendar engine (application day not counted).
"""

from __future__ import annotations

import datetime
import statistics
from dataclasses import dataclass, field

from django.db.models import Prefetch

from duban.calendar.workdays import add_workdays, workdays_between
from duban.core import clock

from .models import Explanation, Material, Payout, Policy, Publication

GRACE_WORKDAYS = 5
KINDS = list(Material.Kind)
# The plan's own words, for exports that are read in Chinese whatever the language of the page.
KIND_NAMES = {"summary": "简本", "interpretation": "解读", "flowchart": "流程图", "guide": "办事指南"}
CHANNELS = list(Publication.Channel)


@dataclass
class MaterialCell:
    kind: str
    material: Material | None
    channels: set = field(default_factory=set)

    @property
    def status(self):
        if self.material is None:
            return "missing"
        if set(CHANNELS) - self.channels:
            return "unpublished"
        return "ok"

    @property
    def missing_channels(self):
        return [c for c in CHANNELS if c not in self.channels]


@dataclass
class PolicyRow:
    policy: Policy
    cells: list
    light: str

    @property
    def missing(self):
        return [c for c in self.cells if c.status == "missing"]

    @property
    def unpublished(self):
        return [c for c in self.cells if c.status == "unpublished"]


def policy_rows(policies, today=None):
    today = today or clock.today()
    policies = policies.select_related("lead_unit").prefetch_related(
        Prefetch("materials", queryset=Material.objects.prefetch_related("publications")))
    rows = []
    for policy in policies:
        by_kind = {m.kind: m for m in policy.materials.all()}
        cells = []
        for kind in KINDS:
            material = by_kind.get(kind)
            channels = {p.channel for p in material.publications.all()} if material else set()
            cells.append(MaterialCell(kind, material, channels))
        lacking = policy.reform and any(c.status != "ok" for c in cells)
        if not lacking:
            light = "green"
        elif add_workdays(policy.issued_on, GRACE_WORKDAYS) >= today:
            light = "yellow"
        else:
            light = "red"
        rows.append(PolicyRow(policy, cells if policy.reform else [], light))
    return rows


def by_lead_unit(rows):
    """[(unit, rows, counts)] with counts of policies by light and of missing materials, worst unit first."""
    groups = {}
    for row in rows:
        groups.setdefault(row.policy.lead_unit, []).append(row)
    result = []
    for unit, unit_rows in groups.items():
        counts = {"policies": len(unit_rows), "red": sum(r.light == "red" for r in unit_rows),
                  "yellow": sum(r.light == "yellow" for r in unit_rows),
                  "missing": sum(len(r.missing) for r in unit_rows),
                  "unpublished": sum(len(r.unpublished) for r in unit_rows)}
        result.append((unit, unit_rows, counts))
    result.sort(key=lambda g: (-g[2]["red"], -g[2]["missing"], g[0].name))
    return result


@dataclass
class Week:
    monday: datetime.date
    explanation: Explanation | None
    status: str  # done, missed, due (this week, not yet), planned (future)


def monday_of(day):
    return day - datetime.timedelta(days=day.weekday())


def weekly_schedule(region_id, year, today=None):
    """Every week of `year` that has begun (and those planned ahead), with its explanation and status."""
    today = today or clock.today()
    start = monday_of(datetime.date(year, 1, 1))
    if start.year < year:
        start += datetime.timedelta(days=7)
    held = {e.week: e for e in Explanation.objects.filter(region=region_id, week__year=year).select_related("policy")}
    this_week = monday_of(today)
    weeks, monday = [], start
    while monday.year == year:
        explanation = held.get(monday)
        if explanation and explanation.held_on:
            status = "done"
        elif monday < this_week:
            status = "missed"
        elif monday == this_week:
            status = "due"
        elif explanation:
            status = "planned"
        else:
            monday += datetime.timedelta(days=7)
            continue
        weeks.append(Week(monday, explanation, status))
        monday += datetime.timedelta(days=7)
    return weeks


def payout_workdays(payout):
    if payout.paid_on is None:
        return None
    return workdays_between(payout.applied_on, payout.paid_on)


@dataclass
class PayoutFigures:
    policy: Policy
    by_mode: dict
    companies: int
    paid: int
    amount: float
    median_workdays: float | None
    max_workdays: int | None


def payout_figures(policies):
    result = []
    payouts = Payout.objects.filter(policy__in=policies).order_by("policy", "pk")
    grouped = {}
    for payout in payouts:
        grouped.setdefault(payout.policy_id, []).append(payout)
    for policy in policies:
        items = grouped.get(policy.pk, [])
        if not items:
            continue
        days = [d for d in (payout_workdays(p) for p in items) if d is not None]
        by_mode = {}
        for p in items:
            by_mode[p.get_mode_display()] = by_mode.get(p.get_mode_display(), 0) + 1
        paid = [p for p in items if p.paid_on]
        result.append(PayoutFigures(
            policy, by_mode, len({p.credit_code or p.company_name for p in items}), len(paid),
            float(sum(p.amount for p in paid)), statistics.median(days) if days else None,
            max(days) if days else None))
    return result


def published_policies(region_id):
    return Policy.objects.filter(region=region_id, public=True)
