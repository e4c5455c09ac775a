"""Stored deadlines: the registry `duban calendar recompute` walks.

A deadline counted in working days is computed once, when its clock starts,
and stored on the row, so that lists and filters never count. When the
calendar changes (a notice imported, a local closure added) the stored values
of open rows may be wrong; an app registers each such field here, usually in
its AppConfig.ready():

    from duban.calendar import deadlines
    from duban.calendar.sla import sla_deadline

    deadlines.register(
        Complaint, "reply_due",
        compute=lambda c: sla_deadline(c.received_at, c.reply_workdays),
        open=Q(closed_at__isnull=True),
        provisional_field="reply_due_provisional",
    )

``compute`` returns a workdays.Deadline (its ``due_at`` is stored in a
DateTimeField, its ``date`` in a DateField), a date/datetime, or None.

Printed deadlines are not registered: a measure's 完成时限 and a milestone's
date are dates the plan states, not counts of working days.
"""

import datetime
import logging
from collections.abc import Callable
from typing import Any
from dataclasses import dataclass

from django.db import models, transaction
from django.dispatch import Signal
from django.utils import timezone

from .workdays import Deadline

logger = logging.getLogger("duban.calendar")


@dataclass(frozen=True)
class StoredDeadline:
    model: type[models.Model]
    field: str
    compute: Callable[[Any], object]
    open: models.Q
    provisional_field: str | None = None

    @property
    def label(self) -> str:
        return f"{self.model._meta.label}.{self.field}"

    def value_of(self, result: object) -> tuple[object, bool]:
        """What to store for a compute() result, and whether it is provisional."""
        if isinstance(result, Deadline):
            is_datetime = isinstance(self.model._meta.get_field(self.field), models.DateTimeField)
            return (result.due_at if is_datetime else result.date), result.provisional
        return result, False


_registry: dict[str, StoredDeadline] = {}

# Sent by recompute() inside its transaction, with sender=the model and rows=[the rows whose deadline moved],
# for data derived from a deadline (duban.progress counts reports on time against their round's due date).
moved = Signal()


def register(model: type[models.Model], field: str, compute: Callable[[Any], object], *, open: models.Q | None = None,
             provisional_field: str | None = None) -> StoredDeadline:
    """Declare that ``model.field`` holds a deadline that ``compute(row)`` recomputes."""
    model._meta.get_field(field)  # fail at start-up, not at recompute time
    if provisional_field:
        model._meta.get_field(provisional_field)
    entry = StoredDeadline(model, field, compute, open if open is not None else models.Q(), provisional_field)
    _registry[entry.label] = entry
    return entry


def unregister(model: type[models.Model], field: str) -> None:
    _registry.pop(f"{model._meta.label}.{field}", None)


def registered() -> list[StoredDeadline]:
    return list(_registry.values())


@dataclass(frozen=True)
class Change:
    entry: StoredDeadline
    pk: object
    old: object
    new: object
    provisional: bool

    def __str__(self) -> str:
        return f"{self.entry.label} #{self.pk}: {_iso(self.old)} → {_iso(self.new)}" + (
            " (provisional)" if self.provisional else ""
        )


def _iso(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        # The database hands back UTC; people read local time.
        value = timezone.localtime(value)
    return value.isoformat() if isinstance(value, datetime.date) else str(value)


def recompute(reason: str = "", dry_run: bool = False, batch_size: int = 1000) -> list[Change]:
    """Recompute every open registered deadline; save and log the ones that moved. Returns [Change]."""
    from .models import DeadlineChange

    changes = []
    for entry in registered():
        fields = [entry.field] + ([entry.provisional_field] if entry.provisional_field else [])
        moved_rows = []
        for row in entry.model._default_manager.filter(entry.open).order_by("pk").iterator(chunk_size=batch_size):
            new, provisional = entry.value_of(entry.compute(row))
            old = getattr(row, entry.field)
            flag_changed = entry.provisional_field and getattr(row, entry.provisional_field) != provisional
            if old != new or flag_changed:
                if old != new:
                    changes.append(Change(entry, row.pk, old, new, provisional))
                setattr(row, entry.field, new)
                if entry.provisional_field:
                    setattr(row, entry.provisional_field, provisional)
                moved_rows.append(row)
        if dry_run or not moved_rows:
            continue
        entry_changes = [c for c in changes if c.entry is entry]
        with transaction.atomic():
            entry.model._default_manager.bulk_update(moved_rows, fields, batch_size=batch_size)
            DeadlineChange.objects.bulk_create(
                DeadlineChange(
                    model=entry.model._meta.label, object_id=str(c.pk), field=entry.field,
                    old_value=_iso(c.old), new_value=_iso(c.new), provisional=c.provisional, reason=reason[:200],
                )
                for c in entry_changes
            )
            moved.send(sender=entry.model, rows=moved_rows)
        for change in entry_changes:
            logger.info("deadline moved: %s (%s)", change, reason or "recompute")
    return changes
