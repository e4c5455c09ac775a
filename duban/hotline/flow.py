"""The steps of a complaint, one function each, shared by the pages, the API and the tests.

Each step checks that the complaint's state allows it (Complaint.TRANSITIONS;
IllegalTransition otherwise), changes the complaint, stores any deadline whose
clock it starts, records an Event with the time and the actor, and tells the
people who must act next. Permissions are the caller's business (views call
`require` first); input is validated by the forms.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from duban.core import clock
from duban.core.events import emit
from duban.core.notify import absolute, notify, post_to_robots, settle

from . import people
from .models import Category, Complaint, Event, Extension, normalize_tracking_code

if TYPE_CHECKING:
    from duban.accounts.models import User
    from duban.core.models import Region
    from duban.core.writes import Writes
    from duban.plans.models import Unit


def _event(complaint, kind, actor, at=None, **fields):
    return Event.objects.create(complaint=complaint, kind=kind, actor=actor, at=at or clock.now(), **fields)


def _fresh(complaint: Complaint) -> Complaint:
    # Carry on from the row as it is now, not from the caller's copy: `duban tick` may have marked it a
    # supervised case (or another user moved it) since the copy was read, and the flow saves whole rows.
    if complaint.pk:
        rows = Complaint.objects.filter(pk=complaint.pk)
        if not connection.get_autocommit():
            rows = rows.select_for_update()
        list(rows.values_list("pk"))
        complaint.refresh_from_db()
    return complaint


def _save(writes: Writes) -> Event:
    """Write a step's rows (Complaint's methods say which); returns its last event. What those told before
    had to do about the complaint is done (their notes are settled); the next are told by the caller."""
    writes.save()
    event = writes.created(Event)[-1]
    if event.complaint is not None:
        settle(event.complaint)
    return event


def _tell(users, key, subject, complaint, body=""):
    notify(users, key, subject, body, complaint.get_absolute_url(), about=complaint)


def _tell_unit(unit, key, subject, complaint, body=""):
    _tell(people.unit_staff(unit), key, subject, complaint, body)
    post_to_robots(unit, key, f"{subject}\n{body}".strip())


def receive(*, category: Category, company_name: str, contact_name: str, mobile: str, description: str,
            credit_code: str = "", channel: str = Complaint.Channel.WEB, received_at: datetime.datetime | None = None,
            recorded_by: User | None = None, external_ref: str = "", form_token: str | None = None,
            region: Region | None = None) -> Complaint:
    """File a complaint with a region's office (the one given, else the recording user's, else the category's);
    the contact clock (1 working day) starts at `received_at`. The category is that region's."""
    received_at = received_at or clock.now()
    region_id = region.pk if region else recorded_by.region_id if recorded_by else category.region_id
    if category.region_id != region_id:
        raise ValueError(f"category {category.pk} belongs to region {category.region_id}, not {region_id}")
    complaint = Complaint(
        region_id=region_id, category=category, company_name=company_name, credit_code=credit_code, contact_name=contact_name,
        mobile=mobile, description=description, channel=channel, received_at=received_at,
        external_ref=external_ref, form_token=form_token,
    )
    writes = complaint.receive(recorded_by)
    for attempt in range(5):
        try:
            with transaction.atomic():
                complaint.tracking_code = ""  # a fresh random code on each attempt
                complaint.save()
            break
        except IntegrityError:
            # A double-submitted form (its token is taken): the caller looks it up.
            if form_token and Complaint.objects.filter(form_token=form_token).exists():
                raise
            if attempt == 4:
                raise
    for event in writes.created(Event):
        event.save()
    emit("complaint.created", event_payload(complaint), complaint.region_id)
    return complaint


def event_payload(complaint: Complaint) -> dict[str, Any]:
    """What a webhook receiver learns about a complaint: no names, numbers or description (personal data)."""
    return {
        "id": complaint.pk,
        "label": complaint.formatted_code,
        "title": f"{complaint.formatted_code} {complaint.category.name}",
        "category": complaint.category.name,
        "channel": complaint.channel,
        "state": complaint.state,
        "unit": complaint.lead_unit.name if complaint.lead_unit else None,
        "received_at": complaint.received_at.isoformat(),
        "supervised": complaint.supervised_at is not None,
        "url": absolute(complaint.get_absolute_url()),
    }


def find_by_code(code: str, mobile: str) -> Complaint | None:
    """The complaint with this tracking code and mobile number, or None (no hint which one was wrong)."""
    complaint = Complaint.objects.filter(tracking_code=normalize_tracking_code(code)).select_related(
        "category", "lead_unit").first()
    if complaint is None or complaint.mobile != mobile:
        return None
    return complaint


def contact(complaint: Complaint, actor: User, *, note: str, at: datetime.datetime | None = None) -> Event:
    """The office has phoned the business (clock: 1 working day from receipt)."""
    return _save(_fresh(complaint).contact(actor, at or clock.now(), note=note))


def classify(complaint: Complaint, actor: User, *, difficulty: str, note: str = "") -> Event:
    """General or difficult: starts the reply clock of 5 or 10 working days from receipt."""
    return _save(_fresh(complaint).classify(actor, clock.now(), difficulty=difficulty, note=note))


def assign(complaint: Complaint, actor: User, *, lead_unit: Unit, cooperating_units: Iterable[Unit] = (),
           note: str = "") -> Event:
    """Give the complaint to a lead unit (and cooperating units); the unit is told."""
    event = _save(_fresh(complaint).assign(actor, clock.now(), lead_unit=lead_unit, cooperating_units=cooperating_units,
                                           note=note))
    _tell_unit(lead_unit, f"hotline:event:{event.pk}",
               _("Complaint %(code)s assigned to your unit") % {"code": complaint.formatted_code}, complaint,
               complaint.company_name)
    return event


def transfer(complaint: Complaint, actor: User, *, to_unit: Unit, reason: str,
             cooperating_units: Iterable[Unit] | None = None) -> Event:
    """Move the complaint to another lead unit. The reply clock keeps counting from receipt."""
    _fresh(complaint)
    keep = complaint.cooperating_units.all() if cooperating_units is None else cooperating_units
    event = _save(complaint.transfer(actor, clock.now(), to_unit=to_unit, reason=reason, cooperating_units=list(keep)))
    _tell_unit(to_unit, f"hotline:event:{event.pk}",
               _("Complaint %(code)s transferred to your unit") % {"code": complaint.formatted_code}, complaint, reason)
    return event


def start(complaint: Complaint, actor: User, *, note: str = "") -> Event:
    """The lead unit accepts the complaint and starts work (签收)."""
    return _save(_fresh(complaint).start(actor, clock.now(), note=note))


def return_to_office(complaint: Complaint, actor: User, *, reason: str) -> Event:
    """"Not ours": the unit hands the complaint back, with its reason, for the office to reassign."""
    unit = _fresh(complaint).lead_unit
    event = _save(complaint.return_to_office(actor, clock.now(), reason=reason))
    _tell(people.office_staff(complaint.region_id), f"hotline:event:{event.pk}",
          _("Complaint %(code)s returned by %(unit)s") % {"code": complaint.formatted_code, "unit": unit},
          complaint, reason)
    return event


def request_extension(complaint: Complaint, actor: User, *, workdays: int, reason: str) -> Extension:
    """Ask the office for `workdays` more working days; nothing changes until it approves."""
    writes = complaint.request_extension(actor, clock.now(), workdays=workdays, reason=reason)
    event = _save(writes)
    _tell(people.office_staff(complaint.region_id), f"hotline:event:{event.pk}",
          _("Extension requested for complaint %(code)s") % {"code": complaint.formatted_code}, complaint, reason)
    return writes.created(Extension)[0]


def decide_extension(extension: Extension, actor: User, *, approve: bool, note: str = "") -> Event:
    """The office approves (a new deadline, kept next to the old one) or refuses."""
    complaint = extension.complaint
    event = _save(complaint.decide_extension(extension, actor, clock.now(), approve=approve, note=note))
    _tell([extension.requested_by], f"hotline:event:{event.pk}",
          _("Extension for complaint %(code)s: %(decision)s")
          % {"code": complaint.formatted_code, "decision": extension.get_state_display()}, complaint, note)
    return event


def reply(complaint: Complaint, actor: User, *, text: str, resolution: str) -> Event:
    """The unit's answer to the business. The first reply is what "on time" is measured by."""
    event = _save(_fresh(complaint).reply(actor, clock.now(), text=text, resolution=resolution))
    _tell(people.office_staff(complaint.region_id), f"hotline:event:{event.pk}",
          _("Complaint %(code)s replied: please call the business back") % {"code": complaint.formatted_code},
          complaint)
    return event


def callback(complaint: Complaint, actor: User, *, satisfied: bool, note: str = "",
             reopen: bool | None = None) -> Event:
    """The office asks the business (回访). Satisfied: closed. Not: reopened, unless the office closes it anyway."""
    event = _save(_fresh(complaint).callback(actor, clock.now(), satisfied=satisfied, note=note, reopen=reopen))
    if event.kind == Event.Kind.REOPENED:
        _tell_unit(complaint.lead_unit, f"hotline:event:{event.pk}",
                   _("Complaint %(code)s reopened: the business is not satisfied") % {"code": complaint.formatted_code},
                   complaint, note)
    elif event.kind == Event.Kind.CLOSED:
        emit("complaint.closed", event_payload(complaint) | {"satisfied": satisfied}, complaint.region_id)
    return event


def comment(complaint: Complaint, actor: User, *, note: str) -> Event:
    """A note on the record: a cooperating unit's input, a call that did not get through…"""
    complaint.ensure_allowed("comment")
    return _event(complaint, Event.Kind.NOTE, actor, note=note, unit=getattr(actor, "unit", None))
