"""Who may do what with the policy library (registered in duban.accounts.permissions).

- Everyone signed in reads the library (cadres deliver its policies on visits).
- The office keeps it: policies, materials and their publications, the weekly explanation, payouts;
  a lead unit's reporter and head keep the materials, publications and payouts of its own policies.
- The publication table and the payout figures: the office and leaders for the region, units for their own.
"""

from django.db.models import Q

from duban.accounts.models import Role
from duban.accounts.permissions import ALL, EVERYONE, OFFICE, OWN_UNIT, register
from duban.core.models import sees_every_region

UNIT = {Role.REPORTER: OWN_UNIT, Role.UNIT_HEAD: OWN_UNIT}

RULES = {
    "policies.view": EVERYONE,
    "policies.manage": OFFICE,
    "policies.materials": {**OFFICE, **UNIT},
    "policies.publication": {**OFFICE, Role.LEADER: ALL, **UNIT},
    "policies.schedule": OFFICE,
    "policies.payouts": {**OFFICE, Role.LEADER: ALL, **UNIT},
}

for action, roles in RULES.items():
    register(action, roles)


def policy_scope_q(user, scope, prefix=""):
    region = Q() if sees_every_region(user) else Q(**{f"{prefix}region": user.region_id})
    if scope == ALL:
        return region
    if scope == OWN_UNIT and user.unit_id:
        return region & Q(**{f"{prefix}lead_unit": user.unit_id})
    return Q(pk__in=[])
