"""Filtering the plan's measures by plan, lead unit, leader, area kind, deadline month and text.

One form and one function, so the measure list, its htmx partial and any later
export filter measures the same way from the same (bookmarkable) GET parameters.
"""

from django import forms
from django.core.validators import RegexValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choice import narrow_choices
from .models import Area, Leader, Measure, Plan, Unit


class UnitChoiceField(forms.ModelChoiceField):
    """Units sorted by name, each labelled with its other spellings so either can be found."""

    def label_from_instance(self, unit):
        aliases = [a.alias for a in unit.aliases.all()]
        return f"{unit.name}（{'、'.join(aliases)}）" if aliases else unit.name


class PlanChoiceField(forms.ModelChoiceField):
    """Plans by year and document number: a plan's full title is too long for a select."""

    def label_from_instance(self, plan):
        return f"{plan.year} {plan.document_number or plan.title}"


class MeasureFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"), required=False, max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Words in the measure, task or area")}),
    )
    plan = PlanChoiceField(Plan.objects.all(), label=_("Plan"), required=False, empty_label=_("All plans"))
    unit = UnitChoiceField(
        Unit.objects.prefetch_related("aliases").order_by("name"), label=_("Lead unit"), required=False,
        empty_label=_("All units"),
    )
    leader = forms.ModelChoiceField(
        Leader.objects.order_by("name"), label=_("Leader"), required=False, empty_label=_("All leaders")
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *Area.Kind.choices])
    month = forms.CharField(
        label=_("Deadline month"), required=False,
        validators=[RegexValidator(r"^\d{4}-(0[1-9]|1[0-2])$", _("Enter a month as YYYY-MM."))],
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2023-09"}),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            narrow_choices(self, user)


def filter_measures(params, measures=None, user=None):
    """Return (form, queryset) for the GET parameters `params` (within `user`'s region when given).

    Invalid parameters (an unknown unit id, a month like 2023-13) are left out of
    the filter and reported on the form, so a stale bookmark still shows a list.
    """
    form = MeasureFilterForm(params, user=user)
    form.is_valid()
    data = form.cleaned_data
    measures = Measure.objects.all() if measures is None else measures
    if user is not None:
        measures = measures.visible_to(user)
    if data.get("plan"):
        measures = measures.filter(plan=data["plan"])
    if data.get("unit"):
        measures = measures.filter(lead_units=data["unit"])
    if data.get("leader"):
        measures = measures.filter(area__chief=data["leader"])
    if data.get("kind"):
        measures = measures.filter(area__kind=data["kind"])
    if data.get("month"):
        year, month = data["month"].split("-")
        measures = measures.filter(deadline__year=int(year), deadline__month=int(month))
    if data.get("q"):
        words = data["q"].split()
        for word in words:
            measures = measures.filter(
                Q(text__icontains=word) | Q(task__text__icontains=word) | Q(area__name__icontains=word)
            )
    return form, measures
