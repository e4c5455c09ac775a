import datetime

import pytest
from django.test import override_settings

from duban.plans.tests import factories
from duban.supervision.models import AgendaItem, DispatchMeeting
from duban.supervision.services import record_decision

pytestmark = pytest.mark.django_db


@pytest.fixture
def ledger(units):
    plan = factories.plan()
    mine = factories.area(plan, "开办企业", chief="胡海")
    other = factories.area(plan, "执行合同", chief="万勇")
    factories.measure(mine, "全程网办", lead=[units["scjg"]], deadline="2023-06-30")
    factories.measure(mine, "歇业备案", lead=[units["scjg"]], deadline="2023-12-31")
    factories.measure(other, "诉前调解", lead=[units["tax"]], deadline="2023-06-30")
    meeting = DispatchMeeting.objects.create(plan=plan, title="第五次双月调度会", held_on=datetime.date(2023, 10, 20))
    item = AgendaItem.objects.create(meeting=meeting, kind="other", title="临时动议", area=mine, drafted=False)
    record_decision(item, "", [{"text": "十日内上线", "owner_unit": units["scjg"], "workdays": 10}])
    return plan


@override_settings(DUBAN_TODAY="2023-10-25")
def test_leader_sees_own_areas_with_lights_and_open_items(client, ledger, leader_user):
    client.force_login(leader_user)
    response = client.get("/supervision/leaders/")
    assert response.status_code == 302
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "开办企业" in html and "执行合同" not in html and "十日内上线" in html
    [(area, counts, numbers)] = page.context["rows"]
    assert counts["red"] == 1 and counts["green"] == 2  # 全程网办 overdue; 歇业备案 and the action item on track


def test_leader_cannot_open_another_leaders_page(client, ledger, leader_user, office, scjg_reporter):
    other = factories.leader("万勇")
    client.force_login(leader_user)
    assert client.get(f"/supervision/leaders/{other.pk}/").status_code == 404
    client.force_login(office)
    assert client.get(f"/supervision/leaders/{other.pk}/").status_code == 200
    client.force_login(scjg_reporter)
    assert client.get(f"/supervision/leaders/{other.pk}/").status_code == 403
