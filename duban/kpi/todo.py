"""Indicators on each person's to-do page (duban.core.todo): the office confirms the targets proposed from
the plan's text; a unit reports the values of the metrics it owns for each period that has ended."""

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from duban.accounts.models import Role
from duban.accounts.permissions import role_of
from duban.calendar.workdays import add_workdays
from duban.core.todo import SHOWN, Entry, Task, counted
from duban.core.models import sees_every_region

from .models import Metric, MetricValue, Proposal
from .periods import period_containing

# A period's value is due this many working days after the period ends.
VALUE_DUE_WORKDAYS = 5


def last_ended_period(metric, today):
    """The metric's latest period that ended before today, or None before its first or after its due date's."""
    current = period_containing(today, metric.frequency)
    ended = period_containing(current.start - datetime.timedelta(days=1), metric.frequency)
    if ended.end > period_containing(metric.due, metric.frequency).end or ended.end < datetime.date(metric.plan.year, 1, 1):
        return None
    return ended


def values_due(user, today):
    metrics = list(Metric.objects.filter(owner=user.unit_id).select_related("plan").order_by("position", "pk"))
    wanted = {m.pk: p for m in metrics if (p := last_ended_period(m, today))}
    if not wanted:
        return None
    reported = set(MetricValue.objects.filter(metric__in=list(wanted), period__in={p.label for p in wanted.values()})
                   .values_list("metric_id", "period"))
    entries = [
        Entry(f"{m.name}（{wanted[m.pk].label}）", reverse("kpi:metric_detail", args=[m.pk]),
              add_workdays(wanted[m.pk].end, VALUE_DUE_WORKDAYS))
        for m in metrics if m.pk in wanted and (m.pk, wanted[m.pk].label) not in reported
    ]
    if not entries:
        return None
    entries.sort(key=lambda e: e.due)
    return Task("kpi.values", _("Indicator values to report"), len(entries), reverse("kpi:dashboard"),
                entries[0].due, entries[:SHOWN], order=30)


def tasks(user, today):
    role = role_of(user)
    if role in (Role.OFFICE, Role.ADMIN):
        proposals = Proposal.objects.filter(status=Proposal.Status.PROPOSED)
        if not sees_every_region(user):
            proposals = proposals.filter(plan__region=user.region_id)
        return [counted("kpi.proposals", _("Proposed indicator targets to confirm"), reverse("kpi:proposal_list"),
                        proposals, None, lambda p: Entry(p.subject, reverse("kpi:proposal_list")), order=40)]
    if role == Role.REPORTER and user.unit_id:
        return [values_due(user, today)]
    return []
