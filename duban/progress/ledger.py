"""The read side: a unit's ledger (台账) and the office's units × rounds matrix.

Each is built in a fixed number of queries whatever the number of measures,
units or rounds (tests/test_queries.py holds it to that).
"""

from __future__ import annotations

import collections
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery

from duban.accounts.permissions import ALL, LED_AREAS, scope_for, scope_measures
from duban.calendar.lights import Light, LightCounts, annotate_measure_lights
from duban.core import clock
from duban.plans.models import Measure, MeasureCooperatingUnit, MeasureLeadUnit, Unit

from .models import ProgressReport, ReportingRound, Submission, submission_conditions


class Ledger:
    """A unit's ledger as an object that permission checks can be asked about."""

    def __init__(self, unit):
        self.unit = unit

    def permission_scope_check(self, user, scope):
        if scope == ALL:
            return True
        if scope == LED_AREAS:
            return bool(user.leader_id) and Measure.objects.filter(
                lead_units=self.unit, area__chief=user.leader_id).exists()
        return user.unit_id == self.unit.pk


def latest_report_ids(measures):
    """Each measure's report in the most recently opened round, as a subquery annotation."""
    latest = ProgressReport.objects.filter(measure=OuterRef("pk")).order_by("-round__opened_on", "-round_id")
    return measures.annotate(latest_report_id=Subquery(latest.values("pk")[:1]))


def reports_by_id(ids):
    reports = (
        ProgressReport.objects.filter(pk__in=[i for i in ids if i])
        .select_related("round")
        .annotate(
            evidence_count=Count("evidence", filter=Q(evidence__removed_at__isnull=True), distinct=True),
            contribution_count=Count("contributions", distinct=True),
        )
    )
    return {r.pk: r for r in reports}


def with_units(measures):
    return measures.select_related("plan", "area", "task").prefetch_related(
        Prefetch("lead_links", MeasureLeadUnit.objects.select_related("unit").order_by("position")),
        Prefetch("cooperating_links", MeasureCooperatingUnit.objects.select_related("unit").order_by("position")),
    )


@dataclass
class LedgerRow:
    measure: Measure
    light: Light
    report: ProgressReport | None
    submission: str | None = None


def ledger_rows(measures, today=None):
    """[LedgerRow] for a queryset of measures: the measure, its light and its latest report."""
    today = today or clock.today()
    measures = list(with_units(latest_report_ids(annotate_measure_lights(measures, today))))
    reports = reports_by_id(m.latest_report_id for m in measures)
    rows = []
    for measure in measures:
        report = reports.get(measure.latest_report_id)
        if report is not None:
            report.measure = measure  # already loaded; spares a query per row in templates
        rows.append(LedgerRow(measure, Light(measure.light), report, report.submission(today) if report else None))
    return rows


def unit_ledger(unit, user, today=None):
    """The measures `unit` leads and those it cooperates on, narrowed to what `user` may see."""
    led = scope_measures(user, "progress.view_ledger", Measure.objects.led_by(unit))
    cooperating = scope_measures(user, "progress.view_ledger", Measure.objects.filter(cooperating_units=unit))
    return {
        "led": ledger_rows(led.order_by("plan", "area__position", "position"), today),
        "cooperating": ledger_rows(cooperating.order_by("plan", "area__position", "position"), today),
    }


def ledger_summary(rows):
    """Counts for the ledger's header: lights and where the latest reports stand."""
    lights = LightCounts(row.light for row in rows).rows()  # a list: templates look up keys in a Counter first
    statuses = collections.Counter(row.report.status for row in rows if row.report)
    return {"lights": lights, "statuses": dict(statuses)}


# ------------------------------------------------------------------ matrix


@dataclass
class Cell:
    round: ReportingRound
    counts: collections.Counter = field(default_factory=collections.Counter)
    accepted: int = 0

    @property
    def total(self):
        return sum(self.counts.values())

    def get(self, key):
        return self.counts.get(key, 0)

    @property
    def state(self):
        """The cell's worst news, for its colour: missing, returned, late, pending, on time."""
        for key in (Submission.MISSING, Submission.RETURNED, Submission.LATE, Submission.PENDING, Submission.ON_TIME):
            if self.counts.get(key):
                return key
        return ""


@dataclass
class MatrixRow:
    unit: Unit
    cells: list


@dataclass
class Matrix:
    rounds: list
    rows: list
    totals: list


def matrix(plan, user, today=None):
    """Rows of units (those leading a measure in reach), columns of the plan's rounds, cells of counts.

    A measure led by two units counts in both units' rows, and once in the totals.
    """
    today = today or clock.today()
    rounds = list(plan.rounds.order_by("opened_on", "pk"))
    reports = scope_measures(user, "progress.view_matrix",
                             ProgressReport.objects.filter(round__plan=plan), prefix="measure__").order_by()
    conditions = submission_conditions(today)
    aggregates = {value: Count("pk", filter=q) for value, q in conditions}
    aggregates["accepted"] = Count("pk", filter=Q(status=ProgressReport.Status.ACCEPTED))

    def cell(round_, row):
        if row is None:
            return Cell(round_)
        return Cell(round_, collections.Counter({v: row[v] for v, _q in conditions if row[v]}), row["accepted"])

    by_unit = collections.defaultdict(dict)
    for row in reports.values("round_id", "measure__lead_links__unit").annotate(**aggregates):
        by_unit[row["measure__lead_links__unit"]][row["round_id"]] = row
    by_round = {row["round_id"]: row for row in reports.values("round_id").annotate(**aggregates)}

    units = Unit.objects.filter(pk__in=[pk for pk in by_unit if pk is not None])
    if scope_for(user, "progress.view_matrix") == ALL:
        # Units that lead a measure of the plan but owe nothing yet still get a row.
        units = Unit.objects.filter(
            Q(pk__in=[pk for pk in by_unit if pk is not None]) | Q(pk__in=MeasureLeadUnit.objects.filter(measure__plan=plan).values("unit"))
        )
    rows = [
        MatrixRow(unit, [cell(r, by_unit[unit.pk].get(r.pk)) for r in rounds])
        for unit in units.order_by("kind", "name")
    ]
    return Matrix(rounds, rows, [cell(r, by_round.get(r.pk)) for r in rounds])
