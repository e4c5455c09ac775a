"""A region is never a default (issue 19, point 1): a row saved without one fails loudly instead of landing
in region 1; the one fallback is a one-region site's first set-up (Region.objects.sole())."""

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from duban.accounts.models import Role, User
from duban.conftest import HOME
from duban.core.models import Region, RobotChannel
from duban.plans.models import Leader, Plan, Unit

pytestmark = pytest.mark.django_db


def region_fields():
    """Every foreign key to Region in Duban's models."""
    return [(model, field) for model in apps.get_models() if model.__module__.startswith("duban.")
            for field in model._meta.concrete_fields if field.is_relation and field.related_model is Region]


def test_no_region_field_has_a_default():
    fields = region_fields()
    assert len(fields) >= 15  # users, units, leaders, plans, complaints, categories, visits, policies …
    defaulted = [f"{model._meta.label}.{field.name}" for model, field in fields if field.has_default()]
    assert defaulted == []
    nullable = [f"{model._meta.label}.{field.name}" for model, field in fields if field.null]
    assert nullable == []


@pytest.mark.parametrize("make", [
    lambda: Unit.objects.create(name="区数据局"),
    lambda: Leader.objects.create(name="万勇"),
    lambda: Plan.objects.create(year=2026, title="行动方案", document_number="测办发〔2026〕7号"),
    lambda: User.objects.create_user("clerk", password="x-long-password", role=Role.OFFICE),
    lambda: RobotChannel.objects.create(name="营商办群", kind="wecom", url="http://127.0.0.1:9/robot"),
    lambda: Unit.objects.bulk_create([Unit(name="区数据局")]),
], ids=["unit", "leader", "plan", "user", "robot", "bulk"])
def test_a_row_saved_without_a_region_fails_instead_of_landing_in_region_1(make):
    Region.objects.create(code="360104", name="邻区")
    before = {model: model.objects.count() for model in (Unit, Leader, Plan, User, RobotChannel)}
    with pytest.raises(IntegrityError, match="region"), transaction.atomic():
        make()
    assert {model: model.objects.count() for model in before} == before
    # Given explicitly, the same row is saved in the region named.
    assert Unit.objects.create(name="区数据局", region_id=HOME).region_id == HOME


def test_createsuperuser_takes_a_one_region_sites_only_region_and_refuses_on_several(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a-long-enough-password")
    call_command("createsuperuser", "--no-input", "--username", "root", "--email", "root@example.invalid")
    assert User.objects.get(username="root").region_id == HOME
    Region.objects.create(code="360104", name="邻区")
    with pytest.raises(CommandError, match="several regions"):
        call_command("createsuperuser", "--no-input", "--username", "root2", "--email", "root2@example.invalid")
    assert not User.objects.filter(username="root2").exists()


def test_the_admin_of_visits_and_policies_keeps_staff_within_their_region(client):
    from django.contrib.auth.models import Permission

    from duban.policies.models import Policy
    from duban.visits.models import Company

    neighbour = Region.objects.create(code="360104", name="邻区")
    staff = User.objects.create_user("clerk", password="a-long-enough-password", role=Role.ADMIN, is_staff=True,
                                     region_id=HOME)
    staff.user_permissions.set(Permission.objects.filter(content_type__app_label__in=["visits", "policies"]))
    Company.objects.create(region_id=HOME, name="本区青云电子科技有限公司")
    Company.objects.create(region=neighbour, name="邻区赣江食品有限公司")
    unit = Unit.objects.create(region=neighbour, name="邻区市场监管局")
    Policy.objects.create(region=neighbour, title="邻区贴息办法", level=Policy.Level.DISTRICT, issuer="邻区人民政府",
                          issued_on="2026-03-01", lead_unit=unit)
    client.force_login(staff)
    companies = client.get("/admin/visits/company/").content.decode()
    assert "本区青云电子科技有限公司" in companies and "邻区赣江食品有限公司" not in companies
    assert "邻区贴息办法" not in client.get("/admin/policies/policy/").content.decode()
    form = client.get("/admin/visits/company/add/").content.decode()
    assert 'name="region"' not in form
    response = client.post("/admin/visits/company/add/", {"name": "本区洪城物流有限公司", "company_type": "小微企业"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Company.objects.get(name="本区洪城物流有限公司").region_id == HOME
