from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    name = "duban.public"
    label = "public"
    verbose_name = _("public progress page")

    def ready(self):
        from . import permissions, policy_sections, sections  # noqa: F401 — who may publish; the sections
