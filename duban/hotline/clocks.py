"""The hotline's time limits, in working days, on top of the calendar engine.

The plan's promise: phone contact within 1 working day; general problems
closed within 5 and difficult ones answered within 10 working days of
receipt; a bad review rectified within 1 working day. Deadlines are computed
once, when a clock starts, and stored on the row (see models and apps.py for
how `duban calendar recompute` keeps them right when the calendar changes).
"""

import datetime

from django.utils import timezone

from duban.calendar.sla import close_of_business, sla_deadline
from duban.calendar.workdays import Deadline, add_workdays, provisional_years

CONTACT_WORKDAYS = 1
REPLY_WORKDAYS = {"general": 5, "difficult": 10}
RECTIFY_WORKDAYS = 1
# Extensions the office may grant at once, in working days.
MAX_EXTENSION_WORKDAYS = 10
# A missed deadline goes to the unit head at once, and to the office as a
# supervised case (督办件) when still missed this many working days later.
SUPERVISE_AFTER_WORKDAYS = 1
# Yellow: the deadline falls on today (0) or within the next N working days.
YELLOW_WORKDAYS = {"contact": 0, "reply": 1, "rectify": 0}


def contact_deadline(received_at):
    return sla_deadline(received_at, CONTACT_WORKDAYS)


def reply_deadline(started_at, difficulty):
    """5 or 10 working days from `started_at` (receipt, or the reopening of a complaint)."""
    return sla_deadline(started_at, REPLY_WORKDAYS[difficulty])


def rectify_deadline(opened_at):
    return sla_deadline(opened_at, RECTIFY_WORKDAYS)


def at_close_of_business(day):
    return timezone.make_aware(datetime.datetime.combine(day, close_of_business()))


def extended_deadline(due_at, workdays):
    """`workdays` more working days after the deadline `due_at`: close of business of that day."""
    start = timezone.localtime(due_at).date()
    end = add_workdays(start, workdays)
    return Deadline(end, at_close_of_business(end), provisional_years(start, end))


def supervise_after(due_at):
    """When a missed deadline becomes a supervised case."""
    day = add_workdays(timezone.localtime(due_at).date(), SUPERVISE_AFTER_WORKDAYS)
    return at_close_of_business(day)


def yellow_from(today, step):
    """The latest deadline (a moment) that is yellow on `today` for a step."""
    return at_close_of_business(add_workdays(today, YELLOW_WORKDAYS[step]))


def escalation_horizon(now):
    """The latest deadline the escalation check need look at on `now`: one due later is not even yellow yet
    in the widest window (duban.hotline.escalation's query, the simulation's tick)."""
    return max(yellow_from(timezone.localdate(now), step) for step in YELLOW_WORKDAYS)


def light(due_at, step, now):
    """The traffic light of a running clock: red when `due_at` has passed, yellow inside the step's window."""
    if now > due_at:
        return "red"
    if due_at <= yellow_from(timezone.localdate(now), step):
        return "yellow"
    return "green"


def is_provisional(start, due_at):
    """Whether a stored deadline counts over a year whose holiday notice is missing."""
    if due_at is None:
        return False
    return bool(provisional_years(timezone.localtime(start).date(), timezone.localtime(due_at).date()))
