"""Entering a year's schedule in the admin."""

import pytest
from django.urls import reverse

from duban.calendar.models import Holiday, Notice
from duban.calendar.workdays import is_workday
from duban.conftest import PASSWORD

from .conftest import d

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, admin_user):
    assert client.login(username=admin_user.username, password=PASSWORD)
    return client


def form(**days):
    data = {
        "region": "CN", "year": "2027", "title": "国务院办公厅关于2027年部分节假日安排的通知", "source": "admin",
        "days-TOTAL_FORMS": str(len(days)), "days-INITIAL_FORMS": "0", "days-MIN_NUM_FORMS": "0",
        "days-MAX_NUM_FORMS": "1000",
    }
    for i, (day, (kind, name)) in enumerate(days.items()):
        data.update({f"days-{i}-date": day, f"days-{i}-kind": kind, f"days-{i}-name": name})
    return data


def test_the_notice_list_shows_the_seeded_years(admin_client):
    response = admin_client.get(reverse("admin:calendar_notice_changelist"))
    assert response.status_code == 200
    assert "国务院办公厅关于2026年部分节假日安排的通知" in response.content.decode()


def test_adding_2027_with_its_days(admin_client):
    response = admin_client.post(
        reverse("admin:calendar_notice_add"),
        form(**{"2027-02-08": ("holiday", "春节"), "2027-02-20": ("workday", "春节")}),
    )
    assert response.status_code == 302, response.content.decode()
    notice = Notice.objects.get(year=2027)
    assert set(notice.days.values_list("region", flat=True)) == {"CN"}
    assert not is_workday(d("2027-02-08"))
    assert is_workday(d("2027-02-20"))


def test_an_adjusted_working_day_must_be_a_weekend_day(admin_client):
    response = admin_client.post(reverse("admin:calendar_notice_add"), form(**{"2027-02-10": ("workday", "春节")}))
    assert response.status_code == 200
    assert not Notice.objects.filter(year=2027).exists()


def test_a_date_another_notice_has_is_refused(admin_client):
    response = admin_client.post(reverse("admin:calendar_notice_add"), form(**{"2026-10-01": ("holiday", "国庆节")}))
    assert response.status_code == 200
    assert Holiday.objects.get(region="CN", date=d("2026-10-01")).notice.year == 2026


def test_the_same_date_twice_in_one_notice(admin_client):
    response = admin_client.post(
        reverse("admin:calendar_notice_add"),
        form(**{"2027-02-08": ("holiday", "春节")}) | {
            "days-TOTAL_FORMS": "2", "days-1-date": "2027-02-08", "days-1-kind": "holiday", "days-1-name": "春节",
        },
    )
    assert response.status_code == 200
    assert not Notice.objects.filter(year=2027).exists()
