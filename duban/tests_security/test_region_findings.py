"""The nine findings of the second-region probe (issue 19), one test or more each.

Two regions on one site: the default region (the test cast of duban/conftest.py) and 青山湖区,
whose unit directory has the same names. Region 2's people act; region 1 must not notice.
"""

import pytest
from django.test import Client

from duban.accounts.models import Role, User
from duban.api.models import ApiToken
from duban.core.models import DEFAULT_REGION_PK, Notification, Region
from duban.hotline import review_import
from duban.hotline.models import Rectification, Review, ReviewImport
from duban.plans.models import Unit
from duban.plans.units import UnitResolver
from duban.conftest import HOME

pytestmark = pytest.mark.django_db

REVIEWS = ("评价编号,评价时间,评价部门,事项名称,评价等级,评价人,联系电话\n"
           "HC-1,2026-09-28 10:15,区市场监管局,营业执照变更,不满意,钱七,13900001111\n").encode()


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def quick_user(username, role, region, unit=None):
    user = User(username=username, role=role, region=region, unit=unit)
    user.set_unusable_password()
    user.save()
    return user


@pytest.fixture
def neighbour(db, units, office, scjg_reporter, settings):
    settings.DUBAN_TODAY = "2026-09-30T10:00"
    region = Region.objects.create(code="360111", name="青山湖区")
    made = {name: Unit.objects.create(region=region, name=name) for name in ("区市场监管局", "区营商环境服务中心")}
    return {
        "region": region,
        "units": made,
        "office": quick_user("qsh-office", Role.OFFICE, region, made["区营商环境服务中心"]),
        "reporter": quick_user("qsh-reporter", Role.REPORTER, region, made["区市场监管局"]),
    }


# 1. Review imports write into the importer's region, and another region's references stay unknown.

def test_a_unit_resolver_is_never_without_a_region(db):
    with pytest.raises(TypeError):
        UnitResolver()  # noqa — the region is a required argument
    with pytest.raises(ValueError):
        UnitResolver(None)


def test_a_regions_review_import_reaches_its_own_units_only(neighbour, units, scjg_reporter):
    Review.objects.create(unit=units["scjg"], matter="发票申领", level=5, external_ref="HC-1",
                          reviewed_at="2026-09-01T10:00+08:00")
    batch = review_import.import_file(REVIEWS, "reviews.csv", neighbour["office"])
    assert batch.state == ReviewImport.State.IMPORTED, batch.errors  # HC-1 of region 1 is not "already imported"
    review = Review.objects.get(external_ref="HC-1", unit__region=neighbour["region"])
    assert review.unit == neighbour["units"]["区市场监管局"]
    assert Rectification.objects.get().review == review
    assert not Notification.objects.filter(user__region=DEFAULT_REGION_PK).exists()


def test_the_api_bulk_import_writes_into_the_tokens_region(neighbour, units, client):
    Review.objects.create(unit=units["scjg"], matter="发票申领", level=5, external_ref="HC-1",
                          reviewed_at="2026-09-01T10:00+08:00")
    _token, key = ApiToken.issue(name="好差评", user=neighbour["office"], read_only=False)
    body = [{"reference": "HC-1", "unit": "区市场监管局", "matter": "营业执照变更", "level": 2,
             "reviewed_at": "2026-09-28T10:15:00+08:00", "reviewer_name": "钱七", "reviewer_mobile": "13900001111"}]
    response = client.post("/api/v1/reviews/bulk", body, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.json() == {"created": 1, "already_known": 0}
    assert Review.objects.get(external_ref="HC-1", unit__region=neighbour["region"]).reviewer_name == "钱七"
    assert not Notification.objects.filter(user__region=DEFAULT_REGION_PK).exists()


def test_a_review_import_naming_only_another_regions_unit_finds_none(neighbour, units):
    Unit.objects.create(region_id=HOME, name="区发改委")  # region 1's only
    content = REVIEWS.replace("区市场监管局".encode(), "区发改委".encode())
    batch = review_import.import_file(content, "reviews.csv", neighbour["office"])
    assert batch.state == ReviewImport.State.REFUSED
    assert not Review.objects.exists()


def test_a_site_with_several_regions_names_the_region_of_a_command(neighbour, tmp_path):
    from django.core.management import CommandError, call_command

    path = tmp_path / "units.csv"
    path.write_text("name,kind\n区卫健委,department\n", encoding="utf-8")
    with pytest.raises(CommandError, match="several regions"):
        call_command("import_units", str(path))
    call_command("import_units", "--region", "360111", str(path))
    assert Unit.objects.get(name="区卫健委").region == neighbour["region"]


# 2. /api/tokens/ lists the region's tokens only.

def test_the_token_page_lists_the_regions_tokens_only(neighbour, office, admin_user):
    ApiToken.issue(name="西湖12345平台", user=office)
    ApiToken.issue(name="青山湖好差评", user=neighbour["office"])
    html = client_for(neighbour["office"]).get("/api/tokens/").content.decode()
    assert "青山湖好差评" in html and "西湖12345平台" not in html
    html = client_for(office).get("/api/tokens/").content.decode()
    assert "西湖12345平台" in html and "青山湖好差评" not in html
    html = client_for(admin_user).get("/api/tokens/").content.decode()
    assert "西湖12345平台" in html and "青山湖好差评" in html


# 3. The review import's recent batches are the region's.

def test_recent_review_imports_are_the_regions_own(neighbour, office):
    review_import.import_file(REVIEWS, "西湖评价.csv", office, dry_run=True)
    review_import.import_file(REVIEWS, "青山湖评价.csv", neighbour["office"], dry_run=True)
    html = client_for(neighbour["office"]).get("/hotline/reviews/import/").content.decode()
    assert "青山湖评价.csv" in html and "西湖评价.csv" not in html


def test_a_file_imported_by_another_region_is_not_called_already_imported(neighbour, office, units):
    assert review_import.import_file(REVIEWS, "a.csv", office).state == ReviewImport.State.IMPORTED
    batch = review_import.import_file(REVIEWS, "a.csv", neighbour["office"])
    assert batch.state == ReviewImport.State.IMPORTED, batch.errors


# 4. /kpi/import/: another region's metric is "not a metric"; the permission check comes before any name.

def kpi_xlsx(*rows):
    import io

    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["指标编号", "指标", "期间", "数值", "说明"])
    for row in rows:
        book.active.append(list(row))
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "values.xlsx"
    return out


@pytest.fixture
def foreign_metric(units):
    from duban.kpi.tests import factories as kpi
    from duban.plans.tests import factories

    plan = factories.plan(year=2026)
    return kpi.metric(factories.area(plan, "开办企业"), name="西湖企业开办时间", owner=units["scjg"])


@pytest.mark.parametrize("given_name", ["西湖企业开办时间", "随便写的名字"])
def test_a_kpi_import_never_names_another_regions_metric(neighbour, foreign_metric, given_name):
    for user in (neighbour["office"], neighbour["reporter"]):
        response = client_for(user).post("/kpi/import/", {
            "file": kpi_xlsx((foreign_metric.pk, given_name, "2026Q3", "0.5", "")), "dry_run": "on"})
        html = response.content.decode()
        assert response.status_code == 400
        assert f"Metric {foreign_metric.pk}: not found." in html
        assert "it belongs to" not in html and "not shifted" not in html
        if given_name != foreign_metric.name:
            assert foreign_metric.name not in html


def test_a_kpi_import_checks_permission_before_comparing_names(foreign_metric, tax_reporter):
    html = client_for(tax_reporter).post("/kpi/import/", {
        "file": kpi_xlsx((foreign_metric.pk, "别的指标", "2026Q3", "0.5", "")), "dry_run": "on"}).content.decode()
    assert "you may not report values for metric" in html
    assert "check that the row is not shifted" not in html


# 5. Complaint categories belong to a region; region 2's overdue complaints reach region 2's people only.

def test_a_new_region_gets_its_own_categories(neighbour):
    from duban.hotline.models import Category

    names = set(Category.objects.filter(region=neighbour["region"]).values_list("name", flat=True))
    assert "拖欠中小企业账款" in names
    assert names == set(Category.objects.filter(region=DEFAULT_REGION_PK).values_list("name", flat=True))


def test_region_2s_overdue_complaint_never_reaches_region_1s_leader(neighbour, leader_user, client, settings):
    import datetime

    from django.utils import timezone

    from duban.hotline import escalation
    from duban.hotline.models import Category, Complaint
    from duban.plans.tests import factories

    area = factories.area(factories.plan(year=2026), "涉企账款清欠", chief="胡海")  # region 1's leader
    Category.objects.filter(region=DEFAULT_REGION_PK, name="拖欠中小企业账款").update(area=area)
    _token, key = ApiToken.issue(name="12345", user=neighbour["office"], read_only=False)
    response = client.post("/api/v1/complaints", {
        "reference": "12345-1", "company_name": "南昌青山科技有限公司", "contact_name": "李四",
        "mobile": "13912345678", "category": "拖欠中小企业账款", "description": "拖欠货款。"},
        content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 201, response.content
    complaint = Complaint.objects.get(external_ref="12345-1")
    assert complaint.region == neighbour["region"] and complaint.category.region == neighbour["region"]
    escalation.escalate(timezone.now() + datetime.timedelta(days=30))
    assert Notification.objects.filter(user=neighbour["office"]).exists()
    assert not Notification.objects.filter(user__region=DEFAULT_REGION_PK).exists()


def test_forms_offer_the_receiving_regions_categories_only(neighbour, client):
    from duban.hotline.models import Category

    mine = Category.objects.get(region=neighbour["region"], name="纳税服务")
    theirs = Category.objects.get(region=DEFAULT_REGION_PK, name="纳税服务")
    public = client.get("/hotline/public/complain/?region=360111").content.decode()
    office = client_for(neighbour["office"]).get("/hotline/new/").content.decode()
    for html in (public, office):
        assert f'value="{mine.pk}"' in html and f'value="{theirs.pk}"' not in html


def test_a_complaint_is_never_filed_under_another_regions_category(neighbour):
    from duban.hotline import flow
    from duban.hotline.models import Category

    with pytest.raises(ValueError):
        flow.receive(category=Category.objects.get(region=DEFAULT_REGION_PK, name="纳税服务"), company_name="某公司",
                     contact_name="李四", mobile="13912345678", description="…", recorded_by=neighbour["office"])


def test_the_migration_gives_each_category_its_current_region(neighbour, office):
    """hotline 0008: a shared category goes to its area's region; region 2's complaints under it get their own."""
    import importlib

    from django.apps import apps

    from duban.hotline import flow
    from duban.hotline.models import Category
    from duban.plans.tests import factories

    migration = importlib.import_module("duban.hotline.migrations.0008_category_region")
    shared = Category.objects.get(region=DEFAULT_REGION_PK, name="融资信贷")
    # As before the migration: one category shared by both regions, tied to region 2's area.
    Category.objects.filter(region=neighbour["region"], name="融资信贷").delete()
    plan2 = factories.plan(year=2026, region=neighbour["region"])
    area2 = factories.area(plan2, "融资")
    Category.objects.filter(pk=shared.pk).update(area=area2)
    complaint1 = flow.receive(category=shared, company_name="甲", contact_name="王", mobile="13812345678",
                              description="…", recorded_by=office)
    migration.forward(apps, None)
    shared.refresh_from_db()
    complaint1.refresh_from_db()
    assert shared.region == neighbour["region"]
    assert complaint1.category.region_id == DEFAULT_REGION_PK and complaint1.category.name == "融资信贷"


# 6. Failed log-ins and lockouts go to the trail of the account's region (none for an unknown account).

def test_failed_log_ins_and_lockouts_go_to_the_accounts_region(neighbour, client, settings):
    from duban.audit.models import Entry

    user = neighbour["reporter"]
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/login/", {"username": user.username, "password": "wrong"}, REMOTE_ADDR="10.0.0.5")
    client.post("/login/", {"username": "nobody-at-all", "password": "wrong"}, REMOTE_ADDR="10.0.0.6")
    failed = Entry.objects.filter(action__in=["login_failed", "locked_out"], detail=f"username: {user.username}")
    assert {entry.action for entry in failed} == {"login_failed", "locked_out"}
    assert set(failed.values_list("region_pk", flat=True)) == {neighbour["region"].pk}
    assert Entry.objects.get(detail="username: nobody-at-all").region_pk is None
    assert not Entry.objects.filter(region_pk=DEFAULT_REGION_PK, action__in=["login_failed", "locked_out"]).exists()
