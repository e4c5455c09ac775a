from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "duban.supervision"
    label = "supervision"
    verbose_name = _("dispatch and supervision")

    def ready(self):
        # Permission rules, and the agenda sources, statistics columns and leader-page blocks other apps' data gives.
        from . import (  # noqa: F401
            hotline_sources, kpi_sources, leader_sections, permissions, progress_sources, visit_sources,
        )
