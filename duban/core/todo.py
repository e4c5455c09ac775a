"""What each person has to do: the registry behind the to-do page (我的待办, duban.todo).

Domain apps register *sources* from their AppConfig.ready() with @source; the
to-do app on top reads them, so no domain app imports it. A source is
``func(user, today) → list[Task]``: the user's work of one kind each, counted
from live data in a fixed number of queries (a count with the earliest
deadline in one aggregate, then the first few entries when there are any).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, Min
from django.utils import timezone

# How many entries of a task the page lists under its count.
SHOWN = 5

SOURCES: list[Callable] = []


def source(func):
    """Register func(user, today) → list[Task] (apps call it from their ready())."""
    if func not in SOURCES:
        SOURCES.append(func)
    return func


@dataclass
class Entry:
    """One thing to do: what, where it is done, by when (a date or None)."""

    label: str
    url: str
    due: datetime.date | None = None


@dataclass
class Task:
    """Work of one kind: how many, the earliest deadline among them, where the whole list is."""

    key: str
    title: str
    count: int
    url: str
    due: datetime.date | None = None
    entries: list[Entry] = field(default_factory=list)
    order: int = 50  # the page lists tasks by this, then by deadline


def as_date(value):
    """A deadline stored as a moment → the local day it falls on."""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date()
    return value


def counted(key, title, url, queryset, due_field, entry, order=50, sort=None):
    """A Task from a queryset: its count and earliest `due_field` in one query, then its first SHOWN rows.

    `entry(row)` → Entry for each row listed; rows come by deadline, or by `sort` for work without one
    (due_field None: reports waiting for review, oldest first). No task (None) when there is nothing to do.
    """
    figures = queryset.order_by().aggregate(n=Count("pk", distinct=True), due=Min(due_field)) if due_field else \
        queryset.order_by().aggregate(n=Count("pk", distinct=True))
    if not figures["n"]:
        return None
    sort = sort or due_field
    rows = queryset.order_by(sort, "pk") if sort else queryset.order_by("pk")
    return Task(key, title, figures["n"], url, as_date(figures.get("due")),
                [entry(row) for row in rows[:SHOWN]], order)


def collect(user, today):
    """Every registered source's tasks for `user`, those with something to do, in the page's order."""
    tasks = [task for func in SOURCES for task in func(user, today) if task and task.count]
    far = datetime.date.max
    return sorted(tasks, key=lambda t: (t.order, t.due or far, t.key))


def total(tasks):
    return sum(task.count for task in tasks)
