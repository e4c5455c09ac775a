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
    """The reader's inbox: unread notes, a kind folded into one summary (duban.core.notify.Fold)."""
    return list(Notification.objects.filter(user=user).unread().values_list("key", flat=True))


def test_notifications_are_read_when_their_work_is_done(report, office, scjg_reporter, scjg_head):
    services.request_approval(report, scjg_reporter)
    assert len(unread(scjg_head)) == 1
    services.submit(ProgressReport.objects.get(pk=report.pk), scjg_head)
    assert unread(scjg_head) == []  # submitted: the head's "please approve" is done
    assert unread(office) == ["fold:progress-submitted"]  # the office's reports to review, in one line
    assert Notification.objects.get(user=office, read_at=None, fold="progress-submitted").key == (
        f"progress-submitted:report{report.pk}:v1")
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


def summary(user, kind):
    return Notification.objects.get(user=user, key=f"fold:{kind}")


def test_same_kind_reminders_fold_into_one_note_saying_the_count(report, units, office, scjg_head, tax_reporter):
    second = report.round.reports.get(measure__annex=2, measure__number=3)  # 区税务局's
    services.save_draft(second, tax_reporter, CONTENT, second.version)
    services.submit(report, scjg_head)
    services.submit(ProgressReport.objects.get(pk=second.pk), tax_reporter)
    # Two reports to review: one unread line saying so, linking to where they are reviewed …
    assert unread(office) == ["fold:progress-submitted"]
    note = summary(office, "progress-submitted")
    assert (note.subject, note.url, note.read_at) == ("2 progress reports to review", reverse("progress:matrix"), None)
    # … and nothing hidden: each report's own note is kept, unread while its review waits, on the page.
    items = Notification.objects.filter(user=office, fold="progress-submitted", read_at=None)
    assert sorted(items.values_list("about", flat=True)) == sorted([f"progress.progressreport:{report.pk}",
                                                                    f"progress.progressreport:{second.pk}"])
    assert office.notifications.unread().count() == 1  # the navigation's badge
    # Reviewing one counts it down; reviewing the last reads the summary.
    services.accept(ProgressReport.objects.get(pk=report.pk), office)
    note = summary(office, "progress-submitted")  # one left: the summary is that report's note
    assert (note.subject, note.url, note.read_at) == ("Progress report submitted: measure 2-3",
                                                      second.get_absolute_url(), None)
    services.return_for_correction(ProgressReport.objects.get(pk=second.pk), office, "补充佐证材料。")
    assert unread(office) == [] and summary(office, "progress-submitted").read_at is not None
    # A new one brings the summary back, counting only what is open.
    services.submit(ProgressReport.objects.get(pk=second.pk), tax_reporter)
    note = summary(office, "progress-submitted")
    assert (note.subject, note.read_at) == ("Progress report submitted: measure 2-3", None)


def test_opening_the_inbox_reads_the_summary_and_the_notes_it_counts(client, scjg_reporter):
    from duban.core.notify import Fold, settle

    kind = Fold("test-reminders", "%(n)s things to answer", "/todo/")
    for n in range(3):
        notify([scjg_reporter], f"k{n}", f"第{n + 1}件", url=f"/things/{n}/", about=f"thing:{n}", fold=kind)
    assert unread(scjg_reporter) == ["fold:test-reminders"]
    assert summary(scjg_reporter, "test-reminders").subject == "3 things to answer"
    settle("thing:0")
    assert summary(scjg_reporter, "test-reminders").subject == "2 things to answer"
    client.force_login(scjg_reporter)
    groups = client.get(reverse("notifications")).context["groups"]
    assert len(groups) == 4  # the summary and every note it counted, each shown
    assert unread(scjg_reporter) == []
    assert not Notification.objects.filter(user=scjg_reporter, read_at=None).exists()


def test_a_summary_of_one_item_left_is_one_line_with_that_item(client, scjg_reporter):
    from duban.core.notify import Fold, settle

    kind = Fold("test-one-left", "%(n)s things to answer", "/todo/")
    notify([scjg_reporter], "k0", "第1件", url="/things/0/", about="thing:0", fold=kind)
    notify([scjg_reporter], "k1", "第2件", url="/things/1/", about="thing:1", fold=kind)
    settle("thing:0")
    assert (summary(scjg_reporter, "test-one-left").subject, summary(scjg_reporter, "test-one-left").url) == (
        "第2件", "/things/1/")
    client.force_login(scjg_reporter)
    groups = client.get(reverse("notifications")).context["groups"]
    assert [(g["latest"].subject, len(g["notes"]), g["unread"]) for g in groups] == [
        ("第2件", 1, 2), ("第1件", 1, 0)], "the summary's line is the item's: not the same line twice"
    assert not Notification.objects.filter(user=scjg_reporter, read_at=None).exists()


def test_a_summary_without_a_list_links_to_its_newest_note(scjg_reporter):
    from duban.core.notify import Fold

    kind = Fold("test-ledger", "%(n)s rounds overdue")
    notify([scjg_reporter], "r1", "第一轮", url="/progress/units/2/", about="round:1", fold=kind)
    notify([scjg_reporter], "r2", "第二轮", url="/progress/units/2/", about="round:2", fold=kind)
    note = summary(scjg_reporter, "test-ledger")
    assert (note.subject, note.url) == ("2 rounds overdue", "/progress/units/2/")


def test_a_later_tick_leaves_the_days_later_events_for_tomorrows_digest(report, office, scjg_head, settings):
    settings.DUBAN_TODAY = "2023-04-11"
    services.submit(report, scjg_head, now=at("2023-04-10"))
    assert daily_digest(at("2023-04-11", 9))["digests"] == 1
    services.return_for_correction(ProgressReport.objects.get(pk=report.pk), office, "补充材料。",
                                   now=at("2023-04-11", 10))
    services.submit(ProgressReport.objects.get(pk=report.pk), scjg_head, now=at("2023-04-11", 11))
    assert daily_digest(at("2023-04-11", 14))["digests"] == 0
    waiting = Notification.objects.filter(user=office, digest=True, digested_at=None)
    assert waiting.count() == 1  # told tomorrow, not marked digested untold
    settings.DUBAN_TODAY = "2023-04-12"
    assert daily_digest(at("2023-04-12", 9))["digests"] >= 1
    assert "1 new message since the last digest." in Notification.objects.get(user=office, key="digest:2023-04-12").body


def test_a_simulated_morning_digests_the_events_so_far(report, office, scjg_head, settings):
    from duban.core import clock
    from duban.simulation.played import PlayedWriter

    morning = at("2023-04-11", 9) + datetime.timedelta(minutes=5)
    with clock.standing_at(lambda: at("2023-04-10", 15)):  # the simulated year stamps its rows
        services.submit(report, scjg_head)
    with clock.standing_at(lambda: morning):
        PlayedWriter().tick(morning, reminders=False)  # the simulated year's morning tick
    assert Notification.objects.get(user=office, digest=True).digested_at == morning
    assert not Notification.objects.filter(key__startswith="digest:").exists()  # no message nobody read
    settings.DUBAN_TODAY = "2023-04-12"
    assert daily_digest(at("2023-04-12", 9))["digests"] == 0  # the first real tick: nothing new since
