from django.apps import AppConfig
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class VisitsConfig(AppConfig):
    name = "duban.visits"
    label = "visits"
    verbose_name = _("enterprise visits")

    def ready(self):
        from duban import audit
        from duban.calendar import deadlines
        from duban.hotline import clocks

        # The rules and the tick job (supervision reads the problems itself: supervision/visit_sources.py).
        from . import escalation, permissions  # noqa: F401
        from .models import Company, Problem, Visit, VisitAssignment

        deadlines.register(Problem, "reply_due", compute=lambda p: clocks.reply_deadline(p.raised_at, p.difficulty),
                           open=Q(state=Problem.State.ROUTED), provisional_field="reply_due_provisional")
        for model in (Company, VisitAssignment, Visit, Problem):
            audit.register(model)
