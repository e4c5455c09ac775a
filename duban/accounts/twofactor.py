"""Optional TOTP two-factor log-in (django-otp) for office staff and administrators.

After the password, a user with a confirmed device is sent to the token page and
can reach nothing else until the token is accepted. Enrolment shows the secret
and the otpauth:// URI as text (and a QR code as an inline SVG image).
"""

import base64

import django_otp
import segno
from django import forms
from django.contrib import messages
from django.contrib.auth.signals import user_logged_in
from django.dispatch import Signal, receiver
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from .permissions import require

PENDING = "duban_otp_pending"
# Sent on a second factor's verification, right or wrong (duban.audit records both); `device` the one tried.
second_factor_verified = Signal()
second_factor_failed = Signal()


@receiver(user_logged_in, dispatch_uid="otp-pending-on-login")
def ask_for_token(sender, request, user, **kwargs):
    # Remember in the session, so that later requests need no query to know.
    if django_otp.user_has_device(user, confirmed=True) and not getattr(user, "otp_device", None):
        request.session[PENDING] = True


def otp_exempt(view):
    view.otp_exempt = True
    return view


class OTPRequiredMiddleware:
    """Sends a user who still owes a token to the token page (see module doc)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.session.get(PENDING) or not request.user.is_authenticated:
            return None
        if getattr(view_func, "otp_exempt", False) or request.path == reverse("logout"):
            return None
        if getattr(view_func, "login_required", True) is False:  # public pages: log-in, health check
            return None
        return redirect(f"{reverse('accounts:otp_verify')}?next={request.get_full_path()}")


class TokenForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Six-digit code from your authenticator app"), max_length=6, min_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


def _safe_next(request, default):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return default


@otp_exempt
def verify(request):
    devices = list(TOTPDevice.objects.filter(user=request.user, confirmed=True))
    if not devices:
        request.session.pop(PENDING, None)
        return redirect(_safe_next(request, reverse("home")))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = next((d for d in devices if d.verify_token(form.cleaned_data["token"])), None)
        if device is not None:
            django_otp.login(request, device)
            request.session.pop(PENDING, None)
            request.session.cycle_key()
            second_factor_verified.send(TOTPDevice, device=device)
            return redirect(_safe_next(request, reverse("home")))
        second_factor_failed.send(TOTPDevice, device=devices[0])
        form.add_error("token", _("That code is not right, or it has expired. Try the current one."))
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _safe_next(request, "")})


def setup(request):
    """Enrol a TOTP device: show the secret, confirm it with a first code."""
    require(request.user, "account.two_factor")
    confirmed = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    if confirmed:
        return render(request, "accounts/otp_setup.html", {"confirmed": confirmed, "form": TokenForm()})
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name=_("Authenticator app"), confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            django_otp.login(request, device)
            messages.success(request, _("Two-factor log-in is on. You will be asked for a code at each log-in."))
            return redirect("accounts:otp_setup")
        form.add_error("token", _("That code is not right. Check the time on your phone and try the current one."))
    uri = device.config_url
    ctx = {
        "form": form,
        "secret": base64.b32encode(device.bin_key).decode(),
        "uri": uri,
        "qr": segno.make(uri, error="m").svg_data_uri(scale=5, border=2),
    }
    return render(request, "accounts/otp_setup.html", ctx)


@require_POST
def disable(request):
    """Turn two-factor off; needs a current code, so a borrowed session cannot do it."""
    require(request.user, "account.two_factor")
    form = TokenForm(request.POST)
    devices = list(TOTPDevice.objects.filter(user=request.user, confirmed=True))
    if form.is_valid() and any(d.verify_token(form.cleaned_data["token"]) for d in devices):
        for device in devices:
            device.delete()
        messages.success(request, _("Two-factor log-in is off."))
        return redirect("accounts:otp_setup")
    confirmed = devices[0] if devices else None
    if form.is_valid():
        form.add_error("token", _("That code is not right, or it has expired. Try the current one."))
    return render(request, "accounts/otp_setup.html", {"confirmed": confirmed, "form": form}, status=400)
