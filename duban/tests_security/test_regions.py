"""Two districts on one site: each region's data stays its own.

The same Xihu plan is imported into the default region and into a neighbour
region (same unit names, same document number: allowed, since uniqueness is per
region). Each office then reads its pages, lists and API, and never meets the
other's plan, units, complaints or audit entries; a superuser sees both. The
per-URL 404s for another region's objects are in test_url_matrix.py
(the neighbour_office role).
"""

import re

import pytest
from django.db import IntegrityError, transaction
from django.test import Client

from duban.accounts.models import Role, User
from duban.api.models import ApiToken
from duban.core.models import DEFAULT_REGION_PK, Region
from duban.hotline import flow
from duban.hotline.models import Category, Complaint
from duban.plans.importers.base import PlanImportError
from duban.plans.models import Leader, Measure, Plan, Unit, UnitAlias
from duban.plans.services import import_plan_file
from duban.plans.tests.conftest import SEED, UNITS
from duban.plans.units import import_unit_directory, merge_units
from duban.conftest import HOME


@pytest.fixture
def districts(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    home = Region.objects.get(pk=DEFAULT_REGION_PK)
    neighbour = Region.objects.create(code="360104", name="青山湖区")
    plans = {}
    for region in (home, neighbour):
        import_unit_directory(UNITS.read_text(encoding="utf-8"), region_id=region.pk)
        plans[region.pk] = Plan.objects.get(pk=import_plan_file(SEED, keep_source=False, region_id=region.pk)["plan"])
    neighbour_plan = plans[neighbour.pk]
    neighbour_plan.title = "南昌市青山湖区2023年营商环境优化升级行动方案"
    neighbour_plan.save()
    offices = {
        region.pk: User.objects.create(username=f"office-{region.code}", role=Role.OFFICE, region=region,
                                       unit=Unit.objects.get(region=region, name="区营商环境服务中心"))
        for region in (home, neighbour)
    }
    complaints = {
        pk: flow.receive(category=Category.objects.get(region=pk, name="拖欠中小企业账款"), company_name=f"南昌{pk}号科技有限公司", contact_name="王小明",
                         mobile="13812345678", description="拖欠货款。", recorded_by=office)
        for pk, office in offices.items()
    }
    return home, neighbour, plans, offices, complaints


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_same_plan_and_unit_names_live_in_two_regions(districts):
    home, neighbour, plans, _offices, _complaints = districts
    assert Unit.objects.filter(name="区市场监管局").count() == 2
    assert Leader.objects.filter(name="胡海").count() == 2
    for region in (home, neighbour):
        led = Measure.objects.filter(plan=plans[region.pk], lead_units__name="区市场监管局")
        assert led.exists() and not led.exclude(lead_units__region=region).exists()
    assert plans[home.pk].document_number == plans[neighbour.pk].document_number


def test_the_database_keeps_names_unique_within_a_region(districts):
    home, neighbour, plans, _offices, _complaints = districts
    with pytest.raises(IntegrityError), transaction.atomic():
        Unit.objects.create(region=home, name="区市场监管局")
    with pytest.raises(IntegrityError), transaction.atomic():
        Plan.objects.create(region=neighbour, year=2023, title="另一个方案", document_number=plans[home.pk].document_number)
    with pytest.raises(IntegrityError), transaction.atomic():
        UnitAlias.objects.create(unit=Unit.objects.get(region=home, name="区市场监管局"), alias="区人民法院")
    # The same alias in the other region is that region's business.
    UnitAlias.objects.create(unit=Unit.objects.get(region=neighbour, name="区市场监管局"), alias="市场局")
    UnitAlias.objects.create(unit=Unit.objects.get(region=home, name="区市场监管局"), alias="市场局")


def test_importing_a_plan_twice_into_one_region_is_refused(districts):
    _home, neighbour, _plans, _offices, _complaints = districts
    with pytest.raises(PlanImportError, match="already imported"):
        import_plan_file(SEED, keep_source=False, region_id=neighbour.pk)


def test_units_of_two_regions_are_not_merged(districts):
    home, neighbour, _plans, _offices, _complaints = districts
    with pytest.raises(ValueError, match="different regions"):
        merge_units(Unit.objects.get(region=home, name="区法院"), [Unit.objects.get(region=neighbour, name="区法院")])


PAGES = ["/plans/", "/plans/measures/", "/plans/units/", "/hotline/", "/hotline/stats/", "/calendar/lights/",
         "/calendar/due/overdue/", "/supervision/meetings/", "/hotline/reviews/", "/progress/matrix/", "/kpi/", "/supervision/", "/supervision/leaders/"]


def links_to(html, kind):
    return set(re.findall(rf'href="/{kind}/(\d+)/', html))


@pytest.mark.parametrize("url", PAGES)
def test_each_office_reads_only_its_region(districts, url):
    home, neighbour, plans, offices, complaints = districts
    for mine, theirs in ((home, neighbour), (neighbour, home)):
        response = client_for(offices[mine.pk]).get(url, follow=True)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert plans[theirs.pk].title not in html
        assert complaints[theirs.pk].formatted_code not in html
        foreign_units = {str(pk) for pk in Unit.objects.filter(region=theirs).values_list("pk", flat=True)}
        assert not links_to(html, "plans/units") & foreign_units, url
        foreign_measures = {str(pk) for pk in Measure.objects.filter(plan__region=theirs).values_list("pk", flat=True)}
        assert not links_to(html, "plans/measures") & foreign_measures, url


def test_each_office_reaches_its_own_objects_and_not_the_others(districts):
    home, neighbour, plans, offices, complaints = districts
    client = client_for(offices[neighbour.pk])
    assert client.get(f"/plans/{plans[neighbour.pk].pk}/").status_code == 200
    assert client.get(f"/plans/{plans[home.pk].pk}/").status_code == 404
    assert client.get(complaints[neighbour.pk].get_absolute_url()).status_code == 200
    assert client.get(complaints[home.pk].get_absolute_url()).status_code == 404
    assert client.get(f"/progress/matrix/?plan={plans[home.pk].pk}").content.decode().count(plans[home.pk].title) == 0


def test_the_audit_trail_of_a_region_is_read_by_its_office(districts):
    from duban.audit.models import Entry

    home, neighbour, plans, offices, _complaints = districts
    entries = {pk: Entry.objects.get(model="plans.plan", object_id=str(plan.pk), action="create")
               for pk, plan in plans.items()}
    assert {entry.region_pk for entry in entries.values()} == {home.pk, neighbour.pk}
    client = client_for(offices[neighbour.pk])
    assert client.get(f"/audit/{entries[neighbour.pk].pk}/").status_code == 200
    assert client.get(f"/audit/{entries[home.pk].pk}/").status_code == 404
    listed = set(re.findall(r'href="/audit/(\d+)/', client.get("/audit/?model=plans.plan").content.decode()))
    assert str(entries[neighbour.pk].pk) in listed and str(entries[home.pk].pk) not in listed
    # What the import command wrote into the neighbour's plan (no user to take a region from) is the neighbour's.
    measures = Entry.objects.filter(model="plans.measure", action="create")
    assert set(measures.values_list("region_pk", flat=True)) == {home.pk, neighbour.pk}


def test_a_superuser_sees_every_region(districts):
    _home, _neighbour, plans, _offices, complaints = districts
    admin = User.objects.create(region_id=HOME, username="province", role=Role.ADMIN, is_superuser=True, is_staff=True)
    html = client_for(admin).get("/plans/").content.decode()
    assert all(plan.title in html for plan in plans.values())
    html = client_for(admin).get("/hotline/").content.decode()
    assert all(complaint.formatted_code in html for complaint in complaints.values())


def test_the_api_answers_within_the_token_users_region(districts):
    home, neighbour, plans, offices, complaints = districts
    key = ApiToken.issue(name="neighbour", user=offices[neighbour.pk], created_by=offices[neighbour.pk])[1]
    headers = {"Authorization": f"Bearer {key}"}
    client = Client()
    listed = client.get("/api/v1/plans", headers=headers).json()
    assert [p["id"] for p in listed] == [plans[neighbour.pk].pk]
    assert client.get(f"/api/v1/plans/{plans[home.pk].pk}", headers=headers).status_code == 404
    measures = client.get(f"/api/v1/measures?plan={plans[home.pk].pk}", headers=headers).json()
    assert measures["count"] == 0
    found = client.get("/api/v1/complaints", headers=headers).json()
    codes = {item["tracking_code"] for item in found["items"]}
    assert complaints[home.pk].tracking_code not in codes and complaints[neighbour.pk].tracking_code in codes


def test_the_public_form_files_with_the_region_it_was_opened_for(districts, client):
    _home, neighbour, _plans, _offices, _complaints = districts
    page = client.get("/hotline/public/complain/?region=360104").content.decode()
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    assert 'name="region" value="360104"' in page
    data = {"company_name": "南昌青山科技有限公司", "credit_code": "91350100M000100Y43", "contact_name": "李四", "mobile": "13912345678",
            "category": Category.objects.get(region=neighbour, name="拖欠中小企业账款").pk, "description": "拖欠货款。",
            "consent": "on", "token": token, "region": "360104"}
    response = client.post("/hotline/public/complain/", data)
    assert response.status_code == 200, response.content.decode()[:500]
    assert Complaint.objects.get(company_name="南昌青山科技有限公司").region == neighbour


def test_the_public_form_refuses_an_unknown_region(districts, client):
    page = client.get("/hotline/public/complain/").content.decode()
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    data = {"company_name": "南昌某科技有限公司", "contact_name": "李四", "mobile": "13912345678",
            "category": Category.objects.get(region=DEFAULT_REGION_PK, name="拖欠中小企业账款").pk,
            "description": "拖欠货款。", "consent": "on", "token": token, "region": "999999"}
    response = client.post("/hotline/public/complain/", data)
    assert response.status_code == 400
    assert not Complaint.objects.filter(company_name="南昌某科技有限公司").exists()


def test_the_office_told_is_the_complaints_regions(districts):
    from duban.core.models import Notification, RobotChannel, RobotMessage

    home, neighbour, _plans, offices, complaints = districts
    complaint, office = complaints[neighbour.pk], offices[neighbour.pk]
    unit = Unit.objects.get(region=neighbour, name="区市场监管局")
    head = User.objects.create(username="neighbour-head", role=Role.UNIT_HEAD, unit=unit, region=neighbour)
    RobotChannel.objects.create(name="本区营商办群", kind="wecom", url="http://127.0.0.1:9/", region=home)
    flow.contact(complaint, office, note="已联系")
    flow.classify(complaint, office, difficulty="general")
    flow.assign(complaint, office, lead_unit=unit)
    Notification.objects.all().delete()
    flow.return_to_office(complaint, head, reason="不属于本单位职责")
    assert set(Notification.objects.values_list("user__username", flat=True)) == {office.username}
    assert not RobotMessage.objects.exists()
