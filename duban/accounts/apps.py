from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "duban.accounts"
    label = "accounts"
    verbose_name = _("accounts")
    # Recorded in the audit trail (duban.audit reads this): people, groups and their second factors.
    audited = {
        "accounts.User": {"exclude": ["last_login"], "mask": ["password"]},
        "auth.Group": {},
        "otp_totp.TOTPDevice": {"mask": ["key"], "exclude": ["last_t", "throttling_failure_timestamp",
                                                             "throttling_failure_count", "last_used_at", "drift"]},
        # The same devices as the admin changes them (a proxy's saves are sent as the proxy).
        "accounts.TwoFactorDevice": {"mask": ["key"], "exclude": ["last_t", "throttling_failure_timestamp",
                                                                  "throttling_failure_count", "last_used_at",
                                                                  "drift"]},
    }

    def ready(self):
        from .permissions import OFFICE, register

        # Two-factor enrolment (duban.accounts.twofactor) is offered to office staff and administrators.
        register("account.two_factor", OFFICE)
        # django-otp's own device admin (English) gives way to ours, in words (accounts/admin.py).
        from django.contrib import admin
        from django_otp.plugins.otp_totp.models import TOTPDevice

        if admin.site.is_registered(TOTPDevice):
            admin.site.unregister(TOTPDevice)
