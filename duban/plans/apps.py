from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "duban.plans"
    label = "plans"
    verbose_name = _("plan ledger")
    # Recorded in the audit trail (duban.audit reads this).
    audited = {
        "plans.Plan": {"exclude": ["imported_at"]},
        "plans.Leader": {},
        "plans.Unit": {},
        "plans.UnitAlias": {},
        "plans.Area": {},
        "plans.Campaign": {},
        "plans.Task": {},
        "plans.Measure": {},
        "plans.MeasureLeadUnit": {},
        "plans.MeasureCooperatingUnit": {},
        "plans.Milestone": {},
    }

    def ready(self):
        from . import jobs  # noqa: F401 — registers the housekeeping tick job
        from duban.core.todo import source

        from . import todo

        source(todo.tasks)  # what this app puts on each person's to-do page (duban.todo)
