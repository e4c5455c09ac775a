"""Who is told: the office, a unit's staff and head, the leader of an area."""

from duban.accounts import models as accounts
from duban.accounts.models import Role, User


def active():
    return User.objects.filter(is_active=True)


def office_staff(region_id):
    return list(accounts.office_staff(region_id))


def unit_staff(unit):
    """The people who handle a unit's complaints and rectifications."""
    if unit is None:
        return []
    return list(active().filter(unit=unit, role__in=[Role.REPORTER, Role.UNIT_HEAD]))


def unit_heads(unit):
    if unit is None:
        return []
    return list(active().filter(unit=unit, role=Role.UNIT_HEAD))


def leader_users(leader_id):
    if not leader_id:
        return []
    return list(active().filter(leader_id=leader_id, role=Role.LEADER))
