"""The units directory and a unit's page."""

import pytest
from django.urls import reverse

from duban.plans.models import Unit
from duban.plans.tests import factories
from duban.conftest import HOME


@pytest.fixture(autouse=True)
def english(settings):
    """Assert on the English msgids, whatever the zh-Hans catalogue says."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def ledger(db):
    return factories.small_plan()


def test_directory_groups_units_by_kind_with_counts(client, office, ledger):
    client.force_login(office)
    response = client.get(reverse("plans:unit_list"))
    groups = dict(response.context["groups"])
    departments = {u.name: (u.led_count, u.cooperating_count) for u in groups["district department"]}
    assert departments["区市场监管局"] == (3, 0)
    assert departments["区政数局"] == (1, 0)
    assert [u.name for u in groups["vertically managed branch"]] == ["区税务局"]
    assert (groups["vertically managed branch"][0].led_count, groups["vertically managed branch"][0].cooperating_count) == (1, 1)
    assert [u.name for u in groups["street office"]] == ["南站街道"]
    assert "区市场监督管理局" in response.text  # alias
    assert [label for label, _ in response.context["groups"]] == ["district department", "street office",
                                                                  "vertically managed branch"]


def test_unit_page_lists_measures_led_and_cooperated_and_aliases(client, tax_reporter, ledger):
    client.force_login(tax_reporter)
    response = client.get(ledger.tax.get_absolute_url())
    assert [m.label for m in response.context["led"]] == ["2-3"]
    assert [m.label for m in response.context["cooperating"]] == ["2-2"]
    assert {a.name for a in response.context["areas"]} == {"开办企业", "纳税"}


def test_unit_page_shows_aliases_and_links_to_the_filtered_list(client, scjg_reporter, ledger):
    client.force_login(scjg_reporter)
    text = client.get(ledger.scjg.get_absolute_url()).text
    assert "区市场监督管理局" in text
    assert f'{reverse("plans:measure_list")}?unit={ledger.scjg.pk}' in text


def test_unit_without_measures(client, office, db):
    client.force_login(office)
    unit = Unit.objects.create(region_id=HOME, name="区档案馆")
    text = client.get(unit.get_absolute_url()).text
    assert "No measures." in text


def test_unconfirmed_units_are_marked(client, office, ledger):
    Unit.objects.filter(pk=ledger.street.pk).update(confirmed=False)
    client.force_login(office)
    assert "unconfirmed" in client.get(ledger.street.get_absolute_url()).text
    assert client.get(reverse("plans:unit_list")).text.count("unconfirmed") == 1
