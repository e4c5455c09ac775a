"""Sending reminders: in-app, by email and to group robots — each exactly once per key."""

from __future__ import annotations

import json
import logging
import urllib.request
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, models, transaction

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


FOLDS: dict[str, Fold] = {}


@dataclass(frozen=True)
class Fold:
    """A kind of reminder a person with a to-do page gets one summary of, not one note per open item.

    Each item's note is still written (about its own work, so settle() still reads it, and it stays in the
    history at /notifications/), but with Notification.fold = `kind`: the inbox counts instead one summary note
    per person and kind (key "fold:<kind>"), saying how many of that person's notes of the kind are unread
    (one: that note's own subject and link) and linking to `url`, where the work is listed (None: the newest
    item's own link, for kinds whose items all link to one page of the reader's, such as their unit's
    ledger); the to-do page keeps the detail. A new item brings the summary back unread with the new count;
    the work of an item done (settle) counts it down, and the summary is read when none is left.
    `subject`: ngettext_lazy(singular, plural, "n").
    """

    kind: str
    subject: Any
    url: Any = None

    def __post_init__(self):
        FOLDS[self.kind] = self

    def refresh(self, user_ids, now=None, *, news=False):
        """Recount the summaries of these users. `news`: an item arrived, so the summary is unread again."""
        from duban.core import clock

        now = now or clock.now()
        counts = dict(Notification.objects.filter(user__in=list(user_ids), fold=self.kind, read_at=None)
                      .values("user").annotate(n=models.Count("pk")).values_list("user", "n"))
        key = f"fold:{self.kind}"
        summaries = {note.user_id: note for note in Notification.objects.filter(user__in=list(user_ids), key=key)}
        for user_id in user_ids:
            n = counts.get(user_id, 0)
            note = summaries.get(user_id)
            if not n:
                if note and note.read_at is None:
                    Notification.objects.filter(pk=note.pk).update(read_at=now)
                continue
            if n == 1:  # one item: the summary says what it is and links to it
                subject, url = self._newest(user_id)
            else:
                subject = str(self.subject % {"n": n})[:200]
                url = str(self.url) if self.url is not None else self._newest(user_id)[1]
            if note is None:
                try:
                    with transaction.atomic():
                        Notification.objects.create(user_id=user_id, key=key, subject=subject, url=url, about=key)
                    continue
                except IntegrityError:  # another process wrote it just now: update that one
                    note = Notification.objects.get(user=user_id, key=key)
            if news:
                Notification.objects.filter(pk=note.pk).update(subject=subject, url=url, read_at=None,
                                                               created_at=now)
            elif note.read_at is None:
                if (note.subject, note.url) != (subject, url):
                    Notification.objects.filter(pk=note.pk).update(subject=subject, url=url)

    def _newest(self, user_id):
        """(subject, url) of the user's newest unread note of this kind."""
        return (Notification.objects.filter(user=user_id, fold=self.kind, read_at=None)
                .values_list("subject", "url").first())


def _folded_in(rows):
    """{kind: user ids}: the summaries counting the folded notes among `rows`."""
    pairs = {}
    for user_id, kind in rows.exclude(fold="").values_list("user", "fold").distinct():
        pairs.setdefault(kind, set()).add(user_id)
    return pairs


def _recount(pairs, now=None):
    for kind, user_ids in pairs.items():
        if kind in FOLDS:
            FOLDS[kind].refresh(user_ids, now)


def notify(users, key, subject, body="", url="", digest=False, about=None, fold: Fold | None = None):
    """Notify each user once for `key`. Returns the notifications created now.

    Email goes to users with an address; failures are logged, never raised,
    so one bad mailbox cannot stop a tick. `digest`: an event of the day's work (a report submitted,
    returned …), told by e-mail in the next daily digest (duban/todo/digest.py) rather than at once.

    `about` (a model instance or a topic()) names the work the note is about: settle() marks the note read
    when that work is done, and a newer note about the same thing replaces the reader's unread older ones
    (a red reminder the yellow one, an overdue reminder the due-soon one), so that an inbox holds one line
    per piece of open work.

    `fold` (a Fold): the reader's notes of this kind are told by one summary note (see Fold).
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

        read(Notification.objects.filter(about=about, read_at=None, user__in=[user.pk for user in new]),
             clock.now())
    for user in new:
        try:
            with transaction.atomic():
                note = Notification.objects.create(user=user, key=key, subject=subject, body=body, url=url,
                                                   digest=digest, about=about, fold=fold.kind if fold else "")
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
    if fold and created:
        fold.refresh([note.user_id for note in created], news=True)
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

    rows = Notification.objects.filter(about__in=abouts, read_at=None)
    return read(rows, now or clock.now())


READ_BY_PK = 500  # read() marks up to this many notes by their ids, more by the query itself


def read(rows, now):
    """Mark `rows` (unread notifications) read, and recount the summaries of those folded among them.

    Most calls (settle() as a piece of work is done) find nothing unread: one query then, not an update too."""
    found = list(rows.order_by().values_list("pk", "user_id", "fold")[:READ_BY_PK + 1])
    if not found:
        return 0
    if len(found) > READ_BY_PK:  # many (a long-unopened inbox): by the query itself, not a list of ids
        pairs = _folded_in(rows)
        count = rows.update(read_at=now)
    else:
        pairs = {}
        for _pk, user_id, kind in found:
            if kind:
                pairs.setdefault(kind, set()).add(user_id)
        count = Notification.objects.filter(pk__in=[pk for pk, _user, _kind in found], read_at=None).update(
            read_at=now)
    _recount(pairs, now)
    return count


def settle_stale(key_prefix, still_open, now=None):
    """A periodic rule's reminders (keys starting with `key_prefix`) about things no longer in `still_open`
    (the topics the rule would remind of today) are read now: whatever path did the work, the reminder
    about it does not outlive it. Returns how many."""
    from duban.core import clock

    rows = (Notification.objects.filter(key__startswith=key_prefix, read_at=None)
            .exclude(about__in=[topic(thing) for thing in still_open]))
    return read(rows, now or clock.now())


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
