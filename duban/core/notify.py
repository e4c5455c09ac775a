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


def notify(users, key, subject, body="", url="", digest=False):
    """Notify each user once for `key`. Returns the notifications created now.

    Email goes to users with an address; failures are logged, never raised,
    so one bad mailbox cannot stop a tick. `digest`: an event of the day's work (a report submitted,
    returned …), told by e-mail in the next daily digest (duban/todo/digest.py) rather than at once.
    """
    created = []
    users = [user for user in users if user and user.is_active]
    # `duban tick` asks again every few minutes: those told already are found in one query (the unique
    # index on user and key), where an insert each would fail one by one, each with its savepoint.
    told = set(Notification.objects.filter(key=key, user__in=[user.pk for user in users])
               .values_list("user_id", flat=True)) if users else set()
    for user in users:
        if user.pk in told:
            continue
        try:
            with transaction.atomic():
                note = Notification.objects.create(user=user, key=key, subject=subject, body=body, url=url,
                                                   digest=digest)
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


def settle(url, now=None):
    """The work `url` is about has moved on: everyone's unread notifications about it are read now.

    Called by the domain operations (a report submitted or reviewed, a complaint's next step) before
    they tell the next people, so that an inbox holds what still waits for its owner, not the history.
    """
    if not url:
        return 0
    from duban.core import clock

    return Notification.objects.filter(url=url, read_at=None).update(read_at=now or clock.now())


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
