"""Operations on indicator targets, shared by the pages, the `duban kpi` command and the tests."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from difflib import SequenceMatcher

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from duban.accounts.permissions import can
from duban.core import clock
from duban.plans.models import Measure, MeasureLeadUnit, Task

from .computed import suggest as suggest_source
from .extraction import Target, find_targets, subject_key
from .models import Direction, Metric, MetricValue, Proposal, SourceField, ValueRevision

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from duban.accounts.models import User
    from duban.plans.models import Plan, Unit

    from .periods import Period

# Two mentions in one area are the same target when their subjects are this alike.
SAME_SUBJECT = 0.6
PREAMBLE_SUFFIXES = (".txt", ".md")


# Extraction ---------------------------------------------------------------------------------------


def plan_texts(plan: Plan) -> Iterator[tuple[Any, str, Any, Any, str]]:
    """(area, field, task, measure, text) for every text of the plan that may state a target, in print order."""
    preamble = plan_preamble(plan)
    if preamble:
        yield None, SourceField.PREAMBLE, None, None, preamble
    areas = plan.areas.prefetch_related(
        Prefetch("tasks", Task.objects.order_by("position")),
        Prefetch("measures", Measure.objects.order_by("position")),
    )
    for area in areas:
        yield area, SourceField.TARGET, None, None, area.target_text
        yield area, SourceField.NARRATIVE, None, None, area.narrative
        yield area, SourceField.PILOTS, None, None, area.pilots
        for task in area.tasks.all():
            yield area, SourceField.TASK, task, None, task.text
        for measure in area.measures.all():
            yield area, SourceField.MEASURE, measure.task, measure, measure.text


def plan_preamble(plan: Plan) -> str:
    """The plan's goals before its first area (目标任务: "确保…进入前50位"), when the source text was kept.

    Only a kept text file can be read this way; for other sources the plan's own
    targets are entered by hand.
    """
    if not plan.source_file or not (plan.source_file.name or "").lower().endswith(PREAMBLE_SUFFIXES):
        return ""
    first_line = min((line for line in plan.areas.values_list("source_line", flat=True) if line), default=None)
    if first_line is None:
        return ""
    try:
        with plan.source_file.open("rb") as handle:
            text = handle.read().decode("utf-8-sig", errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[: first_line - 1])


def _same_target(a, b):
    if (a.value, a.unit, a.direction) != (b.value, b.unit, b.direction):
        return False
    key_a, key_b = a.key, b.key
    return key_a == key_b or key_a in key_b or key_b in key_a or SequenceMatcher(None, key_a, key_b).ratio() >= SAME_SUBJECT


def _same_subject(a, b):
    """Whether two targets measure the same thing: the same unit and the same head noun (好评率, 办理时间)."""
    if a.unit != b.unit or a.rank != b.rank:
        return False
    key_a, key_b = subject_key(a.subject), subject_key(b.subject)
    return len(key_a) >= 3 and len(key_b) >= 3 and (key_a == key_b or key_a[-3:] == key_b[-3:])


def _fingerprint(area, target):
    raw = f"{area.pk if area else 0}|{target.key}|{target.value.normalize()}|{target.unit}|{target.direction}"
    return hashlib.sha1(raw.encode()).hexdigest()


def collect_targets(plan: Plan) -> list[list[Any]]:
    """[(area, found, [other places])]: each target once per area, with every place it is printed."""
    found: list[list[Any]] = []  # [area, target, source, also_in]
    for area, field, task, measure, text in plan_texts(plan):
        for target in find_targets(text):
            source = {"field": field, "task": task, "measure": measure}
            same = next((item for item in found if item[0] == area and _same_target(item[1], target)), None)
            if same is None:
                found.append([area, target, source, []])
            else:
                same[3].append(_place(field, task, measure))
    return found


def _place(field, task, measure):
    if measure is not None:
        return {"field": field, "ref": measure.label}
    if task is not None:
        return {"field": field, "ref": str(task.number or "")}
    return {"field": field, "ref": ""}


@transaction.atomic
def propose_metrics(plan: Plan) -> dict[str, int]:
    """Propose a metric for every target found in the plan's text. Safe to run again.

    A target already proposed (same area, subject, number, unit and direction)
    is left as it is, whatever the office decided about it; undecided proposals
    that the text no longer yields are removed. Targets the plan states
    differently for the same thing (好评率 95% in the text, 99% in annex 1) are
    linked as conflicting, so both are shown rather than one picked.

    Returns counts: found, created, kept, removed, conflicts.
    """
    existing = {p.fingerprint: p for p in plan.metric_proposals.all()}
    seen: dict[str, Proposal] = {}
    found: dict[str, Target] = {}  # fingerprint → the target the text gives
    created = 0
    for position, (area, target, source, also_in) in enumerate(collect_targets(plan)):
        fingerprint = _fingerprint(area, target)
        proposal = existing.get(fingerprint)
        if proposal is None:
            proposal = Proposal.objects.create(
                plan=plan, area=area, source_field=source["field"], task=source["task"], measure=source["measure"],
                also_in=also_in, subject=target.subject[:200], value=target.value, unit=target.unit,
                direction=target.direction, quantity_text=target.quantity_text[:100], text=target.sentence,
                fingerprint=fingerprint, position=position,
            )
            created += 1
        elif (proposal.position, proposal.also_in) != (position, also_in):
            proposal.position, proposal.also_in = position, also_in
            proposal.save(update_fields=["position", "also_in"])
        found[fingerprint] = target
        seen[fingerprint] = proposal
    stale = [p.pk for f, p in existing.items() if f not in seen and p.status == Proposal.Status.PROPOSED]
    Proposal.objects.filter(pk__in=stale).delete()
    conflicts = _link_conflicts(list(seen.values()), found)
    return {"found": len(seen), "created": created, "kept": len(seen) - created, "removed": len(stale),
            "conflicts": conflicts}


def _link_conflicts(proposals, found):
    pairs = 0
    for proposal in proposals:
        proposal.conflicts.clear()
    for i, a in enumerate(proposals):
        for b in proposals[i + 1:]:
            if a.area_id != b.area_id or not _same_subject(found[a.fingerprint], found[b.fingerprint]):
                continue
            if (a.value, a.direction) != (b.value, b.direction):
                a.conflicts.add(b)
                pairs += 1
    return pairs


# Proposals → metrics ------------------------------------------------------------------------------


def guess_owner(proposal: Proposal) -> Unit | None:
    """The unit that should report: the measure's first lead unit, else the area's, else its responsible unit."""
    if proposal.measure_id:
        link = MeasureLeadUnit.objects.filter(measure=proposal.measure_id).select_related("unit").first()
        if link:
            return link.unit
    area = proposal.area
    if area is None:
        return None
    return area.lead_units.order_by("pk").first() or area.responsible_unit


def metric_from_proposal(proposal: Proposal) -> Metric:
    """An unsaved metric with what the proposal says, for the office to complete and confirm."""
    due = None
    measure = proposal.measure
    if measure is not None and measure.deadline and measure.deadline.year == proposal.plan.year:
        due = measure.deadline
    return Metric(
        plan=proposal.plan, area=proposal.area, proposal=proposal, name=proposal.subject,
        # For a reduction the office enters the unit of what is measured; "%" is the target's.
        unit="" if proposal.direction == Direction.REDUCE_BY else proposal.unit,
        direction=proposal.direction, target=proposal.value, owner=guess_owner(proposal),
        due=due or datetime.date(proposal.plan.year, 12, 31),
        # 好评率, 按时办结率 …: Duban holds the data, so it computes them (the office may clear this).
        computed_from=suggest_source(proposal.subject) if proposal.unit == "%" else "",
    )


def confirm_proposal(proposal: Proposal, metric: Metric, user: User) -> Metric:
    """Save the metric the office completed from the proposal and mark the proposal confirmed."""
    with transaction.atomic():
        metric.proposal = proposal
        metric.full_clean()
        metric.save()
        decide(proposal, Proposal.Status.CONFIRMED, user)
    return metric


def decide(proposal: Proposal, status: str, user: User) -> None:
    proposal.status = status
    proposal.decided_by = user if status != Proposal.Status.PROPOSED else None
    proposal.decided_at = clock.now() if status != Proposal.Status.PROPOSED else None
    proposal.save(update_fields=["status", "decided_by", "decided_at"])


# Values -------------------------------------------------------------------------------------------


def may_change(user: User, entry: MetricValue) -> bool:
    """Whether `user` may change an existing value: its unit until the office corrects it, the office always."""
    return entry.may_change(user)


@transaction.atomic
def report_value(metric: Metric, user: User, period: Period, value: Decimal, note: str = "", evidence: Any = None,
                 kind: str = ValueRevision.Kind.REPORTED) -> MetricValue:
    """Record `value` for `period` (a periods.Period); a second report for the period replaces the first.

    Raises PermissionDenied when the user may not report for this metric, or when
    the office has corrected the value already.
    """
    # Lock only the value's own row: PostgreSQL refuses FOR UPDATE across the outer joins of its ordering.
    entry = (MetricValue.objects.select_for_update(of=("self",)).filter(metric=metric, period=period.label)
             .order_by().first())
    entry, writes = MetricValue.report(metric, user, period, clock.now(), value=value, note=note, evidence=evidence,
                                       kind=kind, entry=entry)
    writes.save()
    return entry


@transaction.atomic
def correct_value(entry: MetricValue, user: User, value: Decimal, reason: str,
                  note: str | None = None) -> MetricValue:
    """The office corrects a reported value; the reason is required and kept in the history."""
    if not can(user, "kpi.correct"):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the value is corrected.")})
    now = clock.now()
    entry.value = value
    if note is not None:
        entry.note = note
    entry.corrected_by, entry.corrected_at, entry.correction_reason = user, now, reason
    entry.save()
    ValueRevision.objects.create(
        metric_value=entry, kind=ValueRevision.Kind.CORRECTED, value=value, note=entry.note, reason=reason, by=user,
        at=now,
    )
    return entry


def metrics_for(plan: Plan) -> QuerySet[Metric]:
    """The plan's metrics with what the pages and roll-ups need, in a fixed number of queries."""
    return (
        Metric.objects.filter(plan=plan)
        .select_related("area", "area__chief", "owner", "plan", "proposal")
        .prefetch_related(Prefetch("values", MetricValue.objects.order_by("period_end")), "proposal__conflicts")
    )
