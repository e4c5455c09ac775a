"""The visits' pages: the cadre's phone form and lists, a problem's page (answer, tell the company),
coverage, and the office's visit plan with its Excel import."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Case, Count, Max, When
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from duban.accounts.permissions import can, get_in_region_or_404, require, scope_for
from duban.core import clock

from . import coverage as coverage_figures
from . import plan_import, services
from .forms import AnswerForm, PlanImportForm, ProblemFormSet, TellForm, VisitForm
from .models import OWN, Problem, Visit, VisitAssignment
from .permissions import assignment_scope_q, scope_problems, scope_visits


def home(request):
    """The cadre's page (his companies, visits and problems), or the office's overview."""
    require(request.user, "visits.view")
    visits = scope_visits(request.user).select_related("company", "cadre").annotate(
        problem_count=Count("problems")).order_by("-visited_on", "-pk")
    page = Paginator(visits, 30).get_page(request.GET.get("page"))
    companies = None
    if scope_for(request.user, "visits.view") == OWN:
        companies = (VisitAssignment.objects.filter(cadre=request.user, year=clock.today().year)
                     .select_related("company").annotate(last_visit=Max("company__visits__visited_on"))
                     .order_by("company__name"))
    return render(request, "visits/home.html", {
        "page": page, "companies": companies, "nav": "visits",
        "may_record": can(request.user, "visits.record")})


def _problem_formset(request, data=None):
    if data is not None and "add_problem" in data:
        data = data.copy()
        data["problems-TOTAL_FORMS"] = str(min(int(data.get("problems-TOTAL_FORMS") or 1) + 1, 10))
    return ProblemFormSet(data, prefix="problems", user=request.user)


def visit_new(request):
    require(request.user, "visits.record")
    form = VisitForm(request.POST or None, user=request.user)
    formset = _problem_formset(request, request.POST if request.method == "POST" else None)
    if request.method == "POST" and "add_problem" not in request.POST and form.is_valid() and formset.is_valid():
        d = form.cleaned_data
        problems = [services.ProblemInput(category=f.cleaned_data["category"],
                                          description=f.cleaned_data["description"], unit=f.cleaned_data["unit"],
                                          solved_on_spot=f.cleaned_data["solved_on_spot"],
                                          difficulty=f.cleaned_data["difficulty"])
                    for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        cadre = request.user
        if request.user.is_office:
            assignment = VisitAssignment.objects.filter(company=d["company"], year=d["visited_on"].year).first()
            cadre = assignment.cadre if assignment else request.user
        visit = services.record_visit(cadre=cadre, company=d["company"], visited_on=d["visited_on"],
                                      people_met=d["people_met"], policies=d["policies"], notes=d["notes"],
                                      problems=problems, form_token=d["form_token"] or None)
        routed = sum(1 for p in problems if not p.solved_on_spot)
        messages.success(request, _("Visit recorded; %(n)d problems sent to their units.") % {"n": routed})
        return redirect(visit)
    return render(request, "visits/visit_form.html", {"form": form, "formset": formset, "nav": "new"})


def visit_detail(request, pk):
    visit = get_in_region_or_404(request.user, Visit.objects.select_related("company", "cadre"), pk=pk)
    require(request.user, "visits.view", visit)
    # A unit sees the problems routed to it; the cadre and the office every problem of the visit.
    problems = scope_problems(request.user, queryset=visit.problems.select_related("unit"))
    return render(request, "visits/visit_detail.html", {
        "visit": visit, "problems": problems, "policies": visit.policies.all(), "nav": "visits"})


class ProblemFilter(forms.Form):
    state = forms.ChoiceField(label=gettext_lazy("State"), required=False,
                              choices=[("", gettext_lazy("All"))] + Problem.State.choices)
    supervised = forms.BooleanField(label=gettext_lazy("Supervised cases only"), required=False)


def problem_list(request):
    require(request.user, "visits.view")
    problems = scope_problems(request.user).select_related("visit__company", "unit")
    form = ProblemFilter(request.GET)
    if form.is_valid():
        if form.cleaned_data["state"]:
            problems = problems.filter(state=form.cleaned_data["state"])
        if form.cleaned_data["supervised"]:
            problems = problems.filter(supervised_at__isnull=False)
    problems = problems.order_by(Case(When(state=Problem.State.ROUTED, then=0), default=1), "reply_due", "-raised_at",
                                 "-pk")
    page = Paginator(problems, 50).get_page(request.GET.get("page"))
    return render(request, "visits/problem_list.html", {"page": page, "form": form, "now": clock.now(),
                                                        "nav": "problems"})


def problem_detail(request, pk):
    problem = get_in_region_or_404(request.user, Problem.objects.select_related("visit__company", "visit__cadre",
                                                                               "unit", "answered_by", "told_by"), pk=pk)
    require(request.user, "visits.view", problem)
    return render(request, "visits/problem_detail.html", {
        "problem": problem, "events": problem.events.select_related("actor"), "now": clock.now(),
        "answer_form": AnswerForm() if problem.is_open and can(request.user, "visits.answer_problem", problem)
        else None,
        "tell_form": TellForm() if problem.state == Problem.State.ANSWERED
        and can(request.user, "visits.tell_company", problem) else None,
        "nav": "problems"})


STEPS = {"answer": ("visits.answer_problem", AnswerForm), "tell": ("visits.tell_company", TellForm)}


@require_POST
def problem_step(request, pk, name):
    if name not in STEPS:
        raise Http404
    action, form_class = STEPS[name]
    problem = get_in_region_or_404(request.user, Problem.objects.select_related("visit"), pk=pk)
    require(request.user, action, problem)
    form = form_class(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(problem)
    try:
        if name == "answer":
            services.answer(problem, request.user, form.cleaned_data["answer"])
            messages.success(request, _("Answer sent; the cadre will tell the company."))
        else:
            services.tell_company(problem, request.user, form.cleaned_data["note"])
            messages.success(request, _("Recorded: the company has been told."))
    except services.NotAllowed as exc:
        messages.error(request, str(exc))
    return redirect(problem)


SHOWN = 200  # companies not visited listed on the page; the heading counts them all


def coverage(request):
    require(request.user, "visits.coverage")
    today = clock.today()
    try:
        year = int(request.GET.get("year") or today.year)
        months = int(request.GET.get("months") or 3)
    except ValueError:
        year, months = today.year, 3
    year = year if 2000 <= year <= 2199 else today.year
    months = min(max(months, 1), 24)
    scope = scope_for(request.user, "visits.coverage")
    assignments = VisitAssignment.objects.filter(assignment_scope_q(request.user, scope))
    tables = [(label, *coverage_figures.coverage(assignments, year, by)) for by, label in (
        ("cadre", _("Per cadre")), ("unit", _("Per unit")), ("street", _("Per street")))]
    if scope == OWN:
        tables = tables[:1]
    not_visited = coverage_figures.not_visited(assignments, year, months, today)
    return render(request, "visits/coverage.html", {
        "tables": tables, "year": year, "months": months, "not_visited": not_visited,
        "shown": not_visited[:SHOWN], "nav": "coverage"})


def plan(request):
    require(request.user, "visits.plan")
    today = clock.today()
    form = PlanImportForm(request.POST or None, request.FILES or None, initial={"year": today.year})
    result = errors = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > plan_import.MAX_BYTES:
            errors = [_("The file is larger than %(mb)d MB: split the plan into several files.")
                      % {"mb": plan_import.MAX_BYTES // (1024 * 1024)}]
        else:
            try:
                result = plan_import.import_plan(upload.read(), form.cleaned_data["year"], request.user.region_id,
                                                 dry_run=form.cleaned_data["dry_run"])
            except plan_import.ImportRefused as exc:
                errors = exc.errors
        if result and not form.cleaned_data["dry_run"]:
            messages.success(request, _("Visit plan imported: %(created)d assigned, %(moved)d moved, "
                                        "%(unchanged)d unchanged.") % vars(result))
    year = form.cleaned_data.get("year") if form.is_bound and form.is_valid() else today.year
    assignments = (VisitAssignment.objects.visible_to(request.user).filter(year=year)
                   .select_related("cadre__unit", "company__street").order_by("cadre__username", "company__name"))
    page = Paginator(assignments, 100).get_page(request.GET.get("page"))
    return render(request, "visits/plan.html", {"form": form, "result": result, "errors": errors, "page": page,
                                                "year": year, "nav": "plan"})

