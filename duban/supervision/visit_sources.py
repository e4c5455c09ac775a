"""What enterprise visits bring to supervision: supervised problems on the dispatch agenda beside supervised
complaints, and per-unit columns in the circular and the dashboard.

口径, the same as the hotline's for complaints (duban.hotline.stats): problems are counted in the period they
were raised, for the unit they are routed to (problems solved on the spot are not tracked work and not
counted); on time: answered by the deadline, of those answered or whose deadline has passed (as of the
period's end); supervised: became a supervised case (督办件).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from duban.plans.models import Area
from duban.visits.models import Problem

from .agenda import Candidate, source
from .figures import define
from .models import AgendaItem
from .statistics import Column, provider


def visits_area(plan):
    """The plan's area that holds 千名干部访千企 (前瞻探索宜商环境工作), if the plan has one."""
    return plan.areas.filter(kind=Area.Kind.FORWARD).order_by("position").first()


@source
def supervised_problems(meeting, today):
    """Open supervised problems raised on visits, in the meeting's region (and its areas, when it names some)."""
    area = visits_area(meeting.plan)
    area_ids = list(meeting.areas.values_list("pk", flat=True))
    if area_ids and (area is None or area.pk not in area_ids):
        return
    problems = (Problem.objects.open().filter(supervised_at__isnull=False, region=meeting.plan.region_id)
                .select_related("visit__company", "unit").order_by("supervised_at"))
    for problem in problems:
        yield Candidate(
            kind=AgendaItem.Kind.SUPERVISED_COMPLAINT,
            title=f"督办件（走访企业诉求）{problem.visit.company.name} {problem.get_category_display()}",
            source=f"visit_problem:{problem.pk}",
            detail=f"{problem.unit.name}：{problem.description[:200]}",
            area=area, unit=problem.unit, url=problem.get_absolute_url())


@dataclass
class ProblemFigures:
    raised: int = 0
    counted: int = 0
    on_time: int = 0
    supervised: int = 0

    @property
    def on_time_rate(self):
        return None if not self.counted else self.on_time / self.counted


def problem_figures(problems, now):
    """{unit id: ProblemFigures} for tracked problems, as things stood at `now`."""
    figures = {}
    for unit_id, reply_due, answered_at, supervised_at in problems.tracked().values_list(
            "unit", "reply_due", "answered_at", "supervised_at"):
        f = figures.setdefault(unit_id, ProblemFigures())
        f.raised += 1
        answered = answered_at is not None and answered_at < now
        if answered or (reply_due is not None and reply_due < now):
            f.counted += 1
            if answered and answered_at <= reply_due:
                f.on_time += 1
        if supervised_at is not None and supervised_at < now:
            f.supervised += 1
    return figures


def _bounds(period):
    start = timezone.make_aware(datetime.datetime.combine(period.start, datetime.time.min))
    end = timezone.make_aware(datetime.datetime.combine(period.as_of + datetime.timedelta(days=1), datetime.time.min))
    return start, end


# Their 口径, printed in the circular's 口径说明 and the dashboard's tooltips like the other figures'.
define("visit_problems", "走访企业诉求",
       "{start}至{as_of}走访企业时收集并交由单位办理的诉求（当场解决的不计），按承办单位计", "件")
define("visit_problems_on_time_rate", "诉求按时答复率",
       "走访企业诉求中，已答复或答复时限截至{as_of}已过的，在答复时限内答复的比例", "%")
define("visit_problem_escalations", "诉求督办件",
       "走访企业诉求中，截至{as_of}因超过时限转为督办件的；与投诉的督办件分开计", "件")


@provider
def visit_problem_columns(plan, period, units):
    start, end = _bounds(period)
    ids = {u.pk for u in units}
    figures = problem_figures(Problem.objects.filter(raised_at__gte=start, raised_at__lt=end, unit__in=ids,
                                                     region=plan.region_id), end)
    f = {u: figures.get(u) or ProblemFigures() for u in ids}
    return [
        Column("visit_problems", "走访企业诉求", {u: f[u].raised for u in ids}),
        Column("visit_problems_on_time_rate", "诉求按时答复率",
               {u: None if f[u].on_time_rate is None else round(100 * f[u].on_time_rate, 1) for u in ids}, fmt="{}%"),
        Column("visit_problem_escalations", "诉求督办件", {u: f[u].supervised for u in ids}),
    ]
