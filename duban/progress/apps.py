from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgressConfig(AppConfig):
    name = "duban.progress"
    label = "progress"
    verbose_name = _("progress reporting")

    def ready(self):
        from duban.calendar import deadlines

        from . import permissions, receivers, reminders  # noqa: F401 — the rules, the tally upkeep, the tick job
        from .models import ReportingRound

        # A round's due date counts working days: recompute it when the calendar changes.
        deadlines.register(
            ReportingRound, "due_on", compute=ReportingRound.compute_due, provisional_field="due_provisional"
        )
        from duban.core.todo import source

        from . import todo

        source(todo.tasks)  # what this app puts on each person's to-do page (duban.todo)
