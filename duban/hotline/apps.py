from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HotlineConfig(AppConfig):
    name = "duban.hotline"
    label = "hotline"
    verbose_name = _("complaint hotline")

    def ready(self):
        from . import escalation, permissions  # noqa: F401 — register the rules and the tick jobs
        from .deadlines import register_deadlines

        register_deadlines()
