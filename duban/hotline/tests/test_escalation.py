"""`duban tick`: yellow before each deadline, red when missed, then a supervised case with the leader told.

The complaint arrives Wednesday 2026-09-30 17:45, the eve of National Day:
contact due Thursday 8 October 17:30; as a general problem, reply due
Tuesday 13 October 17:30 (8, 9, Sat 10, 12, 13 October).
"""

from io import StringIO

import pytest
from django.core.management import call_command

from duban.core.models import Notification, RobotChannel, RobotMessage
from duban.hotline import flow, reviews
from duban.hotline.escalation import escalate
from duban.hotline.models import Event, Rectification, Review

from .conftest import moment
from duban.conftest import HOME

pytestmark = pytest.mark.django_db


def tick(at):
    out = StringIO()
    call_command("tick", "--job", "hotline-escalations", "--now", at, stdout=out)
    return out.getvalue()


def subjects(user):
    return sorted(user.notifications.values_list("subject", flat=True))


@pytest.fixture
def assigned(file_complaint, office, units, clock_at):
    complaint = file_complaint(received_at="2026-09-30T17:45")
    clock_at("2026-10-08T09:00")
    flow.contact(complaint, office, note="已联系")
    flow.classify(complaint, office, difficulty="general")
    flow.assign(complaint, office, lead_unit=units["scjg"])
    Notification.objects.all().delete()
    return complaint


def test_contact_deadline_reminds_the_office_on_the_day(file_complaint, office, scjg_head):
    complaint = file_complaint(received_at="2026-09-30T17:45")
    assert "0 reminders" in tick("2026-10-01T09:00"), "National Day: due only on 8 October"
    assert "1 reminders" in tick("2026-10-08T08:00")
    assert subjects(office) == [f"Complaint {complaint.formatted_code}: contact the business by 2026-10-08 17:30"]
    assert not scjg_head.notifications.exists()


def test_yellow_red_then_supervised_with_the_leader_told(assigned, office, scjg_reporter, scjg_head, leader_user, units):
    RobotChannel.objects.create(region_id=HOME, name="市场监管局群", kind="wecom", url="http://127.0.0.1:9/hook", unit=units["scjg"])
    code = assigned.formatted_code

    assert "0 reminders" in tick("2026-10-09T09:00"), "due Tuesday 13 October: not yet"
    tick("2026-10-12T09:00")  # due by the next working day: yellow
    assert subjects(scjg_reporter) == [f"Complaint {code}: reply to the business by 2026-10-13 17:30"]
    assert subjects(scjg_head) == subjects(scjg_reporter), "the unit's staff, head included"
    assert not office.notifications.exists()

    tick("2026-10-13T18:00")  # missed: the unit head
    overdue = f"Overdue: complaint {code}, reply to the business was due 2026-10-13 17:30"
    assert overdue in subjects(scjg_head) and overdue not in subjects(scjg_reporter)
    assert Event.objects.filter(complaint=assigned, kind=Event.Kind.OVERDUE).count() == 1
    assigned.refresh_from_db()
    assert assigned.supervised_at is None and assigned.light(moment("2026-10-13T18:00")) == "red"

    tick("2026-10-14T17:31")  # still missed a working day later: the office's supervised case
    assigned.refresh_from_db()
    assert assigned.supervised_at is not None
    supervised = f"Supervised case (督办件): {overdue}"
    assert subjects(office) == [supervised]
    assert subjects(leader_user) == [supervised], "胡海 leads the area of the complaint's category"
    assert Event.objects.filter(complaint=assigned, kind=Event.Kind.SUPERVISED).count() == 1
    assert RobotMessage.objects.filter(channel__unit=units["scjg"]).count() == 2  # yellow and red


def test_running_tick_twice_sends_nothing_twice(assigned, clock_at):
    for at in ("2026-10-12T09:00", "2026-10-13T18:00", "2026-10-14T18:00"):
        first = tick(at)
        notes, events = Notification.objects.count(), Event.objects.count()
        second = tick(at)
        assert "0 reminders, 0 overdue notices, 0 supervised-case notices" in second, (first, second)
        assert (Notification.objects.count(), Event.objects.count()) == (notes, events)


def test_an_approved_extension_starts_a_fresh_cycle(assigned, office, scjg_reporter, scjg_head, clock_at):
    flow.start(assigned, scjg_reporter)
    tick("2026-10-12T09:00")
    clock_at("2026-10-12T10:00")
    extension = flow.request_extension(assigned, scjg_reporter, workdays=3, reason="需调取合同")
    flow.decide_extension(extension, office, approve=True)
    assert "0 overdue" in tick("2026-10-13T18:00"), "the old deadline no longer counts"
    tick("2026-10-15T09:00")
    assert f"Complaint {assigned.formatted_code}: reply to the business by 2026-10-16 17:30" in subjects(scjg_reporter)
    tick("2026-10-16T18:00")
    assert any(s.startswith("Overdue") and "2026-10-16 17:30" in s for s in subjects(scjg_head))


def test_a_returned_complaint_is_the_offices_to_chase(assigned, office, scjg_reporter, scjg_head):
    flow.return_to_office(assigned, scjg_reporter, reason="非本局职责")
    tick("2026-10-13T18:00")
    assert any(s.startswith("Overdue") for s in subjects(office))
    assert not any(s.startswith("Overdue") for s in subjects(scjg_head))


def test_replied_and_closed_complaints_are_left_alone(assigned, office, scjg_reporter):
    flow.start(assigned, scjg_reporter)
    flow.reply(assigned, scjg_reporter, text="已解决", resolution="resolved")
    assert "0 reminders, 0 overdue" in tick("2026-10-20T09:00")


def test_overdue_rectification_goes_to_the_head_then_the_office(units, office, scjg_reporter, scjg_head, clock_at):
    clock_at("2026-10-09T16:00")
    review = reviews.record(unit=units["scjg"], matter="食品经营许可", level=Review.Level.VERY_DISSATISFIED,
                            reviewed_at=moment("2026-10-09T15:30"), comment="窗口人员态度差")
    rectification = review.rectification
    assert rectification.due_at == moment("2026-10-09T17:30")
    tick("2026-10-09T17:00")
    assert any("Bad review to rectify by 2026-10-09 17:30" in s for s in subjects(scjg_reporter))
    tick("2026-10-09T18:00")
    assert any(s.startswith("Overdue rectification") for s in subjects(scjg_head))
    tick("2026-10-12T18:00")  # the next working day after 9 October is Saturday 10 October (worked)
    rectification.refresh_from_db()
    assert rectification.supervised_at is not None
    assert any(s.startswith("Supervised case") for s in subjects(office))
    assert rectification.state == Rectification.State.OPEN


def test_the_job_is_registered_with_tick():
    out = StringIO()
    call_command("tick", "--list", stdout=out)
    assert "hotline-escalations" in out.getvalue().split()
    assert escalate(moment("2026-10-08T09:00")).startswith("0 reminders")


def test_a_copy_read_before_the_escalation_does_not_undo_it(assigned, office, units):
    from duban.hotline.models import Complaint

    stale = Complaint.objects.get(pk=assigned.pk)  # e.g. a page opened on Monday
    tick("2026-10-14T17:31")  # the reply is missed a working day later: a supervised case
    assert Complaint.objects.get(pk=assigned.pk).supervised_at is not None
    assert stale.supervised_at is None
    flow.transfer(stale, office, to_unit=units["tax"], reason="应由税务局办理")
    assert Complaint.objects.get(pk=assigned.pk).supervised_at is not None
