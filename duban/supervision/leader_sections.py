"""What the KPI and hotline apps bring to a district leader's page (.leader): the attainment of each area
they lead, and the complaints about those areas this year. Registered in this order, shown in this order."""

from django.db.models import Count, Prefetch, Q
from django.utils.translation import gettext as _

from duban.core import clock
from duban.hotline.models import Complaint
from duban.hotline.stats import ComplaintFigures, complaint_figures, year_bounds
from duban.kpi.attainment import ranked, roll_up
from duban.kpi.models import Metric, MetricValue

from .leader import leader_section


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
