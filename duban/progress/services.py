"""Operations on progress reports that views, commands and the API share.

Callers check permissions (duban.accounts.permissions.require) first; these
functions enforce the data rules, keep the history and tell the people who
need to know.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.accounts.models import Role, User
from duban.api.webhooks import emit
from duban.core import clock
from duban.core.notify import absolute, notify
from duban.plans.models import Measure

from .evidence import check_evidence
from .models import Contribution, EditConflict, Evidence, ProgressReport, ReportingRound, TransitionError


def unit_staff(unit_ids, roles=(Role.REPORTER, Role.UNIT_HEAD)):
    return User.objects.filter(unit__in=unit_ids, role__in=roles, is_active=True)


def office_staff():
    return User.objects.filter(role=Role.OFFICE, is_active=True)


def lead_unit_ids(measure):
    return list(measure.lead_links.values_list("unit_id", flat=True))


def event_payload(report, version):
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
def open_round(plan, kind, period=None, *, opened_by=None, opened_on=None, due_workdays=None, title="",
               instructions="", now=None):
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
    return round_


def add_missing_reports(round_):
    """Reports for the round's open measures that have none yet (measures imported after opening)."""
    measures = (
        Measure.objects.filter(plan=round_.plan, completed_on__isnull=True, lead_links__isnull=False)
        .exclude(progress_reports__round=round_).values_list("pk", flat=True).distinct()
    )
    return ProgressReport.objects.bulk_create(ProgressReport(round=round_, measure_id=pk) for pk in measures)


# ----------------------------------------------------------------- drafting


def save_draft(report, user, content, version, now=None):
    """Save the report's content if nobody saved it since `version`; raise EditConflict otherwise.

    One UPDATE … WHERE version = n: two editors can never both win.
    """
    if not report.is_editable:
        raise TransitionError(_("This report is %(status)s and can no longer be edited.")
                              % {"status": report.get_status_display()})
    fields = {name: content[name] for name in ProgressReport.CONTENT_FIELDS if name in content}
    if fields.get("progress") == ProgressReport.Progress.COMPLETED:
        fields["percent"] = 100
    now = now or clock.now()
    updated = ProgressReport.objects.filter(
        pk=report.pk, version=version, status__in=ProgressReport.EDITABLE
    ).update(**fields, version=F("version") + 1, edited_at=now, edited_by=user)
    report.refresh_from_db()
    if not updated:
        if not report.is_editable:
            raise TransitionError(_("This report was %(status)s meanwhile and can no longer be edited.")
                                  % {"status": report.get_status_display()})
        raise EditConflict(report)
    return report


def add_evidence(report, user, upload):
    """Attach a checked file (raises ValidationError with the reason it was refused)."""
    if not report.is_editable:
        raise TransitionError(_("This report is %(status)s; files can no longer be added.")
                              % {"status": report.get_status_display()})
    checked = check_evidence(upload)
    evidence = Evidence(
        report=report, original_name=checked.name, kind=checked.kind, content_type=checked.content_type,
        size=checked.size, sha256=checked.sha256, uploaded_by=user,
    )
    evidence.file.save(checked.name, upload, save=False)
    evidence.save()
    return evidence


def remove_evidence(evidence, user):
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


def request_approval(report, user, now=None):
    """A reporter tells the unit head(s) the draft is ready to submit."""
    if not report.is_editable:
        raise TransitionError(_("This report is %(status)s; there is nothing to approve.")
                              % {"status": report.get_status_display()})
    report.approval_requested_at = now or clock.now()
    report.save(update_fields=["approval_requested_at"])
    heads = unit_staff([user.unit_id], roles=[Role.UNIT_HEAD])
    subject = _("Please approve the progress report on measure %(label)s") % {"label": report.measure.label}
    body = _("%(name)s asks you to check and submit the report for %(round)s.") % {
        "name": user.display_name(), "round": report.round.title}
    return notify(heads, f"progress-approve:report{report.pk}:v{report.version}", subject, body,
                  report.get_absolute_url())


@transaction.atomic
def submit(report, user, now=None):
    _lock(report)
    version = report.submit(user, now)
    subject = _("Progress report submitted: measure %(label)s") % {"label": report.measure.label}
    body = _("%(unit)s submitted version %(number)s for %(round)s.") % {
        "unit": user.unit or user.display_name(), "number": version.number, "round": report.round.title}
    notify(office_staff(), f"progress-submitted:report{report.pk}:v{version.number}", subject, body,
           report.get_absolute_url())
    emit("report.submitted", event_payload(report, version))
    return version


@transaction.atomic
def accept(report, user, comment="", now=None):
    _lock(report)
    version = report.accept(user, comment, now)
    subject = _("Progress report accepted: measure %(label)s") % {"label": report.measure.label}
    notify(unit_staff(lead_unit_ids(report.measure)), f"progress-accepted:report{report.pk}:v{version.number}",
           subject, comment, report.get_absolute_url())
    return version


@transaction.atomic
def return_for_correction(report, user, comment, now=None):
    _lock(report)
    version = report.return_for_correction(user, comment, now)
    subject = _("Progress report returned: measure %(label)s") % {"label": report.measure.label}
    notify(unit_staff(lead_unit_ids(report.measure)), f"progress-returned:report{report.pk}:v{version.number}",
           subject, version.review_comment, report.get_absolute_url())
    emit("report.returned", event_payload(report, version))
    return version


def save_contribution(report, user, text):
    """A cooperating unit's own part of the report: one per unit and round, rewritten until reviewed."""
    unit = user.unit
    if unit is None or not report.measure.cooperating_links.filter(unit=unit).exists():
        raise TransitionError(_("Only the measure's cooperating units add contributions; lead units write the report."))
    if report.status == ProgressReport.Status.ACCEPTED:
        raise TransitionError(_("The office has accepted this report; contributions can no longer change."))
    text = text.strip()
    if not text:
        Contribution.objects.filter(report=report, unit=unit).delete()
        return None
    contribution, _created = Contribution.objects.update_or_create(
        report=report, unit=unit, defaults={"text": text, "author": user})
    return contribution
