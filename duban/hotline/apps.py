from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HotlineConfig(AppConfig):
    name = "duban.hotline"
    label = "hotline"
    verbose_name = _("complaint hotline")

    def ready(self):
        from duban import audit

        from . import categories, escalation, permissions, privacy  # noqa: F401 — the rules, the tick jobs
        from .deadlines import register_deadlines
        from .models import Appeal, Category, Complaint, Extension, Rectification, Review

        register_deadlines()
        categories.connect()  # a new region gets its own complaint categories
        # Changes go to the audit trail; personal data appears there masked.
        audit.register(Complaint, exclude=["updated_at", "form_token", "next_due_provisional"],
                       mask=["contact_name", "mobile"])
        audit.register(Review, mask=["reviewer_name", "reviewer_mobile"])
        for model in (Category, Extension, Rectification, Appeal):
            audit.register(model)
        from duban.core.todo import source

        from . import todo

        source(todo.tasks)  # what this app puts on each person's to-do page (duban.todo)
