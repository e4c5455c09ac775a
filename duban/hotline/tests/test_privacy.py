"""Complainants' names and mobile numbers: masked for everyone; the handling unit and the office reveal them with a
reason (logged); exports mask unless the office asks with a reason; no caching; removed after the retention period."""

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


@pytest.mark.parametrize("who, may_reveal", [
    ("office", True), ("scjg_reporter", True), ("scjg_head", True), ("tax_reporter", False), ("leader_user", False),
])
def test_masked_for_everyone_and_revealed_by_a_logged_click(request, assigned, who, may_reveal):
    user = request.getfixturevalue(who)
    client = client_for(user)
    page = client.get(assigned.get_absolute_url())
    html = page.content.decode()
    assert "138****5678" in html and "王**" in html
    assert "13812345678" not in html and "王小明" not in html
    assert "no-store" in page["Cache-Control"]
    assert ('name="reason"' in html) is may_reveal
    reveal = f"/hotline/{assigned.pk}/reveal/"
    if not may_reveal:
        assert client.post(reveal, {"reason": "好奇"}).status_code in (403, 404)
        assert not PersonalDataAccess.objects.exists()
        return
    assert client.post(reveal, {"reason": ""}).status_code == 400  # no reason, no number
    assert not PersonalDataAccess.objects.exists()
    shown = client.post(reveal, {"reason": "电话回访办理结果"})
    assert "13812345678" in shown.content.decode() and "王小明" in shown.content.decode()
    assert "no-store" in shown["Cache-Control"]
    access = PersonalDataAccess.objects.get()
    assert (access.user, access.complaint, access.purpose, access.reason) == (user, assigned, "view", "电话回访办理结果")
    assert access.ip == "127.0.0.1"


def test_every_reveal_is_logged(assigned, office):
    client = client_for(office)
    for _ in range(3):
        client.post(f"/hotline/{assigned.pk}/reveal/", {"reason": "回访"})
    client.get(assigned.get_absolute_url())
    assert PersonalDataAccess.objects.filter(user=office, complaint=assigned).count() == 3


def read_csv(response):
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_exports_mask_unless_the_office_asks_with_a_reason(assigned, file_complaint, office, tax_reporter, scjg_reporter):
    for user in (tax_reporter, scjg_reporter, office):
        response = client_for(user).get("/hotline/export.csv")
        assert "no-store" in response["Cache-Control"]
        assert {(r["Contact person"], r["Mobile number"]) for r in read_csv(response)} == {("王**", "138****5678")}
    assert not PersonalDataAccess.objects.exists()
    # A unit may not ask for them; the office must say why.
    assert client_for(scjg_reporter).get("/hotline/export.csv?personal=1&reason=x").status_code == 403
    assert client_for(office).get("/hotline/export.csv?personal=1").status_code == 302
    assert not PersonalDataAccess.objects.exists()

    file_complaint(company_name="=HYPERLINK(\"http://evil\")", mobile="13900001111")
    response = client_for(office).get("/hotline/export.csv?state=open&personal=1&reason=季度回访")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = read_csv(response)
    assert {r["Mobile number"] for r in rows} == {"13812345678", "13900001111"}
    assert "'=HYPERLINK(\"http://evil\")" in {r["Company name"] for r in rows}, "no formulas in a spreadsheet"
    logged = PersonalDataAccess.objects.filter(user=office, purpose="export")
    assert logged.count() == 2 and set(logged.values_list("reason", flat=True)) == {"季度回访"}


def test_export_follows_the_filter_and_scope(assigned, file_complaint, scjg_reporter, leader_user):
    file_complaint(company_name="另一家公司")  # not assigned: outside the unit's scope
    rows = read_csv(client_for(scjg_reporter).get("/hotline/export.csv"))
    assert [r["Company name"] for r in rows] == [assigned.company_name]
    assert rows[0]["Mobile number"] == "138****5678"
    rows = read_csv(client_for(leader_user).get("/hotline/export.csv"))
    assert {r["Mobile number"] for r in rows} == {"138****5678"}


def test_attachments_only_for_those_who_may_see_the_contact(assigned, office, leader_user, settings, tmp_path):
    from duban.core.uploads import bytes_upload
    from duban.hotline import uploads

    settings.MEDIA_ROOT = tmp_path
    uploads.store(assigned, [bytes_upload(b"%PDF-1.4 evidence", "合同.pdf")])
    item = assigned.attachments.get()
    leader_page = client_for(leader_user).get(assigned.get_absolute_url()).content.decode()
    assert "合同.pdf" not in leader_page
    assert client_for(leader_user).get(f"/hotline/attachments/{item.pk}/").status_code == 403
    download = client_for(office).get(f"/hotline/attachments/{item.pk}/")
    assert download.status_code == 200 and "no-store" in download["Cache-Control"]


def test_closed_complaints_lose_their_personal_data_after_the_retention_period(assigned, settings):
    import datetime

    from django.utils import timezone

    from duban.audit.models import Entry
    from duban.core.tick import run_jobs
    from duban.hotline.privacy import ANONYMISED_NAME, anonymise_closed

    settings.DUBAN_PERSONAL_DATA_RETENTION_DAYS = 30
    closed_at = timezone.now() - datetime.timedelta(days=31)
    Complaint.objects.filter(pk=assigned.pk).update(state=Complaint.State.CLOSED, closed_at=closed_at)
    recent = Complaint.objects.filter(pk=assigned.pk).get()
    assert anonymise_closed(closed_at + datetime.timedelta(days=29)) == 0  # not yet
    now = timezone.now()
    assert anonymise_closed(now) == 1
    recent.refresh_from_db()
    assert (recent.contact_name, recent.mobile, recent.anonymised_at) == (ANONYMISED_NAME, "", now)
    assert anonymise_closed(now) == 0, "idempotent"
    assert Entry.objects.filter(model="hotline.complaint", object_id=str(recent.pk), action="update").exists()
    assert run_jobs(now, only=["hotline-personal-data-retention"]) == {
        "hotline-personal-data-retention": "0 closed complaints' personal data removed"}


def test_old_reviews_lose_their_personal_data_once_their_rectification_is_over(units, office, settings):
    import datetime

    from django.utils import timezone

    from duban.audit.models import Entry
    from duban.core.tick import run_jobs
    from duban.hotline import review_import, reviews
    from duban.hotline.models import Rectification, Review, ReviewImport
    from duban.hotline.privacy import ANONYMISED_NAME, anonymise_reviews

    settings.DUBAN_PERSONAL_DATA_RETENTION_DAYS = 30
    now = timezone.now()
    old_at, recent_at = now - datetime.timedelta(days=31), now - datetime.timedelta(days=29)

    def review(at, level=Review.Level.SATISFIED, **fields):
        fields = {"reviewer_name": "钱七", "reviewer_mobile": "13900001111"} | fields
        return reviews.record(entered_by=office, unit=units["scjg"], matter="食品经营许可", level=level,
                              reviewed_at=at, **fields)

    old, recent = review(old_at), review(recent_at)
    rectifying = review(old_at, Review.Level.DISSATISFIED)  # its rectification is open: the office calls back
    rectified = review(old_at, Review.Level.DISSATISFIED)
    Rectification.objects.filter(review=rectified).update(state=Rectification.State.ACCEPTED)
    appealed = review(old_at, Review.Level.VERY_DISSATISFIED)
    Rectification.objects.filter(review=appealed).update(state=Rectification.State.ACCEPTED)
    reviews.file_appeal(appealed, office, reason="恶意差评")
    anonymous = review(old_at, reviewer_name="", reviewer_mobile="")  # nothing to remove
    header = "评价编号,评价时间,评价部门,服务窗口,事项名称,评价等级,评价内容,评价人,联系电话,评价渠道"
    content = f"{header}\nHC-R-1,2026-09-28 10:15:00,区市场监管局,3号窗口,食品经营许可,满意,,钱七,13900001111,窗口\n"
    old_file = review_import.import_file(content.encode("utf-8-sig"), "reviews.csv", office, dry_run=True)
    new_file = review_import.import_file(content.replace("HC-R-1", "HC-R-2").encode("utf-8-sig"), "new.csv", office,
                                         dry_run=True)
    ReviewImport.objects.filter(pk=old_file.pk).update(uploaded_at=old_at)
    assert bytes(ReviewImport.objects.get(pk=old_file.pk).content)

    assert anonymise_reviews(now - datetime.timedelta(days=2)) == (0, 0)  # nothing old enough yet
    assert anonymise_reviews(now) == (2, 1)
    for obj in (old, rectified):
        obj.refresh_from_db()
        assert (obj.reviewer_name, obj.reviewer_mobile, obj.anonymised_at) == (ANONYMISED_NAME, "", now)
        assert Entry.objects.filter(model="hotline.review", object_id=str(obj.pk), action="update").exists()
    for obj in (recent, rectifying, appealed):
        obj.refresh_from_db()
        assert (obj.reviewer_name, obj.reviewer_mobile, obj.anonymised_at) == ("钱七", "13900001111", None)
    anonymous.refresh_from_db()
    assert anonymous.anonymised_at is None and anonymous.reviewer_name == ""
    assert bytes(ReviewImport.objects.get(pk=old_file.pk).content) == b""
    assert ReviewImport.objects.get(pk=old_file.pk).sha256 == ReviewImport.digest(content.encode("utf-8-sig"))
    assert bytes(ReviewImport.objects.get(pk=new_file.pk).content)

    assert anonymise_reviews(now) == (0, 0), "idempotent"
    assert run_jobs(now, only=["hotline-review-personal-data-retention"]) == {
        "hotline-review-personal-data-retention": "0 service reviews' personal data removed, 0 review files emptied"}
    # Once the rectification is over, the next run takes the review too.
    Rectification.objects.filter(review=rectifying).update(state=Rectification.State.ACCEPTED)
    assert anonymise_reviews(now) == (1, 0)
