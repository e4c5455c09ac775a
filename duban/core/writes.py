"""What a domain transition changed in memory, for its writer to store.

A transition (ProgressReport.submit, Complaint.contact, Rectification.accept …) checks its rule, changes
the objects in memory and returns a Writes: the rows, in the order to write them, each new or with the
fields that changed. The services save them one by one (`save()`); the simulation's bulk writer batches
them. So a rule is written once, in the model, whoever writes the rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


@dataclass
class Writes:
    rows: list[tuple[models.Model, tuple[str, ...] | None]] = field(default_factory=list)
    links: list[tuple[models.Model, str, list[models.Model]]] = field(default_factory=list)

    def update(self, obj: models.Model, *fields: str) -> Writes:
        """`obj` exists; these fields of it changed (none named: write the whole row)."""
        self.rows.append((obj, fields))
        return self

    def link(self, obj: models.Model, name: str, targets: list[models.Model]) -> Writes:
        """`obj`'s many-to-many field `name` holds exactly `targets` (written after the rows)."""
        self.links.append((obj, name, list(targets)))
        return self

    def create(self, obj: models.Model) -> Writes:
        """`obj` is a new row."""
        self.rows.append((obj, None))
        return self

    def extend(self, other: Writes) -> Writes:
        self.rows.extend(other.rows)
        self.links.extend(other.links)
        return self

    def __iter__(self) -> Iterator[models.Model]:
        return (obj for obj, _ in self.rows)

    def created(self, model: type[M]) -> list[M]:
        """The new rows of this model, in order."""
        return [obj for obj, fields in self.rows if fields is None and isinstance(obj, model)]

    def save(self) -> None:
        """Write the rows one by one, as the services do (signals, the audit trail and all)."""
        for obj, fields in self.rows:
            obj.save(update_fields=fields or None)
        for obj, name, targets in self.links:
            getattr(obj, name).set(targets)
