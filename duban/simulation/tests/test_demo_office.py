"""`duban demo` names Xihu's office on the demo's region (its circulars and pages say 西湖区营商办), and keeps
names an administrator gave the region."""

from io import StringIO

import pytest
from django.core.management import call_command

from duban.core.models import Region

pytestmark = pytest.mark.django_db


def test_the_demo_sets_xihus_office_and_keeps_names_given(settings):
    settings.DEBUG = True
    call_command("demo", "--no-simulate", stdout=StringIO())
    region = Region.objects.get()
    assert (region.office_full_name, region.office_short_name) == (
        "西湖区营商环境优化升级工作领导小组办公室", "西湖区营商办")
    Region.objects.filter(pk=region.pk).update(office_name="", office_short="西湖营商办")
    call_command("demo", "--no-simulate", stdout=StringIO())
    region.refresh_from_db()
    assert (region.office_name, region.office_short) == ("", "西湖营商办")
