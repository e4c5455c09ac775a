"""Reminders that `duban tick` sends, so that nobody forgets a report.

Rules, each sent once per occasion and recipient (duban.core.notify keys):

- due soon:   a round is due within DUBAN_REMIND_DUE_WORKDAYS (3) working days and the
              unit still owes reports → the unit's reporters, and its group robot;
- overdue:    the due date has passed and reports are still owed → reporters and the
              unit head, the unit's group robot; the office gets one summary per round;
- stale:      an open measure's report has not been touched for
              DUBAN_REMIND_STALE_WORKDAYS (20) working days → the unit's reporters;
- no round:   it is a bimonthly reporting month of the plan's year and the office has
              opened no round this month → the office.

Reminders go out only while the offices are open (a working day, within
DUBAN_OFFICE_HOURS): nobody is paged on a holiday, and a tick that runs every
few minutes sends each reminder at the start of the next working morning.
"""

from __future__ import annotations

import collections
import datetime

from django.conf import settings
from django.db.models import DateTimeField, Max, Q, Value
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from duban.accounts.models import Role
from duban.calendar.sla import is_open
from duban.calendar.workdays import add_workdays
from duban.core.notify import Fold, notify, post_to_robots, settle_stale, topic
from duban.core.tick import job
from duban.plans.models import Measure, Plan, Unit

from .models import ProgressReport, ReportingRound
from .services import office_staff, unit_round_topic, unit_staff

# The inbox's summaries (duban.core.notify.Fold; the office's reports to review: services.SUBMITTED).
LATE_UNITS = Fold("progress-late-units", ngettext_lazy("%(n)s reporting round has units that have not reported",
                                                       "%(n)s reporting rounds have units that have not reported", "n"),
                  reverse_lazy("progress:matrix"))
OVERDUE = Fold("progress-overdue", ngettext_lazy("%(n)s reporting round with overdue reports",
                                                 "%(n)s reporting rounds with overdue reports", "n"))

EPOCH = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


def due_workdays():
    return getattr(settings, "DUBAN_REMIND_DUE_WORKDAYS", 3)


def stale_workdays():
    return getattr(settings, "DUBAN_REMIND_STALE_WORKDAYS", 20)


def _owed_by_unit(reports):
    """{(round, unit id): [measure labels]} for outstanding reports, one entry per lead unit."""
    owed = collections.defaultdict(list)
    # The round's plan (its region's office is told), the measure and its lead units, in two queries.
    rows = reports.select_related("round__plan", "measure").prefetch_related("measure__lead_links")
    for report in rows.order_by("round_id", "measure__annex", "measure__position"):
        for link in report.measure.lead_links.all():
            owed[(report.round, link.unit_id)].append(report.measure.label)
    return owed


def _units(ids):
    return Unit.objects.in_bulk(ids)


def remind_due_soon(today):
    last_due = add_workdays(today, due_workdays())
    reports = ProgressReport.objects.outstanding().filter(round__due_on__gte=today, round__due_on__lte=last_due)
    owed = _owed_by_unit(reports)
    units = _units({unit_id for _round, unit_id in owed})
    sent = 0
    for (round_, unit_id), labels in owed.items():
        unit = units[unit_id]
        key = f"progress-due-soon:round{round_.pk}:unit{unit_id}"
        subject = _("%(round)s is due on %(due)s: %(count)s report(s) to submit") % {
            "round": round_.title, "due": round_.due_on.isoformat(), "count": len(labels)}
        body = _("Measures: %(labels)s") % {"labels": "、".join(labels)}
        url = reverse("progress:unit_ledger", args=[unit_id])
        sent += len(notify(unit_staff([unit_id], roles=[Role.REPORTER]), key, subject, body, url,
                           about=unit_round_topic(round_.pk, unit_id)))
        post_to_robots(unit, key, f"【{unit.name}】{subject}。{body}")
    settle_stale("progress-due-soon:", [unit_round_topic(round_.pk, unit_id) for round_, unit_id in owed])
    return sent


def remind_overdue(today):
    reports = ProgressReport.objects.outstanding().filter(round__due_on__lt=today)
    owed = _owed_by_unit(reports)
    units = _units({unit_id for _round, unit_id in owed})
    sent = 0
    late_units = collections.defaultdict(list)
    for (round_, unit_id), labels in owed.items():
        unit = units[unit_id]
        late_units[round_].append(f"{unit.name}（{len(labels)}）")
        key = f"progress-overdue:round{round_.pk}:unit{unit_id}"
        subject = _("Overdue: %(count)s report(s) for %(round)s were due on %(due)s") % {
            "count": len(labels), "round": round_.title, "due": round_.due_on.isoformat()}
        body = _("Measures: %(labels)s") % {"labels": "、".join(labels)}
        url = reverse("progress:unit_ledger", args=[unit_id])
        # About the same as the due-soon reminder, which it replaces.
        sent += len(notify(unit_staff([unit_id]), key, subject, body, url, about=unit_round_topic(round_.pk, unit_id),
                           fold=OVERDUE))
        post_to_robots(unit, key, f"【{unit.name}】{subject}。{body}")
    for round_, names in late_units.items():
        key = f"progress-overdue-summary:round{round_.pk}"
        subject = _("%(round)s: %(count)s unit(s) have not reported") % {"round": round_.title, "count": len(names)}
        body = "、".join(names)
        sent += len(notify(office_staff(round_.plan.region_id), key, subject, body, round_.get_absolute_url(),
                           about=round_, fold=LATE_UNITS))
        post_to_robots(None, key, f"{subject}：{body}", region_id=round_.plan.region_id)
    # Reminders whose unit has reported since (by whichever path) are read.
    settle_stale("progress-overdue:", [unit_round_topic(round_.pk, unit_id) for round_, unit_id in owed])
    settle_stale("progress-overdue-summary:", list(late_units))
    return sent


def stale_measures(today):
    """Open measures whose reports nobody has touched for the configured working days: [(measure, last activity)]."""
    cutoff_day = add_workdays(today, -stale_workdays())
    cutoff = timezone.make_aware(datetime.datetime.combine(cutoff_day + datetime.timedelta(days=1), datetime.time()))
    never = Value(EPOCH, output_field=DateTimeField())
    measures = (
        Measure.objects.filter(completed_on__isnull=True, progress_reports__isnull=False)
        .annotate(last_activity=Greatest(
            Coalesce(Max("progress_reports__edited_at"), never),
            Coalesce(Max("progress_reports__submitted_at"), never),
            Coalesce(Max("progress_reports__round__opened_at"), never),
        ))
        .filter(last_activity__lt=cutoff)
        .prefetch_related("lead_links")
    )
    return [(m, m.last_activity) for m in measures]


def remind_stale(today):
    sent = 0
    stale = stale_measures(today)
    for measure, last in stale:
        since = timezone.localdate(last)
        key = f"progress-stale:measure{measure.pk}:{since:%Y%m%d}"
        subject = _("Measure %(label)s has had no progress update since %(date)s") % {
            "label": measure.label, "date": since.isoformat()}
        unit_ids = [link.unit_id for link in measure.lead_links.all()]
        for unit_id in unit_ids:
            url = reverse("progress:unit_ledger", args=[unit_id])
            # About the measure: the next reminder replaces this one; a report written on it settles it.
            sent += len(notify(unit_staff([unit_id], roles=[Role.REPORTER]), key, subject, measure.text[:200], url,
                               about=measure))
    settle_stale("progress-stale:", [measure for measure, _last in stale])
    return sent


def remind_round_not_opened(today):
    if today.month not in ReportingRound.BIMONTHLY_MONTHS:
        settle_stale("progress-round-not-opened:", [])  # a reporting month past: its reminder with it
        return 0
    month = today.replace(day=1)
    sent = 0
    waiting = []
    for plan in Plan.objects.filter(year=today.year).exclude(
        Q(rounds__period=month) | Q(rounds__opened_on__gte=month, rounds__opened_on__lte=today)
    ):
        key = f"progress-round-not-opened:plan{plan.pk}:{month:%Y-%m}"
        subject = _("No reporting round has been opened for %(month)s yet") % {"month": month.strftime("%Y-%m")}
        body = _("The plan %(plan)s reports every two months; open this month's round.") % {"plan": plan.title}
        url = reverse("progress:round_open") + f"?plan={plan.pk}"
        waiting.append(topic(plan, f"{month:%Y-%m}"))
        sent += len(notify(office_staff(plan.region_id), key, subject, body, url, about=waiting[-1]))
    settle_stale("progress-round-not-opened:", waiting)
    return sent


@job("progress-reminders", title=gettext_lazy("progress report reminders"))
def progress_reminders(now):
    if not is_open(now):
        return _("offices closed, nothing sent")
    today = timezone.localdate(now)
    counts = {
        "due_soon": remind_due_soon(today),
        "overdue": remind_overdue(today),
        "stale": remind_stale(today),
        "not_opened": remind_round_not_opened(today),
    }
    return _("due soon %(due_soon)s, overdue %(overdue)s, stale %(stale)s, round not opened %(not_opened)s") % counts
