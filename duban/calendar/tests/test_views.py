"""The calendar page, the due lists and the light counts: who sees what."""

import pytest
from django.urls import reverse
from django.utils import translation

from django.test import override_settings

from duban.conftest import PASSWORD

from .conftest import d

pytestmark = [pytest.mark.zh_hans, pytest.mark.django_db]

DUE_PAGES = ["calendar:due_week", "calendar:due_soon", "calendar:overdue"]


@pytest.fixture(autouse=True)
def wednesday_25_november_2026(settings):
    settings.DUBAN_TODAY = "2026-11-25"


@pytest.fixture
def login(client):
    def as_user(user):
        assert client.login(username=user.username, password=PASSWORD)
        return client

    return as_user


def labels(response):
    return [row.measure.label + ("/m" if row.is_milestone else "") for row in response.context["rows"]]


@pytest.mark.parametrize("name", ["calendar:year", "calendar:lights"] + DUE_PAGES)
def test_anonymous_is_sent_to_log_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


class TestYearPage:
    def test_2026_marks_holidays_and_adjusted_days(self, login, scjg_reporter):
        with translation.override("zh-hans"):
            response = login(scjg_reporter).get(reverse("calendar:year", args=[2026]))
        assert response.status_code == 200
        html = response.content.decode()
        assert "248" in html
        assert "国务院办公厅关于2026年部分节假日安排的通知" in html
        special = {info.date: info for info in response.context["special"]}
        assert not special[d("2026-02-17")].workday and special[d("2026-02-17")].name == "春节"
        assert special[d("2026-02-14")].workday
        assert d("2026-03-09") not in special
        assert 'class="day day--adjusted"' in html and 'class="day day--holiday"' in html
        assert "暂定" not in html

    def test_the_current_year_by_default(self, login, office):
        response = login(office).get(reverse("calendar:year"))
        assert response.context["year"] == 2026

    def test_2027_is_marked_provisional(self, login, office):
        with translation.override("zh-hans"):
            response = login(office).get(reverse("calendar:year", args=[2027]))
        html = response.content.decode()
        assert "2027年节假日安排尚未录入，期限为暂定" in html
        assert {info.date for info in response.context["special"]} >= {d("2027-01-01"), d("2027-02-06")}

    def test_years_beyond_the_engine_are_not_found(self, login, office):
        assert login(office).get("/calendar/2400/").status_code == 404


class TestDueLists:
    def test_reporter_sees_only_their_units_measures(self, login, scjg_reporter, plan_2026):
        client = login(scjg_reporter)
        assert labels(client.get(reverse("calendar:overdue"))) == ["1-1"]
        assert labels(client.get(reverse("calendar:due_week"))) == ["1-4/m", "1-2"]
        assert labels(client.get(reverse("calendar:due_soon"))) == ["1-4/m", "1-2", "1-3"]

    def test_the_unit_filter_is_ignored_for_other_units(self, login, tax_reporter, units, plan_2026):
        client = login(tax_reporter)
        response = client.get(reverse("calendar:overdue"), {"unit": units["scjg"].pk})
        assert labels(response) == ["1-7"]
        assert b"1-1" not in response.content
        assert response.context["units"] is None

    def test_office_sees_all_and_can_filter_by_unit(self, login, office, units, plan_2026):
        client = login(office)
        assert labels(client.get(reverse("calendar:overdue"))) == ["1-1", "1-7"]
        assert labels(client.get(reverse("calendar:overdue"), {"unit": units["tax"].pk})) == ["1-7"]
        assert labels(client.get(reverse("calendar:overdue"), {"unit": "nonsense"})) == ["1-1", "1-7"]

    def test_leader_sees_the_areas_they_chair(self, login, leader_user, plan_2026):
        assert labels(login(leader_user).get(reverse("calendar:overdue"))) == ["1-1"]

    def test_rows_show_light_and_working_days(self, login, scjg_reporter, plan_2026):
        with translation.override("zh-hans"):
            response = login(scjg_reporter).get(reverse("calendar:overdue"))
        row = response.context["rows"][0]
        # Friday 20 November to Wednesday 25 November: 23, 24, 25.
        assert row.late_workdays == 3
        html = response.content.decode()
        assert "红灯" in html and "逾期3个工作日" in html

    @override_settings(DUBAN_TODAY="2026-12-28")
    def test_deadlines_in_2027_carry_the_warning(self, login, office, plan_2026):
        plan_2026["later"].deadline = d("2027-01-05")
        plan_2026["later"].save()
        with translation.override("zh-hans"):
            response = login(office).get(reverse("calendar:due_soon"))
        assert "2027年节假日安排尚未录入，期限为暂定" in response.content.decode()

    def test_a_user_without_unit_sees_nothing(self, login, db):
        from duban.accounts.models import Role
        from duban.conftest import make_user

        user = make_user("nobody", Role.COOPERATOR)
        assert login(user).get(reverse("calendar:overdue")).context["rows"] == []


class TestLightsPage:
    def test_office_sees_counts(self, login, office, units, plan_2026):
        with translation.override("zh-hans"):
            response = login(office).get(reverse("calendar:lights"))
        assert response.status_code == 200
        rows = response.context["rows"]
        assert [str(row["group"]) for row in rows] == ["区市场监管局", "区税务局"]
        html = response.content.decode()
        assert "红灯" in html and "黄灯" in html

    @pytest.mark.parametrize("by, first", [("leader", "胡海"), ("area", "获得信贷")])
    def test_per_leader_and_area(self, login, office, plan_2026, by, first):
        response = login(office).get(reverse("calendar:lights"), {"by": by})
        assert str(response.context["rows"][0]["group"]) == first

    def test_leaders_see_them_too(self, login, leader_user, plan_2026):
        assert login(leader_user).get(reverse("calendar:lights")).status_code == 200

    def test_unit_staff_are_refused(self, login, scjg_reporter, tax_reporter):
        assert login(scjg_reporter).get(reverse("calendar:lights")).status_code == 403
        assert login(tax_reporter).get(reverse("calendar:lights")).status_code == 403
