from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TodoConfig(AppConfig):
    """我的待办: each person's home page, read from the sources the domain apps register in duban.core.todo."""

    name = "duban.todo"
    label = "todo"
    verbose_name = _("my work")

    def ready(self):
        from . import digest  # noqa: F401 — registers the daily-digest tick job
