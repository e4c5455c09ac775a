"""The KPI block on a district leader's page (duban.supervision.leader): the attainment of each area they lead."""

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from duban.supervision.leader import leader_section

from .attainment import ranked, roll_up
from .models import Metric, MetricValue


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
