from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from duban.core.admin import RegionalAdmin, RegionalTabularInline

from .models import ApiToken, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from .webhooks import EVENTS


class WebhookEndpointForm(forms.ModelForm):
    events = forms.MultipleChoiceField(label=_("events"), choices=list(EVENTS.items()),
                                       widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = WebhookEndpoint
        fields = ["region", "name", "url", "format", "secret", "events", "active"]


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(RegionalAdmin):
    form = WebhookEndpointForm
    list_display = ("name", "url", "format", "active")


class AttemptInline(RegionalTabularInline):
    model = WebhookAttempt
    extra = 0
    can_delete = False
    readonly_fields = ("at", "response_code", "error")


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(RegionalAdmin):
    list_display = ("event", "endpoint", "status", "attempts", "last_response_code", "created_at")
    list_filter = ("status", "event", "endpoint")
    readonly_fields = [f.name for f in WebhookDelivery._meta.fields]
    inlines = [AttemptInline]

    def has_add_permission(self, request):
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(RegionalAdmin):
    """A region's tokens are those of its people (region_path: user__region)."""

    list_display = ("name", "user", "unit", "read_only", "prefix", "last_used_at", "revoked_at")
    readonly_fields = ("prefix", "key_hash", "created_at", "last_used_at")
    exclude = ()

    def has_add_permission(self, request):
        return False  # keys are issued on the API tokens page, which shows them once
