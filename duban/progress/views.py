"""Pages of progress reporting: ledgers, the office's matrix, rounds, reports and their files.

Every view asks duban.accounts.permissions: `require` answers 403 for an
action the role never has and 404 for an object outside the user's reach.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from duban.accounts.permissions import can, get_in_region_or_404, require, scope_measures
from duban.calendar.lights import measure_light
from duban.core import clock
from duban.core.uploads import serve_file
from duban.plans.choice import narrow_choices, plans_for
from duban.plans.models import MeasureCooperatingUnit, MeasureLeadUnit, Unit

from . import exporters, services
from .compare import compare_versions
from .forms import AutosaveForm, ContributionForm, ReportForm, ReviewForm, RoundForm, next_bimonthly_month
from .ledger import Ledger, count_by_report, ledger_summary, matrix, unit_ledger
from .models import EditConflict, Evidence, ProgressReport, ReportingRound, Submission, TransitionError

REPORTS_PER_PAGE = 100


def _plan_from(request):
    plans = plans_for(request.user)
    plan_id = request.GET.get("plan", "")
    plan = plans.filter(pk=plan_id).first() if plan_id.isdigit() else None
    return plan or plans.first(), plans


def home(request):
    """Where "Progress" leads: the office and leaders to the matrix, unit staff to their ledger."""
    user = request.user
    if can(user, "progress.view_matrix"):
        return redirect("progress:matrix")
    if user.unit_id and can(user, "progress.view_ledger", Ledger(user.unit)):
        return redirect("progress:unit_ledger", user.unit_id)
    raise PermissionDenied


# ------------------------------------------------------------------ ledgers


def unit_ledger_view(request, pk):
    require(request.user, "progress.view_ledger")
    unit = get_in_region_or_404(request.user, Unit, pk=pk)
    require(request.user, "progress.view_ledger", Ledger(unit))
    today = clock.today()
    ledger = unit_ledger(unit, request.user, today)
    ctx = {
        "unit": unit,
        "led": ledger["led"],
        "cooperating": ledger["cooperating"],
        "summary": ledger_summary(ledger["led"]),
        "today": today,
        "is_head": can(request.user, "progress.submit_report") and request.user.unit_id == unit.pk,
        "Status": ProgressReport.Status,
        "Submission": Submission,
    }
    return render(request, "progress/unit_ledger.html", ctx)


def matrix_view(request):
    require(request.user, "progress.view_matrix")
    plan, plans = _plan_from(request)
    result = matrix(plan, request.user) if plan else None
    ctx = {
        "plan": plan,
        "plans": plans,
        "matrix": result,
        "can_open": can(request.user, "progress.open_round"),
        "Submission": Submission,
        "today": clock.today(),
    }
    return render(request, "progress/matrix.html", ctx)


@require_GET
def export_unit(request, pk):
    require(request.user, "progress.export_ledger")
    unit = get_in_region_or_404(request.user, Unit, pk=pk)
    require(request.user, "progress.export_ledger", Ledger(unit))
    measures = scope_measures(request.user, "progress.export_ledger", unit.led_measures.all())
    return _xlsx(exporters.export_progress_xlsx(measures, title=unit.name), exporters.filename(unit.name))


@require_GET
def export_district(request):
    require(request.user, "progress.view_matrix")
    plan, _plans = _plan_from(request)
    if plan is None:
        raise Http404
    measures = scope_measures(request.user, "progress.view_matrix", plan.measures.all())
    title = plan.document_number or plan.title
    return _xlsx(exporters.export_progress_xlsx(measures, title=plan.title), exporters.filename(title))


def _xlsx(content, filename):
    response = HttpResponse(content, content_type=exporters.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = exporters.content_disposition(filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ------------------------------------------------------------------- rounds


def round_open(request):
    require(request.user, "progress.open_round")
    if request.method == "POST":
        form = narrow_choices(RoundForm(request.POST), request.user)
        if form.is_valid():
            data = form.cleaned_data
            round_ = services.open_round(
                data["plan"], data["kind"], data["month"], opened_by=request.user,
                due_workdays=data["due_workdays"], title=data["title"], instructions=data["instructions"],
            )
            messages.success(request, _("%(title)s is open: %(count)s measures are due a report by %(due)s.") % {
                "title": round_.title, "count": round_.reports.count(), "due": round_.due_on.isoformat()})
            return redirect(round_)
    else:
        plan, _plans = _plan_from(request)
        month = next_bimonthly_month(plan, clock.today()) if plan else None
        form = narrow_choices(RoundForm(initial={"plan": plan, "kind": ReportingRound.Kind.BIMONTHLY,
                                                 "month": month.strftime("%Y-%m") if month else ""}), request.user)
    return render(request, "progress/round_open.html", {"form": form})


def round_detail(request, pk):
    require(request.user, "progress.view_report")
    round_ = get_in_region_or_404(request.user, ReportingRound.objects.select_related("plan", "opened_by"), pk=pk)
    require(request.user, "progress.view_report", round_)
    today = clock.today()
    reports = scope_measures(request.user, "progress.view_report", round_.reports.all(), prefix="measure__")
    units = Unit.objects.filter(pk__in=MeasureLeadUnit.objects.filter(
        measure__in=reports.values("measure")).values("unit")).order_by("kind", "name")
    unit_id = request.GET.get("unit", "")
    if unit_id.isdigit():
        reports = reports.filter(measure__lead_links__unit=unit_id)
    state = request.GET.get("state", "")
    reports = reports.with_submission(today)
    if state in Submission.values:
        reports = reports.filter(submission=state)
    elif state == "review":
        reports = reports.filter(status=ProgressReport.Status.SUBMITTED)
    if request.GET.get("coordination"):
        reports = reports.filter(needs_coordination=True)
    reports = reports.select_related("measure__area").prefetch_related(
        Prefetch("measure__lead_links", MeasureLeadUnit.objects.select_related("unit").order_by("position"))
    ).order_by("measure__annex", "measure__area__position", "measure__position")
    page = Paginator(reports, REPORTS_PER_PAGE).get_page(request.GET.get("page"))
    label_rows(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    ctx = {
        "round": round_, "page": page, "reports": page.object_list, "query": query.urlencode(), "units": units, "unit_id": unit_id, "state": state,
        "coordination": bool(request.GET.get("coordination")), "Submission": Submission, "today": today,
        "states": [("review", _("awaiting review"))] + list(Submission.choices),
    }
    return render(request, "progress/round_detail.html", ctx)


def label_rows(reports):
    """Give each report of a long list its URL and labels, worked out once rather than in every cell."""
    statuses, progress = dict(ProgressReport.Status.choices), dict(ProgressReport.Progress.choices)
    submissions = {key: str(label) for key, label in Submission.choices}
    reports = list(reports)
    # Counted for this page only: an annotation would group every report of the round before paging.
    evidence = count_by_report(Evidence, [r.pk for r in reports], removed_at__isnull=True)
    for report in reports:
        report.evidence_count = evidence.get(report.pk, 0)
        report.url = report.get_absolute_url()
        report.status_label = str(statuses[report.status])
        report.progress_label = str(progress.get(report.progress, ""))
        report.submission_label = submissions[report.submission] if report.submission != Submission.RETURNED else ""
        report.lead_names = "、".join(link.unit.name for link in report.measure.lead_links.all())


# ------------------------------------------------------------------ reports


def _report(request, pk, action):
    require(request.user, action)
    report = get_in_region_or_404(request.user,
        ProgressReport.objects.select_related("round__plan", "measure__plan", "measure__area__chief", "measure__task",
                                              "edited_by", "submitted_by", "reviewed_by"),
        pk=pk,
    )
    require(request.user, action, report)
    return report


def _last_submitted(report):
    """The report as last submitted (an unsaved copy with that version's content), or None."""
    version = report.versions.order_by("-number").first()
    if version is None:
        return None
    fields = {name: version.data.get(name) for name in ProgressReport.CONTENT_FIELDS if name in version.data}
    return ProgressReport(measure=report.measure, round=report.round, **fields)


def report_detail(request, pk):
    report = _report(request, pk, "progress.view_report")
    user = request.user
    measure = report.measure
    contributions = list(report.contributions.select_related("unit", "author"))
    own = next((c for c in contributions if c.unit_id == user.unit_id), None)
    cooperates = bool(user.unit_id) and MeasureCooperatingUnit.objects.filter(measure=measure, unit=user.unit_id).exists()
    # Until the unit submits it, its draft is the unit's own: others (cooperating units, the leader, the office)
    # read the last submitted version, as on the compare page.
    draft_hidden = report.is_editable and not can(user, "progress.edit_report", report)
    ctx = {
        "report": report,
        "draft_hidden": draft_hidden,
        "shown": _last_submitted(report) if draft_hidden else report,
        "measure": measure,
        "light": measure_light(measure, clock.today()),
        "lead_units": measure.ordered_lead_units(),
        "cooperating_units": measure.ordered_cooperating_units(),
        "evidence": [] if draft_hidden else report.evidence.current().select_related("uploaded_by"),
        "contributions": contributions,
        "versions": report.versions.select_related("submitted_by", "reviewed_by").order_by("-number"),
        "can_edit": report.is_editable and can(user, "progress.edit_report", report),
        "can_submit": report.is_editable and can(user, "progress.submit_report", report),
        "can_review": report.status == ProgressReport.Status.SUBMITTED and can(user, "progress.review_report", report),
        "can_contribute": cooperates and report.status != ProgressReport.Status.ACCEPTED
        and can(user, "progress.contribute", report),
        "contribution_form": ContributionForm(initial={"text": own.text if own else ""}),
        "review_form": ReviewForm(),
        "problems": report.submission_problems(report.evidence.current().count()) if report.is_editable else [],
        "submission": report.submission(clock.today()),
        "Status": ProgressReport.Status,
        "Submission": Submission,
    }
    return render(request, "progress/report_detail.html", ctx)


def _conflict_rows(form, saved):
    """[(label, saved value, your value)] for every field that differs, as people read them."""
    rows = []
    for name in ProgressReport.CONTENT_FIELDS:
        field = ProgressReport._meta.get_field(name)
        mine = form.cleaned_data.get(name)
        theirs = getattr(saved, name)
        if mine != theirs:
            rows.append((capfirst(field.verbose_name), _display(field, theirs), _display(field, mine)))
    return rows


def _display(field, value):
    if field.choices:
        return dict(field.flatchoices).get(value, value) or "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return value if value not in (None, "") else "—"


def report_edit(request, pk):
    report = _report(request, pk, "progress.edit_report")
    if not report.is_editable:
        messages.error(request, _("This report is %(status)s and can no longer be edited.")
                       % {"status": report.get_status_display()})
        return redirect(report)
    conflict = None
    if request.method == "POST":
        form = ReportForm(request.POST, request.FILES, instance=report)
        if form.is_valid():
            files = form.cleaned_data["evidence"]
            try:
                for upload in files:
                    services.add_evidence(report, request.user, upload)
                services.save_draft(report, request.user, form.content(), form.cleaned_data["version"])
            except TransitionError as exc:
                # The head submitted it (or the office reviewed it) while this form was open.
                messages.error(request, " ".join(exc.messages))
                return redirect(report)
            except EditConflict as exc:
                saved = exc.report
                conflict = {"report": saved, "rows": _conflict_rows(form, saved), "files": len(files)}
                data = request.POST.copy()
                data["version"] = saved.version  # saving again now overwrites, knowingly
                form = ReportForm(data, instance=saved)
                report = saved
            else:
                messages.success(request, _("Draft saved.") + (
                    " " + _("%(count)s file(s) attached.") % {"count": len(files)} if files else ""))
                if "and_view" in request.POST:
                    return redirect(report)
                return redirect("progress:report_edit", report.pk)
    else:
        form = ReportForm(instance=report, initial={"version": report.version})
    ctx = {
        "report": report,
        "measure": report.measure,
        "form": form,
        "conflict": conflict,
        "evidence": report.evidence.current().select_related("uploaded_by"),
    }
    return render(request, "progress/report_edit.html", ctx, status=409 if conflict else 200)


@require_POST
def report_autosave(request, pk):
    """htmx: save the text while it is typed; answer with a status line and the new version number."""
    report = _report(request, pk, "progress.edit_report")
    form = AutosaveForm(request.POST, instance=report)
    ctx = {"report": report, "now": clock.now()}
    if not form.is_valid():
        ctx["error"] = _("Not saved: %(errors)s") % {
            "errors": " ".join(str(e) for errors in form.errors.values() for e in errors)}
        return render(request, "progress/_autosave.html", ctx)
    try:
        report = services.save_draft(report, request.user, form.content(), form.cleaned_data["version"])
    except EditConflict as exc:
        ctx["conflict"] = exc.report
    except TransitionError as exc:
        ctx["error"] = " ".join(exc.messages)
    else:
        ctx["saved"] = True
        ctx["report"] = report
    return render(request, "progress/_autosave.html", ctx)


@require_POST
def report_request_approval(request, pk):
    report = _report(request, pk, "progress.edit_report")
    try:
        sent = services.request_approval(report, request.user)
    except TransitionError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if sent:
            messages.success(request, _("The unit head has been asked to check and submit the report."))
        else:
            messages.info(request, _("The unit head has already been asked about this version, or your unit has no head in Duban."))
    return redirect(report)


@require_POST
def report_submit(request, pk):
    report = _report(request, pk, "progress.submit_report")
    try:
        version = services.submit(report, request.user)
    except TransitionError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Version %(number)s submitted to %(office)s.") % {
            "number": version.number, "office": request.user.region.office_short_name})
    return redirect(report)


@require_POST
def report_review(request, pk):
    report = _report(request, pk, "progress.review_report")
    form = ReviewForm(request.POST)
    form.is_valid()
    comment = form.cleaned_data.get("comment", "")
    try:
        if request.POST.get("decision") == "accept":
            services.accept(report, request.user, comment)
            messages.success(request, _("Report accepted."))
        elif request.POST.get("decision") == "return":
            services.return_for_correction(report, request.user, comment)
            messages.success(request, _("Report returned to the unit with your comment."))
        else:
            messages.error(request, _("Choose to accept or to return the report."))
    except TransitionError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect(report)


@require_GET
def report_compare(request, pk):
    report = _report(request, pk, "progress.view_report")
    versions = list(report.versions.select_related("submitted_by", "reviewed_by").order_by("number"))
    can_see_draft = can(request.user, "progress.edit_report", report)
    result = compare_versions(report, versions, request.GET.get("a"), request.GET.get("b"), include_draft=can_see_draft)
    if result is None:
        raise Http404
    ctx = {"report": report, "measure": report.measure, "versions": versions, "can_see_draft": can_see_draft, **result}
    return render(request, "progress/report_compare.html", ctx)


@require_POST
def contribution_save(request, pk):
    report = _report(request, pk, "progress.contribute")
    form = ContributionForm(request.POST)
    form.is_valid()
    try:
        saved = services.save_contribution(report, request.user, form.cleaned_data.get("text", ""))
    except TransitionError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Your unit's contribution is saved.") if saved else _("Your unit's contribution is removed."))
    return redirect(report)


# ----------------------------------------------------------------- evidence


@require_GET
def evidence_download(request, pk):
    require(request.user, "progress.download_evidence")
    evidence = get_in_region_or_404(request.user, Evidence.objects.select_related("report"), pk=pk)
    require(request.user, "progress.download_evidence", evidence)
    response = serve_file(evidence.file.name, evidence.original_name, evidence.content_type)
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def evidence_remove(request, pk):
    require(request.user, "progress.edit_report")
    evidence = get_in_region_or_404(request.user, Evidence.objects.select_related("report"), pk=pk, removed_at__isnull=True)
    require(request.user, "progress.edit_report", evidence)
    try:
        services.remove_evidence(evidence, request.user)
    except TransitionError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(name)s removed from the report.") % {"name": evidence.original_name})
    return redirect(reverse("progress:report_edit", args=[evidence.report_id]))
