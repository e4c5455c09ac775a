"""The indicators Duban computes (duban.kpi.computed) from the data the hotline and progress reporting hold.

Each is the district's figure of the same function the statistics page and the circular use, for the days
from the period's start to its end (as they stood on that day), so that a computed KPI and the hotline's
statistics or the circular for the same days show the same number.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from duban.hotline.models import Complaint, Review
from duban.hotline.stats import complaint_figures, review_figures
from duban.kpi.computed import source

from .progress_sources import report_columns
from .statistics import Period, plan_units


def _bounds(start, as_of):
    return (timezone.make_aware(datetime.datetime.combine(start, datetime.time.min)),
            timezone.make_aware(datetime.datetime.combine(as_of + datetime.timedelta(days=1), datetime.time.min)))


@source("review_positive_rate", "好评率",
        "好评率 = 期内收到的服务评价中“基本满意”及以上的条数 ÷ 评价总条数（不含申诉成立撤销的）× 100%，全区口径",
        words=("好评率",))
def positive_reviews(plan, start, as_of):
    begin, end = _bounds(start, as_of)
    [f] = review_figures(Review.objects.filter(unit__region=plan.region_id, reviewed_at__gte=begin,
                                               reviewed_at__lt=end), by=(), now=end, only=("positive", "reviews"))
    return f.positive, f.reviews


@source("complaint_closure_rate", "投诉按时办结率",
        "按时办结率 = 期内受理的投诉中在答复时限（含批准的延期）内首次答复的件数 ÷ 已答复或答复时限已过的件数 × 100%，"
        "截至期末，全区口径", words=("按时办结率",))
def complaints_closed_on_time(plan, start, as_of):
    begin, end = _bounds(start, as_of)
    [f] = complaint_figures(Complaint.objects.filter(region=plan.region_id, received_at__gte=begin,
                                                     received_at__lt=end), by=(), now=end)
    return f.reply_on_time, f.reply_counted


@source("complaint_contact_rate", "投诉按时联系率",
        "按时联系率 = 期内受理的投诉中在联系时限（1个工作日）内联系企业的件数 ÷ 已联系或联系时限已过的件数 × 100%，"
        "截至期末，全区口径", words=("按时联系率",))
def complaints_contacted_on_time(plan, start, as_of):
    begin, end = _bounds(start, as_of)
    [f] = complaint_figures(Complaint.objects.filter(region=plan.region_id, received_at__gte=begin,
                                                     received_at__lt=end), by=(), now=end)
    return f.contact_on_time, f.contact_counted


@source("report_on_time_rate", "进展报告按时报送率",
        "按时报送率 = 报送截止日在期内的轮次中，首次报送不晚于截止日的进展报告份数 ÷ 应报送进展报告份数 × 100%，"
        "截至期末，全区口径（两家牵头的举措的报告只计1份）", words=("按时报送率",))
def reports_on_time(plan, start, as_of):
    period = Period(start, as_of, as_of, closed=True)
    columns = {c.key: c for c in report_columns(plan, period, list(plan_units(plan)))}
    return columns["reports_on_time_rate"].parts or (0, 0)
