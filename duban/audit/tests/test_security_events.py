"""Log-ins, failed log-ins, lockouts, permission denials and personal-data views are recorded."""

import pytest
from django.test import RequestFactory

from duban import audit
from duban.accounts import permissions
from duban.accounts.models import Role
from duban.audit.models import Entry
from duban.conftest import HOME, PASSWORD
from duban.plans.models import Area, Measure, Plan

pytestmark = pytest.mark.django_db


def test_log_in_and_failed_log_in_are_recorded(client, scjg_reporter):
    client.post("/login/", {"username": "scjg_reporter", "password": "wrong-password"}, REMOTE_ADDR="10.0.0.7")
    failed = Entry.objects.get(action="login_failed")
    assert failed.detail == "username: scjg_reporter" and failed.ip == "10.0.0.7" and "wrong" not in str(failed.__dict__)
    response = client.post("/login/", {"username": "scjg_reporter", "password": PASSWORD}, REMOTE_ADDR="10.0.0.7")
    assert response.status_code == 302
    login = Entry.objects.get(action="login")
    assert (login.username, login.user_pk, login.ip) == ("scjg_reporter", scjg_reporter.pk, "10.0.0.7")
    client.post("/logout/")
    assert Entry.objects.filter(action="logout", username="scjg_reporter").exists()


def test_a_denied_page_is_recorded_although_the_view_rolled_back(client, tax_reporter):
    client.force_login(tax_reporter)
    assert client.get("/audit/", REMOTE_ADDR="10.0.0.9").status_code == 403
    denied = Entry.objects.get(action="denied")
    assert (denied.username, denied.detail, denied.ip) == ("tax_reporter", "audit.view", "10.0.0.9")
    assert denied.source == "GET /audit/"


def test_an_object_outside_the_scope_is_recorded(monkeypatch, tax_reporter, units):
    monkeypatch.setitem(permissions.RULES, "test.report", {Role.REPORTER: permissions.OWN_UNIT})
    plan = Plan.objects.create(region_id=HOME, year=2026, title="方案")
    measure = Measure.objects.create(plan=plan, area=Area.objects.create(plan=plan, kind="indicator", name="纳税"),
                                     text="举措")
    with pytest.raises(Exception) as raised:
        permissions.require(tax_reporter, "test.report", measure)
    assert raised.type.__name__ == "Http404"
    entry = Entry.objects.get(action="out_of_scope")
    assert (entry.model, entry.object_id, entry.detail) == ("plans.measure", str(measure.pk), "test.report")


def test_viewing_unmasked_personal_data_is_recorded(office, units):
    request = RequestFactory().get("/hotline/complaints/1/", REMOTE_ADDR="10.0.0.3")
    request.user = office
    audit.record_personal_data_view(request, units["scjg"], "phone")
    entry = Entry.objects.get(action="personal_data")
    assert (entry.username, entry.model, entry.detail) == ("office", "plans.unit", "phone")


def test_lockout_after_repeated_failures(client, scjg_reporter, settings):
    statuses = [
        client.post("/login/", {"username": "scjg_reporter", "password": "wrong"}, REMOTE_ADDR="10.0.0.5").status_code
        for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert statuses == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    # Now even the right password is refused, from this address, for this user …
    locked = client.post("/login/", {"username": "scjg_reporter", "password": PASSWORD}, REMOTE_ADDR="10.0.0.5")
    assert locked.status_code == 429
    assert "Too many wrong passwords" in locked.content.decode() or "密码" in locked.content.decode()
    assert Entry.objects.filter(action="locked_out").exists()
    assert "_auth_user_id" not in client.session
    # … but not from another address (a shared office NAT is not locked out by one person).
    other = client.post("/login/", {"username": "scjg_reporter", "password": PASSWORD}, REMOTE_ADDR="10.0.0.6")
    assert other.status_code == 302


def test_search_page_for_the_office(client, office, units):
    client.force_login(office)
    page = client.get("/audit/", {"model": "plans.unit"})
    assert page.status_code == 200 and "区市场监管局" in page.content.decode()
    entry = Entry.objects.filter(model="plans.unit").first()
    detail = client.get(f"/audit/{entry.pk}/")
    assert detail.status_code == 200 and "区" in detail.content.decode()
    assert client.get("/audit/", {"ip": "not-an-address"}).status_code == 200


def test_client_ip_trusts_only_our_proxies(settings):
    from duban.core.addresses import client_ip

    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    settings.DUBAN_PROXY_COUNT = 0
    assert client_ip(request) == "127.0.0.1"
    settings.DUBAN_PROXY_COUNT = 1
    assert client_ip(request) == "203.0.113.9"  # the address nginx saw, not the one the client claimed
