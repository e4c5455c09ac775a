"""Evidence files are checked by content: the name must agree with what is inside."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from duban.progress.evidence import check_evidence

from .conftest import JPEG, OLE2_DOC, PNG, docx_bytes, pdf_bytes, xlsx_bytes


def up(name, content):
    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize("name, content, kind", [
    ("方案.pdf", pdf_bytes(), "pdf"),
    ("台账.docx", docx_bytes(), "word"),
    ("旧格式.doc", OLE2_DOC, "word"),
    ("台账.xlsx", xlsx_bytes(), "excel"),
    ("现场.png", PNG, "png"),
    ("现场.JPG", JPEG, "jpeg"),
    ("现场.jpeg", JPEG, "jpeg"),
])
def test_accepted(name, content, kind):
    checked = check_evidence(up(name, content))
    assert checked.kind == kind and checked.size == len(content) and len(checked.sha256) == 64


@pytest.mark.parametrize("name, content, message", [
    ("病毒.exe", b"MZ\x90\x00", "only PDF, Word (.docx, .doc), Excel (.xlsx, .xls) and PNG or JPEG images are accepted"),
    ("页面.pdf", b"<html><script>alert(1)</script></html>", "页面.pdf is not a real PDF file"),
    ("伪装.docx", pdf_bytes(), "伪装.docx is named as a Word file but its content is PDF"),
    ("表格.docx", xlsx_bytes(), "表格.docx is named as a Word file but its content is Excel"),
    ("宏.xlsx", xlsx_bytes(macros=True), "The file contains macros"),
    ("压缩包.xlsx", b"PK\x03\x04not really a zip", "压缩包.xlsx is not a real Excel file"),
    ("空.pdf", b"", "空.pdf is empty."),
])
def test_refused_with_a_reason(name, content, message):
    with pytest.raises(ValidationError) as excinfo:
        check_evidence(up(name, content))
    assert message in excinfo.value.messages[0]


def test_size_limit_comes_from_the_setting(settings):
    settings.DUBAN_EVIDENCE_MAX_BYTES = 100
    with pytest.raises(ValidationError) as excinfo:
        check_evidence(up("大文件.pdf", pdf_bytes("x" * 200)))
    assert "evidence files may be at most 100" in excinfo.value.messages[0]
