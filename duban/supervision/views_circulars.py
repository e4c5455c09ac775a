"""The supervision dashboard (units ranked for a period) and quarterly circulars."""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from duban.accounts.permissions import can, get_in_region_or_404, require
from duban.core import clock
from duban.plans.choice import chosen_plan

from .circulars import (
    CONTENT_TYPES,
    RENDERERS,
    CircularRefused,
    ConversionUnavailable,
    create_circular,
    current_circulars,
    issue_circular,
    pdf_unavailable,
)
from .figures import explain
from .models import Circular
from .statistics import Period, totals, unit_table


def current_quarter(today):
    return f"{today.year}Q{(today.month - 1) // 3 + 1}"


def dashboard(request):
    require(request.user, "supervision.view_statistics")
    plan = chosen_plan(request)
    today = clock.today()
    quarter = request.GET.get("quarter") or current_quarter(today)
    try:
        period = Period.quarter(quarter, today)
    except ValueError:
        raise Http404("no such quarter")
    columns, rows = unit_table(plan, period) if plan else ([], [])
    for column in columns:  # the heading's tooltip: what the figure counts, as of when
        column.explained = column.definition.text(period.start, period.end, period.as_of) if column.definition else ""
    return render(request, "supervision/dashboard.html", {
        "plan": plan, "quarter": quarter.upper(), "period": period, "columns": columns, "rows": rows,
        "totals": totals(columns, rows) if plan else {},
        "definitions": explain([c.key for c in columns], period.start, period.end, period.as_of),
        "circulars": current_circulars(plan)[:8] if plan else [],
        "can_circulate": can(request.user, "supervision.manage_circulars"),
        "form": CircularForm(initial={"quarter": quarter.upper()}),
    })


class CircularForm(forms.Form):
    quarter = forms.RegexField(label=gettext_lazy("Quarter"), regex=r"^\d{4}[Qq][1-4]$",
                               error_messages={"invalid": gettext_lazy("Write the quarter like 2023Q3.")})
    document_number = forms.CharField(label=gettext_lazy("Document number"), required=False, max_length=100,
                                      help_text=gettext_lazy("Empty: a new version keeps the previous one's."))
    reason = forms.CharField(label=gettext_lazy("Reason for a new version"), required=False, max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=gettext_lazy("Needed when the quarter's circular has been issued."))


@require_POST
def circular_create(request):
    require(request.user, "supervision.manage_circulars")
    plan = chosen_plan(request)
    form = CircularForm(request.POST)
    if plan is None or not form.is_valid():
        messages.error(request, _("Write the quarter like 2023Q3."))
        return redirect("supervision:dashboard")
    try:
        circular = create_circular(plan, form.cleaned_data["quarter"], user=request.user,
                                   document_number=form.cleaned_data["document_number"] or None,
                                   reason=form.cleaned_data["reason"])
    except CircularRefused as exc:
        messages.error(request, str(exc))
        return redirect(f"{reverse('supervision:dashboard')}?plan={plan.pk}&quarter={form.cleaned_data['quarter']}")
    if circular.version > 1:
        messages.success(request, _("Version %(version)s drafted; it supersedes version %(previous)s, which is kept.")
                         % {"version": circular.version, "previous": circular.version - 1})
    else:
        messages.success(request, _("Circular drafted. Review the next steps, then download it."))
    return redirect(circular)


class NextStepsForm(forms.ModelForm):
    class Meta:
        model = Circular
        fields = ["document_number", "next_steps"]
        widgets = {"next_steps": forms.Textarea(attrs={"rows": 6})}


def circular_detail(request, pk):
    require(request.user, "supervision.view_statistics")
    circular = get_in_region_or_404(request.user, Circular.objects.select_related("plan"), pk=pk)
    manage = can(request.user, "supervision.manage_circulars")
    editable = manage and circular.is_current and not circular.is_issued
    form = NextStepsForm(request.POST or None, instance=circular) if editable else None
    if request.method == "POST":
        require(request.user, "supervision.manage_circulars")
        if form is None:
            messages.error(request, _("An issued or superseded circular is frozen; draft a new version instead."))
            return redirect(circular)
        if form.is_valid():
            form.save()
            messages.success(request, _("Saved."))
            return redirect(circular)
    versions = Circular.objects.filter(plan=circular.plan_id, quarter=circular.quarter).order_by("-version")
    return render(request, "supervision/circular_detail.html", {
        "circular": circular, "data": circular.snapshot, "form": form, "versions": versions,
        "can_issue": manage and circular.is_current and not circular.is_issued,
        "redraft_form": CircularForm(initial={"quarter": circular.quarter}) if manage and circular.is_current else None,
        "pdf_unavailable": pdf_unavailable(),
    })


@require_POST
def circular_issue(request, pk):
    require(request.user, "supervision.manage_circulars")
    circular = get_in_region_or_404(request.user, Circular.objects.select_related("plan"), pk=pk)
    try:
        issue_circular(circular, request.user)
        messages.success(request, _("Marked issued; this version is now frozen."))
    except CircularRefused as exc:
        messages.error(request, str(exc))
    return redirect(circular)


def circular_download(request, pk, ext):
    require(request.user, "supervision.view_statistics")
    circular = get_in_region_or_404(request.user, Circular.objects.select_related("plan"), pk=pk)
    suffix = f".{ext}"
    if suffix not in RENDERERS:
        raise Http404
    try:
        content = RENDERERS[suffix](circular)
    except ConversionUnavailable as exc:
        messages.error(request, str(exc))
        return redirect(circular)
    response = HttpResponse(content, content_type=CONTENT_TYPES[suffix])
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''circular-{circular.quarter}{suffix}"
    return response
