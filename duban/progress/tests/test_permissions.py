"""Who reaches which progress page: every view, every role, inside and outside their scope.

The report is 区市场监管局's on measure 2-2 (co-led by 区政数局, 区税务局 cooperating,
area 开办企业 chaired by 胡海). 区发改委's reporter is the outsider: 404 everywhere
an object is involved, so that guessing ids reveals nothing.
"""

import pytest
from django.urls import get_resolver, reverse

from duban.progress import services

from .conftest import upload, write

pytestmark = pytest.mark.django_db

# name → (method, args from the fixture `objects`)
VIEWS = {
    "home": ("get", None),
    "matrix": ("get", None),
    "export_district": ("get", None),
    "unit_ledger": ("get", "scjg"),
    "export_unit": ("get", "scjg"),
    "round_open": ("get", None),
    "round_detail": ("get", "round"),
    "report_detail": ("get", "report"),
    "report_edit": ("get", "report"),
    "report_compare": ("get", "report"),
    "report_autosave": ("post", "report"),
    "report_request_approval": ("post", "report"),
    "report_submit": ("post", "report"),
    "report_review": ("post", "report"),
    "contribution_save": ("post", "report"),
    "evidence_download": ("get", "evidence"),
    "evidence_remove": ("post", "evidence"),
}

OK = {200, 302}
# What each member of the cast gets; "ok" is 200 or a redirect after a POST.
EXPECTED = {
    "office": {
        "home": "ok", "matrix": "ok", "export_district": "ok", "unit_ledger": "ok", "export_unit": "ok",
        "round_open": "ok", "round_detail": "ok", "report_detail": "ok", "report_edit": 403, "report_compare": "ok",
        "report_autosave": 403, "report_request_approval": 403, "report_submit": 403, "report_review": "ok",
        "contribution_save": 403, "evidence_download": "ok", "evidence_remove": 403,
    },
    "scjg_reporter": {
        "home": "ok", "matrix": 403, "export_district": 403, "unit_ledger": "ok", "export_unit": "ok",
        "round_open": 403, "round_detail": "ok", "report_detail": "ok", "report_edit": "ok", "report_compare": "ok",
        "report_autosave": "ok", "report_request_approval": "ok", "report_submit": 403, "report_review": 403,
        "contribution_save": "ok", "evidence_download": "ok", "evidence_remove": "ok",
    },
    "scjg_head": {
        "home": "ok", "matrix": 403, "export_district": 403, "unit_ledger": "ok", "export_unit": "ok",
        "round_open": 403, "round_detail": "ok", "report_detail": "ok", "report_edit": "ok", "report_compare": "ok",
        "report_autosave": "ok", "report_request_approval": "ok", "report_submit": "ok", "report_review": 403,
        "contribution_save": "ok", "evidence_download": "ok", "evidence_remove": "ok",
    },
    # Cooperates on 2-2: reads the report and its files, adds a contribution, edits nothing.
    "tax_cooperator": {
        "home": "ok", "matrix": 403, "export_district": 403, "unit_ledger": 404, "export_unit": 404,
        "round_open": 403, "round_detail": "ok", "report_detail": "ok", "report_edit": 403, "report_compare": "ok",
        "report_autosave": 403, "report_request_approval": 403, "report_submit": 403, "report_review": 403,
        "contribution_save": "ok", "evidence_download": "ok", "evidence_remove": 403,
    },
    "tax_reporter": {
        "home": "ok", "matrix": 403, "export_district": 403, "unit_ledger": 404, "export_unit": 404,
        "round_open": 403, "round_detail": "ok", "report_detail": "ok", "report_edit": 404, "report_compare": "ok",
        "report_autosave": 404, "report_request_approval": 404, "report_submit": 403, "report_review": 403,
        "contribution_save": "ok", "evidence_download": "ok", "evidence_remove": 404,
    },
    # The outsider: leads 1-1 only.
    "fgw_reporter": {
        "home": "ok", "matrix": 403, "export_district": 403, "unit_ledger": 404, "export_unit": 404,
        "round_open": 403, "round_detail": "ok", "report_detail": 404, "report_edit": 404, "report_compare": 404,
        "report_autosave": 404, "report_request_approval": 404, "report_submit": 403, "report_review": 403,
        "contribution_save": 404, "evidence_download": 404, "evidence_remove": 404,
    },
    # 胡海 chairs 开办企业: reads its reports, the units leading in it, the matrix of his areas.
    "leader_user": {
        "home": "ok", "matrix": "ok", "export_district": "ok", "unit_ledger": "ok", "export_unit": "ok",
        "round_open": 403, "round_detail": "ok", "report_detail": "ok", "report_edit": 403, "report_compare": "ok",
        "report_autosave": 403, "report_request_approval": 403, "report_submit": 403, "report_review": 403,
        "contribution_save": 403, "evidence_download": "ok", "evidence_remove": 403,
    },
}


@pytest.fixture
def objects(ledger, round_, report, scjg_reporter):
    write(report, scjg_reporter)
    evidence = services.add_evidence(report, scjg_reporter, upload())
    return {"scjg": ledger.scjg, "round": round_, "report": report, "evidence": evidence}


def call(client, name, objects):
    method, key = VIEWS[name]
    url = reverse(f"progress:{name}", args=[objects[key].pk] if key else [])
    return getattr(client, method)(url)


def test_every_view_is_in_the_table():
    names = {p.name for p in get_resolver("duban.progress.urls").url_patterns}
    assert names == set(VIEWS)
    for who in EXPECTED.values():
        assert set(who) == set(VIEWS)


def test_anonymous_is_sent_to_log_in(client, objects):
    for name in VIEWS:
        response = call(client, name, objects)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), name


@pytest.mark.parametrize("who", list(EXPECTED))
def test_each_role_reaches_what_it_may(client, request, objects, who, zsj_reporter, tax_cooperator, fgw_reporter):
    user = request.getfixturevalue(who)
    client.force_login(user)
    wrong = {}
    for name, expected in EXPECTED[who].items():
        # Each view on a fresh report state: a submit or review must not change what the next one sees.
        status = call(client, name, objects).status_code
        if (expected == "ok" and status not in OK) or (expected != "ok" and status != expected):
            wrong[name] = (expected, status)
    assert wrong == {}


def test_a_leader_sees_nothing_outside_his_areas(client, leader_user, round_, ledger):
    other = round_.reports.get(measure=ledger.a1_1)  # 降低企业成本专项行动, chaired by 万勇
    client.force_login(leader_user)
    assert client.get(reverse("progress:report_detail", args=[other.pk])).status_code == 404
    fgw = ledger.a1_1.lead_units.get()
    assert client.get(reverse("progress:unit_ledger", args=[fgw.pk])).status_code == 404


def test_a_co_leading_unit_edits_the_shared_report(client, zsj_reporter, report):
    client.force_login(zsj_reporter)
    assert client.get(reverse("progress:report_edit", args=[report.pk])).status_code == 200


def test_an_outsider_never_sees_the_file(client, fgw_reporter, objects):
    client.force_login(fgw_reporter)
    response = client.get(reverse("progress:evidence_download", args=[objects["evidence"].pk]))
    assert response.status_code == 404 and b"%PDF" not in response.content
