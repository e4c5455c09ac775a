"""Files that cannot hurt: one upload check by content (duban/core/uploads.py) and one archive guard
(duban/core/archives.py) before any reader unpacks an Office or zip file — the plan, KPI, review and unit
imports and every upload. The bombs are made here: an .xlsx whose one part unpacks to 800 MB of zeros
(written as a stream, never held), and smaller ones for the ratio check."""

import io
import time
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from openpyxl import Workbook

from duban.core import uploads
from duban.core.archives import ArchiveRefused, check_archive

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
PE_PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00" + b"\x00" * 200


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def small_xlsx(header=("指标编号", "期间", "数值")):
    book = Workbook()
    book.active.append(list(header))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def with_zeros(office_file: bytes, megabytes: int, part="xl/media/image1.bin") -> bytes:
    """The Office file with one more part of `megabytes` MB of zeros, streamed 1 MB at a time."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(office_file)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for item in source.infolist():
            bomb.writestr(item, source.read(item.filename))
        with bomb.open(part, "w", force_zip64=True) as stream:
            chunk = bytes(MB)
            for _ in range(megabytes):
                stream.write(chunk)
    return out.getvalue()


@pytest.fixture(scope="session")
def bomb(tmp_path_factory):
    """An .xlsx of about 800 KB whose one part unpacks to 800 MB (made once per session)."""
    path = tmp_path_factory.mktemp("bombs") / "bomb.xlsx"
    path.write_bytes(with_zeros(small_xlsx(), 800))
    return path


def refused_quickly(call):
    """Run call(); it must refuse without unpacking (seconds, not a minute; a few MB of memory, not gigabytes)."""
    tracemalloc.start()
    started = time.monotonic()
    try:
        result = call()
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert time.monotonic() - started < 20  # unpacking it took 30–60 s; a loaded test machine is slow too
    assert peak < 20 * MB, f"{peak // MB} MB used"
    return result


# The guard.

def test_the_bomb_is_what_it_claims(bomb):
    assert bomb.stat().st_size < 2 * MB
    with zipfile.ZipFile(bomb) as archive:
        assert sum(i.file_size for i in archive.infolist()) > 800 * MB


def test_the_guard_refuses_the_bomb_from_a_path_bytes_or_a_file(bomb):
    for given in (bomb, bomb.read_bytes(), io.BytesIO(bomb.read_bytes())):
        with pytest.raises(ArchiveRefused, match="more than 50 MB"):
            refused_quickly(lambda given=given: check_archive(given, name="bomb.xlsx"))


def test_a_part_packed_absurdly_tight_is_refused_below_the_size_limit():
    with pytest.raises(ArchiveRefused, match="times larger than it is stored"):
        check_archive(with_zeros(small_xlsx(), 20), name="tight.xlsx")


def test_ordinary_files_pass(settings):
    check_archive(small_xlsx(), name="ok.xlsx")
    check_archive(b"name,kind\n", name="units.csv")
    check_archive(b"PK\x03\x04 not really a zip", name="broken.xlsx")  # the reader says what is wrong
    settings.DUBAN_ARCHIVE_MAX_BYTES = 1024
    with pytest.raises(ArchiveRefused):
        check_archive(small_xlsx(), name="ok.xlsx")  # the limit is the setting's


# Every reader is behind it (finding 9).

def test_the_plan_import_refuses_the_bomb_before_reading(bomb, tmp_path):
    from duban.plans.importers.base import PlanImportError
    from duban.plans.services import import_plan_file

    with pytest.raises(PlanImportError, match="more than 50 MB"):
        refused_quickly(lambda: import_plan_file(bomb, dry_run=True))
    docx = tmp_path / "plan.docx"
    docx.write_bytes(with_zeros(small_xlsx(), 20, part="word/media/image1.bin"))
    with pytest.raises(CommandError, match="times larger"):
        call_command("import_plan", str(docx), "--dry-run")


def test_the_kpi_import_refuses_the_bomb(bomb, scjg_reporter):
    response = refused_quickly(lambda: client_for(scjg_reporter).post(
        "/kpi/import/", {"file": SimpleUploadedFile("values.xlsx", bomb.read_bytes()), "dry_run": "on"}))
    assert response.status_code == 400 and "more than 50 MB" in response.content.decode()


def test_the_review_import_refuses_the_bomb(bomb, office):
    from duban.hotline.models import ReviewImport

    response = client_for(office).post("/hotline/reviews/import/",
                                       {"file": SimpleUploadedFile("reviews.xlsx", bomb.read_bytes())}, follow=True)
    assert "more than 50 MB" in response.content.decode()
    assert ReviewImport.objects.get().state == ReviewImport.State.REFUSED


def test_the_units_import_refuses_the_bomb(bomb, tmp_path):
    disguised = tmp_path / "units.csv"
    disguised.write_bytes(bomb.read_bytes())
    with pytest.raises(CommandError, match="more than 50 MB"):
        call_command("import_units", str(disguised))


def test_every_upload_refuses_the_bomb(bomb):
    with pytest.raises(uploads.UploadRejected, match="more than 50 MB"):
        refused_quickly(lambda: uploads.check_upload(SimpleUploadedFile("a.xlsx", bomb.read_bytes()),
                                                     uploads.DOCUMENTS, max_size=10 * MB))


# KPI evidence by content (finding 8).

@pytest.fixture
def metric(units):
    from duban.kpi.tests import factories as kpi
    from duban.plans.tests import factories

    return kpi.metric(factories.area(factories.plan(year=2026), "开办企业"), owner=units["scjg"])


def report(user, metric, evidence):
    return client_for(user).post(f"/kpi/metrics/{metric.pk}/report/",
                                 {"period": "2026-Q1", "value": "0.5", "evidence": evidence})


def test_a_program_named_pdf_is_refused_as_kpi_evidence(metric, scjg_reporter, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = report(scjg_reporter, metric, SimpleUploadedFile("台账.pdf", PE_PROGRAM, content_type="application/pdf"))
    assert response.status_code == 400
    assert "This kind of file is not accepted" in response.content.decode()
    assert not metric.values.exists() and not list(tmp_path.rglob("*.pdf"))


def test_kpi_evidence_is_stored_and_served_as_what_it_is(metric, scjg_reporter, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    assert report(scjg_reporter, metric, SimpleUploadedFile("截图.pdf", png)).status_code == 302
    entry = metric.values.get()
    assert entry.evidence.name.endswith("截图.png")
    download = client_for(scjg_reporter).get(f"/kpi/values/{entry.pk}/evidence/")
    assert download["Content-Type"] == "image/png" and download["X-Content-Type-Options"] == "nosniff"
