"""What progress reporting brings to supervision: agenda items and per-unit report figures."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.urls import reverse
from django.utils import timezone

from duban.core.links import link_maker
from duban.plans.models import Measure, MeasureLeadUnit
from duban.progress.models import ProgressReport, ReportVersion

from .agenda import Candidate, scoped_measures, source
from .models import AgendaItem
from .statistics import Column, provider, short


def _lead_units(report):
    return [link.unit for link in report.measure.lead_links.all()]


@source
def coordination_requests(meeting, today):
    """Reports whose unit asks the district to coordinate, on measures not yet done.

    Settled matters stay off: a request counts only while the measure's latest report still asks
    (a later report without the request settles it), and only until an earlier meeting decided on it.
    """
    reports = (ProgressReport.objects.filter(measure__in=scoped_measures(meeting), measure__completed_on=None,
                                             status__in=[ProgressReport.Status.SUBMITTED,
                                                         ProgressReport.Status.ACCEPTED])
               .select_related("measure__area", "round").prefetch_related("measure__lead_links__unit")
               .order_by("measure", "-round__opened_on"))
    decided = set(AgendaItem.objects.filter(meeting__plan=meeting.plan, meeting__held_on__lt=meeting.held_on,
                                            kind=AgendaItem.Kind.COORDINATION)
                  .exclude(decision="", action_items=None).values_list("source", flat=True))
    seen = set()
    for report in reports:
        if report.measure_id in seen:  # the latest round's report only
            continue
        seen.add(report.measure_id)
        key = f"report:{report.pk}:coordination"
        if not report.needs_coordination or key in decided:
            continue
        units = _lead_units(report)
        yield Candidate(
            kind=AgendaItem.Kind.COORDINATION, title=f"{report.measure.label} {report.measure.text[:150]}",
            source=key,
            detail=f"{'、'.join(u.name for u in units)}（{report.round.title}）：{report.problems[:300]}",
            area=report.measure.area, unit=units[0] if units else None, measure=report.measure,
            url=report.get_absolute_url())


@source
def returned_reports(meeting, today):
    """Reports returned and not yet corrected: one item per unit (a meeting discusses a unit's habits, not
    each report), with how many and which."""
    reports = (ProgressReport.objects.filter(measure__in=scoped_measures(meeting),
                                             status=ProgressReport.Status.RETURNED)
               .select_related("measure__area", "round").prefetch_related("measure__lead_links__unit")
               .order_by("measure__area__position", "measure__position"))
    by_unit = defaultdict(list)
    for report in reports:
        for unit in _lead_units(report)[:1]:
            by_unit[unit].append(report)
    for unit, returned in sorted(by_unit.items(), key=lambda pair: (-len(pair[1]), pair[0].name)):
        detail = "；".join(f"{r.measure.label}（{r.round.title}）退回：{r.review_comment[:60]}" for r in returned[:10])
        yield Candidate(
            kind=AgendaItem.Kind.RETURNED, title=f"{unit.name}：{len(returned)}份进展报告被退回待修改",
            source=f"returned:unit{unit.pk}", detail=detail + ("等" if len(returned) > 10 else ""),
            area=returned[0].measure.area if len(returned) == 1 else None, unit=unit,
            measure=returned[0].measure if len(returned) == 1 else None,
            url=reverse("progress:unit_ledger", args=[unit.pk]))


def _day_after(day):
    return timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min))


class _Items:
    """The lines of the reports a column lists (late, returned): (round, measure label and text, link), made at
    the end for those only, from one query of their measures — not a model and a reverse() per report of the
    year."""

    def __init__(self):
        self.wanted = {}

    def add(self, target, report_pk, round_title, measure_id):
        self.wanted[report_pk] = (round_title, measure_id)
        target.append(report_pk)

    def resolve(self, *columns):
        measures = Measure.objects.only("text", "number", "annex", "source", "position", "area_id").in_bulk(
            {measure_id for _title, measure_id in self.wanted.values()})
        link = link_maker("progress:report_detail")
        lines = {pk: (f"{title} {measures[measure_id].label} {short(measures[measure_id].text)}", link(pk))
                 for pk, (title, measure_id) in self.wanted.items()}
        for column in columns:
            for unit, pks in column.items():
                column[unit] = [lines[pk] for pk in pks]


@provider
def report_columns(plan, period, units):
    """Reports due in the period (round due date within it, up to as_of): on time, and accepted first time.

    Items: the reports not submitted on time (on the on-time rate), those returned at their first review
    (on the first-time rate).
    """
    ids = {u.pk for u in units}
    reports = ProgressReport.objects.filter(round__plan=plan, round__due_on__gte=period.start,
                                            round__due_on__lte=min(period.end, period.as_of))
    leads = defaultdict(list)
    for link in MeasureLeadUnit.objects.filter(measure__plan=plan, unit__in=ids).values_list("measure", "unit"):
        leads[link[0]].append(link[1])
    # The office's verdict on each first submission, as far as it was given by as_of.
    first_outcomes = dict(ReportVersion.objects.filter(report__in=reports, number=1,
                                                       reviewed_at__lt=_day_after(period.as_of))
                          .values_list("report", "outcome"))
    due, on_time, reviewed, first_time = (defaultdict(int) for _ in range(4))
    late_items, returned_items, items = defaultdict(list), defaultdict(list), _Items()
    once = {key: set() for key in ("due", "on_time", "reviewed", "first_time")}  # the district's: each report once
    # A year's reports (thousands) as tuples of the fields read here.
    for pk, first_submitted_on, measure_id, round_title, due_on in reports.values_list(
            "pk", "first_submitted_on", "measure_id", "round__title", "round__due_on"):
        submitted = first_submitted_on if first_submitted_on and first_submitted_on <= period.as_of else None
        if not submitted and not period.overdue(due_on):
            continue  # due today and the day is not over: neither on time nor late yet
        outcome = first_outcomes.get(pk)
        in_time = bool(submitted and submitted <= due_on)
        for unit in leads.get(measure_id, []):
            due[unit] += 1
            once["due"].add(pk)
            if in_time:
                on_time[unit] += 1
                once["on_time"].add(pk)
            else:
                items.add(late_items[unit], pk, round_title, measure_id)
            if outcome:
                reviewed[unit] += 1
                once["reviewed"].add(pk)
                if outcome == ProgressReport.Status.ACCEPTED:
                    first_time[unit] += 1
                    once["first_time"].add(pk)
                else:
                    items.add(returned_items[unit], pk, round_title, measure_id)
    items.resolve(late_items, returned_items)

    def rate(num, den, unit):
        return round(100 * num[unit] / den[unit], 1) if den[unit] else None

    n = {key: len(pks) for key, pks in once.items()}
    return [
        Column("reports_due", "应报进展", {u: due[u] for u in ids}, total=n["due"]),
        Column("reports_on_time_rate", "按时报送率", {u: rate(on_time, due, u) for u in ids}, fmt="{}%",
               items=late_items, total=percent(n["on_time"], n["due"]), parts=(n["on_time"], n["due"])),
        Column("reports_first_time_rate", "一次通过率", {u: rate(first_time, reviewed, u) for u in ids}, fmt="{}%",
               items=returned_items, total=percent(n["first_time"], n["reviewed"]),
               parts=(n["first_time"], n["reviewed"])),
    ]


def percent(part, whole):
    return round(100 * part / whole, 1) if whole else None
