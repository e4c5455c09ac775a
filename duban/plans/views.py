"""Pages of the plan ledger: plans, areas, measures and units.

Every page needs a logged-in user (LoginRequiredMiddleware) and asks
duban.accounts.permissions for "plan.view": every role may read the ledger,
since it is a published document.
"""

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

from duban.accounts.permissions import can, get_in_region_or_404, require

from .filters import filter_measures
from .models import (
    Area, Campaign, Measure, MeasureCooperatingUnit, MeasureLeadUnit, Plan, Task, Unit,
)

MEASURES_PER_PAGE = 50


# The measure list's light column, given by the calendar app from its ready() (plans sits below it):
# MEASURE_LIGHTS["annotate"](queryset) adds `light`; MEASURE_LIGHTS["light"](value) gives the Light to show.
MEASURE_LIGHTS = {}


def with_units(measures):
    """Measures ready for a table: area, task and ordered lead units in a fixed number of queries."""
    lead_links = MeasureLeadUnit.objects.select_related("unit").order_by("position")
    return measures.select_related("plan", "area", "task").prefetch_related(Prefetch("lead_links", lead_links))


def group_by_kind(objects, kinds):
    """[(kind label, [objects])] in the order of the `kinds` choices, leaving out empty kinds."""
    groups = {kind: [] for kind in kinds}
    for obj in objects:
        groups[obj.kind].append(obj)
    return [(kind.label, items) for kind, items in groups.items() if items]


def plan_units(plan):
    """Every unit the plan names: for an area, a governance campaign or a measure."""
    return Unit.objects.filter(
        Q(pk__in=MeasureLeadUnit.objects.filter(measure__plan=plan).values("unit"))
        | Q(pk__in=MeasureCooperatingUnit.objects.filter(measure__plan=plan).values("unit"))
        | Q(pk__in=plan.areas.values("responsible_unit"))
        | Q(pk__in=Area.lead_units.through.objects.filter(area__plan=plan).values("unit"))
        | Q(pk__in=Area.cooperating_units.through.objects.filter(area__plan=plan).values("unit"))
        | Q(pk__in=Campaign.lead_units.through.objects.filter(campaign__area__plan=plan).values("unit"))
    )


def overview(request):
    require(request.user, "plan.view")
    plans = Plan.objects.visible_to(request.user).annotate(
        area_count=Count("areas", distinct=True), measure_count=Count("measures", distinct=True)
    ).order_by("-year", "title")  # Meta.ordering does not apply to aggregated querysets
    return render(request, "plans/overview.html", {"plans": plans, "can_import": can(request.user, "plan.import")})


def plan_detail(request, pk):
    require(request.user, "plan.view")
    plan = get_in_region_or_404(request.user, Plan, pk=pk)
    areas = (
        plan.areas.select_related("chief", "responsible_unit").prefetch_related("lead_units").annotate(measure_count=Count("measures")).order_by("position")
    )
    counts = {
        "areas": plan.areas.count(),
        "tasks": Task.objects.filter(area__plan=plan).count(),
        "measures": plan.measures.count(),
        "units": plan_units(plan).count(),
    }
    ctx = {"plan": plan, "groups": group_by_kind(areas, Area.Kind), "counts": counts}
    return render(request, "plans/plan_detail.html", ctx)


def area_detail(request, pk):
    require(request.user, "plan.view")
    area = get_in_region_or_404(request.user, Area.objects.select_related("plan", "chief", "responsible_unit"), pk=pk)
    tasks = area.tasks.prefetch_related(Prefetch("measures", with_units(Measure.objects.order_by("position"))))
    ctx = {
        "area": area,
        "plan": area.plan,
        "campaigns": area.campaigns.prefetch_related("lead_units"),
        "tasks": tasks,
        "loose_measures": with_units(area.measures.filter(task=None)),
    }
    return render(request, "plans/area_detail.html", ctx)


def measure_detail(request, pk):
    require(request.user, "plan.view")
    measure = get_in_region_or_404(request.user, Measure.objects.select_related("plan", "area__chief", "task"), pk=pk)
    ctx = {
        "measure": measure,
        "plan": measure.plan,
        "lead_units": measure.ordered_lead_units(),
        "cooperating_units": measure.ordered_cooperating_units(),
        "milestones": measure.milestones.all(),
    }
    return render(request, "plans/measure_detail.html", ctx)


def measure_list(request):
    require(request.user, "plan.view")
    form, measures = filter_measures(request.GET, user=request.user)
    if MEASURE_LIGHTS:
        measures = MEASURE_LIGHTS["annotate"](measures)
    page = Paginator(with_units(measures), MEASURES_PER_PAGE).get_page(request.GET.get("page"))
    for measure in page:
        measure.light_shown = MEASURE_LIGHTS["light"](measure.light) if MEASURE_LIGHTS else None
    ctx = {"form": form, "page": page, "total": Measure.objects.visible_to(request.user).count(),
           "show_light": bool(MEASURE_LIGHTS)}
    # htmx asks for the results only when the filter form or a page link targets them;
    # a history restore or a plain GET (JavaScript off, a bookmark) gets the whole page.
    partial = request.headers.get("HX-Target") == "results" and "HX-History-Restore-Request" not in request.headers
    template = "plans/_measure_results.html" if partial else "plans/measure_list.html"
    response = render(request, template, ctx)
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


def unit_list(request):
    require(request.user, "plan.view")
    units = Unit.objects.visible_to(request.user).prefetch_related("aliases").annotate(
        led_count=Count("led_measures", distinct=True), cooperating_count=Count("cooperating_measures", distinct=True)
    ).order_by("name")
    ctx = {"groups": group_by_kind(units, Unit.Kind), "unit_count": len(units)}
    return render(request, "plans/unit_list.html", ctx)


def unit_detail(request, pk):
    require(request.user, "plan.view")
    unit = get_in_region_or_404(request.user, Unit, pk=pk)
    areas = Area.objects.filter(Q(responsible_unit=unit) | Q(lead_units=unit) | Q(cooperating_units=unit))
    ctx = {
        "unit": unit,
        "aliases": unit.aliases.all(),
        "areas": areas.select_related("plan", "chief").distinct(),
        "led": with_units(Measure.objects.led_by(unit)),
        "cooperating": with_units(Measure.objects.filter(cooperating_units=unit)),
    }
    return render(request, "plans/unit_detail.html", ctx)
