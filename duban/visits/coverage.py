"""Coverage of the visit plan: companies visited of those assigned, per cadre, unit and street.

口径: for a year, a company assigned to a cadre counts as visited when any visit to it was recorded
in that year (by whoever). Per cadre and per unit (the cadre's unit) the assignments are counted;
per street the company's street. "Not visited for N months": assigned companies whose last visit
(any year) is older than N months before today, or that were never visited.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Exists, Max, OuterRef

from duban.core import clock

from .models import Company, Visit


@dataclass
class Row:
    key: object
    label: str
    assigned: int = 0
    visited: int = 0

    @property
    def rate(self):
        return None if not self.assigned else round(100 * self.visited / self.assigned, 1)


def annotated(assignments, year):
    visited = Visit.objects.filter(company=OuterRef("company"), visited_on__year=year)
    return assignments.filter(year=year).annotate(was_visited=Exists(visited)).select_related(
        "cadre__unit", "company__street")


def coverage(assignments, year, by):
    """[Row] for `by` in "cadre", "unit", "street"; the total last."""
    rows = {}
    total = Row(None, "")
    for a in annotated(assignments, year):
        if by == "cadre":
            key, label = a.cadre_id, a.cadre.display_name()
        elif by == "unit":
            key, label = a.cadre.unit_id, a.cadre.unit.name if a.cadre.unit else "—"
        else:
            key, label = a.company.street_id, a.company.street.name if a.company.street else "—"
        row = rows.setdefault(key, Row(key, label))
        row.assigned += 1
        total.assigned += 1
        if a.was_visited:
            row.visited += 1
            total.visited += 1
    return sorted(rows.values(), key=lambda r: (r.rate if r.rate is not None else 101, r.label)), total


def months_before(day, months):
    month = day.month - months
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    last = [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
            31][month - 1]
    return datetime.date(year, month, min(day.day, last))


def not_visited(assignments, year, months, today=None):
    """Assignments whose company has not been visited for `months` months (never: last visit None)."""
    today = today or clock.today()
    cutoff = months_before(today, months)
    last = Company.objects.filter(pk=OuterRef("company")).annotate(last=Max("visits__visited_on")).values("last")
    rows = assignments.filter(year=year).annotate(last_visit=last).select_related("cadre", "company__street")
    return [a for a in rows.order_by("company__name") if a.last_visit is None or a.last_visit < cutoff]
