"""The read side: a unit's ledger (台账) and the office's units × rounds matrix.

Each is built in a fixed number of queries whatever the number of measures,
units or rounds (tests/test_queries.py holds it to that).
"""

from __future__ import annotations

import collections
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from duban.accounts.permissions import ALL, LED_AREAS, scope_for, scope_measures
from duban.calendar.lights import Light, LightCounts, annotate_measure_lights
from duban.core import clock
from duban.plans.models import Measure, MeasureCooperatingUnit, MeasureLeadUnit, Unit

from .models import Contribution, Evidence, ProgressReport, ReportingRound, Submission, submission_conditions


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


def count_by_report(model, ids, **filters):
    """{report id: how many `model` rows} for the given reports."""
    rows = model.objects.filter(report__in=ids, **filters).order_by().values("report").annotate(n=Count("pk"))
    return {row["report"]: row["n"] for row in rows}


def reports_by_id(ids):
    """The reports with `evidence_count` and `contribution_count`: three plain queries (cheaper than one
    query joining both, which counts every evidence × contribution pair)."""
    ids = [i for i in ids if i]
    evidence = count_by_report(Evidence, ids, removed_at__isnull=True)
    contributions = count_by_report(Contribution, ids)
    reports = {r.pk: r for r in ProgressReport.objects.filter(pk__in=ids).select_related("round")}
    for pk, report in reports.items():
        report.evidence_count, report.contribution_count = evidence.get(pk, 0), contributions.get(pk, 0)
    return reports


def with_units(measures, lead_units=True, cooperating_units=False):
    measures = measures.select_related("plan", "area", "task")
    if lead_units:
        measures = measures.prefetch_related(
            Prefetch("lead_links", MeasureLeadUnit.objects.select_related("unit").order_by("position")))
    if cooperating_units:
        measures = measures.prefetch_related(
            Prefetch("cooperating_links", MeasureCooperatingUnit.objects.select_related("unit").order_by("position")))
    return measures


@dataclass
class LedgerRow:
    """One measure of a ledger, with what its table row shows already worked out (rows are many)."""

    measure: Measure
    light: Light
    report: ProgressReport | None
    submission: str | None = None
    url: str = ""
    lead_names: str = ""
    submission_label: str = ""
    light_label: str = ""
    status_label: str = ""
    progress_label: str = ""


def _labels(choices):
    # get_FOO_display() rebuilds a dict of lazy strings on every call: too slow for hundreds of rows.
    return {value: str(label) for value, label in choices}


def ledger_rows(measures, today=None, lead_units=True, cooperating_units=False):
    """[LedgerRow] for a queryset of measures: the measure, its light and its latest report.

    `lead_units`/`cooperating_units`: load the measures' units too (a unit's own ledger needs no lead units).
    """
    today = today or clock.today()
    measures = list(with_units(latest_report_ids(annotate_measure_lights(measures, today)), lead_units,
                               cooperating_units))
    reports = reports_by_id(m.latest_report_id for m in measures)
    labels, lights = _labels(Submission.choices), _labels(Light.choices)
    statuses, progress = _labels(ProgressReport.Status.choices), _labels(ProgressReport.Progress.choices)
    rows = []
    for measure in measures:
        report = reports.get(measure.latest_report_id)
        submission = None
        if report is not None:
            report.measure = measure  # already loaded; spares a query per row in templates
            submission = report.submission(today)
        rows.append(LedgerRow(
            measure, Light(measure.light), report, submission,
            url=report.get_absolute_url() if report else measure.get_absolute_url(),
            lead_names="、".join(link.unit.name for link in measure.lead_links.all()) if lead_units else "",
            # A returned report's status already says so.
            submission_label=labels[submission] if submission and submission != Submission.RETURNED else "",
            light_label=lights[measure.light],
            status_label=statuses[report.status] if report else "",
            progress_label=progress.get(report.progress, "") if report else "",
        ))
    return rows


def unit_ledger(unit, user, today=None):
    """The measures `unit` leads and those it cooperates on, narrowed to what `user` may see."""
    led = scope_measures(user, "progress.view_ledger", Measure.objects.led_by(unit))
    cooperating = scope_measures(user, "progress.view_ledger", Measure.objects.filter(cooperating_units=unit))
    return {
        "led": ledger_rows(led.order_by("plan", "area__position", "position"), today, lead_units=False),
        "cooperating": ledger_rows(cooperating.order_by("plan", "area__position", "position"), today),
    }


def ledger_summary(rows):
    """Counts for the ledger's header: lights and where the latest reports stand."""
    lights = LightCounts(row.light for row in rows).rows()  # a list: templates look up keys in a Counter first
    statuses = collections.Counter(row.report.status for row in rows if row.report)
    return {"lights": lights, "statuses": dict(statuses)}


# ------------------------------------------------------------------ matrix


# How a matrix cell shows each bucket: a symbol beside the count, so it reads without colour.
SYMBOLS = {Submission.ON_TIME: "✓", Submission.LATE: "◷", Submission.RETURNED: "↩", Submission.MISSING: "✗",
           Submission.PENDING: "…"}


@dataclass
class Cell:
    round: ReportingRound
    counts: collections.Counter = field(default_factory=collections.Counter)
    accepted: int = 0
    url: str = ""
    shown: list = field(default_factory=list)

    def items(self, labels):
        """[(bucket, symbol, count, label)] of the buckets with reports, in a fixed order."""
        return [(key, symbol, self.counts[key], labels[key]) for key, symbol in SYMBOLS.items() if self.counts.get(key)]

    def html(self):
        """The cell's <td>, built here rather than in the template: a district's matrix has hundreds of cells,
        and the template language costs a few microseconds a variable."""
        if not self.shown:
            return format_html('<td class="matrix__cell matrix__cell--empty"><span class="muted">—</span></td>')
        spans = format_html_join("", '<span class="submission submission--{}" title="{}">{}{}</span>', self.shown)
        return format_html('<td class="matrix__cell matrix__cell--{}"><a href="{}">{}</a></td>', self.state, self.url, spans)

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
    url: str = ""


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

    labels = {key: str(label) for key, label in Submission.choices}
    round_urls = {r.pk: r.get_absolute_url() for r in rounds}

    def cell(round_, row, unit=None):
        url = round_urls[round_.pk] + (f"?unit={unit.pk}" if unit else "")
        if row is None:
            result = Cell(round_, url=url)
        else:
            counts = collections.Counter({v: row[v] for v, _q in conditions if row[v]})
            result = Cell(round_, counts, row["accepted"], url)
        result.shown = result.items(labels)
        return result

    by_unit = collections.defaultdict(dict)
    for row in reports.values("round_id", "measure__lead_links__unit").annotate(**aggregates):
        by_unit[row["measure__lead_links__unit"]][row["round_id"]] = row
    if MeasureLeadUnit.objects.filter(measure__plan=plan).values("measure").annotate(n=Count("pk")).filter(n__gt=1).exists():
        by_round = {row["round_id"]: row for row in reports.values("round_id").annotate(**aggregates)}
    else:
        # Every measure has one lead unit: the totals are the sums of the rows, no second pass over the reports.
        by_round = collections.defaultdict(collections.Counter)
        for rounds_of_unit in by_unit.values():
            for round_id, row in rounds_of_unit.items():
                by_round[round_id].update({key: row[key] for key in aggregates})

    units = Unit.objects.filter(pk__in=[pk for pk in by_unit if pk is not None])
    if scope_for(user, "progress.view_matrix") == ALL:
        # Units that lead a measure of the plan but owe nothing yet still get a row.
        units = Unit.objects.filter(
            Q(pk__in=[pk for pk in by_unit if pk is not None]) | Q(pk__in=MeasureLeadUnit.objects.filter(measure__plan=plan).values("unit"))
        )
    rows = [
        MatrixRow(unit, [cell(r, by_unit[unit.pk].get(r.pk), unit) for r in rounds],
                  reverse("progress:unit_ledger", args=[unit.pk]))
        for unit in units.order_by("kind", "name")
    ]
    return Matrix(rounds, rows, [cell(r, by_round.get(r.pk)) for r in rounds])
