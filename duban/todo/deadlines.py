"""A deadline said in working days, as people say it: 今天到期, 还剩2个工作日, 已逾期3个工作日."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext, ngettext

from duban.calendar.workdays import workdays_between


def due_in_words(due: datetime.date | datetime.datetime | None, today: datetime.date, region=None) -> tuple[str, str]:
    """(words, tone) for a deadline seen on `today`: tone is "red" (past), "yellow" (today) or "" (ahead).

    Working days are counted by the calendar engine: a deadline on Friday seen on the Thursday before a
    long weekend has 1 working day left; one missed on Friday is overdue by 1 working day on Monday.
    """
    if due is None:
        return "", ""
    if isinstance(due, datetime.datetime):  # a clock's deadline (a complaint's 17:30) counts by its day
        due = timezone.localtime(due).date() if timezone.is_aware(due) else due.date()
    if due >= today:
        left = workdays_between(today, due, region)
        if due == today or left == 0:
            return gettext("due today"), "yellow"
        return ngettext("%(n)s working day left", "%(n)s working days left", left) % {"n": left}, ""
    late = workdays_between(due, today, region)
    if late == 0:  # missed on a weekend or holiday; the next working day has not come yet
        return gettext("overdue"), "red"
    return ngettext("overdue by %(n)s working day", "overdue by %(n)s working days", late) % {"n": late}, "red"
