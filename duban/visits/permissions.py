"""Who may do what with visits and their problems (registered in duban.accounts.permissions).

- A cadre records his own visits and sees only them, the companies assigned to him and the
  problems raised on his visits; he tells the company the unit's answer.
- A unit's reporter and head see and answer the problems routed to their unit.
- The office plans the visits (assigns companies, imports the plan), sees everything in its
  region and may tell a company too. Leaders read the coverage.
Everyone's region is explicit: nothing of another region is in scope (superusers excepted).
"""

from django.db.models import Q

from duban.accounts.models import Role
from duban.accounts.permissions import ALL, OFFICE, OWN_UNIT, register, scope_for
from duban.core.models import sees_every_region

from .models import OWN

UNIT = {Role.REPORTER: OWN_UNIT, Role.UNIT_HEAD: OWN_UNIT}

RULES = {
    "visits.view": {**OFFICE, Role.CADRE: OWN, **UNIT, Role.LEADER: ALL},
    "visits.record": {**OFFICE, Role.CADRE: OWN},
    "visits.plan": OFFICE,
    "visits.coverage": {**OFFICE, Role.LEADER: ALL, Role.CADRE: OWN},
    # The office answers only what was routed to its own unit (the service centre), as for complaints.
    "visits.answer_problem": {Role.OFFICE: OWN_UNIT, Role.ADMIN: ALL, **UNIT},
    "visits.tell_company": {**OFFICE, Role.CADRE: OWN},
}

for action, roles in RULES.items():
    register(action, roles)


def _region(user, field="region"):
    return Q() if sees_every_region(user) else Q(**{field: user.region_id})


def problem_scope_q(user, scope):
    if scope == ALL:
        return _region(user)
    if scope == OWN:
        return _region(user) & Q(visit__cadre=user.pk)
    if scope == OWN_UNIT and user.unit_id:
        # Routed to the unit: a problem solved on the spot was never the unit's work.
        return _region(user) & Q(unit=user.unit_id) & ~Q(state="solved_on_spot")
    return Q(pk__in=[])


def visit_scope_q(user, scope):
    if scope == ALL:
        return _region(user)
    if scope == OWN:
        return _region(user) & Q(cadre=user.pk)
    if scope == OWN_UNIT and user.unit_id:
        from .models import Problem

        routed = Problem.objects.filter(unit=user.unit_id).exclude(state=Problem.State.SOLVED_ON_SPOT)
        return _region(user) & Q(pk__in=routed.values("visit"))
    return Q(pk__in=[])


def scoped(user, action, queryset, scope_q):
    scope = scope_for(user, action)
    if scope is None:
        return queryset.none()
    return queryset.filter(scope_q(user, scope))


def scope_problems(user, action="visits.view", queryset=None):
    from .models import Problem

    return scoped(user, action, Problem.objects.all() if queryset is None else queryset, problem_scope_q)


def scope_visits(user, action="visits.view", queryset=None):
    from .models import Visit

    return scoped(user, action, Visit.objects.all() if queryset is None else queryset, visit_scope_q)


def assignment_scope_q(user, scope):
    if scope == ALL:
        return _region(user)
    if scope == OWN:
        return _region(user) & Q(cadre=user.pk)
    return Q(pk__in=[])
