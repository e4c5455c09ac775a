"""Complaints and bad-review rectifications on each person's to-do page (duban.core.todo).

The office: complaints whose deadline is near or past, rectifications waiting for its check; unit
reporters: complaints assigned to their unit, bad reviews to rectify within 1 working day; district
leaders: supervised cases (督办件) in the areas they chair.
"""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from duban.accounts.models import Role
from duban.accounts.permissions import LED_AREAS, role_of
from duban.calendar.workdays import add_workdays
from duban.core.todo import Entry, counted

from . import clocks
from .models import Complaint, Rectification
from .permissions import complaint_scope_q, unit_scope_q

# "Near" its deadline: due by the close of business of the next working day.
NEAR_WORKDAYS = 1
UNIT_STATES = [Complaint.State.ASSIGNED, Complaint.State.IN_PROGRESS]


def _complaint(complaint):
    return Entry(f"{complaint.formatted_code} {complaint.category.name}", complaint.get_absolute_url(),
                 complaint.next_due)


def _rectification(rectification):
    return Entry(str(rectification.review), rectification.get_absolute_url(), rectification.due_at)


def _list(name, **params):
    return f"{reverse(name)}?{urlencode(params)}" if params else reverse(name)


def tasks(user, today):
    role = role_of(user)
    complaints = Complaint.objects.select_related("category")
    rectifications = Rectification.objects.select_related("review__unit")
    if role in (Role.OFFICE, Role.ADMIN):
        near = clocks.at_close_of_business(add_workdays(today, NEAR_WORKDAYS))
        mine = complaint_scope_q(user, "all")
        return [
            counted("hotline.near", _("Complaints near or past their deadline"),
                    _list("hotline:complaint_list", state="open", sort="due"),
                    complaints.open().filter(mine, next_due__lte=near), "next_due", _complaint, order=20),
            counted("hotline.check", _("Rectifications of bad reviews waiting for your check"),
                    reverse("hotline:review_list"),
                    rectifications.filter(unit_scope_q(user, "all"), state=Rectification.State.SUBMITTED),
                    "due_at", _rectification, order=21),
        ]
    if role == Role.REPORTER and user.unit_id:
        return [
            counted("hotline.assigned", _("Complaints assigned to your unit"),
                    _list("hotline:complaint_list", state="open", sort="due"),
                    complaints.filter(complaint_scope_q(user, "own_unit"), state__in=UNIT_STATES),
                    "next_due", _complaint, order=20),
            counted("hotline.rectify", _("Bad reviews to rectify within 1 working day"),
                    reverse("hotline:review_list"),
                    rectifications.filter(unit=user.unit_id, state=Rectification.State.OPEN),
                    "due_at", _rectification, order=21),
        ]
    if role == Role.LEADER and user.leader_id:
        return [counted("hotline.supervised", _("Supervised cases in your areas"),
                        _list("hotline:complaint_list", state="open", light="supervised"),
                        complaints.open().filter(complaint_scope_q(user, LED_AREAS), supervised_at__isnull=False),
                        "next_due", _complaint, order=20)]
    return []
