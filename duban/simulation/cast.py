"""The people who act in a simulated year: the office, and each unit's reporter and head.

Accounts that already exist are used: after `duban demo`, the 区市场监管局
reporter `scjg` writes that unit's reports and `office` reviews them. The
others are created with an unusable password, so nobody can log in as them.
"""

from __future__ import annotations

from django.contrib.auth.hashers import make_password

from duban.accounts.models import Role, User
from duban.core import clock

from . import names
from .randomness import rng

OFFICE_UNIT_SUFFIX = "营商环境服务中心"


class Cast:
    def __init__(self, plan, units, seed):
        self.units = {u.pk: u for u in units}
        office_unit = next((u for u in units if u.name.endswith(OFFICE_UNIT_SUFFIX)), None)
        existing = {}
        for user in User.objects.filter(is_active=True, role__in=[Role.REPORTER, Role.UNIT_HEAD, Role.OFFICE]) \
                .filter(unit__in=list(self.units)).order_by("username"):
            existing.setdefault((user.unit_id, user.role), user)
        new = []

        def account(unit, role, username):
            user = existing.get((unit.pk if unit else None, role))
            if user is None:
                generator = rng(seed, "staff", unit.name if unit else plan.title, role)
                # date_joined's default is bound to the wall clock; the simulated moment is when they joined.
                user = User(username=username, first_name=names.person(generator), role=role, unit=unit,
                            region_id=plan.region_id,
                            password=make_password(None), date_joined=clock.now())
                new.append(user)
            return user

        self.office = account(office_unit, Role.OFFICE, f"sim-office-p{plan.pk}")
        self.reporters, self.heads = {}, {}
        for unit in units:
            self.reporters[unit.pk] = account(unit, Role.REPORTER, f"sim-u{unit.pk}-reporter")
            self.heads[unit.pk] = account(unit, Role.UNIT_HEAD, f"sim-u{unit.pk}-head")
        User.objects.bulk_create(new)

    def reporter(self, unit_id):
        return self.reporters[unit_id]

    def head(self, unit_id):
        return self.heads[unit_id]
