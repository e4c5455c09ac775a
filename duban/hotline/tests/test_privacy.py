"""Complainants' names and mobile numbers: masked except for the handling unit and the office; every unmasked view logged."""

import csv
import io

import pytest

from duban.hotline.models import Complaint, PersonalDataAccess
from duban.hotline.privacy import mask_mobile, mask_name

from .conftest import client_for

pytestmark = pytest.mark.django_db


def test_masks():
    assert mask_mobile("13812345678") == "138****5678"
    assert mask_name("王小明") == "王**" and mask_name("欧阳") == "欧*" and mask_name("") == ""


@pytest.fixture
def assigned(file_complaint, units):
    complaint = file_complaint()
    complaint.lead_unit, complaint.state = units["scjg"], Complaint.State.ASSIGNED
    complaint.save()
    complaint.cooperating_units.set([units["tax"]])
    return complaint


@pytest.mark.parametrize("who, masked", [
    ("office", False), ("scjg_reporter", False), ("scjg_head", False), ("tax_reporter", True), ("leader_user", True),
])
def test_who_sees_the_number(request, assigned, who, masked):
    user = request.getfixturevalue(who)
    page = client_for(user).get(assigned.get_absolute_url()).content.decode()
    if masked:
        assert "138****5678" in page and "王**" in page
        assert "13812345678" not in page and "王小明" not in page
        assert not PersonalDataAccess.objects.exists()
    else:
        assert "13812345678" in page and "王小明" in page
        access = PersonalDataAccess.objects.get()
        assert (access.user, access.complaint, access.purpose) == (user, assigned, "view")
        assert access.ip == "127.0.0.1" and access.path == assigned.get_absolute_url()


def test_every_view_is_logged(assigned, office):
    client = client_for(office)
    for _ in range(3):
        client.get(assigned.get_absolute_url())
    assert PersonalDataAccess.objects.filter(user=office, complaint=assigned).count() == 3


def read_csv(response):
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_export_unmasks_only_where_the_exporter_may_see(assigned, file_complaint, office, tax_reporter, units):
    rows = read_csv(client_for(tax_reporter).get("/hotline/export.csv"))
    assert [(r["Contact person"], r["Mobile number"]) for r in rows] == [("王**", "138****5678")]
    assert not PersonalDataAccess.objects.exists()

    file_complaint(company_name="=HYPERLINK(\"http://evil\")", mobile="13900001111")
    response = client_for(office).get("/hotline/export.csv?state=open")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = read_csv(response)
    assert {r["Mobile number"] for r in rows} == {"13812345678", "13900001111"}
    assert "'=HYPERLINK(\"http://evil\")" in {r["Company name"] for r in rows}, "no formulas in a spreadsheet"
    assert PersonalDataAccess.objects.filter(user=office, purpose="export").count() == 2


def test_export_follows_the_filter_and_scope(assigned, file_complaint, scjg_reporter, leader_user):
    file_complaint(company_name="另一家公司")  # not assigned: outside the unit's scope
    rows = read_csv(client_for(scjg_reporter).get("/hotline/export.csv"))
    assert [r["Company name"] for r in rows] == [assigned.company_name]
    assert rows[0]["Mobile number"] == "13812345678"
    rows = read_csv(client_for(leader_user).get("/hotline/export.csv"))
    assert {r["Mobile number"] for r in rows} == {"138****5678"}
