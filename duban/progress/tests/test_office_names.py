"""The pages name the user's region's office, not a fixed 区营商办: the report's submit button and its
statuses, the message after submitting, the tooltip of an unconfirmed unit."""

import pytest
from django.urls import reverse

from duban.conftest import HOME
from duban.core.models import Region
from duban.plans.models import Unit
from duban.progress import services

from .conftest import CONTENT

pytestmark = pytest.mark.django_db


@pytest.fixture
def qingshan():
    """The site's region renamed 青山县, its office's names left to derive: 青山县营商办."""
    Region.objects.filter(pk=HOME).update(name="青山县", office_name="", office_short="")
    return Region.objects.get(pk=HOME)


def ready(report, reporter):
    services.save_draft(report, reporter, CONTENT, report.version)


def test_the_submit_button_and_message_name_the_users_office(client, qingshan, report, scjg_reporter, scjg_head):
    ready(report, scjg_reporter)
    client.force_login(scjg_head)
    detail = reverse("progress:report_detail", args=[report.pk])
    assert "Approve and submit to 青山县营商办" in client.get(detail).text
    response = client.post(reverse("progress:report_submit", args=[report.pk]), follow=True)
    assert "Version 1 submitted to 青山县营商办." in response.text
    assert "青山县营商办 is reviewing it." in response.text
    assert "the office" not in response.text and "区营商办" not in response.text.replace("青山县营商办", "")


def test_the_demo_names_xihu(client, report, scjg_reporter, scjg_head):
    Region.objects.filter(pk=HOME).update(office_short="西湖区营商办")
    ready(report, scjg_reporter)
    client.force_login(scjg_head)
    assert "Approve and submit to 西湖区营商办" in client.get(reverse("progress:report_detail", args=[report.pk])).text


@pytest.mark.zh_hans
def test_in_chinese(client, settings, qingshan, report, scjg_reporter, scjg_head, office):
    settings.LANGUAGE_CODE = "zh-hans"
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
    ready(report, scjg_reporter)
    client.force_login(scjg_head)
    page = client.get(reverse("progress:report_detail", args=[report.pk])).text
    assert "审核并报送青山县营商办" in page and "审核并报送区营商办" not in page
    Unit.objects.create(region=qingshan, name="县数据局", confirmed=False)
    client.force_login(office)
    units = client.get(reverse("plans:unit_list")).text
    assert 'title="首次出现于导入的方案，尚待青山县营商办确认。"' in units
