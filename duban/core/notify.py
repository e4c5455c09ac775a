"""Sending reminders: in-app, by email and to group robots — each exactly once per key."""

from __future__ import annotations

import json
import logging
import urllib.request

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction

from .models import Notification, RobotChannel, RobotMessage

log = logging.getLogger(__name__)


def topic(thing, *parts):
    """What a notification is about, as stored in Notification.about: "app.model:pk" of a model instance, with
    `parts` naming a share of it ("progress.reportinground:3:unit7": one unit's reports of a round). A string is
    taken as it is."""
    if isinstance(thing, str):
        label = thing
    else:
        label = f"{thing._meta.label_lower}:{thing.pk}"
    return ":".join([label, *map(str, parts)])[:120]


def notify(users, key, subject, body="", url="", digest=False, about=None):
    """Notify each user once for `key`. Returns the notifications created now.

    Email goes to users with an address; failures are logged, never raised,
    so one bad mailbox cannot stop a tick. `digest`: an event of the day's work (a report submitted,
    returned …), told by e-mail in the next daily digest (duban/todo/digest.py) rather than at once.

    `about` (a model instance or a topic()) names the work the note is about: settle() marks the note read
    when that work is done, and a newer note about the same thing replaces the reader's unread older ones
    (a red reminder the yellow one, an overdue reminder the due-soon one), so that an inbox holds one line
    per piece of open work.
    """
    created = []
    users = [user for user in users if user and user.is_active]
    about = topic(about) if about is not None else ""
    # `duban tick` asks again every few minutes: those told already are found in one query (the unique
    # index on user and key), where an insert each would fail one by one, each with its savepoint.
    told = set(Notification.objects.filter(key=key, user__in=[user.pk for user in users])
               .values_list("user_id", flat=True)) if users else set()
    new = [user for user in users if user.pk not in told]
    if about and new:
        from duban.core import clock

        (Notification.objects.filter(about=about, read_at=None, user__in=[user.pk for user in new])
         .update(read_at=clock.now()))
    for user in new:
        try:
            with transaction.atomic():
                note = Notification.objects.create(user=user, key=key, subject=subject, body=body, url=url,
                                                   digest=digest, about=about)
        except IntegrityError:
            continue  # already sent for this occasion
        created.append(note)
        if user.email and not digest:
            try:
                send_mail(subject, f"{body}\n\n{absolute(url)}".strip(), None, [user.email])
                note.emailed = True
                note.save(update_fields=["emailed"])
            except Exception:  # noqa: BLE001 — any mail failure is logged and the tick goes on
                log.exception("email to %s failed for %s", user.email, key)
    return created


def settle(*things, now=None):
    """The work these things stand for is done: everyone's unread notifications about them are read now.

    `things`: model instances or topic()s. Called by the domain operations that complete a piece of work (a
    report submitted or reviewed, a complaint's next step, a problem answered) before they tell the next
    people, so that an inbox holds what still waits for its owner, not the history. Returns how many.
    """
    abouts = [topic(thing) for thing in things if thing is not None and thing != ""]
    if not abouts:
        return 0
    from duban.core import clock

    return Notification.objects.filter(about__in=abouts, read_at=None).update(read_at=now or clock.now())


def settle_stale(key_prefix, still_open, now=None):
    """A periodic rule's reminders (keys starting with `key_prefix`) about things no longer in `still_open`
    (the topics the rule would remind of today) are read now: whatever path did the work, the reminder
    about it does not outlive it. Returns how many."""
    from duban.core import clock

    rows = (Notification.objects.filter(key__startswith=key_prefix, read_at=None)
            .exclude(about__in=[topic(thing) for thing in still_open]))
    return rows.update(read_at=now or clock.now())


def absolute(url):
    base = getattr(settings, "DUBAN_SITE_URL", "").rstrip("/")
    return f"{base}{url}" if url and base else url


def robot_payload(kind, text):
    if kind == RobotChannel.Kind.WECOM:
        return {"msgtype": "text", "text": {"content": text}}
    return {"msgtype": "text", "text": {"content": text}}  # DingTalk uses the same shape


def post_to_robots(unit, key, text, region_id=None):
    """Post once per key to the active robot channels of `unit` (None: the office's channels of `region_id`,
    which is then required: no message goes to a region nobody named)."""
    sent = []
    channels = RobotChannel.objects.filter(unit=unit, active=True)
    if unit is None:
        if region_id is None:
            raise ValueError("post_to_robots(None, …) needs the region whose office is told")
        channels = channels.filter(region=region_id)
    for channel in channels:
        try:
            with transaction.atomic():
                message = RobotMessage.objects.create(channel=channel, key=key, text=text)
        except IntegrityError:
            continue
        request = urllib.request.Request(
            channel.url, data=json.dumps(robot_payload(channel.kind, text)).encode(),
            headers={"Content-Type": "application/json"}, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                message.status = str(response.status)
        except Exception as exc:  # noqa: BLE001 — network trouble is recorded, not raised
            message.status = f"error: {exc}"[:200]
            log.warning("robot %s failed for %s: %s", channel, key, exc)
        message.save(update_fields=["status"])
        sent.append(message)
    return sent
