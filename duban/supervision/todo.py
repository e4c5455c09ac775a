"""Supervision on each person's to-do page (duban.core.todo): the office's action items coming due and the
circulars it owes; a district leader's red and yellow lights and the action items he is accountable for."""

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from duban.accounts.models import Role
from duban.accounts.permissions import role_of
from duban.calendar.lights import Light, annotate_measure_lights
from duban.calendar.workdays import add_workdays
from duban.core.todo import SHOWN, Entry, Task, counted
from duban.core.models import sees_every_region
from duban.plans.models import Measure, Plan

from .models import ActionItem
from .statistics import Period

# The office drafts a quarter's circular within this many working days of the quarter's end.
CIRCULAR_WORKDAYS = 8
# Action items on the office's list: open ones due within this many working days, or overdue.
ACTION_ITEM_WORKDAYS = 5


def _action(item):
    return Entry(f"{item.measure.label} {item.measure.text[:30]}", item.agenda_item.meeting.get_absolute_url(),
                 item.measure.deadline)


def _measure(measure):
    return Entry(f"{measure.label} {measure.text[:30]}", measure.get_absolute_url(), measure.deadline)


def last_quarter(today):
    start = datetime.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    ended = start - datetime.timedelta(days=1)
    return f"{ended.year}Q{(ended.month - 1) // 3 + 1}", ended


def circulars_due(user, today):
    quarter, ended = last_quarter(today)
    plans = Plan.objects.filter(year=ended.year)
    if not sees_every_region(user):
        plans = plans.filter(region=user.region_id)
    plans = list(plans.exclude(circulars__quarter=quarter).order_by("pk"))
    if not plans:
        return None
    due = add_workdays(ended, CIRCULAR_WORKDAYS)
    label = Period.quarter(quarter, today).label
    entries = [Entry(f"{plan} · {label}", reverse("supervision:dashboard") + f"?plan={plan.pk}", due)
               for plan in plans[:SHOWN]]
    return Task("supervision.circulars", _("Circulars to prepare"), len(plans), reverse("supervision:dashboard"),
                due, entries, order=35)


def tasks(user, today):
    role = role_of(user)
    open_items = ActionItem.objects.filter(measure__completed_on__isnull=True).select_related(
        "measure", "agenda_item__meeting")
    if role in (Role.OFFICE, Role.ADMIN):
        if not sees_every_region(user):
            open_items = open_items.filter(measure__plan__region=user.region_id)
        soon = add_workdays(today, ACTION_ITEM_WORKDAYS)
        return [
            counted("supervision.actions", _("Action items of dispatch meetings due"), reverse("supervision:meetings"),
                    open_items.filter(measure__deadline__lte=soon), "measure__deadline", _action, order=30),
            circulars_due(user, today),
        ]
    if role == Role.LEADER and user.leader_id:
        lights = annotate_measure_lights(
            Measure.objects.filter(area__chief=user.leader_id, plan__region=user.region_id).select_related("plan"),
            today).filter(light__in=[Light.RED, Light.YELLOW])
        page = reverse("supervision:leader", args=[user.leader_id])
        return [
            counted("supervision.lights", _("Red and yellow lights in your areas"), page, lights, "deadline",
                    _measure, order=10),
            counted("supervision.own_actions", _("Action items you are accountable for"), page,
                    open_items.filter(leader=user.leader_id), "measure__deadline", _action, order=30),
        ]
    return []
