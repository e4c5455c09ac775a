from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Entry


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Text"), required=False, help_text=_("User, object, detail or address."))
    action = forms.ChoiceField(label=_("Action"), required=False, choices=[("", _("any"))] + Entry.Action.choices)
    model = forms.ChoiceField(label=_("Kind of object"), required=False)
    object_id = forms.CharField(label=_("Object id"), required=False)
    user = forms.CharField(label=_("User"), required=False)
    ip = forms.GenericIPAddressField(label=_("IP address"), required=False)
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["model"].choices = kinds_of_object()

    def filter(self, entries):
        data = self.cleaned_data
        if data["q"]:
            q = data["q"]
            entries = entries.filter(
                Q(username__icontains=q) | Q(object_repr__icontains=q) | Q(detail__icontains=q)
                | Q(source__icontains=q) | Q(object_id=q)
            )
        if data["action"]:
            entries = entries.filter(action=data["action"])
        if data["model"]:
            entries = entries.filter(model=data["model"].strip().lower())
        if data["object_id"]:
            entries = entries.filter(object_id=data["object_id"].strip())
        if data["user"]:
            entries = entries.filter(username=data["user"].strip())
        if data["ip"]:
            entries = entries.filter(ip=data["ip"])
        if data["since"]:
            entries = entries.filter(at__date__gte=data["since"])
        if data["until"]:
            entries = entries.filter(at__date__lte=data["until"])
        return entries


def kinds_of_object():
    """The audited kinds of object, in words (投诉, 工作举措 …), for the search form's list."""
    from .trail import REGISTRY

    kinds = sorted((model._meta.label_lower, str(model._meta.verbose_name)) for model in REGISTRY)
    return [("", _("any")), *sorted(kinds, key=lambda kind: kind[1])]
