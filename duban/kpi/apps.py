from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KpiConfig(AppConfig):
    name = "duban.kpi"
    label = "kpi"
    verbose_name = _("indicator targets")

    def ready(self):
        from duban.plans.services import plan_imported

        from . import permissions  # noqa: F401  (register the kpi.* actions)

        plan_imported.connect(propose_on_import, dispatch_uid="kpi-propose-on-import")
        from duban.core.todo import source

        from . import todo

        source(todo.tasks)  # what this app puts on each person's to-do page (duban.todo)


def propose_on_import(sender, plan, **kwargs):
    """Every imported plan gets its targets proposed for the office to confirm."""
    from .services import propose_metrics

    propose_metrics(plan)
    return {"metric_proposals": plan.metric_proposals.count()}
