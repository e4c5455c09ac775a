from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "duban.core"
    label = "core"
    verbose_name = _("core")
    # Recorded in the audit trail (duban.audit reads this; core imports no app above it).
    audited = {"core.Region": {}, "core.RobotChannel": {"mask": ["url"]}}
