from django import forms
from django.utils.translation import gettext_lazy as _

from duban.core.widgets import QuickSelect
from duban.plans.models import Area, Leader, Unit

from .models import DispatchMeeting


class MeetingForm(forms.ModelForm):
    class Meta:
        model = DispatchMeeting
        fields = ["title", "held_on", "chair", "attendees", "areas", "notes"]
        widgets = {"held_on": forms.DateInput(attrs={"type": "date"}), "attendees": forms.Textarea(attrs={"rows": 2}),
                   "notes": forms.Textarea(attrs={"rows": 3}), "areas": forms.CheckboxSelectMultiple}

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["areas"].queryset = plan.areas.all()
        self.fields["areas"].required = False


class DecisionForm(forms.Form):
    decision = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    action_text = forms.CharField(label=_("Action item"), required=False, max_length=1000,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    owner_unit = forms.ModelChoiceField(label=_("Owner unit"), queryset=Unit.objects.all(), required=False,
                                        widget=QuickSelect)
    workdays = forms.IntegerField(label=_("Working days to complete"), min_value=1, max_value=250, required=False,
                                  initial=10)
    leader = forms.ModelChoiceField(label=_("Accountable leader"), queryset=Leader.objects.all(), required=False,
                                    widget=QuickSelect)
    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects.none(), required=False, widget=QuickSelect)
    public = forms.BooleanField(label=_("Publish the action item on the public page"), required=False,
                                help_text=_("Dispatch meetings are internal: left unticked, the action item is "
                                            "followed up in the ledger but not shown to the public."))

    def __init__(self, *args, item, **kwargs):
        super().__init__(*args, **kwargs)
        self.item = item
        self.fields["area"].queryset = item.meeting.plan.areas.all()
        self.fields["area"].initial = item.area_id
        self.fields["owner_unit"].initial = item.unit_id
        self.fields["decision"].initial = item.decision

    def clean(self):
        data = super().clean()
        if data.get("action_text"):
            for field in ("owner_unit", "workdays"):
                if not data.get(field):
                    self.add_error(field, _("Needed for an action item."))
            if not data.get("area") and not self.item.area_id and not self.item.measure_id:
                self.add_error("area", _("Choose the area this action item belongs to."))
        elif not data.get("decision"):
            raise forms.ValidationError(_("Write the decision, an action item, or both."))
        return data

    def actions(self):
        data = self.cleaned_data
        if not data.get("action_text"):
            return []
        return [{"text": data["action_text"], "owner_unit": data["owner_unit"], "workdays": data["workdays"],
                 "leader": data.get("leader"), "area": data.get("area"), "public": data.get("public", False)}]
