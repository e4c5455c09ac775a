import pytest

from duban.plans.models import Measure, MeasureLeadUnit, Unit, UnitAlias
from duban.plans.units import UnitDirectoryError, UnitResolver, guess_kind, import_unit_directory, merge_units

from . import factories
from duban.conftest import HOME

pytestmark = pytest.mark.django_db


def test_resolver_uses_aliases_and_spelling_rules():
    court = Unit.objects.create(region_id=HOME, name="区法院", kind="judicial")
    power = Unit.objects.create(region_id=HOME, name="西湖供电公司", kind="branch")
    UnitAlias.objects.create(unit=power, alias="西湖电力公司")
    resolver = UnitResolver(court.region_id)
    assert resolver.resolve("区人民法院") == court
    assert resolver.resolve("西湖 电力公司") == power
    assert resolver.resolve("區法院") == court
    new = resolver.resolve("区新设局")
    assert new.name == "区新设局" and resolver.created == [new]


@pytest.mark.parametrize("name, kind", [
    ("南站街道", "street"), ("区人民检察院", "judicial"), ("区税务局", "branch"), ("西湖公安分局", "branch"),
    ("市燃气集团", "enterprise"), ("区发改委", "department"),
])
def test_guess_kind(name, kind):
    assert guess_kind(name) == kind


def test_directory_import_errors_name_the_line():
    with pytest.raises(UnitDirectoryError, match="units:3: unknown kind 'agency'"):
        import_unit_directory("name,kind,aliases\n区财政局,department,\n区审计局,agency,\n")
    assert not Unit.objects.exists()  # all or nothing
    with pytest.raises(UnitDirectoryError, match="missing column"):
        import_unit_directory("unit\n区财政局\n")
    with pytest.raises(UnitDirectoryError, match="not a unit name"):
        import_unit_directory("name,kind\n区直各有关单位,department\n")


def test_merge_moves_links_and_keeps_the_name_as_alias(admin_client):
    area = factories.area(factories.plan())
    keep = Unit.objects.create(region_id=HOME, name="区法院")
    other = Unit.objects.create(region_id=HOME, name="区人民法院x")
    m1 = factories.measure(area, lead=[other])
    m2 = factories.measure(area, lead=[keep, other])
    response = admin_client.post("/admin/plans/unit/", {
        "action": "merge_units", "_selected_action": [keep.pk, other.pk], "keep": keep.pk})
    assert response.status_code == 302
    assert not Unit.objects.filter(pk=other.pk).exists()
    assert UnitAlias.objects.get(alias="区人民法院x").unit == keep
    assert [u.name for u in Measure.objects.get(pk=m1.pk).ordered_lead_units()] == ["区法院"]
    assert MeasureLeadUnit.objects.filter(measure=m2).count() == 1


def test_merge_action_asks_which_to_keep(admin_client):
    a, b = Unit.objects.create(region_id=HOME, name="甲局"), Unit.objects.create(region_id=HOME, name="乙局")
    response = admin_client.post("/admin/plans/unit/", {"action": "merge_units", "_selected_action": [a.pk, b.pk]})
    assert response.status_code == 200 and "甲局" in response.content.decode()
    assert Unit.objects.count() == 2
    merge_units(a, [b])
    assert list(Unit.objects.values_list("name", flat=True)) == ["甲局"]
