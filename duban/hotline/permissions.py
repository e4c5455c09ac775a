"""Who may do what with complaints and reviews (registered in duban.accounts.permissions).

- The office dispatches: contacts the business, classifies, assigns,
  transfers, decides extensions, calls back, closes or reopens.
- The lead unit's reporter and head handle: accept, reply, return to the
  office, ask for an extension — and see the complainant's name and number.
- Cooperating units see the complaint (personal data masked) and add notes.
- A district leader sees the complaints in the areas he or she leads.
"""

from django.db.models import Q

from duban.accounts.models import Role
from duban.accounts.permissions import ALL, COOPERATING, LED_AREAS, OFFICE, OWN_UNIT, register, scope_for
from duban.core.models import sees_every_region

from .models import Complaint, Rectification, Review

UNIT = {Role.REPORTER: OWN_UNIT, Role.UNIT_HEAD: OWN_UNIT}
INVOLVED = {Role.REPORTER: COOPERATING, Role.UNIT_HEAD: COOPERATING, Role.COOPERATOR: COOPERATING}

RULES = {
    "hotline.view_complaint": {**OFFICE, **INVOLVED, Role.LEADER: LED_AREAS},
    "hotline.record_complaint": OFFICE,
    "hotline.dispatch_complaint": OFFICE,
    # The office handles only what it assigned to its own unit (the service centre).
    "hotline.handle_complaint": {Role.OFFICE: OWN_UNIT, Role.ADMIN: ALL, **UNIT},
    "hotline.comment_complaint": {**OFFICE, **INVOLVED},
    "hotline.export_complaints": {**OFFICE, **INVOLVED, Role.LEADER: LED_AREAS},
    "hotline.view_personal_data": {**OFFICE, **UNIT},
    # An export with complainants' names and numbers: the office, asked for with a reason (hotline/privacy.py).
    "hotline.export_personal_data": OFFICE,
    "hotline.stats": {**OFFICE, Role.LEADER: ALL, **UNIT},
    "hotline.review_view": {**OFFICE, Role.LEADER: ALL, **UNIT},
    "hotline.review_manage": OFFICE,
    "hotline.review_rectify": UNIT,
}

for action, roles in RULES.items():
    register(action, roles)


def complaint_scope_q(user, scope):
    region = Q() if sees_every_region(user) else Q(region=user.region_id)
    return region & _complaint_role_q(user, scope)


def _complaint_role_q(user, scope):
    if scope == ALL:
        return Q()
    if scope == OWN_UNIT and user.unit_id:
        return Q(lead_unit=user.unit_id)
    if scope == COOPERATING and user.unit_id:
        # A subquery rather than a join, so that the list needs no DISTINCT.
        cooperating = Complaint.cooperating_units.through.objects.filter(unit=user.unit_id).values("complaint")
        return Q(lead_unit=user.unit_id) | Q(pk__in=cooperating)
    if scope == LED_AREAS and user.leader_id:
        return Q(category__leader=user.leader_id) | Q(category__leader__isnull=True, category__area__chief=user.leader_id)
    return Q(pk__in=[])


def scope_complaints(user, action, queryset=None):
    queryset = Complaint.objects.all() if queryset is None else queryset
    scope = scope_for(user, action)
    if scope is None:
        return queryset.none()
    return queryset.filter(complaint_scope_q(user, scope))


def unit_scope_q(user, scope, field="unit"):
    """For reviews, rectifications and statistics: everything (in the user's region), or the user's own unit."""
    if scope == ALL:
        return Q() if sees_every_region(user) else Q(**{f"{field}__region": user.region_id})
    if scope in (OWN_UNIT, COOPERATING) and user.unit_id:
        return Q(**{field: user.unit_id})
    return Q(pk__in=[])


def stats_complaints_q(user, scope):
    """Complaints counted in the statistics: the region's (office, leaders) or those the unit leads."""
    if scope == ALL:
        return Q() if sees_every_region(user) else Q(region=user.region_id)
    return unit_scope_q(user, scope, "lead_unit")


def scope_reviews(user, action, queryset=None):
    queryset = Review.objects.all() if queryset is None else queryset
    scope = scope_for(user, action)
    if scope is None:
        return queryset.none()
    return queryset.filter(unit_scope_q(user, scope))


def scope_rectifications(user, action, queryset=None):
    queryset = Rectification.objects.all() if queryset is None else queryset
    scope = scope_for(user, action)
    if scope is None:
        return queryset.none()
    return queryset.filter(unit_scope_q(user, scope))
