"""Traffic lights (红黄绿灯) for measures and milestones.

- done:      completed on or before the deadline (or with none);
- done late: completed after the deadline;
- red:       not completed and the deadline has passed;
- yellow:    not completed and at most N working days left (N is the plan's
             warning_workdays, 5 unless the plan says otherwise);
- green:     not completed, more time left, or no deadline at all.

``light()`` decides one case. For lists and counts the same rule runs in the
database (``annotate_*_lights``): "at most N working days left" is
"deadline before the (N+1)-th working day after today", a date the engine
gives once per distinct N, so SQL only compares dates.
"""

from __future__ import annotations

import collections
import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Case, Count, F, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from duban.core import clock

from .workdays import add_workdays

if TYPE_CHECKING:
    from duban.plans.models import Measure, Milestone

DEFAULT_WARNING_WORKDAYS = 5


class Light(models.TextChoices):
    DONE = "done", _("done on time")
    DONE_LATE = "done_late", _("done late")
    GREEN = "green", _("green: on track")
    YELLOW = "yellow", _("yellow: due soon")
    RED = "red", _("red: overdue")

    @property
    def symbol(self) -> str:
        # A shape as well as a colour, for colour-blind readers and greyscale print.
        return {"done": "✓", "done_late": "✓", "green": "●", "yellow": "▲", "red": "■"}[self.value]


ORDER = [Light.RED, Light.YELLOW, Light.GREEN, Light.DONE_LATE, Light.DONE]


class LightRule:
    """The light of any (deadline, completed_on) pair, for one day and one threshold."""

    def __init__(self, today: datetime.date, warning_workdays: int = DEFAULT_WARNING_WORKDAYS,
                 region: str | None = None) -> None:
        self.today = today
        self.yellow_before = add_workdays(today, warning_workdays + 1, region)

    def light(self, deadline: datetime.date | None, completed_on: datetime.date | None) -> Light:
        if completed_on is not None:
            return Light.DONE if deadline is None or completed_on <= deadline else Light.DONE_LATE
        if deadline is None:
            return Light.GREEN
        if deadline < self.today:
            return Light.RED
        if deadline < self.yellow_before:
            return Light.YELLOW
        return Light.GREEN


def light(deadline: datetime.date | None, completed_on: datetime.date | None, today: datetime.date,
          warning_workdays: int = DEFAULT_WARNING_WORKDAYS, region: str | None = None) -> Light:
    """The light of one item on ``today``."""
    return LightRule(today, warning_workdays, region).light(deadline, completed_on)


def measure_light(measure: Measure, today: datetime.date | None = None) -> Light:
    today = today or clock.today()
    return light(measure.deadline, measure.completed_on, today, measure.plan.warning_workdays)


def milestone_light(milestone: Milestone, today: datetime.date | None = None) -> Light:
    today = today or clock.today()
    return light(milestone.date, milestone.completed_on, today, milestone.measure.plan.warning_workdays)


def light_case(today: datetime.date, deadline: str, completed_on: str, warning_workdays: str,
               thresholds: Iterable[int]) -> Case:
    """A SQL CASE giving the light value; field paths relative to the queried model."""
    done = Q(**{f"{completed_on}__isnull": False})
    yellow = [
        When(Q(**{warning_workdays: n, f"{deadline}__lt": add_workdays(today, n + 1)}), then=Value(Light.YELLOW.value))
        for n in sorted(thresholds)
    ]
    return Case(
        When(done & (Q(**{f"{deadline}__isnull": True}) | Q(**{f"{completed_on}__lte": F(deadline)})),
             then=Value(Light.DONE.value)),
        When(done, then=Value(Light.DONE_LATE.value)),
        When(Q(**{f"{deadline}__isnull": True}), then=Value(Light.GREEN.value)),
        When(Q(**{f"{deadline}__lt": today}), then=Value(Light.RED.value)),
        *yellow,
        default=Value(Light.GREEN.value),
        output_field=models.CharField(),
    )


def _thresholds() -> set[int]:
    from duban.plans.models import Plan

    return set(Plan.objects.values_list("warning_workdays", flat=True).distinct())


def annotate_measure_lights(queryset: QuerySet[Measure], today: datetime.date | None = None) -> QuerySet[Measure]:
    """Measures with a ``light`` annotation (a Light value)."""
    today = today or clock.today()
    return queryset.annotate(
        light=light_case(today, "deadline", "completed_on", "plan__warning_workdays", _thresholds())
    )


def annotate_milestone_lights(queryset: QuerySet[Milestone],
                              today: datetime.date | None = None) -> QuerySet[Milestone]:
    """Milestones with a ``light`` annotation (a Light value)."""
    today = today or clock.today()
    return queryset.annotate(
        light=light_case(today, "date", "completed_on", "measure__plan__warning_workdays", _thresholds())
    )


class LightCounts(collections.Counter[Light]):
    """How many items have each light; ``rows()`` in display order (red first)."""

    def rows(self) -> list[tuple[Light, int]]:
        return [(light, self[light]) for light in ORDER]

    # A property where Counter (3.10+) has a method: templates read {{ counts.total }}.
    @property
    def total(self) -> int:  # type: ignore[override]
        return sum(self.values())


# What "per unit / leader / area" means from each model.
MEASURE_GROUPS = {"unit": "lead_links__unit", "leader": "area__chief", "area": "area"}
MILESTONE_GROUPS = {"unit": "measure__lead_links__unit", "leader": "measure__area__chief", "area": "measure__area"}


def _count(annotated: QuerySet[Any], path: str) -> dict[int | None, LightCounts]:
    counts: dict[int | None, LightCounts] = collections.defaultdict(LightCounts)
    rows = annotated.order_by().values(path, "light").annotate(n=Count("pk", distinct=True))
    for row in rows:
        counts[row[path]][Light(row["light"])] += row["n"]
    return dict(counts)


def measure_light_counts(by: str, queryset: QuerySet[Measure] | None = None,
                         today: datetime.date | None = None) -> dict[int | None, LightCounts]:
    """{unit/leader/area pk (None when unassigned): LightCounts} of measures; ``by`` is unit, leader or area."""
    from duban.plans.models import Measure

    queryset = Measure.objects.all() if queryset is None else queryset
    return _count(annotate_measure_lights(queryset, today), MEASURE_GROUPS[by])


def milestone_light_counts(by: str, queryset: QuerySet[Milestone] | None = None,
                           today: datetime.date | None = None) -> dict[int | None, LightCounts]:
    """{unit/leader/area pk (None when unassigned): LightCounts} of milestones."""
    from duban.plans.models import Milestone

    queryset = Milestone.objects.all() if queryset is None else queryset
    return _count(annotate_milestone_lights(queryset, today), MILESTONE_GROUPS[by])
