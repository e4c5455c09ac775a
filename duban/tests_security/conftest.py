"""The matrix test's cast and world: every role, and a small plan that puts each in or out of scope.

Users get unusable passwords: hashing a password with Argon2 costs ~0.1 s, and
these tests log in with force_login.
"""

from types import SimpleNamespace

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from duban.accounts.models import Role, User
from duban.audit.models import Entry
from duban.plans.models import Area, Leader, Measure, MeasureCooperatingUnit, MeasureLeadUnit, Milestone, Plan, Unit

ROLES = ["anonymous", "office", "scjg_reporter", "scjg_head", "tax_reporter", "leader_user", "cooperator", "admin_user"]


def quick_user(username, role, unit=None, leader=None, **extra):
    user = User(username=username, role=role, unit=unit, leader=leader, **extra)
    user.set_unusable_password()
    user.save()
    return user


@pytest.fixture
def world(db):
    units = {
        "scjg": Unit.objects.get_or_create(name="区市场监管局")[0],
        "tax": Unit.objects.get_or_create(name="区税务局", defaults={"kind": Unit.Kind.BRANCH})[0],
        "office": Unit.objects.get_or_create(name="区营商环境服务中心")[0],
        "fgw": Unit.objects.get_or_create(name="区发改委")[0],
    }
    hu = Leader.objects.get_or_create(name="胡海")[0]
    plan = Plan.objects.create(year=2026, title="测试区2026年营商环境优化升级行动方案", document_number="测办发〔2026〕1号")
    credit = Area.objects.create(plan=plan, kind=Area.Kind.INDICATOR, name="获得信贷", chief=hu, position=1)
    tax_area = Area.objects.create(plan=plan, kind=Area.Kind.INDICATOR, name="纳税", position=2)
    scjg_measure = Measure.objects.create(plan=plan, area=credit, annex=1, number=1, text="推行企业开办全程网办", position=1)
    MeasureLeadUnit.objects.create(measure=scjg_measure, unit=units["scjg"])
    MeasureCooperatingUnit.objects.create(measure=scjg_measure, unit=units["fgw"])
    tax_measure = Measure.objects.create(plan=plan, area=tax_area, annex=1, number=2, text="压缩办税时间", position=2)
    MeasureLeadUnit.objects.create(measure=tax_measure, unit=units["tax"])
    Milestone.objects.create(measure=scjg_measure, date="2026-07-31", text="印发通知")
    cast = {
        "anonymous": None,
        "office": quick_user("office", Role.OFFICE, units["office"]),
        "scjg_reporter": quick_user("scjg_reporter", Role.REPORTER, units["scjg"]),
        "scjg_head": quick_user("scjg_head", Role.UNIT_HEAD, units["scjg"]),
        "tax_reporter": quick_user("tax_reporter", Role.REPORTER, units["tax"]),
        "leader_user": quick_user("leader", Role.LEADER, leader=hu),
        "cooperator": quick_user("cooperator", Role.COOPERATOR, units["fgw"]),
        "admin_user": quick_user("admin", Role.ADMIN, is_staff=True, is_superuser=True),
    }
    # An unconfirmed device: the admin's TOTP pages need one; it asks no token at log-in.
    TOTPDevice.objects.create(user=cast["office"], name="phone", confirmed=False)
    return SimpleNamespace(
        units=units, leader=hu, plan=plan, credit_area=credit, tax_area=tax_area,
        scjg_measure=scjg_measure, tax_measure=tax_measure, cast=cast,
        audit_entry=Entry.objects.filter(model="plans.plan", object_id=str(plan.pk)).first(),
        url=None, path=None,
    )
