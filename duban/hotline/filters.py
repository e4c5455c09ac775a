"""Filtering and sorting complaints and reviews from bookmarkable GET parameters.

One form and one function per list, shared by the page, its htmx partial and
the CSV export, so that they always show the same complaints.
"""

from django import forms
from django.core.validators import RegexValidator
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from duban.core import clock
from duban.plans.choice import narrow_choices
from duban.plans.models import Unit

from . import clocks
from .credit_code import normalize as normalize_credit_code
from .credit_code import problem as credit_problem
from .models import (
    TRACKING_ALPHABET, TRACKING_LENGTH, Category, Complaint, Rectification, Review, normalize_tracking_code,
)
from .stats import month_bounds

month_validator = RegexValidator(r"^\d{4}-(0[1-9]|1[0-2])$", _("Enter a month as YYYY-MM."))

# sort parameter: (label, ordering). Every ordering ends in the primary key so pages never overlap.
SORTS = {
    "-received": (_("Newest first"), ["-received_at", "-id"]),
    "received": (_("Oldest first"), ["received_at", "id"]),
    # Complaints waiting for nothing (replied, closed) have no deadline: they come last.
    "due": (_("Deadline, soonest first"), [F("next_due").asc(nulls_last=True), "id"]),
    "-due": (_("Deadline, latest first"), [F("next_due").desc(nulls_last=True), "-id"]),
}


class ComplaintFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"), required=False, max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Tracking code, company or credit code")}),
    )
    state = forms.ChoiceField(label=_("State"), required=False,
                              choices=[("", _("All states")), ("open", _("All open")), *Complaint.State.choices])
    light = forms.ChoiceField(label=_("Deadline"), required=False, choices=[
        ("", _("Any")), ("red", _("Overdue")), ("yellow", _("Due soon")), ("supervised", _("Supervised cases"))])
    category = forms.ModelChoiceField(Category.objects.all(), label=_("Category"), required=False,
                                      empty_label=_("All categories"))
    unit = forms.ModelChoiceField(Unit.objects.order_by("name"), label=_("Lead unit"), required=False,
                                  empty_label=_("All units"))
    difficulty = forms.ChoiceField(label=_("Difficulty"), required=False,
                                   choices=[("", _("Any")), *Complaint.Difficulty.choices])
    month = forms.CharField(label=_("Received in"), required=False, validators=[month_validator],
                            widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-09"}))
    sort = forms.ChoiceField(label=_("Order"), required=False, choices=[(k, v[0]) for k, v in SORTS.items()])


def search_q(text):
    """What the search box finds: a tracking code or a credit code exactly (indexed), else words of the company name.

    A name search reads every row (about half a second in SQLite at 500,000
    complaints); combined with a month, unit or category filter it reads only those.
    """
    text = text.strip()
    code = normalize_tracking_code(text)
    if len(code) == TRACKING_LENGTH and set(code) <= set(TRACKING_ALPHABET):
        return Q(tracking_code=code)
    credit = normalize_credit_code(text)
    if len(credit) == 18 and not credit_problem(credit):
        return Q(credit_code=credit)
    query = Q()
    for word in text.split():
        query &= Q(company_name__contains=word)
    return query


def filter_complaints(params, complaints, now=None, user=None):
    """(form, queryset) for the GET parameters; invalid ones are left out and reported on the form."""
    form = ComplaintFilterForm(params)
    if user is not None:
        narrow_choices(form, user)
    form.is_valid()
    data = form.cleaned_data
    now = now or clock.now()
    state = data.get("state")
    if state == "open":
        complaints = complaints.exclude(state=Complaint.State.CLOSED)
    elif state:
        complaints = complaints.filter(state=state)
    light = data.get("light")
    if light == "red":
        complaints = complaints.filter(next_due__lt=now)
    elif light == "yellow":
        today = timezone.localdate(now)
        complaints = complaints.filter(
            Q(state=Complaint.State.RECEIVED, next_due__lte=clocks.yellow_from(today, "contact"))
            | Q(state__in=Complaint.REPLY_STATES, next_due__lte=clocks.yellow_from(today, "reply")),
            next_due__gte=now,
        )
    elif light == "supervised":
        complaints = complaints.filter(supervised_at__isnull=False)
    for name, field in (("category", "category"), ("unit", "lead_unit"), ("difficulty", "difficulty")):
        if data.get(name):
            complaints = complaints.filter(**{field: data[name]})
    if data.get("month"):
        start, end = month_bounds(*map(int, data["month"].split("-")))
        complaints = complaints.filter(received_at__gte=start, received_at__lt=end)
    if data.get("q"):
        complaints = complaints.filter(search_q(data["q"]))
    sort = data.get("sort") or "-received"
    return form, complaints.order_by(*SORTS[sort][1])


class ReviewFilterForm(forms.Form):
    unit = forms.ModelChoiceField(Unit.objects.order_by("name"), label=_("Unit"), required=False,
                                  empty_label=_("All units"))
    level = forms.ChoiceField(label=_("Rating"), required=False,
                              choices=[("", _("All ratings")), ("bad", _("Bad reviews")), *Review.Level.choices])
    rectification = forms.ChoiceField(label=_("Rectification"), required=False,
                                      choices=[("", _("Any")), ("overdue", _("Overdue")), *Rectification.State.choices])
    month = forms.CharField(label=_("Month"), required=False, validators=[month_validator],
                            widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-09"}))


def filter_reviews(params, reviews, now=None, user=None):
    form = ReviewFilterForm(params)
    if user is not None:
        narrow_choices(form, user)
    form.is_valid()
    data = form.cleaned_data
    if data.get("unit"):
        reviews = reviews.filter(unit=data["unit"])
    level = data.get("level")
    if level == "bad":
        reviews = reviews.filter(level__in=Review.BAD_LEVELS)
    elif level:
        reviews = reviews.filter(level=int(level))
    state = data.get("rectification")
    if state == "overdue":
        reviews = reviews.filter(rectification__state=Rectification.State.OPEN, rectification__due_at__lt=now or clock.now())
    elif state:
        reviews = reviews.filter(rectification__state=state)
    if data.get("month"):
        start, end = month_bounds(*map(int, data["month"].split("-")))
        reviews = reviews.filter(reviewed_at__gte=start, reviewed_at__lt=end)
    return form, reviews.order_by("-reviewed_at", "-pk")
