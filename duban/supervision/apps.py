from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "duban.supervision"
    label = "supervision"
    verbose_name = _("dispatch and supervision")

    def ready(self):
        from . import permissions  # noqa: F401 — registers the supervision permission rules
