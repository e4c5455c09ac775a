"""KPI pages: the district dashboard, an area's indicators, a metric's chart and values, and the
office's review of proposed targets. Access is decided in duban/kpi/permissions.py."""

from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duban.accounts.models import Role
from duban.accounts.permissions import can, get_in_region_or_404, require
from duban.core import clock, uploads
from duban.plans.choice import chosen_plan, narrow_choices, plans_for
from duban.plans.models import Area, Unit

from . import charts
from .attainment import AreaRollup, assess, ranked, roll_up
from .computed import SOURCES, side_by_side
from .forms import CorrectForm, ImportForm, MetricForm, ReportForm
from .models import Metric, MetricValue, Proposal
from .services import (
    confirm_proposal,
    correct_value,
    decide,
    metric_from_proposal,
    metrics_for,
    propose_metrics,
    report_value,
)
from .spreadsheet import SpreadsheetError, export_values, import_values

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def is_mine(user, metric):
    """The metrics a user answers for: their unit's, or those of the areas they lead."""
    if user.role in (Role.REPORTER, Role.UNIT_HEAD, Role.COOPERATOR):
        return bool(user.unit_id) and metric.owner_id == user.unit_id
    if user.role == Role.LEADER:
        return bool(user.leader_id) and metric.area is not None and metric.area.chief_id == user.leader_id
    return False


def dashboard(request):
    require(request.user, "kpi.view")
    plan = chosen_plan(request)
    context = {"plan": plan, "plans": plans_for(request.user)}
    if plan is None:
        return render(request, "kpi/dashboard.html", context)
    today = clock.today()
    rollups = roll_up(metrics_for(plan), today)
    plan_wide = rollups.pop(None, AreaRollup(None))
    # All the provincially evaluated indicators are ranked, those without a metric last.
    indicator_areas = plan.areas.filter(kind=Area.Kind.INDICATOR).select_related("chief").order_by("position")
    indicators = ranked([rollups.get(area.pk) or AreaRollup(area) for area in indicator_areas])
    others = ranked([r for r in rollups.values() if r.area.kind != Area.Kind.INDICATOR])
    everything = AreaRollup(None, [a for r in [plan_wide, *rollups.values()] for a in r.assessments])
    context.update({
        "today": today,
        "plan_wide": plan_wide.assessments,
        "indicators": indicators,
        "others": others,
        "totals": everything.status_counts,
        "metric_count": len(everything.assessments),
        "mine": [a for a in everything.assessments if is_mine(request.user, a.metric)],
        "ranking_chart": charts.ranking(indicators),
        "waiting": plan.metric_proposals.filter(status=Proposal.Status.PROPOSED).count()
        if can(request.user, "kpi.manage") else None,
    })
    return render(request, "kpi/dashboard.html", context)


def area_detail(request, pk):
    require(request.user, "kpi.view")
    area = get_in_region_or_404(request.user, Area.objects.select_related("plan", "chief"), pk=pk)
    today = clock.today()
    rollup = roll_up(metrics_for(area.plan).filter(area=area), today).get(area.pk, AreaRollup(area))
    context = {
        "area": area, "plan": area.plan, "rollup": rollup, "today": today,
        "gauge_chart": charts.gauge(rollup), "bars_chart": charts.metric_bars(rollup.assessments),
        "may_manage": can(request.user, "kpi.manage"),
    }
    return render(request, "kpi/area_detail.html", context)


def metric_page(request, metric, report_form=None, status=200):
    today = clock.today()
    values = list(metric.values.order_by("period_end").prefetch_related("revisions__by").select_related(
        "reported_by", "corrected_by"))
    assessment = assess(metric, values, today)
    computed = side_by_side(metric, values, today)
    user = request.user
    if report_form is None and can(user, "kpi.report", metric):
        report_form = ReportForm(metric=metric)
    conflicts = []
    if metric.proposal_id:
        conflicts = metric.proposal.conflicts.select_related("area", "measure", "task", "metric")
    context = {
        "metric": metric, "plan": metric.plan, "values": values, "assessment": assessment, "today": today,
        "report_form": report_form, "conflicts": conflicts, "line_chart": charts.line(metric, values),
        "may_correct": can(user, "kpi.correct"), "may_manage": can(user, "kpi.manage"),
        "computed": computed, "source": SOURCES.get(metric.computed_from),
    }
    return render(request, "kpi/metric_detail.html", context, status=status)


def get_metric(request, pk):
    return get_in_region_or_404(request.user, Metric.objects.select_related("plan", "area", "area__chief", "owner", "proposal"), pk=pk)


def metric_detail(request, pk):
    require(request.user, "kpi.view")
    return metric_page(request, get_metric(request, pk))


@require_POST
def metric_report(request, pk):
    metric = get_metric(request, pk)
    require(request.user, "kpi.report", metric)
    form = ReportForm(request.POST, request.FILES, metric=metric)
    if form.is_valid():
        data = form.cleaned_data
        existing = metric.values.filter(period=data["period"].label).first()
        if existing is not None and existing.is_corrected and not can(request.user, "kpi.correct"):
            form.add_error("period", _("The office has corrected this value; ask the office to change it."))
        else:
            report_value(metric, request.user, data["period"], data["value"], data["note"], data["evidence"])
            messages.success(request, _("Value for %(period)s saved.") % {"period": data["period"].label})
            return redirect(metric)
    return metric_page(request, metric, report_form=form, status=400)


def value_correct(request, pk):
    require(request.user, "kpi.correct")
    entry = get_in_region_or_404(request.user, MetricValue.objects.select_related("metric__plan", "metric__area"), pk=pk)
    form = CorrectForm(request.POST or None, initial={"value": entry.value})
    if request.method == "POST" and form.is_valid():
        correct_value(entry, request.user, form.cleaned_data["value"], form.cleaned_data["reason"])
        messages.success(request, _("Value for %(period)s corrected.") % {"period": entry.period})
        return redirect(entry.metric)
    return render(request, "kpi/value_correct.html", {"entry": entry, "metric": entry.metric, "form": form},
                  status=400 if request.method == "POST" else 200)


def value_evidence(request, pk):
    entry = get_in_region_or_404(request.user, MetricValue.objects.select_related("metric"), pk=pk)
    require(request.user, "kpi.view", entry.metric)
    if not entry.evidence:
        raise Http404
    return uploads.serve_file(entry.evidence.name, entry.evidence.name.rsplit("/", 1)[-1])


# The office: proposals and metrics --------------------------------------------------------------


def proposal_list(request):
    require(request.user, "kpi.manage")
    plan = chosen_plan(request)
    if plan is None:
        return render(request, "kpi/proposal_list.html", {"plan": None})
    if request.method == "POST":
        counts = propose_metrics(plan)
        messages.success(request, _(
            "Read the plan again: %(found)s targets found, %(created)s new, %(removed)s no longer found."
        ) % counts)
        return redirect(f"{request.path}?plan={plan.pk}")
    status = request.GET.get("status", Proposal.Status.PROPOSED)
    proposals = plan.metric_proposals.select_related("area", "measure", "task", "metric").prefetch_related(
        "conflicts__area")
    counts = dict(proposals.values_list("status").annotate(n=Count("pk")).order_by())
    if status in Proposal.Status.values:
        proposals = proposals.filter(status=status)
    proposals = proposals.order_by("position", "pk")  # proposals of one sentence share a position
    context = {
        "plan": plan, "plans": plans_for(request.user), "proposals": proposals, "status": status,
        "tabs": [(s.value, s.label, counts.get(s.value, 0)) for s in Proposal.Status]
        + [("all", _("all"), sum(counts.values()))],
    }
    return render(request, "kpi/proposal_list.html", context)


def proposal_confirm(request, pk):
    require(request.user, "kpi.manage")
    proposal = get_in_region_or_404(request.user, Proposal.objects.select_related("plan", "area", "measure", "task"), pk=pk)
    if hasattr(proposal, "metric"):
        return redirect(proposal.metric)
    form = narrow_choices(MetricForm(request.POST or None, instance=metric_from_proposal(proposal), plan=proposal.plan), request.user)
    if request.method == "POST" and form.is_valid():
        metric = confirm_proposal(proposal, form.save(commit=False), request.user)
        messages.success(request, _("Metric “%(name)s” confirmed.") % {"name": metric.name})
        return redirect(metric)
    return render_metric_form(request, form, proposal.plan, proposal=proposal)


@require_POST
def proposal_decide(request, pk, action):
    require(request.user, "kpi.manage")
    proposal = get_in_region_or_404(request.user, Proposal, pk=pk)
    if hasattr(proposal, "metric"):
        messages.error(request, _("This proposal is a metric now; edit or delete the metric instead."))
    else:
        decide(proposal, Proposal.Status.DISCARDED if action == "discard" else Proposal.Status.PROPOSED, request.user)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = f"{reverse('kpi:proposal_list')}?plan={proposal.plan_id}"
    return redirect(target)


def metric_new(request):
    require(request.user, "kpi.manage")
    plan = chosen_plan(request)
    if plan is None:
        raise Http404
    initial = {"area": request.GET.get("area"), "due": f"{plan.year}-12-31"}
    form = narrow_choices(MetricForm(request.POST or None, initial=initial, plan=plan), request.user)
    if request.method == "POST" and form.is_valid():
        metric = form.save()
        messages.success(request, _("Metric “%(name)s” created.") % {"name": metric.name})
        return redirect(metric)
    return render_metric_form(request, form, plan)


def metric_edit(request, pk):
    require(request.user, "kpi.manage")
    metric = get_metric(request, pk)
    form = narrow_choices(MetricForm(request.POST or None, instance=metric, plan=metric.plan), request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Metric “%(name)s” saved.") % {"name": metric.name})
        return redirect(metric)
    return render_metric_form(request, form, metric.plan, metric=metric)


@require_POST
def metric_delete(request, pk):
    """Only a metric nobody has reported on yet; its proposal goes back to the review list."""
    require(request.user, "kpi.manage")
    metric = get_metric(request, pk)
    if metric.values.exists():
        messages.error(request, _("Values have been reported for this metric; it cannot be deleted."))
        return redirect(metric)
    proposal, plan_id = metric.proposal, metric.plan_id
    metric.delete()
    if proposal is not None:
        decide(proposal, Proposal.Status.PROPOSED, request.user)
    messages.success(request, _("Metric deleted."))
    return redirect(f"{reverse('kpi:proposal_list')}?plan={plan_id}")


def render_metric_form(request, form, plan, metric=None, proposal=None):
    context = {"form": form, "plan": plan, "metric": metric, "proposal": proposal}
    return render(request, "kpi/metric_form.html", context, status=400 if form.is_bound else 200)


# Spreadsheets -----------------------------------------------------------------------------------


def values_import(request):
    require(request.user, "kpi.import")
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = import_values(data["file"], request.user, dry_run=data["dry_run"], reason=data["reason"])
        except SpreadsheetError as error:
            form.add_error("file", str(error))
        else:
            if result.saved:
                messages.success(request, _("Imported: %(created)s new, %(changed)s changed, %(corrected)s corrected, "
                                            "%(unchanged)s unchanged.") % result.summary)
    status = 400 if (form.errors or (result and result.errors)) else 200
    return render(request, "kpi/import.html", {"form": form, "result": result}, status=status)


def values_export(request):
    require(request.user, "kpi.export")
    plan = chosen_plan(request)
    if plan is None:
        raise Http404
    metrics = metrics_for(plan)
    unit_id = request.GET.get("unit")
    if unit_id:
        if not unit_id.isdigit():
            raise Http404
        metrics = metrics.filter(owner=get_in_region_or_404(request.user, Unit, pk=unit_id))
    response = HttpResponse(export_values(metrics, clock.today()), content_type=XLSX)
    suffix = f"-unit{unit_id}" if unit_id else ""
    response["Content-Disposition"] = f'attachment; filename="kpi-values-{plan.year}-plan{plan.pk}{suffix}.xlsx"'
    return response

