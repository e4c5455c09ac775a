"""`duban tick` reminders with a frozen clock across the 2026 Spring Festival.

春节 2026: 15–23 February off; Saturdays 14 and 28 February worked. A round opened
on Monday 9 February with six working days is due on Tuesday 24 February
(10, 11, 12, 13, 14 and — after the holiday — 24).
"""

import datetime
from io import StringIO
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from duban.accounts.models import Role
from duban.calendar import workdays
from duban.conftest import HOME, make_user
from duban.core.models import Notification, RobotChannel, RobotMessage
from duban.core.tick import run_jobs
from duban.plans.tests import factories
from duban.progress import services
from duban.progress.models import ReportingRound

pytestmark = pytest.mark.django_db

DUE = datetime.date(2026, 2, 24)


def at(day, time="09:00"):
    return timezone.make_aware(datetime.datetime.fromisoformat(f"{day}T{time}"))


@pytest.fixture(autouse=True)
def fresh_calendar(settings):
    workdays.clear_cache()
    settings.DUBAN_REMIND_DUE_WORKDAYS = 3
    settings.DUBAN_REMIND_STALE_WORKDAYS = 5
    yield
    workdays.clear_cache()


@pytest.fixture
def cast(units, scjg_reporter, scjg_head, tax_reporter, office):
    for user in (scjg_reporter, scjg_head, tax_reporter, office):
        user.email = f"{user.username}@example.org"
        user.save()
    tax_head = make_user("tax_head", Role.UNIT_HEAD, units["tax"], email="tax_head@example.org")
    return {"scjg_reporter": scjg_reporter, "scjg_head": scjg_head, "tax_reporter": tax_reporter,
            "tax_head": tax_head, "office": office}


@pytest.fixture
def plan_2026(units):
    plan = factories.plan(year=2026)
    area = factories.area(plan, "开办企业")
    return {
        "plan": plan,
        "scjg_1": factories.measure(area, "举措一", lead=[units["scjg"]], annex=2, number=1, deadline="2026-06-30"),
        "scjg_2": factories.measure(area, "举措二", lead=[units["scjg"]], annex=2, number=2, deadline="2026-06-30"),
        "tax": factories.measure(area, "举措三", lead=[units["tax"]], annex=2, number=3, deadline="2026-06-30"),
    }


@pytest.fixture
def february(plan_2026, office):
    round_ = services.open_round(plan_2026["plan"], ReportingRound.Kind.BIMONTHLY, datetime.date(2026, 2, 1),
                                 opened_by=office, due_workdays=6, now=at("2026-02-09"))
    assert round_.due_on == DUE
    return round_


def tick(moment):
    """Run the progress job at `moment`; return the (user, key) pairs notified just now."""
    before = set(Notification.objects.values_list("pk", flat=True))
    result = run_jobs(at(*moment.split()) if isinstance(moment, str) else moment, only=["progress-reminders"])
    assert not str(result["progress-reminders"]).startswith("error"), result
    return sorted(Notification.objects.exclude(pk__in=before).values_list("user__username", "key"))


def test_across_the_spring_festival(cast, february, plan_2026, units, settings):
    settings.DUBAN_REMIND_STALE_WORKDAYS = 50  # this test is about due dates
    # Monday 9, the day the round opens: the due date is still far (in working days).
    assert tick("2026-02-09") == []

    # Thursday 12: three working days left (13, 14, 24) → the reporters, once.
    sent = tick("2026-02-12")
    assert sent == [
        ("scjg_reporter", f"progress-due-soon:round{february.pk}:unit{units['scjg'].pk}"),
        ("tax_reporter", f"progress-due-soon:round{february.pk}:unit{units['tax'].pk}"),
    ]
    scjg_mail = next(m for m in mail.outbox if m.to == ["scjg_reporter@example.org"])
    assert "2026-02-24" in scjg_mail.subject and "2-1、2-2" in scjg_mail.body
    assert tick("2026-02-12 09:05") == []
    assert tick("2026-02-13") == []

    # 区税务局 submits on the adjusted working Saturday.
    tax_report = february.reports.get(measure=plan_2026["tax"])
    services.save_draft(tax_report, cast["tax_reporter"], {"progress": "in_progress", "done_text": "已完成"}, 0,
                        now=at("2026-02-14"))
    services.submit(tax_report, cast["tax_head"], now=at("2026-02-14", "10:00"))
    assert tick("2026-02-14") == []

    # The holiday: nobody is paged, not even on its last Monday.
    for day in range(15, 24):
        assert tick(f"2026-02-{day}") == []
        assert tick(f"2026-02-{day} 15:00") == []

    # Tuesday 24, the due date: still owed, not yet overdue.
    assert tick("2026-02-24") == []

    # Wednesday 25: overdue → 市场监管局's reporter and head; the office gets one summary.
    emails_before = len(mail.outbox)
    sent = tick("2026-02-25")
    overdue = f"progress-overdue:round{february.pk}:unit{units['scjg'].pk}"
    assert sent == sorted([
        ("office", f"progress-overdue-summary:round{february.pk}"),
        ("scjg_head", overdue),
        ("scjg_reporter", overdue),
    ])
    assert len(mail.outbox) == emails_before + 3
    assert "区市场监管局（2）" in Notification.objects.get(key=f"progress-overdue-summary:round{february.pk}").body

    # Run as often as cron likes: nothing is sent twice.
    emails_before = len(mail.outbox)
    for moment in ("2026-02-25 09:05", "2026-02-25 15:00", "2026-02-26", "2026-02-27"):
        assert tick(moment) == []
    assert len(mail.outbox) == emails_before


def test_nothing_outside_office_hours(cast, february):
    assert run_jobs(at("2026-02-12", "20:00"), only=["progress-reminders"]) == {
        "progress-reminders": "offices closed, nothing sent"}
    assert tick("2026-02-12 12:30") == []  # lunch
    assert len(tick("2026-02-12 14:30")) == 2


def test_stale_counts_working_days_not_calendar_days(cast, february, plan_2026):
    report = february.reports.get(measure=plan_2026["scjg_1"])
    services.save_draft(report, cast["scjg_reporter"], {"done_text": "起草中"}, 0, now=at("2026-02-10"))
    for other in february.reports.exclude(pk=report.pk):
        services.save_draft(other, cast["scjg_reporter"], {"done_text": "x"}, 0, now=at("2026-02-24", "08:00"))
    # Touched on 10 February: by Saturday 14 only four working days have passed …
    tick("2026-02-14")
    stale_key = f"progress-stale:measure{plan_2026['scjg_1'].pk}:20260210"
    assert not Notification.objects.filter(key=stale_key).exists()
    # … and by Tuesday 24 five (11, 12, 13, 14, 24), though fourteen calendar days.
    tick("2026-02-24")
    assert list(Notification.objects.filter(key=stale_key).values_list("user__username", flat=True)) == ["scjg_reporter"]
    tick("2026-02-25")
    assert Notification.objects.filter(key=stale_key).count() == 1
    # An update starts a new quiet period: no reminder for it until five more working days pass.
    services.save_draft(report, cast["scjg_reporter"], {"done_text": "已更新"}, report.version, now=at("2026-02-26"))
    tick("2026-02-27")
    assert Notification.objects.filter(key__startswith=f"progress-stale:measure{plan_2026['scjg_1'].pk}:").count() == 1


def test_the_office_is_reminded_to_open_a_bimonthly_round(cast, plan_2026):
    key = f"progress-round-not-opened:plan{plan_2026['plan'].pk}:2026-04"
    assert tick("2026-03-02") == []  # March is not a reporting month
    assert tick("2026-04-01") == [("office", key)]
    assert tick("2026-04-02") == []
    services.open_round(plan_2026["plan"], ReportingRound.Kind.BIMONTHLY, datetime.date(2026, 6, 1), now=at("2026-06-01"))
    assert tick("2026-06-01") == []  # opened this month


def test_group_robots_get_each_message_once(cast, february, units):
    RobotChannel.objects.create(region_id=HOME, name="市场监管局工作群", kind="wecom", url="http://127.0.0.1:9/robot", unit=units["scjg"])
    RobotChannel.objects.create(region_id=HOME, name="营商办群", kind="dingtalk", url="http://127.0.0.1:9/office", unit=None)
    with mock.patch("urllib.request.urlopen", side_effect=OSError("refused")):
        tick("2026-02-12")
        tick("2026-02-25")
        tick("2026-02-25 10:00")
    texts = list(RobotMessage.objects.order_by("pk").values_list("channel__name", "key"))
    assert texts == [
        ("市场监管局工作群", f"progress-due-soon:round{february.pk}:unit{units['scjg'].pk}"),
        ("市场监管局工作群", f"progress-overdue:round{february.pk}:unit{units['scjg'].pk}"),
        ("营商办群", f"progress-overdue-summary:round{february.pk}"),
    ]


def test_the_command(cast, february):
    out = StringIO()
    call_command("tick", "--job", "progress-reminders", "--now", "2026-02-12T09:00:00", stdout=out)
    assert "progress report reminders: due soon 2, overdue 0, stale 0, round not opened 0" in out.getvalue()
    out = StringIO()
    call_command("tick", "--job", "progress-reminders", "--now", "2026-02-12T09:00:00", stdout=out)
    assert "progress report reminders: due soon 0, overdue 0, stale 0, round not opened 0" in out.getvalue()


def unread(username):
    return sorted(Notification.objects.filter(user__username=username, read_at=None).values_list("key", flat=True))


def test_reminders_are_read_when_the_unit_has_reported(cast, february, plan_2026, units, settings):
    """A quiet inbox: a round's reminder about a unit's reports is read once the unit owes none (whoever
    submitted them), the overdue reminder replaces the due-soon one, and the office's summary of late units
    is read when nobody is late any more."""
    settings.DUBAN_REMIND_STALE_WORKDAYS = 50
    scjg, tax = (f"round{february.pk}:unit{units[name].pk}" for name in ("scjg", "tax"))
    tick("2026-02-12")
    assert unread("tax_reporter") == [f"progress-due-soon:{tax}"]
    tax_report = february.reports.get(measure=plan_2026["tax"])
    services.save_draft(tax_report, cast["tax_reporter"], {"progress": "in_progress", "done_text": "已完成"}, 0,
                        now=at("2026-02-14"))
    services.submit(tax_report, cast["tax_head"], now=at("2026-02-14", "10:00"))
    assert unread("tax_reporter") == []  # nothing owed in the round: its reminder is done

    tick("2026-02-25")
    # One line per piece of open work: the overdue reminder replaced the due-soon one.
    assert unread("scjg_reporter") == [f"progress-overdue:{scjg}"]
    assert unread("office") == [f"progress-overdue-summary:round{february.pk}",
                                f"progress-submitted:report{february.reports.get(measure=plan_2026['tax']).pk}:v1"]
    first, second = (february.reports.get(measure=plan_2026[m]) for m in ("scjg_1", "scjg_2"))
    services.save_draft(first, cast["scjg_reporter"], {"progress": "in_progress", "done_text": "已完成"}, 0,
                        now=at("2026-02-25", "10:00"))
    services.submit(first, cast["scjg_head"], now=at("2026-02-25", "11:00"))
    assert unread("scjg_reporter") == [f"progress-overdue:{scjg}"]  # one report still owed
    services.save_draft(second, cast["scjg_reporter"], {"progress": "in_progress", "done_text": "已完成"}, 0,
                        now=at("2026-02-25", "10:00"))
    services.submit(second, cast["scjg_head"], now=at("2026-02-25", "11:00"))
    assert unread("scjg_reporter") == unread("scjg_head") == []
    assert [key for key in unread("office") if "overdue" in key] == []  # nobody late any more
    # Accepted, a report asks nothing more: the news waits for the digest, not among the unread.
    services.accept(february.reports.get(pk=first.pk), cast["office"], "好。", now=at("2026-02-26"))
    assert unread("scjg_reporter") == []
    assert Notification.objects.filter(user__username="scjg_reporter", key__startswith="progress-accepted").exists()


def test_a_reminder_the_unit_answered_some_other_way_is_read_at_the_next_tick(cast, february, plan_2026, units,
                                                                              settings):
    settings.DUBAN_REMIND_STALE_WORKDAYS = 50
    tick("2026-02-25")
    assert unread("scjg_reporter") == [f"progress-overdue:round{february.pk}:unit{units['scjg'].pk}"]
    # The measures are completed and their reports submitted behind the services' back (an import, a fix):
    february.reports.filter(measure__in=[plan_2026["scjg_1"], plan_2026["scjg_2"]]).update(status="submitted")
    tick("2026-02-25 09:05")
    assert unread("scjg_reporter") == []
