"""The read side: a unit's ledger (台账) and the office's units × rounds matrix.

Each is built in a fixed number of queries whatever the number of measures,
units or rounds (tests/test_queries.py holds it to that).
"""

from __future__ import annotations

import collections
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from duban.accounts.permissions import ALL, LED_AREAS, scope_for, scope_measures
from duban.calendar.lights import Light, LightCounts, annotate_measure_lights
from duban.core import clock
from duban.plans.models import Measure, MeasureCooperatingUnit, MeasureLeadUnit, Unit

from .models import Contribution, Evidence, ProgressReport, ReportingRound, RoundTally, Submission


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


# What a ledger page shows of a report (the export reads them whole).
PAGE_REPORT_FIELDS = ("round", "measure", "status", "progress", "percent", "needs_coordination",
                      "approval_requested_at", "reviewed_at", "edited_at", "first_submitted_on")


def reports_by_id(ids, fields=None):
    """The reports (only `fields` of them if given) with `evidence_count` and `contribution_count`.

    Plain queries rather than one joining evidence and contributions (which counts every pair), and the
    rounds loaded once each rather than once a report.
    """
    ids = [i for i in ids if i]
    evidence = count_by_report(Evidence, ids, removed_at__isnull=True)
    contributions = count_by_report(Contribution, ids)
    reports = ProgressReport.objects.filter(pk__in=ids)
    reports = {r.pk: r for r in (reports.only(*fields) if fields else reports)}
    rounds = ReportingRound.objects.in_bulk({r.round_id for r in reports.values()})
    for pk, report in reports.items():
        report.round = rounds[report.round_id]
        report.evidence_count, report.contribution_count = evidence.get(pk, 0), contributions.get(pk, 0)
    return reports


def with_units(measures, lead_units=True, cooperating_units=False, related=("plan", "area", "task")):
    measures = measures.select_related(*related)
    if lead_units:
        measures = measures.prefetch_related(
            Prefetch("lead_links", MeasureLeadUnit.objects.select_related("unit").order_by("position")))
    if cooperating_units:
        measures = measures.prefetch_related(
            Prefetch("cooperating_links", MeasureCooperatingUnit.objects.select_related("unit").order_by("position")))
    return measures


def url_maker(name):
    """A function of a pk giving the URL `name` takes it to: reverse() once, not once a row."""
    marker = 2**31 - 1
    before, after = reverse(name, args=[marker]).split(str(marker))
    return lambda pk: f"{before}{pk}{after}"


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

    def html(self, lead, t):
        """The row's <tr> (see ledger_table_rows). `lead`: the ledger's unit leads the measure; `t`: the column
        labels and badges, translated and escaped once a page (TableLabels). Every other text is escaped here;
        the rest are numbers, dates and choice values. (format_html() for each piece cost twice as much.)"""
        m, report = self.measure, self.report
        url = escape(self.url)
        if report is None:
            state, progress, count, updated = f'<span class="muted">{t.no_round}</span>', "—", "—", "—"
        else:
            state = (f'<a href="{url}">{escape(report.round.title)}</a><br>'
                     f'<span class="status status--{escape(report.status)}">{escape(self.status_label)}</span>')
            if self.submission_label:
                state += f' <span class="submission submission--{self.submission}">{escape(self.submission_label)}</span>'
            if report.with_unit_head:
                state += f' <span class="badge">{t.sent}</span>'
            progress = "—"
            if report.progress:
                percent = int(report.percent)
                progress = (f'{escape(self.progress_label)}<br><span class="percent"><meter min="0" max="100" low="34" '
                            f'high="67" optimum="100" value="{percent}">{percent}%</meter> {percent}%</span>')
                if report.needs_coordination:
                    progress += f' <span class="badge badge--flag" title="{t.coordination_title}">{t.coordination}</span>'
            count = int(report.evidence_count if lead else report.contribution_count)
            updated = timezone.localtime(report.edited_at).strftime("%Y-%m-%d %H:%M") if report.edited_at else "—"
        returned = " ledger-row--returned" if report is not None and report.status == ProgressReport.Status.RETURNED else ""
        lead_cell = "" if lead else f'<td data-label="{t.lead}">{escape(self.lead_names)}</td>'
        text = escape(Truncator(m.text).chars(90, truncate="…"))  # the ellipsis given: no gettext a row
        return (
            f'<tr class="ledger-row{returned}">'
            f'<td class="label card-title" data-label="{t.no}"><a href="{url}">{escape(m.label)}</a></td>'
            f'<td data-label="{t.measure}"><span class="measure-text">{text}</span>'
            f'<span class="measure-area">{escape(m.area.name)}</span></td>{lead_cell}'
            f'<td class="date" data-label="{t.deadline}">{m.deadline.isoformat() if m.deadline else "—"}</td>'
            f'<td data-label="{t.light}"><span class="light light--{self.light.value}"><span class="light__symbol" '
            f'aria-hidden="true">{self.light.symbol}</span> {escape(self.light_label)}</span></td>'
            f'<td data-label="{t.report}">{state}</td><td data-label="{t.progress}">{progress}</td>'
            f'<td class="num" data-label="{t.evidence if lead else t.contributions}">{count}</td>'
            f'<td class="date" data-label="{t.updated}">{updated}</td></tr>\n'
        )


class TableLabels:
    """The ledger table's words, translated and escaped once a page (the template's <thead> says the same)."""

    def __init__(self):
        self.no, self.measure, self.lead, self.deadline = _("No."), _("Measure"), _("Lead units"), _("Deadline")
        self.light, self.report, self.progress, self.updated = _("Light"), _("Latest report"), _("Progress"), _("Updated")
        self.evidence, self.contributions = _("Evidence"), _("Contributions")
        self.sent, self.no_round = _("sent to the unit head"), _("no round yet")
        self.coordination, self.coordination_title = _("coordination"), _("needs district coordination")
        for name, value in vars(self).items():
            setattr(self, name, escape(value))


def ledger_table_rows(rows, lead):
    """The <tr>s of a ledger table, built here rather than in the template (as Cell.html() builds the matrix's
    cells): a unit's ledger has hundreds of rows, and the template language costs a few microseconds a variable."""
    labels = TableLabels()
    return mark_safe("".join(row.html(lead, labels) for row in rows))  # each row escapes what it shows


def _labels(choices):
    # get_FOO_display() rebuilds a dict of lazy strings on every call: too slow for hundreds of rows.
    return {value: str(label) for value, label in choices}


def ledger_rows(measures, today=None, lead_units=True, cooperating_units=False, page=False):
    """[LedgerRow] for a queryset of measures: the measure, its light and its latest report.

    `lead_units`/`cooperating_units`: load the measures' units too (a unit's own ledger needs no lead units).
    `page`: load only what the ledger page shows (the export wants the plan, the task and whole reports).
    """
    today = today or clock.today()
    measures = list(with_units(latest_report_ids(annotate_measure_lights(measures, today)), lead_units and not page,
                               cooperating_units, related=("area",) if page else ("plan", "area", "task")))
    if lead_units and page:  # the names alone: no link and unit objects for hundreds of rows
        names = collections.defaultdict(list)
        links = MeasureLeadUnit.objects.filter(measure__in=[m.pk for m in measures]).order_by("measure", "position")
        for measure_id, name in links.values_list("measure", "unit__name"):
            names[measure_id].append(name)
    reports = reports_by_id((m.latest_report_id for m in measures), fields=PAGE_REPORT_FIELDS if page else None)
    labels, lights = _labels(Submission.choices), _labels(Light.choices)
    statuses, progress = _labels(ProgressReport.Status.choices), _labels(ProgressReport.Progress.choices)
    report_url, measure_url = url_maker("progress:report_detail"), url_maker("plans:measure_detail")
    rows = []
    for measure in measures:
        report = reports.get(measure.latest_report_id)
        submission = None
        if report is not None:
            report.measure = measure  # already loaded; spares a query per row in templates
            submission = report.submission(today)
        light = Light(measure.light)
        rows.append(LedgerRow(
            measure, light, report, submission,
            url=report_url(report.pk) if report else measure_url(measure.pk),
            lead_names="" if not lead_units else "、".join(
                names[measure.pk] if page else (link.unit.name for link in measure.lead_links.all())),
            # A returned report's status already says so.
            submission_label=labels[submission] if submission and submission != Submission.RETURNED else "",
            light_label=lights[light],
            status_label=statuses[report.status] if report else "",
            progress_label=progress.get(report.progress, "") if report else "",
        ))
    return rows


def unit_ledger(unit, user, today=None):
    """The measures `unit` leads and those it cooperates on, narrowed to what `user` may see."""
    led = scope_measures(user, "progress.view_ledger", Measure.objects.led_by(unit))
    cooperating = scope_measures(user, "progress.view_ledger", Measure.objects.filter(cooperating_units=unit))
    return {
        "led": ledger_rows(led.order_by("plan", "area__position", "position"), today, lead_units=False, page=True),
        "cooperating": ledger_rows(cooperating.order_by("plan", "area__position", "position"), today, page=True),
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


EMPTY_CELL = mark_safe('<td class="matrix__cell matrix__cell--empty"><span class="muted">—</span></td>')


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
        and the template language costs a few microseconds a variable. The buckets, symbols and labels are
        escaped once a page (matrix()), the counts are numbers: only the URL is escaped here."""
        if not self.shown:
            return EMPTY_CELL
        spans = "".join(f'<span class="submission submission--{key}" title="{label}">{symbol}{count:d}</span>'
                        for key, symbol, count, label in self.shown)
        return mark_safe(f'<td class="matrix__cell matrix__cell--{self.state}"><a href="{escape(self.url)}">{spans}</a></td>')

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


def tally_scope(user):
    """A Q narrowing RoundTally rows to what the user may see of the matrix: tallies are kept per area, which
    is what a leader's scope goes by (a scope by unit or measure would need the reports themselves)."""
    scope = scope_for(user, "progress.view_matrix")
    if scope == ALL:
        return Q()
    if scope == LED_AREAS:
        return Q(area__chief=user.leader_id) if user.leader_id else Q(pk__in=[])
    if scope is None:
        return Q(pk__in=[])
    raise ValueError(f"the matrix cannot be narrowed to scope {scope}")


def matrix(plan, user, today=None, areas=None):
    """Rows of units (those leading a measure in reach), columns of the plan's rounds, cells of counts.

    Read from the rounds' tallies (RoundTally), never from the reports: a few hundred rows whatever the
    number of reports. A measure led by two units counts in both units' rows, and once in the totals.
    `areas` narrows it further to those areas (a leader's page shows its totals for the areas the leader
    heads, whoever reads it; `user` None, the caller having checked who reads): the same cells, counted the
    same way.
    """
    today = today or clock.today()
    rounds = list(plan.rounds.order_by("opened_on", "pk"))
    if user is None and areas is None:
        raise ValueError("a matrix without a reader must be narrowed to areas")
    tallies = RoundTally.objects.filter(round__plan=plan).order_by()
    if user is not None:
        tallies = tallies.filter(tally_scope(user))
    if areas is not None:
        tallies = tallies.filter(area__in=areas)
    # A round's drafts are all missing once it is past due, all not yet due before: one due date per round.
    drafts = {r.pk: Submission.MISSING if r.due_on < today else Submission.PENDING for r in rounds}
    labels = {key: escape(label) for key, label in Submission.choices}
    round_urls = {r.pk: r.get_absolute_url() for r in rounds}

    def cell(round_, row, unit=None):
        url = round_urls[round_.pk] + (f"?unit={unit.pk}" if unit else "")
        if row is None:
            result = Cell(round_, url=url)
        else:
            counts = {Submission.RETURNED: row["returned"], Submission.ON_TIME: row["on_time"],
                      Submission.LATE: row["late"], drafts[round_.pk]: row["draft"]}
            result = Cell(round_, collections.Counter({k: n for k, n in counts.items() if n}), row["accepted"], url)
        result.shown = result.items(labels)
        return result

    by_unit, by_round = collections.defaultdict(dict), {}
    for row in tallies.values("round_id", "unit_id").annotate(**{name: Sum(name) for name in RoundTally.COUNTERS}):
        if row["unit_id"] is None:
            by_round[row["round_id"]] = row  # the areas' totals: each report once
        else:
            by_unit[row["unit_id"]][row["round_id"]] = row

    units = Unit.objects.filter(pk__in=list(by_unit))
    if areas is None and scope_for(user, "progress.view_matrix") == ALL:
        # Units that lead a measure of the plan but owe nothing yet still get a row.
        units = Unit.objects.filter(
            Q(pk__in=list(by_unit)) | Q(pk__in=MeasureLeadUnit.objects.filter(measure__plan=plan).values("unit"))
        )
    rows = [
        MatrixRow(unit, [cell(r, by_unit[unit.pk].get(r.pk), unit) for r in rounds],
                  reverse("progress:unit_ledger", args=[unit.pk]))
        for unit in units.order_by("kind", "name")
    ]
    return Matrix(rounds, rows, [cell(r, by_round.get(r.pk)) for r in rounds])


def area_round_totals(plan, areas, today=None):
    """[(round, Cell)] of the rounds with reports in `areas`: the matrix's totals row for those areas alone,
    each report once (a leader's page; matrix() counts it)."""
    result = matrix(plan, None, today, areas=areas)
    return [(cell.round, cell) for cell in result.totals if cell.total]
