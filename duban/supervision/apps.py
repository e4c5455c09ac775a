from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "duban.supervision"
    label = "supervision"
    verbose_name = _("dispatch and supervision")

    def ready(self):
        # Permission rules, and the agenda sources and statistics columns other apps' data gives.
        # And the indicators Duban computes from the hotline's and the reports' data.
        from . import (  # noqa: F401
            hotline_sources,
            kpi_computed,
            kpi_sources,
            permissions,
            progress_sources,
        )
