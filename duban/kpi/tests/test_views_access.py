"""Who may see and change each KPI page: every view against the whole cast.

The office (and admin) review proposals, edit metrics and correct values; a unit's
reporter and head report only for metrics their unit owns (another unit's metric
is a 404, so ids reveal nothing); a leader reads; everyone signed in reads.
"""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from . import factories

CAST = ["office", "admin_user", "scjg_reporter", "scjg_head", "tax_reporter", "leader_user"]
OFFICE = {"office", "admin_user"}


@pytest.fixture
def k(kpi):
    kpi.days_q1.evidence.save("evidence.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    kpi.proposal = factories.proposal(kpi.startup)
    return kpi


def expected(who, allowed, outside=()):
    """200/302 for those allowed, 404 for those whose role may act but not on this object, else 403."""
    if who in allowed:
        return "ok"
    return 404 if who in outside else 403


# (name, method, url(k), data or data(k), who may, who gets 404 instead of 403)
VIEWS = [
    ("dashboard", "get", lambda k: reverse("kpi:dashboard"), None, set(CAST), ()),
    ("dashboard of a plan", "get", lambda k: reverse("kpi:dashboard") + f"?plan={k.plan.pk}", None, set(CAST), ()),
    ("area", "get", lambda k: reverse("kpi:area_detail", args=[k.startup.pk]), None, set(CAST), ()),
    ("metric", "get", lambda k: reverse("kpi:metric_detail", args=[k.days.pk]), None, set(CAST), ()),
    ("evidence", "get", lambda k: reverse("kpi:value_evidence", args=[k.days_q1.pk]), None, set(CAST), ()),
    ("export", "get", lambda k: reverse("kpi:values_export") + f"?plan={k.plan.pk}", None, set(CAST), ()),
    ("report for 区市场监管局", "post", lambda k: reverse("kpi:metric_report", args=[k.days.pk]),
     {"period": "2023-Q3", "value": "0.5"}, OFFICE | {"scjg_reporter", "scjg_head"}, {"tax_reporter"}),
    ("report for 区税务局", "post", lambda k: reverse("kpi:metric_report", args=[k.hours.pk]),
     {"period": "2023-Q2", "value": "75"}, OFFICE | {"tax_reporter"}, {"scjg_reporter", "scjg_head"}),
    ("import page", "get", lambda k: reverse("kpi:values_import"), None,
     OFFICE | {"scjg_reporter", "scjg_head", "tax_reporter"}, ()),
    ("correct", "get", lambda k: reverse("kpi:value_correct", args=[k.days_q1.pk]), None, OFFICE, ()),
    ("correct (post)", "post", lambda k: reverse("kpi:value_correct", args=[k.days_q1.pk]),
     {"value": "0.9", "reason": "台账核对"}, OFFICE, ()),
    ("proposals", "get", lambda k: reverse("kpi:proposal_list"), None, OFFICE, ()),
    ("propose again", "post", lambda k: reverse("kpi:proposal_list"), lambda k: {"plan": k.plan.pk}, OFFICE, ()),
    ("confirm", "get", lambda k: reverse("kpi:proposal_confirm", args=[k.proposal.pk]), None, OFFICE, ()),
    ("discard", "post", lambda k: reverse("kpi:proposal_discard", args=[k.proposal.pk]), {}, OFFICE, ()),
    ("reopen", "post", lambda k: reverse("kpi:proposal_reopen", args=[k.proposal.pk]), {}, OFFICE, ()),
    ("new metric", "get", lambda k: reverse("kpi:metric_new") + f"?plan={k.plan.pk}", None, OFFICE, ()),
    ("edit metric", "get", lambda k: reverse("kpi:metric_edit", args=[k.rate.pk]), None, OFFICE, ()),
    ("delete metric", "post", lambda k: reverse("kpi:metric_delete", args=[k.rate.pk]), {}, OFFICE, ()),
]


@pytest.mark.parametrize("who", CAST)
@pytest.mark.parametrize("name, method, url, data, allowed, outside", VIEWS, ids=[v[0] for v in VIEWS])
def test_who_may(client, request, k, who, name, method, url, data, allowed, outside):
    client.force_login(request.getfixturevalue(who))
    response = getattr(client, method)(url(k), data(k) if callable(data) else data or {})
    want = expected(who, allowed, outside)
    if want == "ok":
        assert response.status_code in (200, 302), response.status_code
    else:
        assert response.status_code == want


@pytest.mark.parametrize("name, method, url, data, allowed, outside", VIEWS, ids=[v[0] for v in VIEWS])
def test_anonymous_is_sent_to_log_in(client, k, name, method, url, data, allowed, outside):
    response = getattr(client, method)(url(k), data(k) if callable(data) else data or {})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_refused_report_changes_nothing(client, k, tax_reporter):
    client.force_login(tax_reporter)
    client.post(reverse("kpi:metric_report", args=[k.days.pk]), {"period": "2023-Q3", "value": "9"})
    assert not k.days.values.filter(period="2023-Q3").exists()


def test_changing_views_refuse_get(client, k, office):
    client.force_login(office)
    for name, args in [("metric_report", [k.days.pk]), ("metric_delete", [k.rate.pk]),
                       ("proposal_discard", [k.proposal.pk])]:
        assert client.get(reverse(f"kpi:{name}", args=args)).status_code == 405


@pytest.mark.parametrize("name", ["area_detail", "metric_detail", "metric_edit", "value_correct", "proposal_confirm"])
def test_missing_ids_are_404(client, office, name):
    client.force_login(office)
    assert client.get(reverse(f"kpi:{name}", args=[999999])).status_code == 404


def test_a_bad_plan_parameter_is_404(client, office, kpi):
    client.force_login(office)
    assert client.get(reverse("kpi:dashboard") + "?plan=abc").status_code == 404
    assert client.get(reverse("kpi:dashboard") + "?plan=999999").status_code == 404
