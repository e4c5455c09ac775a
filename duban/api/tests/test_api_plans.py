import pytest
from django.test import override_settings

from duban.accounts.models import Role
from duban.api.models import ApiToken
from duban.conftest import make_user
from duban.plans.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def ledger(units):
    plan = factories.plan()
    startup = factories.area(plan, "开办企业", chief="胡海", lead=[units["scjg"]])
    tax = factories.area(plan, "纳税", chief="胡海", lead=[units["tax"]])
    return {
        "plan": plan,
        "scjg": factories.measure(startup, "全程网办", lead=[units["scjg"]], deadline="2023-06-30"),
        "tax": factories.measure(tax, "出口退税3个工作日", lead=[units["tax"]], deadline="2023-09-30",
                                 cooperating=[units["scjg"]]),
        "tax_only": factories.measure(tax, "发票电子化", lead=[units["tax"]], deadline="2023-12-31"),
    }


def bearer(key):
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_no_token_is_401_in_the_common_error_shape(client):
    response = client.get("/api/v1/measures")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"
    assert response.json()["error"]["message_zh"]


def test_office_token_reads_every_measure(client, office, ledger):
    _, key = ApiToken.issue(name="脚本", user=office)
    data = client.get("/api/v1/measures", **bearer(key)).json()
    assert data["count"] == 3
    assert {m["text"] for m in data["items"]} == {"全程网办", "出口退税3个工作日", "发票电子化"}


def test_unit_scoped_token_sees_only_that_unit(client, office, ledger, units):
    _, key = ApiToken.issue(name="市场监管局系统", user=office, unit=units["scjg"])
    data = client.get("/api/v1/measures", **bearer(key)).json()
    assert {m["text"] for m in data["items"]} == {"全程网办", "出口退税3个工作日"}  # leads one, cooperates on one
    other = ledger["tax_only"].pk
    assert client.get(f"/api/v1/measures/{other}", **bearer(key)).status_code == 404


@override_settings(DUBAN_TODAY="2023-07-10")
def test_filters_by_unit_light_and_deadline(client, office, ledger, units):
    _, key = ApiToken.issue(name="x", user=office)
    get = lambda q: {m["text"] for m in client.get(f"/api/v1/measures?{q}", **bearer(key)).json()["items"]}  # noqa: E731
    assert get(f"unit={units['tax'].pk}") == {"出口退税3个工作日", "发票电子化"}
    assert get("light=red") == {"全程网办"}
    assert get("deadline_from=2023-07-01&deadline_to=2023-10-01") == {"出口退税3个工作日"}
    assert client.get("/api/v1/measures?light=purple", **bearer(key)).json()["error"]["code"] == "invalid"


def test_revoked_and_inactive_tokens_are_refused(client, office, ledger):
    token, key = ApiToken.issue(name="x", user=office)
    assert client.get("/api/v1/plans", **bearer(key)).status_code == 200
    token.revoked_at = token.created_at
    token.save()
    assert client.get("/api/v1/plans", **bearer(key)).status_code == 401


@override_settings(DUBAN_API_RATE_PER_MINUTE=3, DUBAN_TODAY="2023-07-10T10:00")
def test_rate_limit(client, office, ledger):
    _, key = ApiToken.issue(name="x", user=office)
    codes = [client.get("/api/v1/plans", **bearer(key)).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert client.get("/api/v1/plans", **bearer(key)).json()["error"]["code"] == "rate_limited"


def test_openapi_document_is_public(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert "/api/v1/measures" in response.json()["paths"]


def test_token_page_creates_shows_once_and_revokes(client, scjg_reporter, units):
    client.force_login(scjg_reporter)
    response = client.post("/api/tokens/", {"name": "本局脚本", "unit": units["scjg"].pk, "read_only": "on"})
    token = ApiToken.objects.get()
    key = response.context["new_key"]
    assert key.startswith("dbn_") and key in response.content.decode()
    assert token.unit == units["scjg"] and token.read_only and token.user == scjg_reporter
    assert key not in client.get("/api/tokens/").content.decode()
    # A reporter cannot make a token for another unit.
    response = client.post("/api/tokens/", {"name": "越权", "unit": units["tax"].pk})
    assert ApiToken.objects.count() == 1
    client.post(f"/api/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_token_page_permissions(client, leader_user, tax_reporter, scjg_reporter):
    assert client.get("/api/tokens/").status_code == 302  # anonymous → log in
    client.force_login(leader_user)
    assert client.get("/api/tokens/").status_code == 403
    theirs, _ = ApiToken.issue(name="x", user=scjg_reporter)
    client.force_login(tax_reporter)
    assert client.post(f"/api/tokens/{theirs.pk}/revoke/").status_code == 404


def test_cooperator_role_cannot_manage_tokens(client, units):
    user = make_user("coop", Role.COOPERATOR, units["tax"])
    client.force_login(user)
    assert client.get("/api/tokens/").status_code == 403


def test_absurd_pages_are_refused_not_a_server_error(client, office, ledger):
    _, key = ApiToken.issue(name="x", user=office)
    for query in ("offset=1700088501966713591523442688", "limit=0", "limit=100000", "offset=-1"):
        response = client.get(f"/api/v1/reviews?{query}", **bearer(key))
        assert response.status_code == 422, query
    assert client.get("/api/v1/measures?limit=2&offset=1", **bearer(key)).json()["count"] == 3
