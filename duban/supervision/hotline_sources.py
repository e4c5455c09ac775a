"""What the hotline brings to supervision: supervised complaints on the agenda, complaint and review figures."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.utils import timezone

from duban.core.links import link_maker
from duban.hotline.models import Complaint, Review, format_tracking_code
from duban.hotline.stats import (
    ComplaintFigures,
    ReviewFigures,
    complaint_figures,
    review_figures,
    summed,
)

from .agenda import Candidate, source
from .models import AgendaItem
from .statistics import Column, provider


@source
def supervised_complaints(meeting, today):
    """Open supervised cases (督办件) in the meeting's areas; no personal data on the agenda."""
    complaints = (Complaint.objects.open().filter(supervised_at__isnull=False, region=meeting.plan.region_id)
                  .select_related("category__area", "lead_unit").order_by("supervised_at"))
    area_ids = list(meeting.areas.values_list("pk", flat=True))
    if area_ids:
        complaints = complaints.filter(category__area__in=area_ids)
    for complaint in complaints:
        yield Candidate(
            kind=AgendaItem.Kind.SUPERVISED_COMPLAINT,
            title=f"督办件 {complaint.tracking_code} {complaint.category.name}",
            source=f"complaint:{complaint.pk}",
            detail=f"{complaint.lead_unit or '未派单'}：{complaint.description[:200]}",
            area=complaint.category.area, unit=complaint.lead_unit, url=complaint.get_absolute_url())


def _bounds(period):
    start = timezone.make_aware(datetime.datetime.combine(period.start, datetime.time.min))
    end = timezone.make_aware(datetime.datetime.combine(period.as_of + datetime.timedelta(days=1), datetime.time.min))
    return start, end


def _percent(value):
    return None if value is None else round(100 * value, 1)


@provider
def complaint_columns(plan, period, units):
    """Complaints received in the period (led by the unit now) and reviews given in it, as of period.as_of."""
    start, end = _bounds(period)
    ids = {u.pk for u in units}
    # The region's figures per lead unit, in one query each: the plan's units' rows, and the district's figures
    # summed from all of them — the statistics page's for the same days: every complaint of the region
    # received in the period, those no unit leads yet included, and every review of its units.
    complaint_rows = complaint_figures(Complaint.objects.filter(received_at__gte=start, received_at__lt=end,
                                                                region=plan.region_id), by=("unit",), now=end)
    review_rows = review_figures(Review.objects.filter(reviewed_at__gte=start, reviewed_at__lt=end,
                                                       unit__region=plan.region_id), by=("unit",), now=end)
    complaints = {f.unit.pk: f for f in complaint_rows if f.unit}
    reviews = {f.unit.pk: f for f in review_rows if f.unit}
    c = {u: complaints.get(u) or ComplaintFigures() for u in ids}
    r = {u: reviews.get(u) or ReviewFigures() for u in ids}
    tc, tr = summed(complaint_rows, ComplaintFigures), summed(review_rows, ReviewFigures)
    # The items behind the deduction: which complaints became supervised cases (no personal data).
    escalated = defaultdict(list)
    link = link_maker("hotline:complaint_detail")
    for pk, code, unit, category in (
            Complaint.objects.filter(received_at__gte=start, received_at__lt=end, lead_unit__in=ids,
                                     supervised_at__lte=end)
            .order_by("received_at").values_list("pk", "tracking_code", "lead_unit_id", "category__name")):
        escalated[unit].append((f"督办件 {format_tracking_code(code)} {category}", link(pk)))
    return [
        Column("complaints", "受理投诉", {u: c[u].received for u in ids}, total=tc.received),
        Column("complaints_on_time_rate", "投诉按时办结率", {u: _percent(c[u].closure_rate) for u in ids}, fmt="{}%",
               total=_percent(tc.closure_rate)),
        Column("satisfaction_rate", "投诉满意率", {u: _percent(c[u].satisfaction) for u in ids}, fmt="{}%",
               total=_percent(tc.satisfaction)),
        Column("escalations", "督办件", {u: c[u].supervised for u in ids}, items=escalated, total=tc.supervised),
        Column("positive_review_rate", "好评率", {u: _percent(r[u].positive_rate) for u in ids}, fmt="{}%",
               total=_percent(tr.positive_rate)),
        Column("rectification_on_time_rate", "差评按时整改率", {u: _percent(r[u].on_time_rate) for u in ids},
               fmt="{}%", total=_percent(tr.on_time_rate)),
    ]
