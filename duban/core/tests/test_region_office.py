"""A region's office: `duban region add/set` names it, the admin edits it, core 0009 keeps Xihu's names on
the regions that ran Xihu's plan (every circular carried them until then) and leaves the others derived."""

import importlib
from io import StringIO
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from duban.conftest import HOME
from duban.core.models import Region
from duban.plans.tests import factories

pytestmark = pytest.mark.django_db
XIHU_OFFICE, XIHU_SHORT = "西湖区营商环境优化升级工作领导小组办公室", "西湖区营商办"


def run(*args):
    out = StringIO()
    call_command("region", *args, stdout=out)
    return out.getvalue()


def test_region_add_derives_or_takes_the_office_names():
    out = run("add", "360999", "青山县")
    county = Region.objects.get(code="360999")
    assert (county.office_name, county.office_short) == ("", "")  # derived, and follows a renamed region
    assert "Its office: 青山县营商环境优化升级工作领导小组办公室 (青山县营商办)." in out
    run("add", "360100", "某市", "--office-name", "某市优化营商环境工作领导小组办公室", "--office-short", "市营商办")
    city = Region.objects.get(code="360100")
    assert (city.office_full_name, city.office_short_name) == ("某市优化营商环境工作领导小组办公室", "市营商办")
    assert "360100\t某市\t市营商办\t" in run("list")


def test_region_set_changes_the_office_names_and_empty_goes_back_to_derived():
    Region.objects.create(code="360999", name="青山县")
    out = run("set", "360999", "--office-name", XIHU_OFFICE.replace("西湖区", "青山县"), "--office-short", "县营商办")
    county = Region.objects.get(code="360999")
    assert county.office_short_name == "县营商办" and "Changed region 360999 青山县." in out
    run("set", "360999", "--office-short", "", "--name", "青山区")
    county.refresh_from_db()
    assert (county.name, county.office_short_name) == ("青山区", "青山区营商办")
    assert county.office_full_name == "青山县营商环境优化升级工作领导小组办公室"  # set before, kept


@pytest.mark.parametrize("args, message", [
    (["set", "nowhere", "--office-short", "某办"], "No region has the code nowhere"),
    (["set", "360999"], "Nothing to change"),
    (["set", "360999", "--name", " "], "A region's name cannot be empty."),
    (["set", "360999", "--name", "本区", "--office-short", "某办"], "A region named 本区 exists already."),
])
def test_region_set_refuses_bad_input_and_changes_nothing(args, message):
    Region.objects.create(code="360999", name="青山县")
    with pytest.raises(CommandError, match=message):
        run(*args)
    county = Region.objects.get(code="360999")
    assert (county.name, county.office_name, county.office_short) == ("青山县", "", "")


def test_the_admin_edits_the_office_names(admin_client):
    response = admin_client.get(f"/admin/core/region/{HOME}/change/")
    assert response.status_code == 200
    assert 'name="office_name"' in response.text and 'name="office_short"' in response.text
    response = admin_client.post(f"/admin/core/region/{HOME}/change/", {
        "code": Region.objects.get(pk=HOME).code, "name": "西湖区", "office_name": XIHU_OFFICE,
        "office_short": XIHU_SHORT})
    assert response.status_code == 302
    assert Region.objects.get(pk=HOME).office_short_name == XIHU_SHORT
    assert XIHU_SHORT in admin_client.get("/admin/core/region/").text


def test_the_migration_keeps_xihu_where_xihu_ran_and_derives_elsewhere():
    migration = importlib.import_module("duban.core.migrations.0009_region_office_names")
    factories.plan(title="南昌市西湖区2023年营商环境优化升级“一号改革工程”工作方案")  # in the default region 本区
    by_name = Region.objects.create(code="360103", name="西湖区")
    county = Region.objects.create(code="360999", name="青山县")
    factories.plan(title="青山县2023年优化营商环境工作要点", region=county)
    named = Region.objects.create(code="360104", name="西湖区（二）", office_short="西湖营商办")
    migration.name_xihu_office(apps, SimpleNamespace(connection=connection))
    names = dict(Region.objects.values_list("code", "office_short"))
    assert names[Region.objects.get(pk=HOME).code] == XIHU_SHORT
    assert names["360103"] == XIHU_SHORT and Region.objects.get(pk=by_name.pk).office_name == XIHU_OFFICE
    assert names["360999"] == "" and Region.objects.get(pk=county.pk).office_short_name == "青山县营商办"
    assert names["360104"] == "西湖营商办" and Region.objects.get(pk=named.pk).office_name == ""  # as set
