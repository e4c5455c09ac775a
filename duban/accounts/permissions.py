"""Who may do what: the one place that says it.

Every view, API endpoint and command asks `can(user, action, obj)` or narrows a
queryset with a `scope_*` function; nothing decides access on its own. An
action missing from RULES is denied to everyone (deny by default), and the URL
matrix test fails when a view is added without a rule.

Actions are "<area>.<verb>". Each rule lists the roles allowed and, for object
checks, the scope that applies to that role:
  ALL        — any object
  OWN_UNIT   — objects of the user's unit (lead unit of the measure, …)
  COOPERATING— objects the user's unit cooperates on
  LED_AREAS  — objects in areas whose chief is the user's leader record
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.dispatch import Signal
from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import Role

ALL, OWN_UNIT, COOPERATING, LED_AREAS = "all", "own_unit", "cooperating", "led_areas"

# Sent by require() before it refuses; the audit trail records it (duban.audit.receivers).
denied = Signal()

EVERYONE = {role: ALL for role in Role.values}
OFFICE = {Role.OFFICE: ALL, Role.ADMIN: ALL}

RULES: dict[str, dict[str, str]] = {
    # The plan ledger is a published document: every signed-in user reads it.
    "plan.view": EVERYONE,
    "plan.import": OFFICE,
    "plan.export": EVERYONE,
    "calendar.view": EVERYONE,
    "calendar.manage": OFFICE,
}


def register(action, roles):
    """Apps add their actions at import time (in their permissions or apps module)."""
    if action in RULES and RULES[action] != roles:
        raise ValueError(f"permission rule {action} defined twice")
    RULES[action] = roles


def role_of(user):
    if not user or not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return Role.ADMIN
    return user.role


def scope_for(user, action):
    """The scope this user has for the action, or None if not allowed at all."""
    role = role_of(user)
    if role is None:
        return None
    return RULES.get(action, {}).get(role)


# Where an object without a region of its own finds one, in this order.
REGION_PARENTS = ("plan", "area", "measure", "metric", "complaint", "review", "report", "agenda_item", "meeting",
                  "unit", "user", "uploaded_by")


def region_of(obj):
    """The region an object's data belongs to, or None for data every region shares (the calendar).

    Plans, units, leaders, users and complaints have a region; the rest inherit their parent's.
    """
    if hasattr(obj, "region_id"):
        return obj.region_id
    if hasattr(obj, "region_pk"):  # audit entries
        return obj.region_pk
    for parent in REGION_PARENTS:
        related = getattr(obj, parent, None)
        if related is not None:
            return region_of(related)
    return None


def in_users_region(user, obj):
    from duban.core.models import in_region

    region = region_of(obj)
    return region is None or in_region(user, region)


def can(user, action, obj=None):
    scope = scope_for(user, action)
    if scope is None:
        return False
    if obj is None:
        return True
    # Another region's object is out of reach whatever the role: 404, as for another unit's report.
    if not in_users_region(user, obj):
        return False
    if scope == ALL:
        return True
    check = getattr(obj, "permission_scope_check", None)
    if check is None:
        return False
    return check(user, scope)


def require(user, action, obj=None):
    """In views: 403 for a forbidden action, 404 for an object outside the user's scope.

    404 rather than 403 for objects, so that guessing ids reveals nothing.
    """
    if scope_for(user, action) is None:
        denied.send(sender=None, user=user, action=action, obj=obj)
        raise PermissionDenied
    if obj is not None and not can(user, action, obj):
        denied.send(sender=None, user=user, action=action, obj=obj, out_of_scope=True)
        raise Http404


def get_in_region_or_404(user, queryset, **lookup):
    """get_object_or_404 that also answers 404 for another region's object (views of any role)."""
    obj = get_object_or_404(queryset, **lookup)
    if not in_users_region(user, obj):
        denied.send(sender=None, user=user, action="region", obj=obj, out_of_scope=True)
        raise Http404
    return obj


def measure_scope_q(user, scope, prefix=""):
    """A Q selecting measures (through `prefix`, e.g. 'measure__') within a scope."""
    if scope == ALL:
        from duban.core.models import sees_every_region

        return Q() if sees_every_region(user) else Q(**{f"{prefix}plan__region": user.region_id})
    if scope == OWN_UNIT and user.unit_id:
        return Q(**{f"{prefix}lead_units": user.unit_id})
    if scope == COOPERATING and user.unit_id:
        return Q(**{f"{prefix}lead_units": user.unit_id}) | Q(**{f"{prefix}cooperating_units": user.unit_id})
    if scope == LED_AREAS and user.leader_id:
        return Q(**{f"{prefix}area__chief": user.leader_id})
    return Q(pk__in=[])


def scope_measures(user, action, queryset, prefix=""):
    """Narrow a queryset of measures (or of objects linked to one) to what the user may reach."""
    scope = scope_for(user, action)
    if scope is None:
        return queryset.none()
    if scope == ALL:
        return queryset.filter(measure_scope_q(user, scope, prefix))
    return queryset.filter(measure_scope_q(user, scope, prefix)).distinct()
