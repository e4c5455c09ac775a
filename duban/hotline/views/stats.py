"""The statistics page: complaints and reviews per unit and month, as tables and ECharts charts."""

from django import forms
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from duban.accounts.permissions import require, scope_for
from duban.core import clock
from duban.plans.choice import narrow_choices
from duban.plans.models import Unit

from ..models import Complaint, Review
from ..permissions import stats_complaints_q, unit_scope_q
from ..stats import (ComplaintFigures, ReviewFigures, complaint_figures, month_bounds, review_figures, summed,
                     year_bounds)


class StatsForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2199, required=False)
    month = forms.IntegerField(label=gettext_lazy("Month"), min_value=1, max_value=12, required=False,
                               help_text=gettext_lazy("Empty: the whole year."))
    unit = forms.ModelChoiceField(Unit.objects.order_by("name"), label=gettext_lazy("Unit"), required=False,
                                  empty_label=gettext_lazy("All units"))


def _series(figures, label, counts, rates):
    data = {"labels": [label(f) for f in figures]}
    for name in counts:
        data[name] = [getattr(f, name) for f in figures]
    for name in rates:
        data[name] = [None if getattr(f, name) is None else round(getattr(f, name) * 100, 1) for f in figures]
    return data


def stats(request):
    require(request.user, "hotline.stats")
    form = narrow_choices(StatsForm(request.GET), request.user)
    form.is_valid()
    year = form.cleaned_data.get("year") or clock.today().year
    month = form.cleaned_data.get("month")
    unit = form.cleaned_data.get("unit")
    start, end = month_bounds(year, month) if month else year_bounds(year)
    scope = scope_for(request.user, "hotline.stats")
    complaints = Complaint.objects.filter(stats_complaints_q(request.user, scope),
                                          received_at__gte=start, received_at__lt=end)
    reviews = Review.objects.filter(unit_scope_q(request.user, scope), reviewed_at__gte=start, reviewed_at__lt=end)
    if unit:
        complaints, reviews = complaints.filter(lead_unit=unit), reviews.filter(unit=unit)
    by_unit = complaint_figures(complaints, by=("unit",))
    by_month = complaint_figures(complaints, by=("month",))
    total = summed(by_month, ComplaintFigures)  # every complaint of the period is in one month's row
    reviews_by_unit = review_figures(reviews, by=("unit",))
    reviews_by_month = review_figures(reviews, by=("month",))
    reviews_total = summed(reviews_by_month, ReviewFigures)
    unit_name = lambda f: f.unit.name if f.unit else _("not assigned")  # noqa: E731
    month_name = lambda f: f"{f.month:%Y-%m}"  # noqa: E731
    complaint_counts, complaint_rates = ["received", "late", "supervised"], [
        "contact_rate", "closure_rate", "satisfaction", "reopen_rate"]
    review_counts, review_rates = ["reviews", "bad"], ["positive_rate", "rectification_rate", "on_time_rate"]
    charts = {
        "complaintsByMonth": _series(by_month, month_name, complaint_counts, complaint_rates),
        "complaintsByUnit": _series(by_unit, unit_name, complaint_counts, complaint_rates),
        "reviewsByMonth": _series(reviews_by_month, month_name, review_counts, review_rates),
        "reviewsByUnit": _series(reviews_by_unit, unit_name, review_counts, review_rates),
        "labels": {
            "received": _("Received"), "late": _("Late"), "supervised": _("Supervised"),
            "contact_rate": _("On-time contact"), "closure_rate": _("On-time closure"),
            "satisfaction": _("Satisfaction"), "reopen_rate": _("Reopened"), "reviews": _("Reviews"),
            "bad": _("Bad reviews"), "positive_rate": _("Positive reviews"),
            "rectification_rate": _("Rectified"), "on_time_rate": _("Rectified on time"),
        },
    }
    ctx = {
        "form": form, "year": year, "month": month, "unit": unit, "by_unit": by_unit, "by_month": by_month,
        "total": total, "reviews_by_unit": reviews_by_unit, "reviews_by_month": reviews_by_month,
        "reviews_total": reviews_total, "charts": charts,
    }
    return render(request, "hotline/stats.html", ctx)
