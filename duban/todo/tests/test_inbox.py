"""A quiet inbox: notifications read when their work is done, grouped by what they are about, and one
digest a working morning instead of an e-mail per event."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from duban.core.models import Notification, RobotChannel, RobotMessage
from duban.core.notify import notify
from duban.plans.tests import factories
from duban.progress import services
from duban.progress.models import ProgressReport, ReportingRound
from duban.todo.digest import daily_digest
from duban.conftest import HOME

CONTENT = {"progress": "in_progress", "percent": 40, "done_text": "已启动。", "problems": "", "needs_coordination": False,
           "reason": "", "next_steps": "继续推进。"}


def at(day, hour=10):
    return timezone.make_aware(datetime.datetime.combine(datetime.date.fromisoformat(day), datetime.time(hour)))


@pytest.fixture
def report(units, office, scjg_reporter, scjg_head):
    for user in (office, scjg_reporter, scjg_head):
        user.email = f"{user.username}@example.org"
        user.save()
    ledger = factories.small_plan()
    round_ = services.open_round(ledger.plan, ReportingRound.Kind.BIMONTHLY, datetime.date(2023, 4, 1),
                                 opened_by=office, opened_on=datetime.date(2023, 4, 3), due_workdays=5)
    report = round_.reports.get(measure=ledger.a2_1)
    services.save_draft(report, scjg_reporter, CONTENT, report.version)
    return ProgressReport.objects.get(pk=report.pk)


def unread(user):
    return list(Notification.objects.filter(user=user, read_at=None).values_list("key", flat=True))


def test_notifications_are_read_when_their_work_is_done(report, office, scjg_reporter, scjg_head):
    services.request_approval(report, scjg_reporter)
    assert len(unread(scjg_head)) == 1
    services.submit(ProgressReport.objects.get(pk=report.pk), scjg_head)
    assert unread(scjg_head) == []  # submitted: the head's "please approve" is done
    assert unread(office) == [f"progress-submitted:report{report.pk}:v1"]
    services.return_for_correction(ProgressReport.objects.get(pk=report.pk), office, "补充佐证材料。")
    assert unread(office) == []  # reviewed
    assert unread(scjg_reporter) == [f"progress-returned:report{report.pk}:v1"]
    services.submit(ProgressReport.objects.get(pk=report.pk), scjg_head)
    assert unread(scjg_reporter) == []


def test_events_of_the_day_wait_for_the_digest(report, office, scjg_head, settings):
    mail.outbox.clear()
    services.submit(report, scjg_head, now=at("2023-04-10"))
    assert mail.outbox == []  # no e-mail per event
    # The first tick of the next working morning: one digest each, in-app and by e-mail.
    settings.DUBAN_TODAY = "2023-04-11"
    assert daily_digest(at("2023-04-11", 7)) == {"digests": 0, "robots": 0}  # before office hours
    result = daily_digest(at("2023-04-11", 9))
    assert result["digests"] == 1
    digest = Notification.objects.get(user=office, key="digest:2023-04-11")
    assert digest.url == reverse("home")
    assert "Progress reports waiting for your review：1" in digest.body
    assert [m.to for m in mail.outbox] == [["office@example.org"]]
    # Run as often as cron likes: one digest a day.
    assert daily_digest(at("2023-04-11", 10))["digests"] == 0
    assert len(mail.outbox) == 1


def test_a_units_robot_gets_its_to_do_counts_once_a_day(report, units, scjg_reporter, monkeypatch, settings):
    import urllib.request

    monkeypatch.setattr(urllib.request, "urlopen", lambda *a, **k: (_ for _ in ()).throw(OSError("offline")))
    RobotChannel.objects.create(region_id=HOME, name="市场监管局群", kind=RobotChannel.Kind.WECOM, url="https://robot.invalid/x",
                                unit=units["scjg"])
    settings.DUBAN_TODAY = "2023-04-10"
    assert daily_digest(at("2023-04-10", 9))["robots"] == 1
    assert daily_digest(at("2023-04-10", 15))["robots"] == 0
    text = RobotMessage.objects.get().text
    assert text.startswith("区市场监管局：") and "Progress reports due：3（1 working day left）" in text


def test_the_page_groups_messages_by_what_they_are_about(client, scjg_reporter):
    for n in range(3):
        notify([scjg_reporter], f"k{n}", f"关于举措2-1的第{n + 1}条消息", url="/progress/reports/1/")
    notify([scjg_reporter], "other", "关于投诉的消息", url="/hotline/complaints/5/")
    client.force_login(scjg_reporter)
    groups = client.get(reverse("notifications")).context["groups"]
    assert [(g["latest"].url, len(g["notes"]), g["unread"]) for g in groups] == [
        ("/hotline/complaints/5/", 1, 1), ("/progress/reports/1/", 3, 3)]
    assert unread(scjg_reporter) == []


def test_a_newer_note_about_the_same_thing_replaces_the_unread_one_and_settle_reads_them(scjg_reporter, scjg_head):
    from duban.core.notify import settle

    notify([scjg_reporter, scjg_head], "yellow", "请于周五前答复", about="hotline.complaint:7")
    notify([scjg_reporter], "red", "已逾期", about="hotline.complaint:7")
    notify([scjg_reporter], "other", "另一件投诉", about="hotline.complaint:8")
    assert sorted(unread(scjg_reporter)) == ["other", "red"]
    assert unread(scjg_head) == ["yellow"]  # only the reader told anew has the older note replaced
    assert settle("hotline.complaint:7") == 2
    assert unread(scjg_reporter) == ["other"] and unread(scjg_head) == []
    assert Notification.objects.filter(user=scjg_reporter).count() == 3  # read, not deleted


def test_each_mornings_digest_replaces_the_unread_one_before(report, office, scjg_head, settings):
    services.submit(report, scjg_head, now=at("2023-04-10"))
    settings.DUBAN_TODAY = "2023-04-11"
    daily_digest(at("2023-04-11", 9))
    services.return_for_correction(ProgressReport.objects.get(pk=report.pk), office, "补充材料。",
                                   now=at("2023-04-11", 11))
    services.submit(ProgressReport.objects.get(pk=report.pk), scjg_head, now=at("2023-04-11", 15))
    settings.DUBAN_TODAY = "2023-04-12"
    daily_digest(at("2023-04-12", 9))
    assert [key for key in unread(office) if key.startswith("digest:")] == ["digest:2023-04-12"]
