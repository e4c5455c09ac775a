from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "duban.audit"
    label = "audit"
    verbose_name = _("audit trail")

    def ready(self):
        from axes.signals import user_locked_out

        from duban.accounts.permissions import OFFICE
        from duban.accounts.permissions import register as register_rule

        from . import receivers
        from .trail import register

        register_rule("audit.view", OFFICE)
        user_locked_out.connect(receivers.locked_out, dispatch_uid="audit-locked-out")
        # Business data whose every change is recorded: each app names its own in its AppConfig's `audited`
        # ({"app.Model": {"exclude": [...], "mask": [...]}}), read here without importing it.
        for config in apps.get_app_configs():
            for name, options in getattr(config, "audited", {}).items():
                register(apps.get_model(name), **options)
