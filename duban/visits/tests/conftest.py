"""Fixtures for the visits tests: a cadre of 区发改委, a company assigned to him, a policy, a clock.

The rest of the cast comes from duban/conftest.py: `office`, `scjg_reporter` and `scjg_head`
(区市场监管局, the unit problems are routed to here), `tax_reporter` (an outsider to them).
"""

import datetime

import pytest
from django.test import Client

from duban.accounts.models import Role
from duban.calendar import workdays
from duban.conftest import HOME, make_user
from duban.hotline.tests.conftest import clock_at, moment  # noqa: F401 — the hotline's clock fixture, shared
from duban.plans.models import Unit
from duban.policies.models import Policy
from duban.visits import services
from duban.visits.models import Company, Problem, VisitAssignment


@pytest.fixture(autouse=True)
def fresh_engine():
    workdays.clear_cache()
    yield
    workdays.clear_cache()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def street(db):
    return Unit.objects.get_or_create(region_id=HOME, name="南浦街道", defaults={"kind": Unit.Kind.STREET})[0]


@pytest.fixture
def fgw(db):
    return Unit.objects.get_or_create(region_id=HOME, name="区发改委")[0]


@pytest.fixture
def cadre(fgw):
    return make_user("cadre", Role.CADRE, fgw, first_name="李干部")


@pytest.fixture
def other_cadre(fgw):
    return make_user("cadre2", Role.CADRE, fgw, first_name="王干部")


@pytest.fixture
def company(street, cadre):
    company = Company.objects.create(region_id=HOME, name="南昌市青云电子科技有限公司", street=street, company_type="小微企业")
    VisitAssignment.objects.create(region_id=HOME, year=2026, cadre=cadre, company=company)
    return company


@pytest.fixture
def policy(units):
    return Policy.objects.create(region_id=HOME, title="小微企业融资贴息办法", level=Policy.Level.DISTRICT, issuer="西湖区人民政府",
                                 issued_on=datetime.date(2026, 3, 1), lead_unit=units["scjg"], topic="融资",
                                 company_types="小微企业")


@pytest.fixture
def record(cadre, company, policy, units):
    """record(at=…, problems=[(unit key or Unit, solved_on_spot, difficulty)…]) → the visit."""

    def make(at="2026-09-30T17:45", problems=(("scjg", False, "general"),), by=None, to=None):
        items = [services.ProblemInput(category=Problem.Category.PERMITS, description=f"问题{n}：许可变更等了两周。",
                                       unit=units[u] if isinstance(u, str) else u, solved_on_spot=spot,
                                       difficulty=difficulty)
                 for n, (u, spot, difficulty) in enumerate(problems, start=1)]
        when = moment(at)
        return services.record_visit(cadre=by or cadre, company=to or company, visited_on=when.date(),
                                     people_met="张总（总经理）", policies=[policy], problems=items, at=when)

    return make


def client_for(user):
    client = Client()
    client.force_login(user)
    return client
