from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "duban.supervision"
    label = "supervision"
    verbose_name = _("dispatch and supervision")

    def ready(self):
        # Permission rules, and the agenda sources, statistics columns and leader-page blocks other apps' data gives.
        from . import hotline_sources, kpi_sources, leader_sections, permissions, progress_sources  # noqa: F401

        # Then the indicators Duban computes from the hotline's and the reports' data (after the providers, whose
        # order is the columns').
        from . import kpi_computed  # noqa: F401

        # Last, the problems raised on enterprise visits: their columns follow the complaints' and the indicators'.
        from . import visit_sources  # noqa: F401
        from duban.core.todo import source

        from . import todo

        source(todo.tasks)  # what this app puts on each person's to-do page (duban.todo)
