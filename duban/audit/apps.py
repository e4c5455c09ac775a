from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _

# Business data whose every change is recorded. Other apps register their own
# models with duban.audit.register() in their AppConfig.ready().
AUDITED = {
    "plans.Region": {},
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
    "accounts.User": {"exclude": ["last_login"], "mask": ["password"]},
    "auth.Group": {},
    "calendar.Notice": {},
    "calendar.Holiday": {},
    "calendar.Override": {},
    "core.RobotChannel": {"mask": ["url"]},
    # Who created or revoked which token, and when (its key is never stored; its hash masked all the same).
    "api.ApiToken": {"mask": ["key_hash"], "exclude": ["last_used_at"]},
    "otp_totp.TOTPDevice": {"mask": ["key"], "exclude": ["last_t", "throttling_failure_timestamp",
                                                         "throttling_failure_count", "last_used_at", "drift"]},
}


class AuditConfig(AppConfig):
    name = "duban.audit"
    label = "audit"
    verbose_name = _("audit trail")

    def ready(self):
        from axes.signals import user_locked_out

        from duban.accounts.permissions import OFFICE, register as register_rule

        from . import receivers
        from .trail import register

        register_rule("audit.view", OFFICE)
        # Two-factor enrolment (duban.accounts.twofactor) is offered to office staff and administrators.
        register_rule("account.two_factor", OFFICE)
        user_locked_out.connect(receivers.locked_out, dispatch_uid="audit-locked-out")
        for name, options in AUDITED.items():
            register(apps.get_model(name), **options)
