from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KpiConfig(AppConfig):
    name = "duban.kpi"
    label = "kpi"
    verbose_name = _("indicator targets")

    def ready(self):
        from . import leader, permissions  # noqa: F401  (register the kpi.* actions and the leader page's block)
