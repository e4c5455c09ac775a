"""The daily digest (`duban tick` job "daily-digest"): one message a working morning instead of one per event.

At the first tick of a working day inside office hours, each person who had a day-to-day event since the
last digest (a report submitted, returned, accepted, sent for approval — notify(..., digest=True)) gets
one in-app message and, with an address, one e-mail: what is on their to-do page, counted as the page
counts it, and how many events there were. Each unit's group robot (WeCom, DingTalk) gets the unit's
to-do counts once a day. Safe to run every few minutes: the digest's key names the day.
"""

from __future__ import annotations

from collections import Counter

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import ngettext

from duban.accounts.models import Role, User
from duban.calendar.sla import is_open
from duban.core.models import Notification, RobotChannel
from duban.core.notify import absolute, notify, post_to_robots, topic
from duban.core.tick import job
from duban.core.todo import collect, total

from .deadlines import due_in_words


def digest_text(tasks, today, events=0):
    """The digest's lines: each task with its count and earliest deadline, then the events told."""
    lines = []
    for task in tasks:
        words, _tone = due_in_words(task.due, today)
        lines.append(f"· {task.title}：{task.count}" + (f"（{words}）" if words else ""))
    if not lines:
        lines.append(_("Nothing waiting for you today."))
    if events:
        lines.append(ngettext("%(n)s new message since the last digest.", "%(n)s new messages since the last digest.",
                              events) % {"n": events})
    lines.append(absolute(reverse("home")))
    return "\n".join(lines)


def subject(tasks, today):
    n = total(tasks)
    return ngettext("My work on %(day)s: %(n)s thing to do", "My work on %(day)s: %(n)s things to do", n) % {
        "day": today.isoformat(), "n": n}


@job("daily-digest", title=gettext_lazy("daily digest"))
def daily_digest(now):
    if not is_open(now):
        return {"digests": 0, "robots": 0}
    today = timezone.localtime(now).date()
    waiting = Notification.objects.filter(digest=True, digested_at=None)
    events = Counter(waiting.values_list("user_id", flat=True))
    sent = 0
    for user in User.objects.filter(pk__in=list(events), is_active=True).select_related("region"):
        tasks = collect(user, today)
        # Each morning's digest replaces the previous one if that is still unread.
        sent += len(notify([user], f"digest:{today.isoformat()}", subject(tasks, today),
                           digest_text(tasks, today, events[user.pk]), reverse("home"), about=topic(user, "digest")))
    waiting.update(digested_at=now)
    robots = 0
    unit_ids = set(RobotChannel.objects.filter(active=True, unit__isnull=False).values_list("unit_id", flat=True))
    reporters = {}
    for user in User.objects.filter(unit__in=unit_ids, role=Role.REPORTER, is_active=True).order_by("pk"):
        reporters.setdefault(user.unit_id, user)
    for unit_id, reporter in reporters.items():
        tasks = collect(reporter, today)
        if tasks:
            text = f"{reporter.unit}：{subject(tasks, today)}\n{digest_text(tasks, today)}"
            robots += len(post_to_robots(reporter.unit, f"digest:{today.isoformat()}:unit{unit_id}", text))
    return {"digests": sent, "robots": robots}
