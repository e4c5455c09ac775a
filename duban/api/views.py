"""API tokens: created and revoked by the people whose rights they carry."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from duban.accounts.permissions import get_in_region_or_404, require
from duban.core import clock
from duban.core.models import sees_every_region
from duban.plans.choice import narrow_choices
from duban.plans.models import Unit

from .models import ApiToken


class TokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100,
                           help_text=gettext_lazy("Which system or script uses it, e.g. 12345 hotline platform."))
    unit = forms.ModelChoiceField(label=gettext_lazy("Limit to unit"), queryset=Unit.objects.all(), required=False)
    read_only = forms.BooleanField(label=gettext_lazy("Read only"), required=False, initial=True)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if not user.is_office:
            # A unit's own token can only ever see that unit.
            self.fields["unit"].queryset = Unit.objects.filter(pk=user.unit_id)
            self.fields["unit"].required = True


def token_list(request):
    require(request.user, "api.manage_tokens")
    tokens = ApiToken.objects.select_related("user", "unit")
    if not sees_every_region(request.user):
        tokens = tokens.filter(user__region=request.user.region_id)
    if not request.user.is_office:
        tokens = tokens.filter(user=request.user)
    new_key = None
    form = narrow_choices(TokenForm(request.POST or None, user=request.user), request.user)
    if request.method == "POST" and form.is_valid():
        token, new_key = ApiToken.issue(
            name=form.cleaned_data["name"], user=request.user, unit=form.cleaned_data["unit"],
            read_only=form.cleaned_data["read_only"], created_by=request.user)
        messages.success(request, _("Token created. Copy the key now: it is shown only once."))
        form = TokenForm(user=request.user)
    return render(request, "api/tokens.html", {"tokens": tokens, "form": form, "new_key": new_key})


@require_POST
def token_revoke(request, token_id):
    require(request.user, "api.manage_tokens")
    token = get_in_region_or_404(request.user, ApiToken, pk=token_id, revoked_at=None)
    require(request.user, "api.manage_tokens", token)
    token.revoked_at = clock.now()
    token.save(update_fields=["revoked_at"])
    messages.success(request, _("Token %(name)s revoked.") % {"name": token.name})
    return redirect("api:tokens")
