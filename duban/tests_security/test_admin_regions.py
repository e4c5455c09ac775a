"""The Django admin keeps staff of one region to their region's rows (issue 19, "Regions that never leak").

Every registered model whose rows belong to a region — by a `region` field or a chain of required foreign
keys to one (duban.core.models.region_path) — has a RegionalAdmin: its list, change pages, list filters and
the choices of its foreign keys (inlines too) are of the staff member's region. The few models that belong
to no region are listed below with the reason, and only superusers change them (SiteWideAdmin).

Then region 2's staff member with every model permission goes through every admin page while region 1 holds
a row of every registered model, each naming "甲区": no list, add page or filter of theirs names it, and
region 1's change pages are out of reach.
"""

import datetime

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.utils import timezone

from duban.accounts.models import Role, TwoFactorDevice, User
from duban.api.models import ApiToken, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from duban.audit.models import Entry
from duban.calendar.models import DeadlineChange, Notice, Override
from duban.conftest import HOME, PASSWORD, make_user
from duban.core.admin import RegionalAdmin, RegionChoices, SiteWideAdmin
from duban.core.models import Notification, Region, RobotChannel, RobotMessage, region_path
from duban.hotline.models import Category, Complaint, PersonalDataAccess
from duban.plans.models import (Area, Campaign, Leader, Measure, MeasureCooperatingUnit, MeasureLeadUnit, Milestone,
                                Plan, Task, Unit, UnitAlias)
from duban.policies.models import Explanation, Material, Payout, Policy, Publication
from duban.progress.models import Contribution, Evidence, ProgressReport, ReportingRound, ReportVersion
from duban.visits.models import Company, Problem, Visit, VisitAssignment

pytestmark = pytest.mark.django_db

# Registered models that belong to no Duban region. Their admins are SiteWideAdmin: staff may look, only
# superusers change them, because a change reaches every region.
NO_REGION = {
    # Permission sets, shared by every region's people (granting them is per user, within the region).
    "auth.Group",
    # The State Council's or a province's holiday notice: its region is a calendar code ("CN", "CN-GX"),
    # not a Duban region, and it sets the deadlines of every region on the site.
    "calendar.Notice",
    # A working-day change for a calendar code and every region below it: shared like the notices.
    "calendar.Override",
}
# Registered models with no foreign key to a region whose admin finds the region another way.
REGION_OTHERWISE = {
    "audit.Entry",  # region_pk, a plain id (the trail outlives rows)
    "calendar.DeadlineChange",  # model + object_id name the row whose deadline moved
    "axes.AccessAttempt", "axes.AccessLog", "axes.AccessFailureLog",  # the username's region
}


def test_region_path_follows_required_foreign_keys():
    assert region_path(Unit) == "region"
    assert region_path(Region) == "pk"
    assert region_path(Task) == "area__plan__region"
    assert region_path(Evidence) == "report__round__plan__region"  # not uploaded_by, which may be empty
    assert region_path(ApiToken) == "user__region"
    assert region_path(WebhookAttempt) == "delivery__endpoint__region"
    assert region_path(Notice) is None


def test_every_registered_model_with_a_region_has_a_region_limiting_admin():
    registry = {model._meta.label: (model, model_admin) for model, model_admin in admin.site._registry.items()}
    assert NO_REGION | REGION_OTHERWISE <= set(registry), "an allowlisted model is no longer registered"
    for label, (model, model_admin) in registry.items():
        if label in NO_REGION:
            assert region_path(model) is None, f"{label} has a path to a region: make its admin a RegionalAdmin"
            assert isinstance(model_admin, SiteWideAdmin), label
            continue
        assert region_path(model) is not None or label in REGION_OTHERWISE, f"{label}: no region, not allowlisted"
        assert isinstance(model_admin, RegionalAdmin), f"{label} is not kept to a region in the admin"
        for inline in model_admin.inlines:
            assert issubclass(inline, RegionChoices), f"{label}'s {inline.__name__} offers every region's choices"


def populate(region, mark):
    """A row of every registered model (and of their inlines) in the region, each naming `mark`."""
    now = timezone.now()
    today = now.date()
    unit = Unit.objects.create(region=region, name=f"{mark}市场监管局")
    UnitAlias.objects.create(region=region, unit=unit, alias=f"{mark}市监局")
    leader = Leader.objects.create(region=region, name=f"{mark}领导")
    clerk = make_user(f"{mark}clerk", Role.OFFICE, unit, email="clerk@example.invalid")
    plan = Plan.objects.create(region=region, year=2026, title=f"{mark}行动方案")
    area = Area.objects.create(plan=plan, kind="forward", name=f"{mark}领域", chief=leader, responsible_unit=unit)
    Campaign.objects.create(area=area, name=f"{mark}专项行动")
    task = Task.objects.create(area=area, text=f"{mark}任务")
    measure = Measure.objects.create(plan=plan, area=area, task=task, text=f"{mark}举措")
    MeasureLeadUnit.objects.create(measure=measure, unit=unit)
    MeasureCooperatingUnit.objects.create(measure=measure, unit=unit)
    Milestone.objects.create(measure=measure, date=today, text=f"{mark}节点")
    TwoFactorDevice.objects.create(user=clerk, name=f"{mark}手机", confirmed=False)
    ApiToken.objects.create(name=f"{mark}脚本", user=clerk, unit=unit, prefix=f"{mark}pre", key_hash=f"{mark}hash")
    endpoint = WebhookEndpoint.objects.create(region=region, name=f"{mark}推送", url="http://127.0.0.1:9/hook")
    delivery = WebhookDelivery.objects.create(endpoint=endpoint, event="report.submitted", payload={},
                                              next_attempt_at=now)
    WebhookAttempt.objects.create(delivery=delivery, at=now, error=f"{mark}超时")
    Notification.objects.create(user=clerk, key=f"{mark}-key", subject=f"{mark}提醒")
    channel = RobotChannel.objects.create(region=region, name=f"{mark}营商办群", kind="wecom",
                                          url="http://127.0.0.1:9/robot", unit=unit)
    RobotMessage.objects.create(channel=channel, key=f"{mark}-robot", text=f"{mark}消息")
    category = Category.objects.create(region=region, name=f"{mark}类别", area=area, leader=leader, default_unit=unit)
    complaint = Complaint.objects.create(region=region, tracking_code=f"{mark}T1", company_name=f"{mark}公司",
                                         contact_name="张三", mobile="13800000000", category=category,
                                         description=f"{mark}诉求", contact_due=now)
    PersonalDataAccess.objects.create(user=clerk, purpose="view", complaint=complaint)
    round_ = ReportingRound.objects.create(plan=plan, title=f"{mark}第一轮", opened_on=today, due_on=today)
    report = ProgressReport.objects.create(round=round_, measure=measure, done_text=f"{mark}进展")
    ReportVersion.objects.create(report=report, number=1, data={}, submitted_at=now, review_comment=f"{mark}意见")
    Evidence.objects.create(report=report, file="evidence/x.pdf", original_name=f"{mark}材料.pdf", kind="pdf",
                            content_type="application/pdf", size=1, sha256="0" * 64)
    Contribution.objects.create(report=report, unit=unit, text=f"{mark}配合")
    policy = Policy.objects.create(region=region, title=f"{mark}贴息办法", level="district", issuer=f"{mark}政府",
                                   issued_on=today, lead_unit=unit, topic=f"{mark}主题")
    material = Material.objects.create(policy=policy, kind="summary", text=f"{mark}解读")
    Publication.objects.create(material=material, channel="website", outlet=f"{mark}网站", published_on=today)
    Explanation.objects.create(region=region, week=today, policy=policy, where=f"{mark}大厅")
    Payout.objects.create(policy=policy, mode="automatic", company_name=f"{mark}企业", amount=1, applied_on=today)
    company = Company.objects.create(region=region, name=f"{mark}青云电子", street=unit)
    VisitAssignment.objects.create(region=region, year=2026, cadre=clerk, company=company)
    visit = Visit.objects.create(region=region, cadre=clerk, company=company, visited_on=today,
                                 people_met=f"{mark}经理")
    Problem.objects.create(region=region, visit=visit, category="permits", description=f"{mark}问题", unit=unit)
    Entry.objects.create(action=Entry.Action.UPDATE, region_pk=region.pk, username=clerk.username,
                         object_repr=f"{mark}记录")
    DeadlineChange.objects.create(model="progress.ReportingRound", object_id=str(round_.pk), field="due_on",
                                  reason=f"{mark}调休")
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        fields = {"username": clerk.username, "user_agent": "test", "http_accept": "*/*", "path_info": "/login/"}
        if model is AccessAttempt:
            fields.update(get_data="", post_data="", failures_since_start=1)
        model.objects.create(**fields)
    return {"unit": unit, "plan": plan, "area": area, "measure": measure, "clerk": clerk, "leader": leader}


@pytest.fixture
def two_regions():
    Region.objects.filter(pk=HOME).update(name="甲区", code="甲区360103")
    neighbour = Region.objects.create(code="360104", name="乙区")
    Override.objects.create(date=datetime.date(2026, 3, 2), kind="holiday", reason="乙区防汛")
    return Region.objects.get(pk=HOME), neighbour


def admin_urls():
    for model, model_admin in admin.site._registry.items():
        meta = model._meta
        yield model, model_admin, f"/admin/{meta.app_label}/{meta.model_name}/"


def test_staff_of_region_2_see_nothing_of_region_1_in_the_admin(two_regions):
    home, neighbour = two_regions
    ours = populate(home, "甲区")
    populate(neighbour, "乙区")
    staff = make_user("乙区staff", Role.OFFICE, region_id=neighbour.pk, is_staff=True)
    staff.user_permissions.set(Permission.objects.all())
    root = User.objects.create_superuser("root", "root@example.invalid", PASSWORD, region=neighbour)
    as_staff, as_root = Client(), Client()
    as_staff.force_login(staff)
    as_root.force_login(root)

    for model, model_admin, url in admin_urls():
        label = model._meta.label
        page = as_staff.get(url)
        assert page.status_code == 200, (label, page.status_code)
        assert "甲区" not in page.content.decode(), f"{label}'s list names region 1's rows or filters"
        if label not in NO_REGION:
            # The proof can fail: the superuser sees region 1's rows in the same list, staff their own.
            assert "甲区" in as_root.get(url).content.decode(), f"{label}: region 1 has no row in the list"
            assert "乙区" in page.content.decode(), f"{label}: staff do not see their own region's rows"
        add = as_staff.get(url + "add/")
        if add.status_code != 403:
            assert add.status_code == 200, (label, add.status_code)
            assert "甲区" not in add.content.decode(), f"{label}'s add form offers region 1's objects"
        if label in NO_REGION:
            continue
        for row in model_admin.get_queryset(type("R", (), {"user": root})()).exclude(
                pk__in=model_admin.get_queryset(type("R", (), {"user": staff})()).values("pk")):
            change = as_staff.get(f"{url}{row.pk}/change/")
            assert change.status_code in (302, 404), (label, row.pk, change.status_code)
            assert "甲区" not in change.content.decode()
        assert model_admin.get_queryset(type("R", (), {"user": staff})()).count() < model._default_manager.count(), label

    # Choosing region 1's objects by their ids (as a crafted form would) fails the form and saves nothing.
    before = RobotChannel.objects.count()
    response = as_staff.post("/admin/core/robotchannel/add/", {
        "name": "乙区新群", "kind": "wecom", "url": "http://127.0.0.1:9/robot2", "unit": ours["unit"].pk,
        "active": "on"})
    assert response.status_code == 200 and "unit" in response.context["adminform"].form.errors
    assert RobotChannel.objects.count() == before
    response = as_staff.post("/admin/plans/task/add/", {"area": ours["area"].pk, "text": "乙区新任务", "position": 0})
    assert response.status_code == 200 and "area" in response.context["adminform"].form.errors
    assert not Task.objects.filter(text="乙区新任务").exists()


def test_staff_of_one_region_cannot_reach_a_superuser_or_make_one(two_regions):
    _home, neighbour = two_regions
    staff = make_user("乙区staff", Role.OFFICE, region_id=neighbour.pk, is_staff=True)
    staff.user_permissions.set(Permission.objects.filter(content_type__app_label="accounts"))
    clerk = make_user("乙区clerk", Role.OFFICE, region_id=neighbour.pk)
    root = User.objects.create_superuser("root", "root@example.invalid", PASSWORD, region=neighbour)
    client = Client()
    client.force_login(staff)
    assert client.get(f"/admin/accounts/user/{root.pk}/change/").status_code in (302, 404)
    form = client.get(f"/admin/accounts/user/{clerk.pk}/change/").content.decode()
    assert 'name="is_superuser"' not in form and 'name="is_staff"' in form


def test_shared_models_are_looked_at_by_staff_and_changed_by_superusers(two_regions):
    _home, neighbour = two_regions
    staff = make_user("乙区staff", Role.OFFICE, region_id=neighbour.pk, is_staff=True)
    staff.user_permissions.set(Permission.objects.all())
    group = Group.objects.create(name="填报员")
    client = Client()
    client.force_login(staff)
    assert client.get("/admin/auth/group/").status_code == 200
    assert client.get("/admin/auth/group/add/").status_code == 403
    client.post(f"/admin/auth/group/{group.pk}/change/", {"name": "改名"})
    assert Group.objects.get(pk=group.pk).name == "填报员"
    notice = Notice.objects.first()
    client.post(f"/admin/calendar/notice/{notice.pk}/delete/", {"post": "yes"})
    assert Notice.objects.filter(pk=notice.pk).exists()


def test_staff_name_their_regions_office_but_not_the_region(two_regions):
    _home, neighbour = two_regions
    staff = make_user("乙区staff", Role.OFFICE, region_id=neighbour.pk, is_staff=True)
    staff.user_permissions.set(Permission.objects.filter(content_type__app_label="core"))
    client = Client()
    client.force_login(staff)
    url = f"/admin/core/region/{neighbour.pk}/change/"
    form = client.get(url).content.decode()
    assert 'name="office_short"' in form and 'name="name"' not in form and 'name="code"' not in form
    response = client.post(url, {"code": "999999", "name": "改名区", "office_name": "乙区优化营商环境工作领导小组办公室",
                                 "office_short": "乙区营商办"})
    assert response.status_code == 302
    region = Region.objects.get(pk=neighbour.pk)
    assert (region.code, region.name, region.office_short) == ("360104", "乙区", "乙区营商办")
