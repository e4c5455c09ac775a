"""我的待办: each role's home page, counted from live data, linked to the work, deadlines in working days."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from duban.conftest import PASSWORD
from duban.plans.tests import factories
from duban.progress import services
from duban.progress.models import ProgressReport, ReportingRound
from duban.todo.deadlines import due_in_words

# A round opened on Monday 3 April 2023, due Tuesday 11 April (5 April is 清明节).
OPENED_ON = datetime.date(2023, 4, 3)


@pytest.fixture
def ledger(units):
    return factories.small_plan()


@pytest.fixture
def round_(ledger, office):
    return services.open_round(ledger.plan, ReportingRound.Kind.BIMONTHLY, datetime.date(2023, 4, 1),
                               opened_by=office, opened_on=OPENED_ON, due_workdays=5)


def tasks_of(client, user):
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return {task.key: task for task in response.context["tasks"]}, response


class TestDeadlineWords:
    def test_due_today(self, db):
        day = datetime.date(2023, 4, 11)
        assert due_in_words(day, day) == ("due today", "yellow")

    def test_working_days_left_skip_the_holiday(self, db):
        # Monday 3 April → Thursday 6 April: the 4th, (5th is 清明节), the 6th.
        assert due_in_words(datetime.date(2023, 4, 6), datetime.date(2023, 4, 3)) == ("2 working days left", "")

    def test_overdue_counts_working_days(self, db):
        # Due Friday 7 April, seen on Wednesday 12 April: the 10th, 11th and 12th.
        assert due_in_words(datetime.date(2023, 4, 7), datetime.date(2023, 4, 12)) == (
            "overdue by 3 working days", "red")

    def test_no_deadline(self, db):
        assert due_in_words(None, datetime.date(2023, 4, 3)) == ("", "")

    @pytest.mark.zh_hans
    def test_in_chinese(self, db):
        today = datetime.date(2023, 4, 3)
        assert due_in_words(today, today)[0] == "今天到期"
        assert due_in_words(datetime.date(2023, 4, 6), today)[0] == "还剩2个工作日"
        assert due_in_words(datetime.date(2023, 4, 7), datetime.date(2023, 4, 12))[0] == "已逾期3个工作日"


@pytest.mark.usefixtures("round_")
class TestEachRole:
    def test_reporter_writes_what_is_due_and_then_the_head_submits(self, client, settings, ledger, scjg_reporter,
                                                                  scjg_head):
        settings.DUBAN_TODAY = "2023-04-10"
        tasks, response = tasks_of(client, scjg_reporter)
        # 区市场监管局 leads 2-1, 2-2 and 1-2: three drafts due Tuesday 11 April.
        assert tasks["progress.due"].count == 3
        assert tasks["progress.due"].words == "1 working day left"
        entry = tasks["progress.due"].entries[0]
        assert entry.url.endswith("/edit/")
        assert "progress.submit" not in tasks
        report = ProgressReport.objects.get(round__plan=ledger.plan, measure=ledger.a2_1)
        services.request_approval(report, scjg_reporter)
        assert tasks_of(client, scjg_reporter)[0]["progress.due"].count == 2
        head_tasks, _ = tasks_of(client, scjg_head)
        assert head_tasks["progress.submit"].count == 1
        assert set(head_tasks) == {"progress.submit"}

    def test_office_reviews_what_was_submitted(self, client, settings, ledger, office, scjg_reporter, scjg_head):
        settings.DUBAN_TODAY = "2023-04-12"
        report = ProgressReport.objects.get(round__plan=ledger.plan, measure=ledger.a2_1)
        services.save_draft(report, scjg_reporter, {"progress": "in_progress", "percent": 40, "done_text": "已启动。",
                                                    "problems": "", "needs_coordination": False, "reason": "",
                                                    "next_steps": "继续推进。"}, report.version)
        services.submit(ProgressReport.objects.get(pk=report.pk), scjg_head)
        tasks, response = tasks_of(client, office)
        assert tasks["progress.review"].count == 1
        assert tasks["progress.review"].entries[0].url == report.get_absolute_url()
        # The units the import proposed, and every target proposed from the text, wait for the office too.
        services.return_for_correction(ProgressReport.objects.get(pk=report.pk), office, "补充佐证材料。")
        assert "progress.review" not in tasks_of(client, office)[0]
        returned = tasks_of(client, scjg_reporter)[0]["progress.returned"]
        assert returned.count == 1 and returned.words == "overdue by 1 working day"

    def test_leader_sees_red_and_yellow_lights_of_his_areas(self, client, settings, ledger, leader_user):
        settings.DUBAN_TODAY = "2023-07-03"
        tasks, _ = tasks_of(client, leader_user)
        # 2-1 (due 30 June) is red; 1-1 and 1-2 belong to 万勇's area.
        lights = tasks["supervision.lights"]
        assert [entry.label.split()[0] for entry in lights.entries] == ["2-1"]
        assert lights.words == "overdue by 1 working day"

    def test_someone_with_nothing_to_do_is_told_so(self, client, tax_reporter, settings):
        settings.DUBAN_TODAY = "2023-04-10"
        tax_reporter.unit = None
        tax_reporter.save()
        tasks, response = tasks_of(client, tax_reporter)
        assert tasks == {}
        assert b"Nothing waiting for you today." in response.content


def test_log_in_lands_on_the_to_do_page(client, scjg_reporter):
    response = client.post(reverse("login"), {"username": "scjg_reporter", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


@pytest.mark.usefixtures("round_")
def test_the_number_of_queries_does_not_grow_with_the_work(client, settings, ledger, office, scjg_reporter):
    """Counted in the database: as many queries for one submitted report as for three."""
    settings.DUBAN_TODAY = "2023-04-12"
    client.force_login(office)

    def submit(measure):
        report = ProgressReport.objects.get(round__plan=ledger.plan, measure=measure)
        ProgressReport.objects.filter(pk=report.pk).update(status=ProgressReport.Status.SUBMITTED,
                                                           submitted_at=datetime.datetime(2023, 4, 10, 9, tzinfo=datetime.UTC))

    submit(ledger.a2_1)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("home"))
    submit(ledger.a2_2)
    submit(ledger.a1_2)
    with CaptureQueriesContext(connection) as three:
        response = client.get(reverse("home"))
    assert response.context["total"] >= 3
    assert len(three) == len(one)
