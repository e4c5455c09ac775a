"""Service reviews (好差评) and the rectification of bad ones.

A review of 不满意 or 非常不满意 opens a Rectification at once, due in one
working day from when it reaches Duban (the unit cannot act earlier). The
unit reports what it did; the office checks it (accepts, or sends it back)
and records its callback to the reviewer. A unit may appeal a mistaken or
malicious rating; an upheld appeal withdraws the rectification and leaves the
review out of the rates.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from duban.core import clock
from duban.core.events import emit
from duban.core.notify import absolute, notify, post_to_robots, settle

from . import people
from .models import Appeal, Event, Rectification, Review

if TYPE_CHECKING:
    from duban.accounts.models import User
    from duban.core.writes import Writes

def _save(writes: Writes) -> Event:
    """Write a step's rows (the models' methods say which); returns its last event. The notes about a
    rectification's previous step are settled: that work is done."""
    writes.save()
    event = writes.created(Event)[-1]
    if event.rectification is not None:
        settle(event.rectification)
    return event


def _tell(users, event, subject, rectification, body=""):
    notify(users, f"hotline:event:{event.pk}", subject, body, rectification.get_absolute_url(),
           about=rectification)


def record(*, entered_by: User | None = None, batch: Any = None, **fields: Any) -> Review:
    """Save a review; a bad one opens its rectification. Returns the Review."""
    review = Review.objects.create(entered_by=entered_by, batch=batch, **fields)
    if review.is_bad:
        open_rectification(review)
    return review


def open_rectification(review: Review, now: datetime.datetime | None = None) -> Rectification:
    writes = Rectification.open_for(review, now or clock.now(), unit=review.unit)
    event = _save(writes)
    [rectification] = writes.created(Rectification)
    subject = _("Bad review to rectify within 1 working day: %(matter)s") % {"matter": review.matter}
    _tell(people.unit_staff(review.unit), event, subject, rectification, review.comment)
    post_to_robots(review.unit, f"hotline:event:{event.pk}", f"{subject}\n{review.comment}".strip())
    emit("review.bad", {
        "id": review.pk, "label": review.matter, "title": f"{review.unit.name} {review.matter}",
        "unit": review.unit.name, "level": review.level, "reviewed_at": review.reviewed_at.isoformat(),
        "rectify_by": rectification.due_at.isoformat(), "url": absolute(rectification.get_absolute_url()),
    }, review.unit.region_id)
    return rectification


def submit(rectification: Rectification, actor: User, *, action_taken: str) -> Event:
    """The unit reports what it has done."""
    event = _save(rectification.submit(actor, clock.now(), action_taken=action_taken))
    _tell(people.office_staff(rectification.unit.region_id), event,
          _("Rectification reported by %(unit)s: please check") % {"unit": rectification.unit}, rectification,
          action_taken)
    return event


def accept(rectification: Rectification, actor: User, *, note: str = "") -> Event:
    """The office checks the report and accepts it: rectified when it was reported."""
    event = _save(rectification.accept(actor, clock.now(), note=note))
    _tell(people.unit_staff(rectification.unit), event, _("Rectification accepted"), rectification, note)
    settle(rectification)  # rectified: the news asks nothing more of the unit and is not left waiting
    return event


def send_back(rectification: Rectification, actor: User, *, note: str) -> Event:
    """Not good enough: back to the unit. The deadline stays where it was."""
    event = _save(rectification.send_back(actor, clock.now(), note=note))
    _tell(people.unit_staff(rectification.unit), event, _("Rectification sent back"), rectification, note)
    return event


def callback(rectification: Rectification, actor: User, *, satisfied: bool, note: str = "") -> Event:
    """The reviewer's follow-up (回访): asked whether the problem is now solved."""
    return _save(rectification.callback(actor, clock.now(), satisfied=satisfied, note=note))


def file_appeal(review: Review, actor: User, *, reason: str) -> Appeal:
    writes = Appeal.file(review, actor, clock.now(), reason=reason,
                         appealed_before=Appeal.objects.filter(review=review).exists())
    [appeal] = writes.created(Appeal)
    appeal.review = review
    event = _save(writes)
    _tell(people.office_staff(review.unit.region_id), event,
          _("Appeal against a review by %(unit)s") % {"unit": review.unit}, review.rectification, reason)
    return appeal


def decide_appeal(appeal: Appeal, actor: User, *, uphold: bool, note: str) -> Appeal:
    rectification = appeal.review.rectification
    event = _save(appeal.decide(actor, clock.now(), uphold=uphold, note=note, rectification=rectification))
    _tell(people.unit_staff(rectification.unit), event,
          _("Appeal %(decision)s") % {"decision": appeal.get_state_display()}, rectification, note)
    if rectification.state == Rectification.State.WITHDRAWN:
        settle(rectification)  # upheld: nothing left to rectify, the news is not left waiting
    return appeal
