"""The public pages: filing a complaint without log-in, and looking up its status.

Each malformed input gets a clear refusal and leaves nothing stored that should not be.
"""

import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from duban.hotline.forms import PublicComplaintForm
from duban.core.models import Throttle
from duban.hotline.models import Attachment, Complaint

from .conftest import VALID_CREDIT_CODE, client_for

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def token():
    return PublicComplaintForm().initial["token"]


def form_data(category, **overrides):
    data = {
        "company_name": "南昌市青云电子科技有限公司", "credit_code": VALID_CREDIT_CODE, "contact_name": "王小明",
        "mobile": "138 1234 5678", "category": category.pk, "description": "区某单位拖欠货款18万元。",
        "consent": "on", "token": token(),
    }
    data.update(overrides)
    return data


def without_values(response):
    return re.sub(r'value="[^"]*"', "", response.content.decode())


def stored_files(media_root):
    return [p for p in media_root.rglob("*") if p.is_file()] if media_root.exists() else []


def test_the_form_needs_no_log_in(client, category):
    response = client.get("/hotline/public/complain/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "拖欠中小企业账款" in page and 'name="token"' in page and "intake.js" in page


def test_filing_returns_a_tracking_code(client, category, clock_at):
    clock_at("2026-09-30T17:45")
    pdf = SimpleUploadedFile("合同.pdf", PDF, content_type="application/pdf")
    response = client.post("/hotline/public/complain/", {**form_data(category), "attachments": [pdf]})
    assert response.status_code == 200
    complaint = Complaint.objects.get()
    page = response.content.decode()
    assert complaint.formatted_code in page
    assert "2026-10-08 17:30" in page, "the promised call, after National Day"
    assert complaint.mobile == "13812345678" and complaint.channel == "web"
    attachment = Attachment.objects.get()
    assert attachment.original_name == "合同.pdf" and attachment.content_type == "application/pdf"
    assert attachment.file.name.endswith(".pdf") and "合同" not in attachment.file.name
    assert response["Cache-Control"].startswith("max-age=0")


def test_bad_credit_code_is_refused_and_nothing_stored(client, category):
    response = client.post("/hotline/public/complain/", form_data(category, credit_code="91350100M000100Y44"))
    assert response.status_code == 400
    assert "check character" in response.content.decode()
    for code, message in [("9135010", "has 18 characters; this one has 7"),
                          ("91350100M000100I43", "cannot contain I"), ("91ABCDEFM000100Y43", "Characters 3 to 8")]:
        response = client.post("/hotline/public/complain/", form_data(category, credit_code=code))
        assert message in response.content.decode()
    assert not Complaint.objects.exists()


def test_a_20_mb_attachment_is_refused_clearly_and_nothing_stored(client, category, media_root):
    big = SimpleUploadedFile("现场照片.pdf", PDF + b"0" * (20 * 1024 * 1024), content_type="application/pdf")
    response = client.post("/hotline/public/complain/", {**form_data(category), "attachments": [big]})
    assert response.status_code == 400
    page = response.content.decode()
    assert "“现场照片.pdf”: The file is too large (at most 10 MB). Nothing was saved." in page
    assert not Complaint.objects.exists() and not Attachment.objects.exists()
    assert stored_files(media_root) == []


def test_attachments_are_checked_by_content(client, category, media_root):
    cases = [
        (SimpleUploadedFile("invoice.pdf", b"MZ\x90\x00\x03\x00 an exe"),
         "“invoice.pdf”: This kind of file is not accepted. Accepted: DOCX, JPG, PDF, PNG, XLSX. Nothing was saved."),
        (SimpleUploadedFile("notes.txt", "就是文字".encode()), "“notes.txt”: This kind of file is not accepted."),
        (SimpleUploadedFile("empty.pdf", b""), "“empty.pdf”: The file is empty. Nothing was saved."),
    ]
    for upload, message in cases:
        response = client.post("/hotline/public/complain/", {**form_data(category), "attachments": [upload]})
        assert response.status_code == 400
        assert message in response.content.decode(), message
    fake_docx = io.BytesIO()
    with zipfile.ZipFile(fake_docx, "w") as archive:
        archive.writestr("evil.sh", "rm -rf /")
    upload = SimpleUploadedFile("报告.docx", fake_docx.getvalue())
    response = client.post("/hotline/public/complain/", {**form_data(category), "attachments": [upload]})
    assert "“报告.docx”: This kind of file is not accepted." in response.content.decode()
    six = [SimpleUploadedFile(f"{i}.pdf", PDF) for i in range(6)]
    response = client.post("/hotline/public/complain/", {**form_data(category), "attachments": six})
    assert "At most 5 attachments" in response.content.decode()
    assert not Complaint.objects.exists() and stored_files(media_root) == []


def test_a_file_is_stored_as_what_it_contains(client, category, office):
    client.post("/hotline/public/complain/", {**form_data(category), "attachments": [SimpleUploadedFile("photo.pdf", PNG)]})
    attachment = Attachment.objects.get()
    assert (attachment.original_name, attachment.content_type) == ("photo.png", "image/png")
    response = client_for(office).get(f"/hotline/attachments/{attachment.pk}/")
    assert response["Content-Type"] == "image/png" and response["X-Content-Type-Options"] == "nosniff"
    assert "attachment;" in response["Content-Disposition"]
    assert client.get(f"/hotline/attachments/{attachment.pk}/").status_code == 302, "signed out: the log-in page"


def test_html_in_the_description_is_stored_as_text_and_escaped(client, category, office, units):
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    client.post("/hotline/public/complain/", form_data(category, description=payload, company_name="<b>ACME</b>"))
    complaint = Complaint.objects.get()
    assert complaint.description == payload, "stored exactly as typed"
    page = client_for(office).get(complaint.get_absolute_url()).content.decode()
    assert "<script>alert" not in page and "<img src=x" not in page and "<b>ACME" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    status = client.post("/hotline/public/status/", {"tracking_code": complaint.tracking_code, "mobile": "13812345678"})
    assert "<b>ACME" not in status.content.decode() and "&lt;b&gt;ACME" in status.content.decode()


def test_double_click_files_one_complaint(client, category):
    data = form_data(category)
    first = client.post("/hotline/public/complain/", data)
    second = client.post("/hotline/public/complain/", data)
    assert Complaint.objects.count() == 1
    code = Complaint.objects.get().formatted_code
    assert code in first.content.decode() and code in second.content.decode()
    assert "it was not filed twice" in second.content.decode()


def test_a_forged_or_expired_token_is_refused(client, category, settings):
    response = client.post("/hotline/public/complain/", form_data(category, token="forged"))
    assert response.status_code == 400
    assert "This form has expired" in response.content.decode()
    assert not Complaint.objects.exists()


def test_consent_and_required_fields(client, category):
    data = form_data(category)
    del data["consent"]
    data["mobile"] = "12345"
    response = client.post("/hotline/public/complain/", data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "Enter an 11-digit mainland mobile number" in page and "This field is required." in page
    assert not Complaint.objects.exists()


def test_intake_is_rate_limited_per_ip(category, settings):
    settings.DUBAN_HOTLINE_INTAKE_PER_HOUR = 3
    one, other = Client(REMOTE_ADDR="203.0.113.7"), Client(REMOTE_ADDR="198.51.100.9")
    for _ in range(3):
        assert one.post("/hotline/public/complain/", form_data(category)).status_code == 200
    refused = one.post("/hotline/public/complain/", form_data(category))
    assert refused.status_code == 429
    assert "Too many complaints have been sent from your network" in refused.content.decode()
    assert Complaint.objects.count() == 3
    assert other.post("/hotline/public/complain/", form_data(category)).status_code == 200


# --- status look-up --------------------------------------------------------------


@pytest.fixture
def filed(file_complaint):
    return file_complaint()


def test_lookup_with_code_and_mobile_shows_the_status(client, filed):
    response = client.post("/hotline/public/status/", {"tracking_code": filed.formatted_code.lower(), "mobile": "13812345678"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Received: the office will call you" in page and filed.company_name in page
    assert "王小明" not in page and "13812345678" not in page, "the page repeats no personal data"


def test_a_wrong_pair_reveals_nothing(client, filed):
    wrong_mobile = client.post("/hotline/public/status/", {"tracking_code": filed.tracking_code, "mobile": "13900000000"})
    wrong_code = client.post("/hotline/public/status/", {"tracking_code": "ZZZZZ-ZZZZZ", "mobile": "13812345678"})
    assert wrong_mobile.status_code == wrong_code.status_code == 404
    # The same page, but for what was typed back into the form and the CSRF token.
    assert without_values(wrong_mobile) == without_values(wrong_code)
    assert "No complaint matches this tracking code and mobile number." in wrong_code.content.decode()
    assert filed.company_name not in wrong_mobile.content.decode()


def test_a_thousand_wrong_codes_are_refused(filed):
    guesser = Client(REMOTE_ADDR="203.0.113.66")
    answers = [guesser.post("/hotline/public/status/", {"tracking_code": f"AAAA{n:06d}", "mobile": "13812345678"})
               .status_code for n in range(1000)]
    assert answers[:20] == [404] * 20
    assert answers[20:] == [429] * 980
    right = guesser.post("/hotline/public/status/", {"tracking_code": filed.tracking_code, "mobile": "13812345678"})
    assert right.status_code == 429, "refused even with the right pair once the limit is reached"
    assert "Too many unsuccessful look-ups" in right.content.decode()
    assert Throttle.objects.get(scope="lookup-ip").count == 20
    other = Client(REMOTE_ADDR="198.51.100.1")
    assert other.post("/hotline/public/status/", {"tracking_code": filed.tracking_code, "mobile": "13812345678"}
                      ).status_code == 200


def test_guessing_mobiles_for_one_code_is_refused_from_any_address(filed):
    for n in range(10):
        client = Client(REMOTE_ADDR=f"203.0.113.{n}")
        assert client.post("/hotline/public/status/", {"tracking_code": filed.tracking_code,
                                                       "mobile": f"139000000{n:02d}"}).status_code == 404
    owner = Client(REMOTE_ADDR="198.51.100.1")
    response = owner.post("/hotline/public/status/", {"tracking_code": filed.tracking_code, "mobile": "13812345678"})
    assert response.status_code == 429
