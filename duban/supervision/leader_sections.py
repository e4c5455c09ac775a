"""What the KPI and hotline apps bring to a district leader's page (.leader): the attainment of each area
they lead, and the complaints about those areas this year. Registered in this order, shown in this order."""

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from duban.core import clock
from duban.hotline.models import Complaint
from duban.hotline.stats import complaint_figures, year_bounds
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
    """Per area: complaints received this year and how they were handled; what is open, overdue, supervised now."""
    start, end = year_bounds(today.year)
    now = clock.now()
    rows = []
    for area in areas:
        about = Complaint.objects.filter(category__area=area)
        [figures] = complaint_figures(about.filter(received_at__gte=start, received_at__lt=end), by=(), now=now)
        open_now = about.open()
        row = {"area": area, "figures": figures, "open": open_now.count(),
               "overdue": open_now.filter(next_due__lt=now).count(),
               "supervised": open_now.filter(supervised_at__isnull=False).count()}
        if figures.received or row["open"]:
            rows.append(row)
    if not rows:
        return None
    return {"title": _("Complaints about the areas led (%(year)s)") % {"year": today.year},
            "template": "hotline/_leader_section.html", "rows": rows}
