"""The third-party apps' words in the admin, in Chinese: django-axes (log-in lockout), django-otp (two-factor
devices) and the admin's own new table headings, which their catalogues do not translate.

Strings those apps pass through gettext are listed in MESSAGES, so that Duban's catalogue (which Django
reads before theirs) holds them; names they write as plain strings (django-otp's TOTP device, its fields'
help texts) and the apps' titles are set here, from CoreConfig.ready().
"""

from django.utils.translation import gettext_lazy as _

MESSAGES = (
    # django.contrib.admin 5.x (app_list.html's headings, not in Django's zh_Hans catalogue yet)
    _("Model name"), _("Add link"), _("Change or view list link"),
    # django-axes
    _("Access Attempt"), _("Access lock out"), _("Attempt Time"), _("Expires At"), _("Failed Logins"),
    _("Form Data"), _("GET Data"), _("HTTP Accept"), _("IP Address"), _("Locked Out"), _("Logout Time"),
    _("Meta Data"), _("POST Data"), _("Path"), _("Session key hash (sha256)"), _("User Agent"), _("Username"),
    _("The time when access attempt expires and is no longer valid."), _("access attempt"),
    _("access attempts"), _("access attempt expiration"), _("access attempt expirations"), _("access failure"),
    _("access failures"), _("access log"), _("access logs"), _("Attempt Remaining"), _("Not set"),
    # Django's user admin
    _("After you’ve created a user, you’ll be able to edit more user options."),
)

APP_TITLES = {
    "axes": _("log-in lockout"),
    "otp_totp": _("two-factor devices"),
}

# django-otp's TOTP device, as our admin shows it (duban.accounts.models.TwoFactorDevice, a proxy):
# field → (label, help text). Set on the admin's form, not on the model (which would ask for a migration of
# django-otp's own app).
TOTP_FIELDS = {
    "user": (_("user"), _("The person this device belongs to.")),
    "name": (_("name"), _("A name for this device, such as the phone it is on.")),
    "confirmed": (_("confirmed"), _("Whether the device is ready for use.")),
    "key": (_("secret key"), _("The device's secret, hex-encoded.")),
    "step": (_("time step"), _("Seconds each code is valid for.")),
    "t0": (_("start time"), _("When the counting of time steps begins (Unix time).")),
    "digits": (_("digits"), _("How many digits a code has.")),
    "tolerance": (_("tolerance"), _("How many time steps early or late a code is still accepted.")),
    "drift": (_("drift"), _("How many time steps the device's clock is off.")),
    "last_t": (_("last time step used"), _("The next code must be of a later time step.")),
    "throttling_failure_timestamp": (_("last failure at"), _("When the last wrong code was given.")),
    "throttling_failure_count": (_("failures in a row"), _("How many wrong codes in a row.")),
    "created_at": (_("created at"), _("When the device was added.")),
    "last_used_at": (_("last used at"), _("When a code of this device was last accepted.")),
}


TOTP_DEVICE = (_("two-factor device"), _("two-factor devices"))


def in_words():
    """Third-party apps' titles, and django-otp's device named in words where Django lists related objects
    (a user's deletion page, the audit trail). Only the names in use change: a model's `original_attrs`,
    which migrations read, are left as they are, so no migration of django-otp's app is asked for."""
    from django.apps import apps

    for label, title in APP_TITLES.items():
        if label in apps.app_configs:
            apps.get_app_config(label).verbose_name = title
    try:
        from django_otp.plugins.otp_totp.models import TOTPDevice
    except ImportError:  # pragma: no cover — django-otp is a dependency
        return
    TOTPDevice._meta.verbose_name, TOTPDevice._meta.verbose_name_plural = TOTP_DEVICE
