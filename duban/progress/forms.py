import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from duban.core import clock
from duban.plans.models import Plan

from .evidence import ACCEPT, check_evidence, max_bytes
from .models import ProgressReport, ReportingRound


class MonthField(forms.CharField):
    """A month as <input type=month> sends it ("2023-04"), cleaned to its first day."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "2023-04"})

    def to_python(self, value):
        value = super().to_python(value).strip()
        if not value:
            return None
        try:
            year, month = (int(part) for part in value.split("-")[:2])
            return datetime.date(year, month, 1)
        except ValueError:
            raise ValidationError(_("Enter a month as YYYY-MM, e.g. 2023-04.")) from None


class RoundForm(forms.Form):
    plan = forms.ModelChoiceField(Plan.objects.all(), label=gettext_lazy("Plan"), empty_label=None)
    kind = forms.ChoiceField(choices=ReportingRound.Kind.choices, label=gettext_lazy("Kind"))
    month = MonthField(label=gettext_lazy("Month reported on"), required=False,
                       help_text=gettext_lazy("Bimonthly rounds: February, April, June, August, October or December."))
    due_workdays = forms.IntegerField(label=gettext_lazy("Working days to report"), min_value=1, max_value=60,
                                      initial=ReportingRound.default_due_workdays)
    title = forms.CharField(label=gettext_lazy("Title"), required=False, max_length=200,
                            help_text=gettext_lazy("Leave empty for the usual title."))
    instructions = forms.CharField(label=gettext_lazy("Instructions to the units"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self):
        data = super().clean()
        plan, kind, month = data.get("plan"), data.get("kind"), data.get("month")
        if not plan or not kind:
            return data
        probe = ReportingRound(plan=plan, kind=kind, period=month, opened_on=clock.today())
        try:
            probe.clean()
        except ValidationError as exc:
            raise ValidationError({"month": exc.message_dict.get("period", exc.messages)}) from None
        data["month"] = probe.period
        if probe.period and ReportingRound.objects.filter(plan=plan, kind=kind, period=probe.period).exists():
            raise ValidationError({"month": _("A %(kind)s round for %(month)s is already open.") % {
                "kind": probe.get_kind_display(), "month": probe.period.strftime("%Y-%m")}})
        return data


def next_bimonthly_month(plan, today):
    """The month the office most likely means: the next even month without a bimonthly round."""
    taken = set(plan.rounds.filter(kind=ReportingRound.Kind.BIMONTHLY).values_list("period", flat=True))
    month = today.replace(day=1)
    for _step in range(24):
        if month.month in ReportingRound.BIMONTHLY_MONTHS and month not in taken:
            return month
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return None


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    """Zero or more files, each checked by content (duban.progress.evidence)."""

    widget = MultipleFileInput(attrs={"accept": ACCEPT})

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else [data] if data else []
        errors = []
        for upload in files:
            try:
                check_evidence(upload)
            except ValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            raise ValidationError(errors)
        return files


class ReportForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    evidence = EvidenceField(required=False, label=gettext_lazy("Add evidence files"))

    class Meta:
        model = ProgressReport
        fields = list(ProgressReport.CONTENT_FIELDS)
        widgets = {
            "percent": forms.NumberInput(attrs={"min": 0, "max": 100, "step": 1, "inputmode": "numeric"}),
            "done_text": forms.Textarea(attrs={"rows": 5}),
            "problems": forms.Textarea(attrs={"rows": 3}),
            "reason": forms.Textarea(attrs={"rows": 2}),
            "next_steps": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["progress"].required = False
        self.fields["evidence"].help_text = _(
            "PDF, Word, Excel, PNG or JPEG; at most %(size)s MB each.") % {"size": max_bytes() // (1024 * 1024)}

    def content(self):
        return {name: self.cleaned_data[name] for name in ProgressReport.CONTENT_FIELDS}


class AutosaveForm(ReportForm):
    """The same fields without files: autosave sends text only."""

    class Meta(ReportForm.Meta):
        pass

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["evidence"]


class ReviewForm(forms.Form):
    comment = forms.CharField(label=gettext_lazy("Comment to the unit"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))


class ContributionForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("What your unit did this period"), required=False,
                           widget=forms.Textarea(attrs={"rows": 4}))
