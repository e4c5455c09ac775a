from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "duban.api"
    label = "api"
    verbose_name = _("API")
    # Who created or revoked which token, and when (its key is never stored; its hash masked all the same).
    audited = {"api.ApiToken": {"mask": ["key_hash"], "exclude": ["last_used_at"]}}

    def ready(self):
        from duban.core import events

        from . import permissions, webhooks  # noqa: F401 — register permission rules and the delivery job

        events.subscribe("api.webhooks", webhooks.queue_deliveries)
