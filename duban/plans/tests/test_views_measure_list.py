"""The measure list: bookmarkable filters, pagination, the htmx partial, a bounded number of queries."""

import pytest
from django.urls import reverse

from duban.plans import views
from duban.plans.tests import factories

URL = reverse("plans:measure_list")


@pytest.fixture(autouse=True)
def english(settings):
    """Assert on the English msgids, whatever the zh-Hans catalogue says."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def ledger(db):
    return factories.small_plan()


@pytest.fixture
def reader(client, scjg_reporter):
    client.force_login(scjg_reporter)
    return client


def labels(response):
    return [m.label for m in response.context["page"].object_list]


def test_without_filters_lists_every_measure_in_plan_order(reader, ledger):
    response = reader.get(URL)
    assert labels(response) == ["2-1", "2-2", "2-3", "1-1", "1-2", "1-3"]
    assert "6 measures match" in response.text


def test_filter_by_lead_unit(reader, ledger):
    response = reader.get(URL, {"unit": ledger.scjg.pk})
    assert labels(response) == ["2-1", "2-2", "1-2"]
    assert "3 measures match" in response.text
    assert "(of 6)" in response.text


def test_lead_unit_filter_does_not_match_cooperating_units(reader, ledger):
    assert labels(reader.get(URL, {"unit": ledger.tax.pk})) == ["2-3"]


def test_unit_choices_show_aliases(reader, ledger):
    assert "区市场监管局（区市场监督管理局）" in reader.get(URL).text


def test_filter_by_leader(reader, ledger):
    wan = factories.leader("万勇")
    assert labels(reader.get(URL, {"leader": wan.pk})) == ["1-1", "1-2", "1-3"]


def test_filter_by_area_kind(reader, ledger):
    assert labels(reader.get(URL, {"kind": "indicator"})) == ["2-1", "2-2", "2-3"]
    assert labels(reader.get(URL, {"kind": "highlight"})) == []


def test_filter_by_deadline_month(reader, ledger):
    assert labels(reader.get(URL, {"month": "2023-11"})) == ["1-2", "1-3"]
    assert labels(reader.get(URL, {"month": "2023-12"})) == ["2-3"]  # a year-only deadline falls in December


def test_free_text_search_looks_at_measure_task_and_area(reader, ledger):
    assert labels(reader.get(URL, {"q": "破产"})) == ["2-2"]
    assert labels(reader.get(URL, {"q": "隐性门槛"})) == ["1-1", "1-2"]  # task text
    assert labels(reader.get(URL, {"q": "纳税"})) == ["2-3"]  # area name
    assert labels(reader.get(URL, {"q": "市场主体 成本"})) == ["2-1", "1-1", "1-2", "1-3"]  # every word


def test_filters_combine(reader, ledger):
    params = {"plan": ledger.plan.pk, "unit": ledger.scjg.pk, "leader": factories.leader("胡海").pk,
              "kind": "indicator", "month": "2023-10"}
    assert labels(reader.get(URL, params)) == ["2-2"]


def test_filter_by_plan(reader, ledger):
    other = factories.plan("另一个区2024年行动方案", year=2024)
    factories.measure(factories.area(other, "纳税"), "另一个方案的举措", lead=[ledger.scjg], annex=1, number=1)
    assert labels(reader.get(URL, {"plan": other.pk})) == ["1-1"]
    assert len(labels(reader.get(URL, {"plan": ledger.plan.pk}))) == 6


def test_invalid_filters_are_reported_and_left_out(reader, ledger):
    response = reader.get(URL, {"unit": 999999, "month": "2023-13", "kind": "x", "q": "破产"})
    assert labels(response) == ["2-2"]
    assert "These filters were left out." in response.text


def test_filters_are_kept_in_the_form(reader, ledger):
    response = reader.get(URL, {"unit": ledger.scjg.pk, "month": "2023-06"})
    assert f'<option value="{ledger.scjg.pk}" selected>' in response.text
    assert 'value="2023-06"' in response.text


def test_pagination_keeps_the_filters(reader, ledger, monkeypatch):
    monkeypatch.setattr(views, "MEASURES_PER_PAGE", 2)
    response = reader.get(URL, {"unit": ledger.scjg.pk})
    assert labels(response) == ["2-1", "2-2"]
    assert f"?unit={ledger.scjg.pk}&amp;page=2" in response.text
    response = reader.get(URL, {"unit": ledger.scjg.pk, "page": 2})
    assert labels(response) == ["1-2"]
    assert "Page 2 of 2" in response.text


def test_htmx_request_gets_only_the_results(reader, ledger):
    response = reader.get(URL, {"unit": ledger.scjg.pk}, headers={"HX-Request": "true", "HX-Target": "results"})
    assert "<html" not in response.text
    assert "3 measures match" in response.text
    assert "HX-Target" in response["Vary"]


def test_htmx_history_restore_gets_the_whole_page(reader, ledger):
    headers = {"HX-Request": "true", "HX-Target": "results", "HX-History-Restore-Request": "true"}
    assert "<html" in reader.get(URL, headers=headers).text


def test_query_count_does_not_grow_with_the_measures(reader, ledger, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # The working-day engine looks whether the calendar changed once a minute: on a slow machine that minute
    # could end between the two captures and add its three queries to one of them.
    settings.DUBAN_CALENDAR_RECHECK_SECONDS = 3600
    reader.get(URL)  # warm: the working-day engine reads its calendar once a process
    with CaptureQueriesContext(connection) as few:
        reader.get(URL)
    for i in range(30):
        factories.measure(ledger.costs, f"举措{i}", lead=[ledger.scjg, "区财政局"], cooperating=[ledger.tax],
                          task=ledger.task1, annex=1, number=10 + i)
    # session, user, savepoint ×2, the plans, two counts, the measures with plan/area/task, their lead units,
    # the unread notifications, the user's unit, the form's plans, units, aliases and leaders: however many measures.
    with CaptureQueriesContext(connection) as more:
        response = reader.get(URL)
    assert len(more) == len(few) <= 16, [q["sql"][:100] for q in more.captured_queries]
    assert len(labels(response)) == 36
