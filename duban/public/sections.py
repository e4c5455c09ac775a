"""The public page's indicator charts and complaint statistics: figures only, no names or texts."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from duban.hotline.models import Complaint
from duban.hotline.stats import complaint_figures
from duban.kpi import charts, display
from duban.kpi.attainment import Attainment, assess, ranked, roll_up
from duban.kpi.services import metrics_for

from .data import published_areas, section


def _percent(value):
    return None if value is None else round(100 * value, 1)


@section
def indicators(publication, today):
    if not publication.show_kpis:
        return None
    areas = {a.pk for a in published_areas(publication)}
    metrics = [m for m in metrics_for(publication.plan) if m.area_id in areas]
    if not metrics:
        return None
    rows = []
    for metric in metrics:
        result = assess(metric, metric.values.all(), today)
        rows.append({
            "area": metric.area.name, "name": metric.name,
            "target": display.target_phrase(metric.direction, metric.target, metric.unit),
            "latest": display.quantity(result.latest.value, metric.unit) if result.latest else "",
            # A value Duban computed (好评率 from the reviews) says so, as the KPI pages do.
            "period": (result.latest.period + ("，据评价数据计算" if getattr(result.latest, "computed", False) else ""))
            if result.latest else "",
            "status": result.status, "status_label": str(Attainment(result.status).label),
            "rate": float(result.rate) if result.rate is not None else None,
        })
    rollups = ranked([r for r in roll_up(metrics, today).values() if r.area is not None])
    chart = charts.ranking(rollups)
    for item in chart["items"]:
        item["url"] = ""  # internal pages are not for the public
    return {"key": "indicators", "title": _("Indicator targets"), "template": "public/_indicators.html",
            "chart": chart, "rows": rows, "data": rows}


@section
def complaints(publication, today):
    if not publication.show_complaints:
        return None
    year = publication.plan.year
    start = timezone.make_aware(datetime.datetime(year, 1, 1))
    end = timezone.make_aware(datetime.datetime.combine(min(today, datetime.date(year, 12, 31)) +
                                                        datetime.timedelta(days=1), datetime.time.min))
    received = Complaint.objects.filter(region=publication.plan.region_id, received_at__gte=start, received_at__lt=end)
    figures = complaint_figures(received,
                                by=("month",), now=end)
    rows = [{"month": f.month.strftime("%Y-%m"), "received": f.received,
             "contact_rate": _percent(f.contact_rate), "closure_rate": _percent(f.closure_rate),
             "satisfaction": _percent(f.satisfaction)} for f in figures]
    return {"key": "complaints", "title": _("Business complaints by month"), "template": "public/_complaints.html",
            "rows": rows, "data": rows}
