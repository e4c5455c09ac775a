"""The whole flow through the pages, role by role: draft, ask, submit, return, correct, accept, compare."""

import pytest
from django.urls import reverse

from duban.calendar.lights import Light
from duban.core.models import Notification
from duban.progress.models import ProgressReport

from .conftest import CONTENT, upload

pytestmark = pytest.mark.django_db


def test_the_flow_across_roles(client, scjg_reporter, scjg_head, office, tax_cooperator, report, ledger):
    detail = reverse("progress:report_detail", args=[report.pk])

    # The reporter drafts with a file and asks the head.
    client.force_login(scjg_reporter)
    page = client.get(detail).text
    assert "Write the report" in page and "Approve and submit" not in page
    client.post(reverse("progress:report_edit", args=[report.pk]),
                {**CONTENT, "progress": "completed", "done_text": "已全面推行。", "version": 0,
                 "evidence": [upload("推行通知.pdf")]})
    response = client.post(reverse("progress:report_request_approval", args=[report.pk]), follow=True)
    assert "The unit head has been asked" in response.text
    assert Notification.objects.filter(user=scjg_head, key__startswith="progress-approve").exists()

    # The cooperating unit adds what it did.
    client.force_login(tax_cooperator)
    client.post(reverse("progress:contribution_save", args=[report.pk]), {"text": "已推送涉税数据。"})

    # The head sees the report, with the contribution, and submits it.
    client.force_login(scjg_head)
    page = client.get(detail).text
    assert "已推送涉税数据。" in page and "推行通知.pdf" in page
    response = client.post(reverse("progress:report_submit", args=[report.pk]), follow=True)
    assert "Version 1 submitted to 区营商办." in response.text  # the user's region's office (本区: 区营商办)

    # The office returns it with a comment; the unit sees why.
    client.force_login(office)
    assert "Return for correction" in client.get(detail).text
    response = client.post(reverse("progress:report_review", args=[report.pk]), {"decision": "return", "comment": ""},
                           follow=True)
    assert "Say why the report is returned" in response.text
    client.post(reverse("progress:report_review", args=[report.pk]),
                {"decision": "return", "comment": "请写明推行范围。"})
    client.force_login(scjg_reporter)
    page = client.get(detail).text
    assert "Returned by 区营商办" in page and "请写明推行范围。" in page
    edit_page = client.get(reverse("progress:report_edit", args=[report.pk])).text
    assert "请写明推行范围。" in edit_page

    # Corrected, resubmitted, accepted: the measure is done and its light changes.
    report.refresh_from_db()
    client.post(reverse("progress:report_edit", args=[report.pk]),
                {**CONTENT, "progress": "completed", "done_text": "已在全区14个街道全面推行。", "version": report.version})
    client.force_login(scjg_head)
    client.post(reverse("progress:report_submit", args=[report.pk]))
    client.force_login(office)
    response = client.post(reverse("progress:report_review", args=[report.pk]),
                           {"decision": "accept", "comment": "同意销号。"}, follow=True)
    assert "Report accepted." in response.text
    report.refresh_from_db()
    ledger.a2_2.refresh_from_db()
    assert report.status == ProgressReport.Status.ACCEPTED and ledger.a2_2.completed_on is not None
    assert response.context["light"] in (Light.DONE, Light.DONE_LATE)

    # Both versions are kept and compared, with the office's comment on the first.
    response = client.get(reverse("progress:report_compare", args=[report.pk]))
    assert response.status_code == 200
    assert response.context["left"].key == "1" and response.context["right"].key == "2"
    page = response.text
    assert "<ins>在全区14个街道</ins>" in page
    assert "请写明推行范围。" in page


def test_the_head_is_told_what_is_missing(client, scjg_head, report):
    client.force_login(scjg_head)
    response = client.post(reverse("progress:report_submit", args=[report.pk]), follow=True)
    assert "Say how the measure is progressing." in response.text
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.DRAFT


def test_compare_offers_the_draft_to_its_writers_only(client, scjg_reporter, scjg_head, leader_user, report):
    client.force_login(scjg_reporter)
    client.post(reverse("progress:report_edit", args=[report.pk]), {**CONTENT, "version": 0})
    client.force_login(scjg_head)
    client.post(reverse("progress:report_submit", args=[report.pk]))
    url = reverse("progress:report_compare", args=[report.pk])
    client.force_login(leader_user)
    assert [s.key for s in client.get(url).context["sides"]] == ["1"]
    assert client.get(url + "?b=draft").status_code == 404
    assert "nothing to compare" in client.get(url).text


def test_download_is_an_attachment_that_browsers_do_not_sniff(client, scjg_reporter, report):
    client.force_login(scjg_reporter)
    client.post(reverse("progress:report_edit", args=[report.pk]),
                {**CONTENT, "version": 0, "evidence": [upload("现场照片说明.pdf")]})
    evidence = report.evidence.get()
    response = client.get(reverse("progress:evidence_download", args=[evidence.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''%E7%8E%B0" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
