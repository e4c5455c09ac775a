"""The steps of a complaint, one function each, shared by the pages, the API and the tests.

Each step checks that the complaint's state allows it (Complaint.TRANSITIONS;
IllegalTransition otherwise), changes the complaint, stores any deadline whose
clock it starts, records an Event with the time and the actor, and tells the
people who must act next. Permissions are the caller's business (views call
`require` first); input is validated by the forms.
"""

from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from duban.core import clock
from duban.core.events import emit
from duban.core.notify import absolute, notify, post_to_robots, settle

from . import clocks, people
from .models import (
    Complaint,
    Event,
    Extension,
    IllegalTransition,
    normalize_tracking_code,
)

State = Complaint.State


def _event(complaint, kind, actor, at=None, **fields):
    return Event.objects.create(complaint=complaint, kind=kind, actor=actor, at=at or clock.now(), **fields)


def _move(complaint, action, label):
    # Carry on from the row as it is now, not from the caller's copy: `duban tick` may have marked it a
    # supervised case (or another user moved it) since the copy was read, and the flow saves whole rows.
    if complaint.pk:
        rows = Complaint.objects.filter(pk=complaint.pk)
        if not connection.get_autocommit():
            rows = rows.select_for_update()
        list(rows.values_list("pk"))
        complaint.refresh_from_db()
    complaint.ensure_allowed(action, label)
    target = Complaint.TRANSITIONS[action][1]
    if target is not None:
        complaint.state = target
    if complaint.pk:
        settle(complaint.get_absolute_url())  # what those told before had to do is done; the next are told below


def _tell(users, key, subject, complaint, body=""):
    notify(users, key, subject, body, complaint.get_absolute_url())


def _tell_unit(unit, key, subject, complaint, body=""):
    _tell(people.unit_staff(unit), key, subject, complaint, body)
    post_to_robots(unit, key, f"{subject}\n{body}".strip())


def receive(*, category, company_name, contact_name, mobile, description, credit_code="",
            channel=Complaint.Channel.WEB, received_at=None, recorded_by=None, external_ref="", form_token=None,
            region=None):
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
    complaint.contact_due = clocks.contact_deadline(received_at).due_at
    complaint.refresh_next_due()
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
    _event(complaint, Event.Kind.RECEIVED, recorded_by, received_at, data={"channel": channel})
    emit("complaint.created", event_payload(complaint), complaint.region_id)
    return complaint


def event_payload(complaint):
    """What a webhook receiver learns about a complaint: no names, numbers or description (personal data)."""
    return {
        "id": complaint.pk,
        "label": complaint.formatted_code,
        "title": f"{complaint.formatted_code} {complaint.category.name}",
        "category": complaint.category.name,
        "channel": complaint.channel,
        "state": complaint.state,
        "unit": complaint.lead_unit.name if complaint.lead_unit_id else None,
        "received_at": complaint.received_at.isoformat(),
        "supervised": complaint.supervised_at is not None,
        "url": absolute(complaint.get_absolute_url()),
    }


def find_by_code(code, mobile):
    """The complaint with this tracking code and mobile number, or None (no hint which one was wrong)."""
    complaint = Complaint.objects.filter(tracking_code=normalize_tracking_code(code)).select_related(
        "category", "lead_unit").first()
    if complaint is None or complaint.mobile != mobile:
        return None
    return complaint


def contact(complaint, actor, *, note, at=None):
    """The office has phoned the business (clock: 1 working day from receipt)."""
    _move(complaint, "contact", _("Record phone contact"))
    complaint.contacted_at = at or clock.now()
    complaint.refresh_next_due()
    complaint.save()
    return _event(complaint, Event.Kind.CONTACTED, actor, complaint.contacted_at, note=note)


def classify(complaint, actor, *, difficulty, note=""):
    """General or difficult: starts the reply clock of 5 or 10 working days from receipt."""
    _move(complaint, "classify", _("Classify"))
    complaint.difficulty = difficulty
    complaint.classified_at = clock.now()
    complaint.reply_due = clocks.reply_deadline(complaint.received_at, difficulty).due_at
    complaint.refresh_next_due()
    complaint.save()
    return _event(complaint, Event.Kind.CLASSIFIED, actor, note=note, data={"difficulty": difficulty})


def _set_units(complaint, lead_unit, cooperating_units):
    complaint.lead_unit = lead_unit
    complaint.save()
    complaint.cooperating_units.set([u for u in cooperating_units if u.pk != lead_unit.pk])


def assign(complaint, actor, *, lead_unit, cooperating_units=(), note=""):
    """Give the complaint to a lead unit (and cooperating units); the unit is told."""
    _move(complaint, "assign", _("Assign"))
    complaint.assigned_at = clock.now()
    _set_units(complaint, lead_unit, cooperating_units)
    event = _event(complaint, Event.Kind.ASSIGNED, actor, unit=lead_unit, note=note,
                   data={"cooperating": [u.name for u in complaint.cooperating_units.all()]})
    _tell_unit(lead_unit, f"hotline:event:{event.pk}",
               _("Complaint %(code)s assigned to your unit") % {"code": complaint.formatted_code}, complaint,
               complaint.company_name)
    return event


def transfer(complaint, actor, *, to_unit, reason, cooperating_units=None):
    """Move the complaint to another lead unit. The reply clock keeps counting from receipt."""
    _move(complaint, "transfer", _("Transfer"))
    if complaint.lead_unit_id == to_unit.pk:
        raise IllegalTransition(_("The complaint is already with %(unit)s.") % {"unit": to_unit})
    from_unit = complaint.lead_unit
    complaint.assigned_at = clock.now()
    keep = complaint.cooperating_units.all() if cooperating_units is None else cooperating_units
    _set_units(complaint, to_unit, list(keep))
    event = _event(complaint, Event.Kind.TRANSFERRED, actor, unit=to_unit, note=reason,
                   data={"from": from_unit.name if from_unit else ""})
    _tell_unit(to_unit, f"hotline:event:{event.pk}",
               _("Complaint %(code)s transferred to your unit") % {"code": complaint.formatted_code}, complaint, reason)
    return event


def start(complaint, actor, *, note=""):
    """The lead unit accepts the complaint and starts work (签收)."""
    _move(complaint, "start", _("Accept"))
    complaint.save()
    return _event(complaint, Event.Kind.STARTED, actor, unit=complaint.lead_unit, note=note)


def return_to_office(complaint, actor, *, reason):
    """"Not ours": the unit hands the complaint back, with its reason, for the office to reassign."""
    _move(complaint, "return", _("Return to the office"))
    unit = complaint.lead_unit
    complaint.lead_unit = None
    complaint.save()
    event = _event(complaint, Event.Kind.RETURNED, actor, unit=unit, note=reason)
    _tell(people.office_staff(complaint.region_id), f"hotline:event:{event.pk}",
          _("Complaint %(code)s returned by %(unit)s") % {"code": complaint.formatted_code, "unit": unit},
          complaint, reason)
    return event


def request_extension(complaint, actor, *, workdays, reason):
    """Ask the office for `workdays` more working days; nothing changes until it approves."""
    complaint.ensure_allowed("request_extension", _("Request an extension"))
    if complaint.extensions.filter(state=Extension.State.PENDING).exists():
        raise IllegalTransition(_("An extension request is already waiting for the office."))
    extension = Extension(complaint=complaint, round=complaint.round, workdays=workdays, reason=reason,
                          requested_by=actor)
    old, new = extension.compute_dues()
    extension.old_due, extension.new_due = old.due_at, new.due_at
    extension.save()
    event = _event(complaint, Event.Kind.EXTENSION_REQUESTED, actor, unit=complaint.lead_unit, note=reason,
                   data={"workdays": workdays, "extension": extension.pk})
    _tell(people.office_staff(complaint.region_id), f"hotline:event:{event.pk}",
          _("Extension requested for complaint %(code)s") % {"code": complaint.formatted_code}, complaint, reason)
    return extension


def decide_extension(extension, actor, *, approve, note=""):
    """The office approves (a new deadline, kept next to the old one) or refuses."""
    complaint = extension.complaint
    complaint.ensure_allowed("decide_extension", _("Decide on the extension"))
    if extension.state != Extension.State.PENDING:
        raise IllegalTransition(_("This extension request has already been decided."))
    extension.decided_by, extension.decided_at, extension.decision_note = actor, clock.now(), note
    extension.state = Extension.State.APPROVED if approve else Extension.State.REFUSED
    extension.save()
    if approve:
        old, new = extension.compute_dues()
        extension.old_due, extension.new_due = old.due_at, new.due_at
        extension.save(update_fields=["old_due", "new_due"])
        complaint.refresh_next_due()
        complaint.save()
    kind = Event.Kind.EXTENSION_APPROVED if approve else Event.Kind.EXTENSION_REFUSED
    event = _event(complaint, kind, actor, note=note, data={
        "extension": extension.pk, "old_due": extension.old_due.isoformat(), "new_due": extension.new_due.isoformat()})
    _tell([extension.requested_by], f"hotline:event:{event.pk}",
          _("Extension for complaint %(code)s: %(decision)s")
          % {"code": complaint.formatted_code, "decision": extension.get_state_display()}, complaint, note)
    return event


def reply(complaint, actor, *, text, resolution):
    """The unit's answer to the business. The first reply is what "on time" is measured by."""
    _move(complaint, "reply", _("Reply"))
    now = clock.now()
    if complaint.replied_at is None:
        complaint.replied_at = now
        complaint.replied_on_time = complaint.next_due is None or now <= complaint.next_due
    complaint.reply_text, complaint.resolution = text, resolution
    complaint.refresh_next_due()
    complaint.save()
    event = _event(complaint, Event.Kind.REPLIED, actor, now, unit=complaint.lead_unit, note=text,
                   data={"resolution": resolution})
    _tell(people.office_staff(complaint.region_id), f"hotline:event:{event.pk}",
          _("Complaint %(code)s replied: please call the business back") % {"code": complaint.formatted_code},
          complaint)
    return event


def callback(complaint, actor, *, satisfied, note="", reopen=None):
    """The office asks the business (回访). Satisfied: closed. Not: reopened, unless the office closes it anyway."""
    _move(complaint, "callback", _("Record the callback"))
    reopen = (not satisfied) if reopen is None else (reopen and not satisfied)
    now = clock.now()
    complaint.satisfied = satisfied
    _event(complaint, Event.Kind.CALLBACK, actor, now, note=note, data={"satisfied": satisfied})
    if reopen:
        complaint.state = State.IN_PROGRESS
        complaint.reopen_count += 1
        complaint.reopened_at = now
        complaint.refresh_next_due()
        complaint.save()
        event = _event(complaint, Event.Kind.REOPENED, actor, now, unit=complaint.lead_unit, note=note)
        _tell_unit(complaint.lead_unit, f"hotline:event:{event.pk}",
                   _("Complaint %(code)s reopened: the business is not satisfied") % {"code": complaint.formatted_code},
                   complaint, note)
        return event
    complaint.state = State.CLOSED
    complaint.closed_at = now
    complaint.refresh_next_due()
    complaint.save()
    event = _event(complaint, Event.Kind.CLOSED, actor, now, note=note)
    emit("complaint.closed", event_payload(complaint) | {"satisfied": satisfied}, complaint.region_id)
    return event


def comment(complaint, actor, *, note):
    """A note on the record: a cooperating unit's input, a call that did not get through…"""
    complaint.ensure_allowed("comment", _("Add a note"))
    return _event(complaint, Event.Kind.NOTE, actor, note=note, unit=getattr(actor, "unit", None))
