"""Pages: the year calendar, the due lists (this week, next 10 working days, overdue), light counts."""

from __future__ import annotations

import calendar as stdlib_calendar
import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.dates import MONTHS, WEEKDAYS_ABBR
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from duban.accounts import permissions
from duban.accounts.models import User
from duban.core import clock
from duban.plans.models import Area, Leader, Measure, MeasureLeadUnit, Milestone, Unit

from . import workdays
from .lights import Light, annotate_measure_lights, annotate_milestone_lights, measure_light_counts, milestone_light_counts
from .models import Notice

if TYPE_CHECKING:  # django-stubs' name for a str or a lazy translation (a test tool, not installed with the site)
    from django_stubs_ext import StrOrPromise

SOON_WORKDAYS = 10


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    context["show_lights"] = permissions.can(request.user, "calendar.lights")
    return render(request, template, context)


def year(request: HttpRequest, year: int | None = None) -> HttpResponse:
    permissions.require(request.user, "calendar.view")
    year = year or clock.today().year
    if not workdays.FIRST_YEAR <= year <= workdays.LAST_YEAR:
        raise Http404
    region = settings.DUBAN_DEFAULT_REGION
    grid = stdlib_calendar.Calendar(firstweekday=0)
    months, special = [], []
    for month in range(1, 13):
        weeks = []
        for week in grid.monthdatescalendar(year, month):
            cells = []
            for day in week:
                info = workdays.day_info(day, region) if day.month == month else None
                cells.append(info)
                if info and info.kind not in (workdays.WORKDAY, workdays.WEEKEND):
                    special.append(info)
            weeks.append(cells)
        months.append({"number": month, "name": MONTHS[month], "weeks": weeks})
    context = {
        "year": year,
        "months": months,
        "special": special,
        "weekday_names": [WEEKDAYS_ABBR[i] for i in range(7)],
        "workday_count": workdays.workdays_in_year(year, region),
        "notice": Notice.objects.filter(region=workdays.region_chain(region)[0], year=year).first(),
        "warning": workdays.provisional_warning(workdays.provisional_years(datetime.date(year, 1, 1), region=region)),
        "today": clock.today(),
        "previous_year": year - 1 if year > workdays.FIRST_YEAR else None,
        "next_year": year + 1 if year < workdays.LAST_YEAR else None,
    }
    return _render(request, "calendar/year.html", context)


def visible_measures(user: User) -> QuerySet[Measure]:
    """The measures whose deadlines a user answers for.

    Everyone signed in may read the whole plan; a due list is about whose work
    it is: all of it for the office, the unit's (led or cooperating) for unit
    staff, the chaired areas' for a district leader.
    """
    if user.is_office:
        return Measure.objects.visible_to(user)
    if user.unit_id:
        return Measure.objects.filter(permissions.measure_scope_q(user, permissions.COOPERATING)).distinct()
    if user.leader_id:
        return Measure.objects.filter(permissions.measure_scope_q(user, permissions.LED_AREAS))
    return Measure.objects.none()


def _unit_filter(request):
    """The office's chosen unit (?unit=pk), or None; other users' lists are already their unit's."""
    if not request.user.is_office or not request.GET.get("unit", "").isdigit():
        return None
    return Unit.objects.visible_to(request.user).filter(pk=request.GET["unit"]).first()


class DueRow:
    """One line of a due list: a measure or one of its milestones."""

    def __init__(self, item: Measure | Milestone, measure: Measure, deadline: datetime.date, light: str,
                 today: datetime.date) -> None:
        self.item = item
        self.measure = measure
        self.is_milestone = item is not measure
        self.deadline = deadline
        self.light = Light(light)
        self.late_workdays: int | None
        self.left_workdays: int | None
        if deadline < today:
            self.late_workdays = workdays.workdays_between(deadline, today)
            self.left_workdays = None
        else:
            self.late_workdays = None
            self.left_workdays = workdays.workdays_between(today, deadline)
        self.provisional_years = workdays.provisional_years(today, deadline)

    @property
    def units(self) -> list[Unit]:
        return [link.unit for link in self.measure.lead_links.all()]


_VIEWS = {
    "due_week": (gettext_lazy("Due this week"), "calendar:due_week"),
    "due_soon": (gettext_lazy("Due in the next 10 working days"), "calendar:due_soon"),
    "overdue": (gettext_lazy("Overdue"), "calendar:overdue"),
}


def _due(request, which):
    permissions.require(request.user, "calendar.view")
    today = clock.today()
    if which == "due_week":
        window = {"gte": today, "lte": today + datetime.timedelta(days=6 - today.weekday())}
        description = _("Open measures and milestones due from today to Sunday %(date)s.") % {"date": window["lte"]}
    elif which == "due_soon":
        window = {"gte": today, "lte": workdays.add_workdays(today, SOON_WORKDAYS)}
        description = _("Open measures and milestones due by %(date)s, the 10th working day from today.") % {
            "date": window["lte"]
        }
    else:
        window = {"lt": today}
        description = _("Open measures and milestones whose deadline has passed.")

    unit = _unit_filter(request)
    measures = visible_measures(request.user)
    if unit is not None:
        measures = Measure.objects.involving(unit)
    links = Prefetch("lead_links", queryset=MeasureLeadUnit.objects.select_related("unit"))
    open_measures = annotate_measure_lights(
        Measure.objects.filter(pk__in=measures.values("pk"), completed_on__isnull=True)
        .filter(**{f"deadline__{op}": value for op, value in window.items()})
        .select_related("plan", "area")
        .prefetch_related(links),
        today,
    )
    open_milestones = annotate_milestone_lights(
        Milestone.objects.filter(measure__in=measures.values("pk"), completed_on__isnull=True)
        .filter(**{f"date__{op}": value for op, value in window.items()})
        .select_related("measure__plan", "measure__area")
        .prefetch_related(Prefetch("measure__lead_links", queryset=MeasureLeadUnit.objects.select_related("unit"))),
        today,
    )
    # `light` is annotate_*_lights' annotation, which django-stubs cannot see; the window's filter leaves
    # only measures with a deadline.
    rows = [DueRow(m, m, m.deadline, m.light, today)  # type: ignore[attr-defined]
            for m in open_measures if m.deadline is not None]
    rows += [DueRow(s, s.measure, s.date, s.light, today) for s in open_milestones]  # type: ignore[attr-defined]
    rows.sort(key=lambda row: (row.deadline, row.measure.pk, row.is_milestone))
    years = {year for row in rows for year in row.provisional_years}
    context = {
        "which": which,
        "title": _VIEWS[which][0],
        "description": description,
        "tabs": [(key, title, url) for key, (title, url) in _VIEWS.items()],
        "rows": rows,
        "today": today,
        "unit": unit,
        "scope_unit": request.user.unit if not request.user.is_office else None,
        "units": Unit.objects.visible_to(request.user) if request.user.is_office else None,
        "warning": workdays.provisional_warning(years),
    }
    return _render(request, "calendar/due.html", context)


def due_week(request: HttpRequest) -> HttpResponse:
    return _due(request, "due_week")


def due_soon(request: HttpRequest) -> HttpResponse:
    return _due(request, "due_soon")


def overdue(request: HttpRequest) -> HttpResponse:
    return _due(request, "overdue")


_GROUPS: dict[str, tuple[StrOrPromise, StrOrPromise, type[Unit] | type[Leader] | type[Area]]] = {
    "unit": (gettext_lazy("per unit"), gettext_lazy("Lead unit"), Unit),
    "leader": (gettext_lazy("per leader"), gettext_lazy("Leader"), Leader),
    "area": (gettext_lazy("per area"), gettext_lazy("Area"), Area),
}


def lights(request: HttpRequest) -> HttpResponse:
    """Counts of lights per unit, per leader or per area (?by=), for the office and district leaders."""
    permissions.require(request.user, "calendar.lights")
    by = request.GET.get("by", "unit")
    if by not in _GROUPS:
        by = "unit"
    today = clock.today()
    measures = Measure.objects.visible_to(request.user)
    measure_counts = measure_light_counts(by, measures, today=today)
    milestone_counts = milestone_light_counts(by, Milestone.objects.filter(measure__in=measures), today=today)
    keys = set(measure_counts) | set(milestone_counts)
    objects = _GROUPS[by][2].objects.in_bulk([k for k in keys if k is not None])
    rows: list[dict[str, Any]] = [
        {"group": objects.get(key), "measures": measure_counts.get(key), "milestones": milestone_counts.get(key)}
        for key in keys
    ]
    # Most red first, then most yellow, then by name; the unassigned row last.
    def urgency(row):
        counts = row["measures"] or {}
        return (row["group"] is None, -counts.get(Light.RED, 0), -counts.get(Light.YELLOW, 0), str(row["group"] or ""))

    rows.sort(key=urgency)
    # Lists, not Counters: a template looks `rows` up as a dict key first.
    for row in rows:
        for key in ("measures", "milestones"):
            row[key] = row[key].rows() if row[key] else []
    context = {
        "by": by,
        "groups": [(key, tab) for key, (tab, _column, _model) in _GROUPS.items()],
        "group_label": _GROUPS[by][1],
        "rows": rows,
        "today": today,
    }
    return _render(request, "calendar/lights.html", context)
