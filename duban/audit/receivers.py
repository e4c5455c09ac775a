"""Log-ins, log-outs, failed log-ins, lockouts, and denials from permissions.require()."""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from duban.accounts import permissions
from duban.accounts.twofactor import second_factor_failed, second_factor_verified

from .trail import Action, record_denial, write


@receiver(user_logged_in, dispatch_uid="audit-login")
def logged_in(sender, request, user, **kwargs):
    write(Action.LOGIN, user=user, defer=True)


@receiver(user_logged_out, dispatch_uid="audit-logout")
def logged_out(sender, request, user, **kwargs):
    if user is not None:
        write(Action.LOGOUT, user=user, defer=True)


def region_of_username(username):
    """A failed log-in or lockout goes to the trail of the region of the account tried; none for an unknown name
    (superusers read those), so one region never learns of another's accounts."""
    User = get_user_model()
    return User.objects.filter(**{User.USERNAME_FIELD: username}).values_list("region_id", flat=True).first()


@receiver(user_login_failed, dispatch_uid="audit-login-failed")
def login_failed(sender, credentials, request=None, **kwargs):
    # The username tried, never the password (Django already replaces it with stars).
    username = str(credentials.get("username", ""))[:150]
    write(Action.LOGIN_FAILED, detail=f"username: {username}", defer=True, region=region_of_username(username))


@receiver(permissions.denied, dispatch_uid="audit-denied")
def denied(sender, user, action, obj=None, out_of_scope=False, **kwargs):
    record_denial(user, action, obj, out_of_scope=out_of_scope)


@receiver(second_factor_verified, dispatch_uid="audit-otp-verified")
def otp_verified(sender, device, **kwargs):
    write(Action.OTP_VERIFIED, instance=device, defer=True)


@receiver(second_factor_failed, dispatch_uid="audit-otp-failed")
def otp_failed(sender, device, **kwargs):
    write(Action.OTP_FAILED, instance=device, defer=True)


def locked_out(sender, request, username, ip_address, **kwargs):
    write(Action.LOCKED_OUT, detail=f"username: {username}", defer=True, region=region_of_username(username))
