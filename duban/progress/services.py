"""Operations on progress reports that views, commands and the API share.

Callers check permissions (duban.accounts.permissions.require) first; these
functions enforce the data rules, keep the history and tell the people who
need to know.
"""

from __future__ import annotations

import collections
import datetime
from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import transaction
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.accounts.models import Role, User, office_staff
from duban.core import clock
from duban.core.events import emit
from duban.core.notify import absolute, notify, settle, topic
from duban.plans.models import Measure, Plan

from .models import (
    Contribution,
    EditConflict,
    Evidence,
    ProgressReport,
    ReportingRound,
    ReportVersion,
    RoundTally,
    TransitionError,
    tally_conditions,
)


def unit_staff(unit_ids: Iterable[int | None], roles: Iterable[str] = (Role.REPORTER, Role.UNIT_HEAD)) -> QuerySet[User]:
    return User.objects.filter(unit__in=unit_ids, role__in=roles, is_active=True)


def lead_unit_ids(measure: Measure) -> list[int]:
    return list(measure.lead_links.values_list("unit_id", flat=True))


def event_payload(report: ProgressReport, version: ReportVersion) -> dict[str, Any]:
    """What a webhook receiver learns about a report event (duban.api.webhooks)."""
    return {
        "id": report.pk,
        "label": report.measure.label,
        "title": f"{report.measure.label} {report.round.title}",
        "round": report.round.title,
        "units": [unit.name for unit in report.measure.ordered_lead_units()],
        "version": version.number,
        "status": report.status,
        "progress": report.progress,
        "percent": report.percent,
        "needs_coordination": report.needs_coordination,
        "comment": version.review_comment,
        "url": absolute(report.get_absolute_url()),
    }


# ------------------------------------------------------------------ rounds


@transaction.atomic
def open_round(plan: Plan, kind: str, period: datetime.date | None = None, *, opened_by: User | None = None,
               opened_on: datetime.date | None = None, due_workdays: int | None = None, title: str = "",
               instructions: str = "", now: datetime.datetime | None = None) -> ReportingRound:
    """Open a round and create a draft report for every open measure of the plan that has a lead unit."""
    now = now or clock.now()
    round_ = ReportingRound(
        plan=plan, kind=kind, period=period, opened_by=opened_by, instructions=instructions, opened_at=now,
        opened_on=opened_on or timezone.localdate(now),
        due_workdays=ReportingRound.default_due_workdays() if due_workdays is None else due_workdays,
    )
    round_.full_clean(exclude=["title", "due_on"])
    due = round_.compute_due()
    round_.due_on, round_.due_provisional = due.date, due.provisional
    round_.title = title.strip() or round_.default_title()
    round_.save()
    add_missing_reports(round_)
    # The reminder that no round was opened this month (progress.reminders) is answered.
    settle(*{topic(plan, f"{month:%Y-%m}") for month in (round_.opened_on.replace(day=1), period) if month})
    return round_


def unit_round_topic(round_id: int, unit_id: int) -> str:
    """What a unit's reminders for a round are about: its reports of that round (progress.reminders)."""
    return topic(f"progress.reportinground:{round_id}", f"unit{unit_id}")


def settle_owed(report: ProgressReport, lead_ids: Iterable[int]) -> None:
    """After a report left the unit: the round's reminders to each lead unit that now owes nothing in it, and
    the office's summary of late units once nobody owes anything, are read (their work is done)."""
    owed = ProgressReport.objects.outstanding().filter(round=report.round_id)
    done = [unit_round_topic(report.round_id, unit_id) for unit_id in lead_ids
            if not owed.filter(measure__lead_links__unit=unit_id).exists()]
    if not owed.exists():
        done.append(topic(f"progress.reportinground:{report.round_id}"))
    settle(*done)


@transaction.atomic
def add_missing_reports(round_: ReportingRound) -> list[ProgressReport]:
    """Reports for the round's open measures that have none yet (measures imported after opening)."""
    measures = (
        Measure.objects.filter(plan=round_.plan, completed_on__isnull=True, lead_links__isnull=False)
        .exclude(progress_reports__round=round_).values_list("pk", flat=True).distinct()
    )
    reports = ProgressReport.objects.bulk_create(ProgressReport(round=round_, measure_id=pk) for pk in measures)
    refresh_tallies([round_.pk])
    return reports


# ------------------------------------------------------------------ tallies
#
# RoundTally rows count each round's reports per lead unit and area, for the office's matrix. They
# change here and nowhere else: a report's move through the review flow shifts its counters
# (count_move), and anything that regroups reports (a round opened, a due date moved, a measure's
# lead units or area changed, a measure deleted, rows written in bulk) counts the rows concerned
# afresh (refresh_tallies). duban.progress.receivers calls these for changes made in other apps.


def count_tallies(rounds: Any, *, units: Collection[int] | None = None,
                  areas: Collection[int] | None = None) -> dict[tuple[int, int, int | None], dict[str, int]]:
    """{(round id, area id, unit id or None): {counter: n}} counted from the reports of `rounds` (ids or a
    queryset of ids), for every lead unit or those in `units`, every area or those in `areas`."""
    reports = ProgressReport.objects.filter(round__in=rounds).order_by()
    if areas is not None:
        reports = reports.filter(measure__area__in=areas)
    # One filter() on the lead links, which values() then groups by (a second filter() would join them again).
    if units is None:
        led = reports.filter(measure__lead_links__isnull=False)
    else:
        led = reports.filter(measure__lead_links__unit__in=units)
    aggregates = {name: Count("pk", filter=q) for name, q in tally_conditions()}
    counted: dict[tuple[int, int, int | None], Any] = {}
    for row in led.values("round_id", "measure__area_id", "measure__lead_links__unit").annotate(**aggregates):
        counted[row["round_id"], row["measure__area_id"], row["measure__lead_links__unit"]] = row
    for total in reports.values("round_id", "measure__area_id").annotate(**aggregates):
        counted[total["round_id"], total["measure__area_id"], None] = total
    return {key: {name: row[name] for name in RoundTally.COUNTERS} for key, row in counted.items()}


def refresh_tallies(rounds: Any, *, units: Collection[int] | None = None, areas: Collection[int] | None = None,
                    create: bool = True) -> int:
    """Count afresh the tallies of `rounds` (ids or a queryset of ids) from their reports.

    `units`: only these units' rows (None: every unit's); `areas`: only these areas' rows (None: all).
    The rows without a unit (the areas' totals) are always recounted. `create=False` only corrects
    or removes existing rows: that is what a delete cascading through the plan may do, since the
    rounds being counted may be deleted later in the same cascade. Returns how many rows changed.
    """
    rows = RoundTally.objects.filter(round__in=rounds)
    if areas is not None:
        rows = rows.filter(area__in=areas)
    if units is not None:
        rows = rows.filter(Q(unit__in=units) | Q(unit__isnull=True))
    existing = {(row.round_id, row.area_id, row.unit_id): row for row in rows}
    if not create and not existing:
        return 0
    stale, new = [], []
    for key, counts in count_tallies(rounds, units=units, areas=areas).items():
        tally = existing.pop(key, None)
        if tally is not None and tally.counts() == counts:
            continue
        if tally is not None:
            stale.append(tally.pk)
        if create or tally is not None:
            new.append(RoundTally(round_id=key[0], area_id=key[1], unit_id=key[2], **counts))
    # Rows left over count nothing any more (a measure moved away, its last report deleted). Rows whose
    # counts changed are replaced: a DELETE and an INSERT, where bulk_update's CASE for every row and
    # counter takes seconds for a district's rounds.
    stale += [tally.pk for tally in existing.values()]
    RoundTally.objects.filter(pk__in=stale).delete()
    RoundTally.objects.bulk_create(new, batch_size=1000)
    return len(new) + len(existing)


def rebuild_tallies(plan: Plan | None = None) -> int:
    """Count every tally (of one plan, or all) afresh; for data written around the services. Returns the rows changed."""
    rounds = ReportingRound.objects.all() if plan is None else ReportingRound.objects.filter(plan=plan)
    changed = 0
    with transaction.atomic():
        for round_id in rounds.values_list("pk", flat=True):  # a round at a time: a district's rounds are large
            changed += refresh_tallies([round_id])
    return changed


def count_move(report: ProgressReport, before: Iterable[str], lead_ids: list[int]) -> None:
    """Shift the report's round's counters from `before` (its tally_counters() before a change) to where it is now."""
    delta = collections.Counter(report.tally_counters())
    delta.subtract(before)
    changes = {name: F(name) + n for name, n in delta.items() if n}
    if not changes:
        return
    area_id = report.measure.area_id
    rows = RoundTally.objects.filter(round=report.round_id, area=area_id).filter(
        Q(unit__in=lead_ids) | Q(unit__isnull=True))
    if rows.update(**changes) != len(set(lead_ids)) + 1:
        # A row was missing (counts made before this measure had its lead unit): count them afresh.
        refresh_tallies([report.round_id], units=lead_ids, areas=[area_id])


@contextmanager
def tallied(report: ProgressReport, lead_ids: list[int] | None = None) -> Iterator[None]:
    """Keep the tallies current across a change of the report's state made inside the block."""
    before = report.tally_counters()
    yield
    count_move(report, before, lead_unit_ids(report.measure) if lead_ids is None else lead_ids)


def measure_regrouped(plan_id: int, units: Collection[int] | None, areas: Collection[int] | None,
                      create: bool = True) -> int:
    """A measure's lead units or area changed, or it is gone: recount those units' and areas' tallies
    in the plan's rounds. `units`/`areas`: those before and after the change (None: every unit)."""
    rounds = ReportingRound.objects.filter(plan=plan_id).values("pk")
    return refresh_tallies(rounds, units=units, areas=areas, create=create)


# ----------------------------------------------------------------- drafting


def save_draft(report: ProgressReport, user: User, content: dict[str, Any], version: int,
               now: datetime.datetime | None = None) -> ProgressReport:
    """Save the report's content if nobody saved it since `version`; raise EditConflict otherwise.

    One UPDATE … WHERE version = n: two editors can never both win.
    """
    [(_report, fields)] = report.edit(user, content, now or clock.now()).rows
    changed = {name: getattr(report, name) for name in fields if name != "version"}
    updated = ProgressReport.objects.filter(
        pk=report.pk, version=version, status__in=ProgressReport.EDITABLE
    ).update(**changed, version=F("version") + 1)
    report.refresh_from_db()
    if updated:
        settle(f"plans.measure:{report.measure_id}")  # "no progress since …": touched now
    if not updated:
        if not report.is_editable:
            raise TransitionError(_("This report was %(status)s meanwhile and can no longer be edited.")
                                  % {"status": report.get_status_display()})
        raise EditConflict(report)
    return report


def add_evidence(report: ProgressReport, user: User, upload: Any) -> Evidence:
    """Attach a checked file (raises ValidationError with the reason it was refused)."""
    writes = report.add_evidence(user, upload)
    writes.save()
    [evidence] = writes.created(Evidence)
    return evidence


def remove_evidence(evidence: Evidence, user: User) -> None:
    """Take a file off the report; keep it stored if a submitted version lists it."""
    report = evidence.report
    if not report.is_editable:
        raise TransitionError(_("This report is %(status)s; its files can no longer be changed.")
                              % {"status": report.get_status_display()})
    listed = any(item["id"] == evidence.pk for v in report.versions.all() for item in v.data.get("evidence", []))
    if listed:
        evidence.removed_at = clock.now()
        evidence.save(update_fields=["removed_at"])
    else:
        evidence.file.delete(save=False)
        evidence.delete()


# ---------------------------------------------------------------- the flow


def _lock(report):
    """Wait for another submission or review of the report to finish, then carry on from what it left.

    Without the row lock two heads submitting at once would both get through (one
    submission recorded twice), and two office users could both review one submission,
    the second overwriting the first (tests/test_concurrency.py).
    """
    list(ProgressReport.objects.select_for_update().filter(pk=report.pk).values_list("pk"))
    report.refresh_from_db()


def request_approval(report: ProgressReport, user: User, now: datetime.datetime | None = None) -> Any:
    """A reporter tells the unit head(s) the draft is ready to submit."""
    report.ask_approval(now or clock.now()).save()
    heads = unit_staff([user.unit_id], roles=[Role.UNIT_HEAD])
    subject = _("Please approve the progress report on measure %(label)s") % {"label": report.measure.label}
    body = _("%(name)s asks you to check and submit the report for %(round)s.") % {
        "name": user.display_name(), "round": report.round.title}
    return notify(heads, f"progress-approve:report{report.pk}:v{report.version}", subject, body,
                  report.get_absolute_url(), digest=True, about=report)


@transaction.atomic
def submit(report: ProgressReport, user: User, now: datetime.datetime | None = None) -> ReportVersion:
    _lock(report)
    with tallied(report):
        writes = report.submit(user, now)
        writes.save()
    [version] = writes.created(ReportVersion)
    # The unit's "please approve" and "returned" notes, its reminders about the measure and (once it owes
    # nothing more) about the round: done.
    settle(report, f"plans.measure:{report.measure_id}")
    settle_owed(report, lead_unit_ids(report.measure))
    subject = _("Progress report submitted: measure %(label)s") % {"label": report.measure.label}
    body = _("%(unit)s submitted version %(number)s for %(round)s.") % {
        "unit": user.unit or user.display_name(), "number": version.number, "round": report.round.title}
    notify(office_staff(report.measure.plan.region_id), f"progress-submitted:report{report.pk}:v{version.number}",
           subject, body, report.get_absolute_url(), digest=True, about=report)
    emit("report.submitted", event_payload(report, version), report.measure.plan.region_id)
    return version


@transaction.atomic
def accept(report: ProgressReport, user: User, comment: str = "",
           now: datetime.datetime | None = None) -> ReportVersion:
    _lock(report)
    lead_ids = lead_unit_ids(report.measure)
    with tallied(report, lead_ids):
        writes = report.accept(user, comment, now)
        writes.save()
    [version] = [obj for obj in writes if isinstance(obj, ReportVersion)]
    settle(report)  # the office's "submitted" note: reviewed
    subject = _("Progress report accepted: measure %(label)s") % {"label": report.measure.label}
    notify(unit_staff(lead_ids), f"progress-accepted:report{report.pk}:v{version.number}",
           subject, comment, report.get_absolute_url(), digest=True, about=report)
    # Accepted, the report asks nothing more of anyone: the news is told by the daily digest and kept in the
    # list of messages, not left waiting among the unread.
    settle(report)
    return version


@transaction.atomic
def return_for_correction(report: ProgressReport, user: User, comment: str,
                          now: datetime.datetime | None = None) -> ReportVersion:
    _lock(report)
    lead_ids = lead_unit_ids(report.measure)
    with tallied(report, lead_ids):
        writes = report.return_for_correction(user, comment, now)
        writes.save()
    [version] = [obj for obj in writes if isinstance(obj, ReportVersion)]
    settle(report)  # the office's "submitted" note: reviewed
    subject = _("Progress report returned: measure %(label)s") % {"label": report.measure.label}
    notify(unit_staff(lead_ids), f"progress-returned:report{report.pk}:v{version.number}",
           subject, version.review_comment, report.get_absolute_url(), digest=True, about=report)
    emit("report.returned", event_payload(report, version), report.measure.plan.region_id)
    return version


def save_contribution(report: ProgressReport, user: User, text: str) -> Contribution | None:
    """A cooperating unit's own part of the report: one per unit and round, rewritten until reviewed."""
    unit = user.unit
    cooperating = unit is not None and report.measure.cooperating_links.filter(unit=unit).exists()
    existing = Contribution.objects.filter(report=report, unit=unit).first() if unit else None
    contribution, writes = report.contribute(user, text, cooperating=cooperating, contribution=existing)
    if contribution is None and existing is not None:
        existing.delete()
    writes.save()
    return contribution
