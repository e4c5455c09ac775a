"""Writing a report in the browser without losing work: save, autosave, conflicts, failed uploads."""

import pytest
from django.urls import reverse

from duban.progress import services
from duban.progress.models import ProgressReport

from .conftest import CONTENT, JPEG, upload, write

pytestmark = pytest.mark.django_db


def form_data(report, **changes):
    return {**CONTENT, "version": report.version, **changes}


def edit_url(report):
    return reverse("progress:report_edit", args=[report.pk])


def test_the_form_shows_the_draft_and_its_version(client, scjg_reporter, report):
    write(report, scjg_reporter)
    client.force_login(scjg_reporter)
    response = client.get(edit_url(report))
    assert response.status_code == 200
    assert "已完成系统改造方案。" in response.text
    assert 'name="version" value="1"' in response.text
    assert 'hx-post="%s"' % reverse("progress:report_autosave", args=[report.pk]) in response.text


def test_saving_with_files(client, scjg_reporter, report):
    client.force_login(scjg_reporter)
    data = form_data(report, evidence=[upload("一.pdf"), upload("二.jpg", JPEG, "image/jpeg")])
    response = client.post(edit_url(report), data)
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.version == 1 and report.done_text == CONTENT["done_text"]
    assert sorted(report.evidence.values_list("original_name", flat=True)) == ["一.pdf", "二.jpg"]


def test_a_refused_file_keeps_the_typed_text_and_saves_nothing(client, scjg_reporter, report):
    client.force_login(scjg_reporter)
    typed = "今天写的一大段进展，不能丢。"
    response = client.post(edit_url(report), form_data(report, done_text=typed, evidence=[upload("病毒.pdf", b"MZ\x90")]))
    assert response.status_code == 200
    assert typed in response.text  # the form comes back with what was typed
    assert "病毒.pdf is not a real PDF file" in response.text
    report.refresh_from_db()
    assert report.version == 0 and not report.evidence.exists()


def test_a_concurrent_edit_shows_both_versions(client, scjg_reporter, zsj_reporter, report):
    client.force_login(scjg_reporter)
    loaded_version = report.version
    write(report, zsj_reporter, done_text="政数局写的：接口已联调。")  # meanwhile, the co-lead unit saves

    mine = "市场监管局写的：系统改造方案已印发。"
    response = client.post(edit_url(report), form_data(report, version=loaded_version, done_text=mine))
    assert response.status_code == 409
    page = response.text
    assert "zsj_reporter saved this report at" in page
    assert "政数局写的：接口已联调。" in page and mine in page  # both versions shown
    assert 'name="version" value="1"' in page  # saving again now is a knowing overwrite
    assert ProgressReport.objects.get(pk=report.pk).done_text == "政数局写的：接口已联调。"  # nothing silently lost

    response = client.post(edit_url(report), form_data(report, version=1, done_text=mine))
    assert response.status_code == 302
    assert ProgressReport.objects.get(pk=report.pk).done_text == mine


def test_autosave_saves_and_hands_back_the_new_version(client, scjg_reporter, report):
    client.force_login(scjg_reporter)
    url = reverse("progress:report_autosave", args=[report.pk])
    response = client.post(url, form_data(report, done_text="边写边存"), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "Draft saved at" in response.text
    assert 'id="id_version" hx-swap-oob="true"' in response.text and 'value="1"' in response.text
    assert ProgressReport.objects.get(pk=report.pk).done_text == "边写边存"


def test_autosave_never_overwrites_someone_else(client, scjg_reporter, zsj_reporter, report):
    client.force_login(scjg_reporter)
    write(report, zsj_reporter, done_text="别人的")
    url = reverse("progress:report_autosave", args=[report.pk])
    response = client.post(url, form_data(report, version=0, done_text="我的"))
    assert "Not saved: zsj_reporter saved this report at" in response.text
    assert "hx-swap-oob" not in response.text
    assert ProgressReport.objects.get(pk=report.pk).done_text == "别人的"


def test_autosave_reports_invalid_values(client, scjg_reporter, report):
    client.force_login(scjg_reporter)
    response = client.post(reverse("progress:report_autosave", args=[report.pk]), form_data(report, percent=150))
    assert "Not saved:" in response.text
    assert ProgressReport.objects.get(pk=report.pk).version == 0


def test_a_submitted_report_is_not_editable(client, scjg_reporter, scjg_head, report):
    write(report, scjg_reporter)
    client.force_login(scjg_head)
    client.post(reverse("progress:report_submit", args=[report.pk]))
    client.force_login(scjg_reporter)
    response = client.get(edit_url(report), follow=True)
    assert "can no longer be edited" in response.text
    response = client.post(reverse("progress:report_autosave", args=[report.pk]), form_data(report, done_text="x"))
    assert "can no longer be edited" in response.text


def test_a_report_submitted_while_the_form_was_open_is_not_an_error(client, monkeypatch, scjg_reporter, scjg_head,
                                                                     report):
    write(report, scjg_reporter)
    save_draft = services.save_draft

    def head_submits_first(*args, **kwargs):
        services.submit(ProgressReport.objects.get(pk=report.pk), scjg_head)
        return save_draft(*args, **kwargs)

    monkeypatch.setattr(services, "save_draft", head_submits_first)
    client.force_login(scjg_reporter)
    response = client.post(edit_url(report), form_data(report, done_text="迟到的修改。"))
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    assert "meanwhile and can no longer be edited" in client.get(response["Location"]).text
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.SUBMITTED and report.done_text == CONTENT["done_text"]


def test_removing_a_file(client, scjg_reporter, report):
    client.force_login(scjg_reporter)
    client.post(edit_url(report), form_data(report, evidence=[upload("错的.pdf")]))
    evidence = report.evidence.get()
    response = client.post(reverse("progress:evidence_remove", args=[evidence.pk]), follow=True)
    assert "错的.pdf removed from the report." in response.text
    assert not report.evidence.exists()
