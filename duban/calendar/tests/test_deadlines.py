"""The stored-deadline registry and `duban calendar recompute`."""

import datetime
import io
import zoneinfo

import pytest
from django.core.management import call_command
from django.db.models import Q

from duban.calendar import deadlines
from duban.calendar.models import DeadlineChange, Override
from duban.calendar.notices import import_notice
from duban.calendar.sla import sla_deadline

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(text):
    return datetime.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


@pytest.fixture
def tickets(ticket_model):
    """Tickets whose reply deadline was stored when they arrived, and registered for recompute."""
    Ticket = ticket_model

    def start(received_at, n, closed=False):
        deadline = sla_deadline(received_at, n)
        return Ticket.objects.create(
            received_at=received_at, workdays=n, reply_due=deadline.due_at,
            reply_due_provisional=deadline.provisional, closed=closed,
        )

    deadlines.register(
        Ticket, "reply_due", compute=lambda t: sla_deadline(t.received_at, t.workdays),
        open=Q(closed=False), provisional_field="reply_due_provisional",
    )
    yield start
    deadlines.unregister(Ticket, "reply_due")


def test_register_checks_the_fields(ticket_model):
    from django.core.exceptions import FieldDoesNotExist

    with pytest.raises(FieldDoesNotExist):
        deadlines.register(ticket_model, "no_such_field", compute=lambda t: None)
    assert all(entry.model is not ticket_model for entry in deadlines.registered())


def test_nothing_moves_when_the_calendar_did_not_change(tickets):
    tickets(at("2026-03-09T10:00"), 5)
    assert deadlines.recompute() == []
    assert not DeadlineChange.objects.exists()


def test_a_local_closure_moves_open_deadlines_that_cross_it(tickets):
    crossing = tickets(at("2026-03-09T10:00"), 5)  # Monday: due Friday 13 March
    before = tickets(at("2026-03-02T10:00"), 2)  # due Tuesday 3 March, before the closure
    closed = tickets(at("2026-03-09T10:00"), 5, closed=True)
    assert crossing.reply_due == at("2026-03-13T17:30")

    Override.objects.create(date=datetime.date(2026, 3, 11), kind=Override.Kind.CLOSED, reason="区机关停电")
    changes = deadlines.recompute(reason="closure on 11 March")

    assert [(c.pk, c.new) for c in changes] == [(crossing.pk, at("2026-03-16T17:30"))]
    crossing.refresh_from_db()
    assert crossing.reply_due == at("2026-03-16T17:30")
    before.refresh_from_db()
    assert before.reply_due == at("2026-03-03T17:30")
    closed.refresh_from_db()
    assert closed.reply_due == at("2026-03-13T17:30")  # closed rows keep what they had

    log = DeadlineChange.objects.get()
    assert (log.model, log.object_id, log.field) == ("calendar.Ticket", str(crossing.pk), "reply_due")
    assert log.old_value.startswith("2026-03-13T17:30") and log.new_value.startswith("2026-03-16T17:30")
    assert log.reason == "closure on 11 March"


def test_importing_the_2027_notice_recomputes_provisional_deadlines(tickets, django_capture_on_commit_callbacks):
    # Received Thursday 4 February 2027 after close; the fallback closes 5–10 February.
    ticket = tickets(at("2027-02-04T18:00"), 1)
    assert ticket.reply_due_provisional
    assert ticket.reply_due == at("2027-02-11T17:30")

    text = (
        "国务院办公厅关于2027年部分节假日安排的通知\n"
        "一、春节：2月5日（周五）至2月11日（周四）放假调休，共7天。2月20日（周六）上班。\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        import_notice(text)
    changes = deadlines.recompute(reason="2027 notice")

    ticket.refresh_from_db()
    assert ticket.reply_due == at("2027-02-12T17:30")
    assert not ticket.reply_due_provisional
    assert len(changes) == 1 and not changes[0].provisional


def test_only_the_flag_changes_when_the_dates_agree(tickets, django_capture_on_commit_callbacks):
    ticket = tickets(at("2027-03-01T10:00"), 3)
    assert ticket.reply_due_provisional
    with django_capture_on_commit_callbacks(execute=True):
        import_notice("关于2027年部分节假日安排的通知\n一、元旦：1月1日（周五）放假，共1天。\n")
    assert deadlines.recompute() == []
    ticket.refresh_from_db()
    assert not ticket.reply_due_provisional


def test_dry_run_changes_nothing(tickets):
    ticket = tickets(at("2026-03-09T10:00"), 5)
    Override.objects.create(date=datetime.date(2026, 3, 11), kind=Override.Kind.CLOSED, reason="x")
    assert len(deadlines.recompute(dry_run=True)) == 1
    ticket.refresh_from_db()
    assert ticket.reply_due == at("2026-03-13T17:30")
    assert not DeadlineChange.objects.exists()


def test_date_fields_store_the_date(ticket_model):
    entry = deadlines.StoredDeadline(ticket_model, "reply_due", None, Q())
    deadline = sla_deadline(at("2026-03-09T10:00"), 1)
    assert entry.value_of(deadline) == (deadline.due_at, False)
    assert entry.value_of(datetime.date(2026, 3, 9)) == (datetime.date(2026, 3, 9), False)


def test_the_command_prints_each_change(tickets):
    ticket = tickets(at("2026-03-09T10:00"), 5)
    Override.objects.create(date=datetime.date(2026, 3, 11), kind=Override.Kind.CLOSED, reason="x")
    out = io.StringIO()
    call_command("calendar", "recompute", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == f"calendar.Ticket.reply_due #{ticket.pk}: 2026-03-13T17:30:00+08:00 → 2026-03-16T17:30:00+08:00"
    assert "1" in lines[1]
