"""Service reviews (好差评) and the rectification of bad ones.

A review of 不满意 or 非常不满意 opens a Rectification at once, due in one
working day from when it reaches Duban (the unit cannot act earlier). The
unit reports what it did; the office checks it (accepts, or sends it back)
and records its callback to the reviewer. A unit may appeal a mistaken or
malicious rating; an upheld appeal withdraws the rectification and leaves the
review out of the rates.
"""

from django.utils.translation import gettext as _

from duban.core import clock
from duban.core.events import emit
from duban.core.notify import absolute, notify, post_to_robots, settle

from . import clocks, people
from .models import Appeal, Event, IllegalTransition, Rectification, Review

R = Rectification.State


def _event(rectification, kind, actor, **fields):
    return Event.objects.create(rectification=rectification, kind=kind, actor=actor, at=clock.now(), **fields)


def _move(rectification, action, label):
    rectification.ensure_allowed(action, label)
    target = Rectification.TRANSITIONS[action][1]
    if target is not None:
        rectification.state = target
    settle(rectification.get_absolute_url())  # the notes about its previous step: done


def _tell(users, event, subject, rectification, body=""):
    notify(users, f"hotline:event:{event.pk}", subject, body, rectification.get_absolute_url())


def record(*, entered_by=None, batch=None, **fields):
    """Save a review; a bad one opens its rectification. Returns the Review."""
    review = Review.objects.create(entered_by=entered_by, batch=batch, **fields)
    if review.is_bad:
        open_rectification(review)
    return review


def open_rectification(review, now=None):
    now = now or clock.now()
    deadline = clocks.rectify_deadline(now)
    rectification = Rectification.objects.create(
        review=review, unit=review.unit, opened_at=now, due_at=deadline.due_at, due_provisional=deadline.provisional
    )
    event = _event(rectification, Event.Kind.OPENED, None, unit=review.unit)
    subject = _("Bad review to rectify within 1 working day: %(matter)s") % {"matter": review.matter}
    _tell(people.unit_staff(review.unit), event, subject, rectification, review.comment)
    post_to_robots(review.unit, f"hotline:event:{event.pk}", f"{subject}\n{review.comment}".strip())
    emit("review.bad", {
        "id": review.pk, "label": review.matter, "title": f"{review.unit.name} {review.matter}",
        "unit": review.unit.name, "level": review.level, "reviewed_at": review.reviewed_at.isoformat(),
        "rectify_by": rectification.due_at.isoformat(), "url": absolute(rectification.get_absolute_url()),
    }, review.unit.region_id)
    return rectification


def submit(rectification, actor, *, action_taken):
    """The unit reports what it has done."""
    _move(rectification, "submit", _("Report the rectification"))
    rectification.action_taken = action_taken
    rectification.submitted_at = clock.now()
    rectification.save()
    event = _event(rectification, Event.Kind.SUBMITTED, actor, unit=rectification.unit, note=action_taken)
    _tell(people.office_staff(rectification.unit.region_id), event,
          _("Rectification reported by %(unit)s: please check") % {"unit": rectification.unit}, rectification,
          action_taken)
    return event


def accept(rectification, actor, *, note=""):
    """The office checks the report and accepts it: rectified when it was reported."""
    _move(rectification, "accept", _("Accept"))
    rectification.accepted_at = clock.now()
    rectification.rectified_at = rectification.submitted_at
    rectification.save()
    event = _event(rectification, Event.Kind.ACCEPTED, actor, note=note)
    _tell(people.unit_staff(rectification.unit), event, _("Rectification accepted"), rectification, note)
    return event


def send_back(rectification, actor, *, note):
    """Not good enough: back to the unit. The deadline stays where it was."""
    _move(rectification, "send_back", _("Send back"))
    rectification.save()
    event = _event(rectification, Event.Kind.SENT_BACK, actor, note=note)
    _tell(people.unit_staff(rectification.unit), event, _("Rectification sent back"), rectification, note)
    return event


def callback(rectification, actor, *, satisfied, note=""):
    """The reviewer's follow-up (回访): asked whether the problem is now solved."""
    _move(rectification, "callback", _("Record the callback"))
    rectification.callback_at = clock.now()
    rectification.callback_satisfied = satisfied
    rectification.save()
    return _event(rectification, Event.Kind.CALLBACK, actor, note=note, data={"satisfied": satisfied})


def file_appeal(review, actor, *, reason):
    if Appeal.objects.filter(review=review).exists():
        raise IllegalTransition(_("This review has already been appealed."))
    if not review.is_bad:
        raise IllegalTransition(_("Only bad reviews can be appealed."))
    appeal = Appeal.objects.create(review=review, reason=reason, filed_by=actor)
    event = _event(review.rectification, Event.Kind.APPEALED, actor, unit=review.unit, note=reason)
    _tell(people.office_staff(review.unit.region_id), event,
          _("Appeal against a review by %(unit)s") % {"unit": review.unit}, review.rectification, reason)
    return appeal


def decide_appeal(appeal, actor, *, uphold, note):
    if appeal.state != Appeal.State.PENDING:
        raise IllegalTransition(_("This appeal has already been decided."))
    appeal.state = Appeal.State.UPHELD if uphold else Appeal.State.REJECTED
    appeal.decided_by, appeal.decided_at, appeal.decision_note = actor, clock.now(), note
    appeal.save()
    rectification = appeal.review.rectification
    if uphold and rectification.state in Rectification.TRANSITIONS["withdraw"][0]:
        rectification.state = R.WITHDRAWN
        rectification.save()
    event = _event(rectification, Event.Kind.APPEAL_DECIDED, actor, note=note, data={"upheld": uphold})
    _tell(people.unit_staff(rectification.unit), event,
          _("Appeal %(decision)s") % {"decision": appeal.get_state_display()}, rectification, note)
    return appeal
