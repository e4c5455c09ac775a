import io
import zipfile

import pytest
from django.core.files.storage import default_storage

from duban.core.uploads import (
    DOCUMENTS, EMPTY, IMAGES, SPREADSHEETS, TOO_LARGE, UploadRejected, bytes_upload, check_upload, clean_name,
    has_macros, save_upload, serve_file, size_problem, sniff,
)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"


def office_zip(folder):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{folder}/document.xml", "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize("data, name, kind", [
    (PDF, "a.pdf", "pdf"),
    (PNG, "a.png", "png"),
    (b"\xff\xd8\xff\xe0" + b"\x00" * 20, "photo.jpg", "jpeg"),
    (b"GIF89a" + b"\x00" * 10, "a.gif", "gif"),
    (office_zip("word"), "a.docx", "docx"),
    (office_zip("xl"), "a.xlsx", "xlsx"),
    (office_zip("ppt"), "a.pptx", "pptx"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 20, "old.doc", "doc"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 20, "old.xls", "xls"),
    ("单位,进展\n区市场监管局,已完成\n".encode("gb18030"), "ledger.csv", "csv"),
    ("进展情况说明".encode(), "note.txt", "txt"),
])
def test_sniff_by_content(data, name, kind):
    upload = bytes_upload(data, name)
    assert sniff(data[:2048], upload, name) == kind


@pytest.mark.parametrize("data, name", [
    (b"<html><script>alert(1)</script>", "evil.pdf"),  # text pretending to be a PDF: text, not PDF
    (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00", "setup.pdf"),  # a Windows program
    (b"PK\x03\x04not really a zip", "a.docx"),
    (office_zip("other"), "a.docx"),
])
def test_content_decides_not_the_name(data, name):
    with pytest.raises(UploadRejected):
        check_upload(bytes_upload(data, name), DOCUMENTS - {"txt", "csv"})


def test_limits(settings):
    with pytest.raises(UploadRejected, match="too large"):
        check_upload(bytes_upload(PDF + b"x" * 2000, "a.pdf"), DOCUMENTS, max_size=1000)
    with pytest.raises(UploadRejected, match="empty"):
        check_upload(bytes_upload(b"", "a.pdf"), DOCUMENTS)
    with pytest.raises(UploadRejected, match="XLS"):
        check_upload(bytes_upload(PDF, "a.pdf"), SPREADSHEETS)


@pytest.mark.parametrize("raw, kind, clean", [
    ("../../etc/passwd", None, "passwd"),
    ("C:\\Users\\li\\进展材料.pdf", "pdf", "进展材料.pdf"),
    ("report\u202egpj.exe", "png", "reportgpj.png"),  # the right-to-left override is dropped
    ("...", None, "file"),
    ('a<b>:"c|?*.docx', "docx", "abc.docx"),
    ("photo.php", "jpeg", "photo.jpg"),
])
def test_clean_name(raw, kind, clean):
    assert clean_name(raw, kind) == clean


def test_save_and_serve(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    stored = save_upload(bytes_upload(PNG, "../截图.png"), "progress", allowed=IMAGES)
    assert stored.name.startswith("progress/") and stored.name.endswith(".png") and "截图" not in stored.name
    assert stored.original_name == "截图.png" and stored.kind == "png"
    assert default_storage.exists(stored.name) and (tmp_path / stored.name).read_bytes() == PNG
    response = serve_file(stored.name, stored.original_name)
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PNG
    from django.http import Http404

    with pytest.raises(Http404):
        serve_file("progress/missing.png", "x.png")


def test_ole2_streams_decide_before_the_name():
    # Word and Excel 97–2003 share one container; the stream names inside tell them apart.
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 20
    word, excel = header + "WordDocument".encode("utf-16-le"), header + "Workbook".encode("utf-16-le")
    assert sniff(word, bytes_upload(word, "renamed.xls"), "renamed.xls") == "doc"
    assert sniff(excel, bytes_upload(excel, "renamed.doc"), "renamed.doc") == "xls"
    assert sniff(header, bytes_upload(header, "unknown.bin"), "unknown.bin") is None


def test_macros_are_found_in_office_zips_only():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<x/>")
        archive.writestr("xl/vbaProject.bin", b"\x00macro")
    assert has_macros(bytes_upload(buffer.getvalue(), "a.xlsx"))
    assert not has_macros(bytes_upload(office_zip("xl"), "a.xlsx"))
    assert not has_macros(bytes_upload(PDF, "a.pdf"))


def test_size_problem():
    assert size_problem(bytes_upload(PDF, "a.pdf"), 1000) is None
    assert size_problem(bytes_upload(PDF, "a.pdf"), 10) == TOO_LARGE
    assert size_problem(bytes_upload(b"", "a.pdf"), 1000) == EMPTY
