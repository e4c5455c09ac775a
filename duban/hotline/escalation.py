"""`duban tick` job "hotline-escalations": yellow before each deadline, red when it is missed.

For every open complaint (the step it waits for: contact, then reply) and
every open rectification:

- yellow: the deadline falls today (contact, rectification) or by the next
  working day (reply): the people who must act are reminded;
- red: the deadline has passed: the unit head is told (the office, while no
  unit holds the complaint) and an "overdue" event is recorded;
- supervised case (督办件): still missed one working day after the deadline:
  the office is told, with the leader responsible for the complaint's area.

Each message has a key naming the complaint, the step and the deadline, so a
second run sends nothing twice, and an extension or a reopening (a new
deadline) starts a fresh cycle.
"""

import collections

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from duban.core.events import emit
from duban.core.notify import notify, post_to_robots
from duban.core.throttle import prune
from duban.core.tick import job

from . import clocks, flow, people
from .models import Complaint, Event, Rectification


def _key(kind, obj, step, due):
    return f"hotline:{kind}:{obj.pk}:{step}:{timezone.localtime(due):%Y%m%d%H%M}"


def _record_once(kind, obj, suffix, event):
    """An event of the periodic check (the models' escalate() make them), recorded at most once per key."""
    key = f"hotline:{kind}:{obj.pk}:{suffix}"
    if Event.objects.with_key(key).exists():
        return False
    event.key = key
    with transaction.atomic():
        event.save()
    return True


def _when(due):
    return timezone.localtime(due).strftime("%Y-%m-%d %H:%M")


def check_complaint(complaint, now, counts):
    step, due = complaint.current_step, complaint.next_due
    key = _key("complaint", complaint, f"{step}{complaint.round}", due)
    unit = complaint.lead_unit if step == "reply" else None
    code = complaint.formatted_code
    url = complaint.get_absolute_url()
    what = _("contact the business") if step == "contact" else _("reply to the business")
    if now <= due:
        if due <= clocks.yellow_from(timezone.localdate(now), step):
            subject = _("Complaint %(code)s: %(what)s by %(due)s") % {"code": code, "what": what, "due": _when(due)}
            recipients = people.unit_staff(unit) if unit else people.office_staff(complaint.region_id)
            counts["yellow"] += len(notify(recipients, f"{key}:yellow", subject, complaint.company_name, url,
                                           about=complaint))
            if unit:
                post_to_robots(unit, f"{key}:yellow", subject)
        return
    subject = _("Overdue: complaint %(code)s, %(what)s was due %(due)s") % {"code": code, "what": what, "due": _when(due)}
    recipients = people.unit_heads(unit) if unit else people.office_staff(complaint.region_id)
    counts["red"] += len(notify(recipients, f"{key}:red", subject, complaint.company_name, url,
                                    about=complaint))
    if unit:
        post_to_robots(unit, f"{key}:red", subject)
    events, newly = complaint.escalate(now)
    _record_once("complaint", complaint, *events[0])
    if len(events) > 1:
        supervise(complaint, key, subject, events[1], newly, counts)


def supervise(complaint, key, subject, event, newly, counts):
    """The missed deadline becomes the office's supervised case; the area's leader is told."""
    if newly:
        complaint.save(update_fields=["supervised_at", "updated_at"])
        emit("complaint.escalated", flow.event_payload(complaint) | {
            "step": complaint.current_step, "due": complaint.next_due.isoformat() if complaint.next_due else None},
            complaint.region_id)
    _record_once("complaint", complaint, *event)
    subject = _("Supervised case (督办件): %(subject)s") % {"subject": subject}
    recipients = people.office_staff(complaint.region_id) + people.leader_users(complaint.responsible_leader_id)
    counts["supervised"] += len(notify(recipients, f"{key}:supervised", subject, complaint.company_name,
                                       complaint.get_absolute_url(), about=complaint))
    post_to_robots(None, f"{key}:supervised", subject, region_id=complaint.region_id)


def check_rectification(rectification, now, counts):
    due = rectification.due_at
    key = _key("rectification", rectification, "rectify", due)
    unit = rectification.unit
    url = rectification.get_absolute_url()
    matter = rectification.review.matter
    if now <= due:
        if due <= clocks.yellow_from(timezone.localdate(now), "rectify"):
            subject = _("Bad review to rectify by %(due)s: %(matter)s") % {"due": _when(due), "matter": matter}
            counts["yellow"] += len(notify(people.unit_staff(unit), f"{key}:yellow", subject, "", url,
                                           about=rectification))
            post_to_robots(unit, f"{key}:yellow", subject)
        return
    subject = _("Overdue rectification of a bad review (due %(due)s): %(matter)s") % {"due": _when(due), "matter": matter}
    counts["red"] += len(notify(people.unit_heads(unit), f"{key}:red", subject, "", url, about=rectification))
    post_to_robots(unit, f"{key}:red", subject)
    events, newly = rectification.escalate(now)
    _record_once("rectification", rectification, *events[0])
    if len(events) > 1:
        if newly:
            rectification.save(update_fields=["supervised_at"])
        _record_once("rectification", rectification, *events[1])
        subject = _("Supervised case (督办件): %(subject)s") % {"subject": subject}
        counts["supervised"] += len(notify(people.office_staff(unit.region_id), f"{key}:supervised", subject, "", url,
                                                about=rectification))
        post_to_robots(None, f"{key}:supervised", subject, region_id=unit.region_id)


@job("hotline-escalations", title=gettext_lazy("hotline deadlines"))
def escalate(now):
    """Run the checks at `now`; returns a one-line summary for the tick's output."""
    counts = collections.Counter()
    horizon = clocks.escalation_horizon(now)
    complaints = (
        Complaint.objects.open().filter(next_due__isnull=False, next_due__lte=horizon)
        .select_related("lead_unit", "category__area").order_by("next_due")
    )
    for complaint in complaints.iterator(chunk_size=500):
        check_complaint(complaint, now, counts)
    rectifications = Rectification.objects.filter(state=Rectification.State.OPEN, due_at__lte=horizon).select_related(
        "unit", "review")
    for rectification in rectifications.iterator(chunk_size=500):
        check_rectification(rectification, now, counts)
    return _("%(yellow)s reminders, %(red)s overdue notices, %(supervised)s supervised-case notices") % {
        name: counts[name] for name in ("yellow", "red", "supervised")}


@job("hotline-prune-throttles", title=gettext_lazy("hotline rate counters"))
def prune_throttles(now):
    return _("%(n)s old counters removed") % {"n": prune(now)}
