"""Read-only plan ledger: plans, areas and measures (filterable)."""

import datetime

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from duban.calendar.lights import Light, annotate_measure_lights
from duban.core import clock
from duban.plans.models import Area, Measure, Plan

from ..scoping import Id, Pages, measures_for, require_action

router = Router(tags=["plan ledger"])


class UnitOut(Schema):
    id: int
    name: str
    kind: str


class PlanOut(Schema):
    id: int
    year: int
    title: str
    document_number: str
    issuing_bodies: str
    issue_date: datetime.date | None
    missing_annexes: list[str]


class AreaOut(Schema):
    id: int
    plan_id: Id
    kind: str
    number: int | None
    name: str
    chief: str | None
    lead_units: list[UnitOut]
    cooperating_units: list[UnitOut]
    scope_text: str
    target_text: str

    @staticmethod
    def resolve_chief(obj):
        return obj.chief.name if obj.chief else None

    @staticmethod
    def resolve_lead_units(obj):
        return list(obj.lead_units.all())

    @staticmethod
    def resolve_cooperating_units(obj):
        return list(obj.cooperating_units.all())


class MilestoneOut(Schema):
    date: datetime.date
    text: str
    completed_on: datetime.date | None


class MeasureOut(Schema):
    id: int
    plan_id: Id
    area_id: Id
    area: str
    task_id: Id | None
    annex: int | None
    number: int | None
    label: str
    text: str
    lead_units: list[UnitOut]
    cooperating_units: list[UnitOut]
    scope_text: str
    deadline: datetime.date | None
    deadline_text: str
    deadline_year_only: bool
    completed_on: datetime.date | None
    light: str
    milestones: list[MilestoneOut]

    @staticmethod
    def resolve_area(obj):
        return obj.area.name

    @staticmethod
    def resolve_lead_units(obj):
        return [link.unit for link in obj.lead_links.all()]

    @staticmethod
    def resolve_cooperating_units(obj):
        return [link.unit for link in obj.cooperating_links.all()]

    @staticmethod
    def resolve_milestones(obj):
        return list(obj.milestones.all())


class MeasureFilters(Schema):
    plan: Id | None = None
    area: Id | None = None
    unit: Id | None = None
    leader: Id | None = None
    light: Light | None = None
    deadline_from: datetime.date | None = None
    deadline_to: datetime.date | None = None


def _measures(request):
    require_action(request, "plan.view")
    queryset = Measure.objects.select_related("area").prefetch_related(
        "lead_links__unit", "cooperating_links__unit", "milestones").order_by("plan", "area__position", "position")
    return annotate_measure_lights(measures_for(request, "plan.view", queryset), clock.today())


@router.get("/plans", response=list[PlanOut])
def list_plans(request):
    require_action(request, "plan.view")
    return Plan.objects.visible_to(request.user)


@router.get("/plans/{plan_id}", response=PlanOut)
def get_plan(request, plan_id: Id):
    require_action(request, "plan.view")
    return get_object_or_404(Plan.objects.visible_to(request.user), pk=plan_id)


@router.get("/areas", response=list[AreaOut])
def list_areas(request, plan: Id | None = None, kind: str | None = None):
    require_action(request, "plan.view")
    queryset = Area.objects.filter(plan__in=Plan.objects.visible_to(request.user)).select_related("chief").prefetch_related("lead_units", "cooperating_units")
    if plan:
        queryset = queryset.filter(plan=plan)
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset


@router.get("/measures", response=list[MeasureOut])
@paginate(Pages)
def list_measures(request, filters: Query[MeasureFilters]):
    queryset = _measures(request)
    if filters.plan:
        queryset = queryset.filter(plan=filters.plan)
    if filters.area:
        queryset = queryset.filter(area=filters.area)
    if filters.unit:
        queryset = queryset.filter(lead_units=filters.unit)
    if filters.leader:
        queryset = queryset.filter(area__chief=filters.leader)
    if filters.light:
        queryset = queryset.filter(light=filters.light.value)
    if filters.deadline_from:
        queryset = queryset.filter(deadline__gte=filters.deadline_from)
    if filters.deadline_to:
        queryset = queryset.filter(deadline__lte=filters.deadline_to)
    return queryset


@router.get("/measures/{measure_id}", response=MeasureOut)
def get_measure(request, measure_id: Id):
    return get_object_or_404(_measures(request), pk=measure_id)
