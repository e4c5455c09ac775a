"""The policy library: which policies lack which material or publication, the weekly explanation's gaps,
payout times in working days, the booklet, and the public list with its open data."""

import datetime
import io
import json

import pytest
from django.test import Client

from duban.accounts.models import Role
from duban.conftest import make_user
from duban.core.models import Region
from duban.plans.models import Unit
from duban.policies import publication
from duban.policies.models import Explanation, Payout, Policy

from .conftest import ALL_PUBLISHED

pytestmark = pytest.mark.django_db


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def test_lacking_materials_and_publications_per_lead_unit(make_policy):
    complete = make_policy("企业开办“一网通办”实施方案", materials=ALL_PUBLISHED)
    no_interpretation = make_policy("小微企业融资贴息办法", materials=[
        (k, c) for k, c in ALL_PUBLISHED if k != "interpretation"])
    web_only = make_policy("纳税缴费便利化措施", unit="tax", materials=[
        (k, ["website"]) for k, _c in ALL_PUBLISHED])
    fresh = make_policy("新出台的稳岗补贴政策", issued_on=datetime.date(2026, 10, 12))
    not_reform = make_policy("省级技改补助", reform=False)
    rows = {r.policy: r for r in publication.policy_rows(Policy.objects.all(), today=datetime.date(2026, 10, 14))}
    assert rows[complete].light == "green" and not rows[complete].missing
    assert [c.kind for c in rows[no_interpretation].missing] == ["interpretation"]
    assert rows[no_interpretation].light == "red"
    assert [c.status for c in rows[web_only].cells] == ["unpublished"] * 4
    assert rows[web_only].cells[0].missing_channels == ["media"]
    assert rows[fresh].light == "yellow", "issued two working days ago: still within the 5 working days"
    assert rows[not_reform].light == "green" and rows[not_reform].cells == []
    groups = publication.by_lead_unit(rows.values())
    assert [(unit.name, counts["red"], counts["missing"]) for unit, _rows, counts in groups] == [
        ("区市场监管局", 1, 5), ("区税务局", 1, 0)]


def test_the_publication_table_page(make_policy, office, scjg_reporter, tax_reporter, settings):
    settings.DUBAN_TODAY = "2026-10-14T10:00"
    make_policy("小微企业融资贴息办法", materials=[(k, c) for k, c in ALL_PUBLISHED if k != "interpretation"])
    make_policy("纳税缴费便利化措施", unit="tax", materials=ALL_PUBLISHED)
    page = client_for(office).get("/policies/publication/").content.decode()
    assert "小微企业融资贴息办法" in page and "纳税缴费便利化措施" in page
    assert "1 of 2 policies lack a material or a publication." in page
    unit_page = client_for(scjg_reporter).get("/policies/publication/").content.decode()
    assert "小微企业融资贴息办法" in unit_page and "纳税缴费便利化措施" not in unit_page, "a unit sees its own"


def test_weekly_schedule_shows_missed_weeks(make_policy, office):
    policy = make_policy("小微企业融资贴息办法")
    region = office.region_id
    Explanation.objects.create(region_id=region, week=datetime.date(2026, 1, 5), policy=policy,
                               held_on=datetime.date(2026, 1, 7), where="西湖发布")
    Explanation.objects.create(region_id=region, week=datetime.date(2026, 1, 19), policy=policy,
                               held_on=datetime.date(2026, 1, 20))
    Explanation.objects.create(region_id=region, week=datetime.date(2026, 1, 26), policy=policy)  # planned, not held
    Explanation.objects.create(region_id=region, week=datetime.date(2026, 2, 16), policy=policy)  # planned ahead
    weeks = publication.weekly_schedule(region, 2026, today=datetime.date(2026, 2, 4))
    assert [(w.monday.isoformat(), w.status) for w in weeks] == [
        ("2026-01-05", "done"), ("2026-01-12", "missed"), ("2026-01-19", "done"), ("2026-01-26", "missed"),
        ("2026-02-02", "due"), ("2026-02-16", "planned")]


def test_the_schedule_page_records_a_week(make_policy, office, settings):
    settings.DUBAN_TODAY = "2026-02-04T10:00"
    policy = make_policy("小微企业融资贴息办法")
    response = client_for(office).post("/policies/schedule/", {
        "week": "2026-02-05", "policy": policy.pk, "held_on": "2026-02-05", "where": "西湖发布公众号"})
    assert response.status_code == 302
    assert Explanation.objects.get().week == datetime.date(2026, 2, 2), "filed under its Monday"


def test_payout_time_in_working_days(make_policy):
    policy = make_policy("小微企业融资贴息办法")
    # Applied Wednesday 30 September, paid Monday 12 October: 8, 9, Sat 10 (调休) and 12 October.
    Payout.objects.create(policy=policy, mode=Payout.Mode.ON_APPLICATION, company_name="甲公司", amount=50000,
                          applied_on=datetime.date(2026, 9, 30), paid_on=datetime.date(2026, 10, 12))
    Payout.objects.create(policy=policy, mode=Payout.Mode.AUTOMATIC, company_name="乙公司", amount=20000,
                          applied_on=datetime.date(2026, 9, 1), paid_on=datetime.date(2026, 9, 3))
    Payout.objects.create(policy=policy, mode=Payout.Mode.ON_APPLICATION, company_name="丙公司", amount=10000,
                          applied_on=datetime.date(2026, 10, 9))
    [figures] = publication.payout_figures([policy])
    assert (figures.companies, figures.paid, figures.amount) == (3, 2, 70000.0)
    assert figures.max_workdays == publication.payout_workdays(Payout.objects.get(company_name="甲公司"))
    assert figures.max_workdays == 4 and figures.median_workdays == 3


def test_the_booklet_prints_and_downloads_as_word(make_policy, office):
    make_policy("国务院关于促进中小企业发展的意见", level=Policy.Level.NATIONAL, summary="减税降费。")
    make_policy("小微企业融资贴息办法")
    client = client_for(office)
    page = client.get("/policies/booklet/").content.decode()
    assert page.index("国家级政策") < page.index("区级政策") and "减税降费。" in page
    response = client.get("/policies/booklet.docx")
    from docx import Document

    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "惠企政策汇编" in text and "1. 国务院关于促进中小企业发展的意见" in text
    assert "2. 小微企业融资贴息办法" in text


def test_the_public_list_searches_and_its_open_data(make_policy, client):
    make_policy("小微企业融资贴息办法", materials=ALL_PUBLISHED, company_types="小微企业")
    make_policy("规上工业企业技改补助", level=Policy.Level.CITY, topic="技改", company_types="规上工业企业")
    make_policy("内部试行办法", public=False)
    code = Region.objects.get(pk=1).code
    page = client.get(f"/policies/public/{code}/").content.decode()
    assert "小微企业融资贴息办法" in page and "规上工业企业技改补助" in page and "内部试行办法" not in page
    page = client.get(f"/policies/public/{code}/?level=city").content.decode()
    assert "规上工业企业技改补助" in page and "小微企业融资贴息办法" not in page
    page = client.get(f"/policies/public/{code}/?company_type=小微").content.decode()
    assert "小微企业融资贴息办法" in page and "规上工业企业技改补助" not in page
    page = client.get(f"/policies/public/{code}/?topic=技改").content.decode()
    assert "规上工业企业技改补助" in page and "小微企业融资贴息办法" not in page
    data = json.loads(client.get(f"/policies/public/{code}/data.json").content)
    assert [p["title"] for p in data["policies"]] == ["小微企业融资贴息办法", "规上工业企业技改补助"]
    assert data["policies"][0]["materials"]["interpretation"][0]["outlet"] == "西湖区人民政府网"
    csv_text = client.get(f"/policies/public/{code}/data.csv").content.decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("政策名称,文号,层级") and "解读发布" in csv_text.splitlines()[0]
    assert client.get(f"/policies/public/{code}/data.xml").status_code == 404


def test_materials_are_kept_by_the_lead_unit_and_the_office(make_policy, scjg_reporter, tax_reporter, office):
    from django.core.files.uploadedfile import SimpleUploadedFile

    policy = make_policy("小微企业融资贴息办法")
    pdf = SimpleUploadedFile("解读.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    response = client_for(scjg_reporter).post(f"/policies/{policy.pk}/materials/",
                                              {"kind": "interpretation", "file": pdf})
    assert response.status_code == 302
    material = policy.materials.get()
    assert material.original_name == "解读.pdf"
    response = client_for(tax_reporter).get(f"/policies/materials/{material.pk}/")
    assert response.status_code == 200, "the library is read by all"
    assert client_for(tax_reporter).post(f"/policies/{policy.pk}/materials/",
                                         {"kind": "guide", "text": "x"}).status_code == 404
    fake = SimpleUploadedFile("guide.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    client_for(office).post(f"/policies/{policy.pk}/materials/", {"kind": "guide", "file": fake})
    assert not policy.materials.filter(kind="guide").exists(), "a refused file leaves nothing behind"
    response = client_for(office).post(f"/policies/{policy.pk}/publications/", {
        "material": material.pk, "channel": "media", "outlet": "南昌日报", "published_on": "2026-03-05"})
    assert response.status_code == 302 and material.publications.get().outlet == "南昌日报"


def test_another_regions_policies_are_out_of_reach(make_policy, office):
    policy = make_policy("小微企业融资贴息办法")
    neighbour = Region.objects.create(code="360104", name="邻区")
    other = make_user("neighbour", Role.OFFICE, Unit.objects.create(region=neighbour, name="邻区营商办"),
                      region=neighbour)
    assert client_for(other).get(policy.get_absolute_url()).status_code == 404
    assert "小微企业融资贴息办法" not in client_for(other).get("/policies/").content.decode()
    assert "小微企业融资贴息办法" not in client_for(other).get("/policies/publication/").content.decode()
