"""Optional TOTP: office staff enrol, then each log-in asks for a code before any page."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from duban.audit.models import Entry
from duban.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def code(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def unthrottle(device):
    # A refused code makes the device wait before the next try (django-otp's throttling).
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.last_t = -1
    device.save()


def verified_login(client, user, device):
    from django_otp import DEVICE_ID_SESSION_KEY

    from duban.accounts.twofactor import PENDING

    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.pop(PENDING, None)
    session.save()


def log_in(client, username):
    return client.post("/login/", {"username": username, "password": PASSWORD})


def test_enrol_then_log_in_with_a_code(client, office):
    log_in(client, "office")
    page = client.get("/account/two-factor/")
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=office, confirmed=False)
    html = page.content.decode()
    assert "otpauth://totp/" in html and 'src="data:image/svg+xml' in html
    wrong = client.post("/account/two-factor/", {"token": "00000x"})
    assert wrong.status_code == 200 and not TOTPDevice.objects.get(pk=device.pk).confirmed
    unthrottle(device)
    assert client.post("/account/two-factor/", {"token": code(device)}).status_code == 302
    device.refresh_from_db()
    assert device.confirmed

    client.post("/logout/")
    assert log_in(client, "office").status_code == 302
    # Password alone is not enough now: every page sends to the code page.
    blocked = client.get("/plans/")
    assert blocked.status_code == 302 and blocked["Location"].startswith("/account/two-factor/verify/?next=/plans/")
    assert client.get("/admin/").status_code == 302
    refused = client.post("/account/two-factor/verify/", {"token": "12345x", "next": "/plans/"})
    assert refused.status_code == 200
    unthrottle(device)
    accepted = client.post("/account/two-factor/verify/", {"token": code(device), "next": "/plans/"})
    assert accepted.status_code == 302 and accepted["Location"] == "/plans/"
    assert client.get("/plans/").status_code == 200
    actions = set(Entry.objects.filter(username="office").values_list("action", flat=True))
    assert {"otp_verified", "login", "logout"} <= actions


def test_verify_refuses_an_outside_next(client, office):
    device = TOTPDevice.objects.create(user=office, name="phone", confirmed=True)
    log_in(client, "office")
    response = client.post("/account/two-factor/verify/", {"token": code(device), "next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == "/"


def test_reporters_cannot_enrol(client, scjg_reporter):
    client.force_login(scjg_reporter)
    assert client.get("/account/two-factor/").status_code == 403


def test_disable_needs_a_current_code(client, office):
    device = TOTPDevice.objects.create(user=office, name="phone", confirmed=True)
    verified_login(client, office, device)
    assert client.post("/account/two-factor/disable/", {"token": "99999a"}).status_code == 400
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    unthrottle(device)
    assert client.post("/account/two-factor/disable/", {"token": code(device)}).status_code == 302
    assert not TOTPDevice.objects.filter(user=office).exists()


def test_secret_is_masked_in_the_audit_trail(office):
    device = TOTPDevice.objects.create(user=office, name="phone", confirmed=False)
    entry = Entry.objects.get(model="otp_totp.totpdevice", object_id=str(device.pk))
    assert entry.after["key"] == "***" and device.key not in str(entry.after)
