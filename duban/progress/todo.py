"""The progress reports on each person's to-do page (duban.core.todo): the office reviews what units
submitted; reporters write what is due or returned; unit heads submit what their reporters sent them."""

from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from duban.accounts.models import Role
from duban.accounts.permissions import role_of
from duban.core.todo import Entry, counted
from duban.core.models import sees_every_region

from .models import ProgressReport

Status = ProgressReport.Status

# Sent to the unit head and not returned since: the head's to submit, no longer the reporter's to write.
WITH_HEAD = Q(approval_requested_at__isnull=False) & (
    Q(reviewed_at__isnull=True) | Q(approval_requested_at__gt=F("reviewed_at")))


def _entry(report):
    return Entry(f"{report.measure.label} {report.measure.text[:30]}", report.get_absolute_url(), report.round.due_on)


def _submitted(report):
    return Entry(f"{report.measure.label} {report.measure.text[:30]}", report.get_absolute_url())


def _edit(report):
    return Entry(f"{report.measure.label} {report.measure.text[:30]}",
                 reverse("progress:report_edit", args=[report.pk]), report.round.due_on)


def _reports():
    return ProgressReport.objects.select_related("measure", "round")


def tasks(user, today):
    role = role_of(user)
    if role in (Role.OFFICE, Role.ADMIN):
        reports = _reports().filter(status=Status.SUBMITTED)
        if not sees_every_region(user):
            reports = reports.filter(measure__plan__region=user.region_id)
        # No deadline for the office's review: the oldest submission first, each with its round's due date.
        return [counted("progress.review", _("Progress reports waiting for your review"),
                        reverse("progress:matrix"), reports, None, _submitted, order=10, sort="submitted_at")]
    if role not in (Role.REPORTER, Role.UNIT_HEAD) or not user.unit_id:
        return []
    mine = _reports().filter(measure__lead_units=user.unit_id, status__in=ProgressReport.EDITABLE)
    ledger = reverse("progress:unit_ledger", args=[user.unit_id])
    if role == Role.UNIT_HEAD:
        return [counted("progress.submit", _("Progress reports waiting for you to submit"), ledger,
                        mine.filter(WITH_HEAD), "round__due_on", _entry, order=10)]
    to_write = mine.exclude(WITH_HEAD)
    return [
        counted("progress.returned", _("Returned progress reports to correct"), ledger,
                to_write.filter(status=Status.RETURNED), "round__due_on", _edit, order=10),
        counted("progress.due", _("Progress reports due"), ledger,
                to_write.filter(status=Status.DRAFT), "round__due_on", _edit, order=11),
    ]
