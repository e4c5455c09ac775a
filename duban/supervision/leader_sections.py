"""What the progress, KPI and hotline apps bring to a district leader's page (.leader): how the reports of the
areas they lead stand round by round this year, the attainment of each area, and the complaints about those
areas this year. Registered in this order, shown in this order."""

from itertools import groupby

from django.db.models import Count, Prefetch, Q
from django.utils.translation import gettext as _

from duban.core import clock
from duban.hotline.models import Complaint
from duban.hotline.stats import ComplaintFigures, complaint_figures, year_bounds
from duban.kpi.attainment import ranked, roll_up
from duban.kpi.models import Metric, MetricValue
from duban.progress.ledger import SYMBOLS, area_round_totals
from duban.progress.models import Submission

from .leader import leader_section


LEADER_ROUNDS = 6


@leader_section
def progress_reports(leader, areas, today):
    """Per round due this year: the reports the led areas owe and where they stand — the reporting matrix's
    totals row narrowed to these areas (progress.ledger.matrix), each report once."""
    labels = dict(Submission.choices)
    rows = []
    for plan, plan_areas in groupby(areas, key=lambda area: area.plan):
        for round_, cell in area_round_totals(plan, list(plan_areas), today):
            if round_.due_on.year == today.year:
                rows.append({"plan": plan, "round": round_, "due": cell.total,
                             "counts": [(key, cell.get(key)) for key in SYMBOLS]})
    # The latest rounds only: the page prints on one A4 sheet (the matrix has the year).
    rows = sorted(rows, key=lambda row: (row["round"].due_on, row["round"].pk))[-LEADER_ROUNDS:]
    if not rows:
        return None
    return {"title": _("Progress reports of the areas led (%(year)s)") % {"year": today.year},
            "template": "progress/_leader_section.html", "rows": rows,
            "plans": len({row["plan"].pk for row in rows}),
            "buckets": [(key, symbol, labels[key]) for key, symbol in SYMBOLS.items()]}


@leader_section
def indicator_targets(leader, areas, today):
    metrics = (
        Metric.objects.filter(area__in=areas).select_related("area", "area__chief", "plan", "owner")
        .prefetch_related(Prefetch("values", MetricValue.objects.order_by("period_end")))
    )
    rollups = roll_up(metrics, today)
    if not rollups:
        return None
    return {"title": _("Indicator targets"), "template": "kpi/_leader_section.html",
            "rollups": ranked(list(rollups.values()))}


@leader_section
def complaints(leader, areas, today):
    """Per area: complaints received this year and how they were handled; what is open, overdue, supervised now.
    Two queries whatever the number of areas: the year's figures grouped by area, and what is open now."""
    start, end = year_bounds(today.year)
    now = clock.now()
    about = Complaint.objects.filter(category__area__in=areas)
    figures = {f.area_id: f for f in complaint_figures(about.filter(received_at__gte=start, received_at__lt=end),
                                                       by=("area",), now=now)}
    open_now = {row["category__area"]: row for row in about.open().order_by().values("category__area").annotate(
        open=Count("pk"), overdue=Count("pk", filter=Q(next_due__lt=now)),
        supervised=Count("pk", filter=Q(supervised_at__isnull=False)))}
    rows = []
    for area in areas:
        counts = open_now.get(area.pk, {})
        row = {"area": area, "figures": figures.get(area.pk) or ComplaintFigures(area_id=area.pk),
               "open": counts.get("open", 0), "overdue": counts.get("overdue", 0),
               "supervised": counts.get("supervised", 0)}
        if row["figures"].received or row["open"]:
            rows.append(row)
    if not rows:
        return None
    return {"title": _("Complaints about the areas led (%(year)s)") % {"year": today.year},
            "template": "hotline/_leader_section.html", "rows": rows}
