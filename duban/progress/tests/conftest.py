"""Fixtures for progress tests: the small plan, a round, the cast around it, files.

On top of duban/conftest.py's cast:
- ``scjg_head`` approves 区市场监管局's reports; ``zsj_reporter`` co-leads measure 2-2;
- ``tax_cooperator`` (区税务局) cooperates on 2-2 and is an outsider everywhere else;
- ``fgw_reporter`` (区发改委) leads 1-1 only: the outsider to 市场监管局's reports;
- ``leader_user`` is 胡海, chief of 开办企业 and 纳税 (not of 降低企业成本专项行动).
"""

import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from duban.accounts.models import Role
from duban.conftest import make_user
from duban.plans.models import Unit
from duban.plans.tests import factories
from duban.progress import services
from duban.progress.models import ReportingRound

# A round opened on Monday 3 April 2023, five working days: 4, 6, 7, 10, 11 April
# (5 April is 清明节), so due on Tuesday 11 April.
OPENED_ON = datetime.date(2023, 4, 3)
DUE_ON = datetime.date(2023, 4, 11)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Argon2 costs a second a user on a busy test machine; these tests are not about passwords.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Assertions read the English msgids, whatever the zh-Hans catalogue holds by now.
    settings.LANGUAGE_CODE = "en"
    return settings.MEDIA_ROOT


@pytest.fixture
def ledger(units):
    return factories.small_plan()


@pytest.fixture
def round_(ledger, office):
    return services.open_round(
        ledger.plan, ReportingRound.Kind.BIMONTHLY, datetime.date(2023, 4, 1), opened_by=office,
        opened_on=OPENED_ON, due_workdays=5,
    )


@pytest.fixture
def report(round_, ledger):
    """区市场监管局's report on 2-2 (co-led with 区政数局, 区税务局 cooperating)."""
    return round_.reports.get(measure=ledger.a2_2)


@pytest.fixture
def zsj_reporter(ledger):
    return make_user("zsj_reporter", Role.REPORTER, Unit.objects.get(name="区政数局"))


@pytest.fixture
def tax_cooperator(units):
    return make_user("tax_cooperator", Role.COOPERATOR, units["tax"])


@pytest.fixture
def fgw_reporter(ledger):
    return make_user("fgw_reporter", Role.REPORTER, Unit.objects.get(name="区发改委"))


def pdf_bytes(text="progress"):
    return (b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% " + text.encode() + b"\ntrailer << >>\n%%EOF\n")


def docx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def xlsx_bytes(macros=False):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        if macros:
            archive.writestr("xl/vbaProject.bin", b"\x00" * 16)
    return buffer.getvalue()


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 20
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20
OLE2_DOC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100 + "WordDocument".encode("utf-16-le") + b"\x00" * 50


def upload(name="进展佐证.pdf", content=None, content_type="application/pdf"):
    return SimpleUploadedFile(name, pdf_bytes() if content is None else content, content_type=content_type)


CONTENT = {
    "progress": "in_progress",
    "percent": 40,
    "done_text": "已完成系统改造方案。",
    "problems": "",
    "needs_coordination": False,
    "reason": "",
    "next_steps": "6月底前上线。",
}


def write(report, user, **changes):
    """Save a draft with CONTENT plus changes, at the report's current version."""
    return services.save_draft(report, user, {**CONTENT, **changes}, report.version)
