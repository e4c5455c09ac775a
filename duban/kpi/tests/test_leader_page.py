"""The KPI block on a district leader's page: the areas they lead, by attainment."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_leader_page_shows_the_attainment_of_the_areas_led(client, leader_user, kpi, settings):
    settings.DUBAN_TODAY = "2023-08-10"
    client.force_login(leader_user)
    response = client.get(reverse("supervision:leader", kwargs={"leader_id": leader_user.leader_id}))
    [section] = [s for s in response.context["sections"] if s["template"] == "kpi/_leader_section.html"]
    assert [r.area for r in section["rollups"]] == [kpi.startup, kpi.taxes]  # 胡海's; 获得电力 is 万勇's
    html = response.content.decode()
    assert 'id="leader-kpi-table"' in html and "Indicator targets" in html


def test_no_block_for_a_leader_without_metrics(client, leader_user, db):
    client.force_login(leader_user)
    response = client.get(reverse("supervision:leader", kwargs={"leader_id": leader_user.leader_id}))
    assert not [s for s in response.context["sections"] if s["template"] == "kpi/_leader_section.html"]
