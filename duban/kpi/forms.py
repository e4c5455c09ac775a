from django import forms
from django.utils.translation import gettext_lazy as _

from duban.core import uploads
from duban.plans.models import Area, Unit

from .computed import SOURCES
from .models import Metric
from .periods import PeriodError, example, parse_period

EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
EVIDENCE_KINDS = frozenset({uploads.PDF, uploads.JPEG, uploads.PNG, uploads.XLSX, uploads.DOCX, uploads.OFD})


class MetricForm(forms.ModelForm):
    """Create or edit a metric; also how the office confirms a proposal (prefilled from it)."""

    class Meta:
        model = Metric
        fields = ["name", "area", "unit", "direction", "target", "baseline", "tolerance", "owner", "frequency", "due",
                  "source_note", "computed_from"]
        widgets = {
            "due": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "source_note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.plan = plan
        self.fields["area"].queryset = Area.objects.filter(plan=plan).order_by("position")
        self.fields["owner"].queryset = Unit.objects.order_by("name")
        for name in ("target", "baseline", "tolerance"):
            self.fields[name].widget.attrs["step"] = "any"
        self.fields["computed_from"].widget = forms.Select(choices=[("", _("not computed: reported by the unit"))] + [
            (key, f"{found.label}（{found.formula}）") for key, found in SOURCES.items()])

    def clean_computed_from(self):
        value = self.cleaned_data.get("computed_from") or ""
        if value and value not in SOURCES:
            raise forms.ValidationError(_("Duban cannot compute this metric from that source."))
        return value


class ReportForm(forms.Form):
    period = forms.CharField(label=_("Period"), max_length=20)
    value = forms.DecimalField(label=_("Value"), max_digits=16, decimal_places=4,
                               widget=forms.NumberInput(attrs={"step": "any"}))
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    evidence = forms.FileField(label=_("Evidence (optional)"), required=False,
                               help_text=_("PDF, image, spreadsheet or document, at most 10 MB."))

    def __init__(self, *args, metric, **kwargs):
        super().__init__(*args, **kwargs)
        self.metric = metric
        self.fields["period"].help_text = _("For example %(example)s.") % {
            "example": example(metric.frequency, metric.plan.year)}

    def clean_period(self):
        try:
            return parse_period(self.cleaned_data["period"], self.metric.frequency)
        except PeriodError as error:
            raise forms.ValidationError(str(error)) from None

    def clean_evidence(self):
        """Checked by content (duban.core.uploads: its first bytes, its size, a zip's unpacked size), never by
        name; stored under its cleaned name with the extension of what it really is."""
        evidence = self.cleaned_data.get("evidence")
        if evidence:
            try:
                kind = uploads.check_upload(evidence, EVIDENCE_KINDS, max_size=EVIDENCE_MAX_BYTES)
            except uploads.UploadRejected as rejected:
                raise forms.ValidationError(rejected.message) from None
            if uploads.has_macros(evidence):
                raise forms.ValidationError(_("The file contains macros, which are not accepted. Save it without "
                                              "macros."))
            evidence.name = uploads.clean_name(evidence.name, kind)
        return evidence


class CorrectForm(forms.Form):
    value = forms.DecimalField(label=_("Corrected value"), max_digits=16, decimal_places=4,
                               widget=forms.NumberInput(attrs={"step": "any"}))
    reason = forms.CharField(label=_("Reason for the correction"), widget=forms.Textarea(attrs={"rows": 2}))


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Spreadsheet (.xlsx)"))
    dry_run = forms.BooleanField(label=_("Dry run: check the file and show what would change, save nothing"),
                                 required=False, initial=True)
    reason = forms.CharField(
        label=_("Reason for changes to existing values"), required=False, max_length=500,
        help_text=_("Used for rows without their own reason when the office changes a reported value."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Upload an .xlsx file (save older .xls files as .xlsx first)."))
        return upload
