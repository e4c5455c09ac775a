"""Bulk import of reviews (.xlsx or CSV): a dry run first, every problem named by row and column, all or nothing."""

import io
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from duban.hotline.models import Rectification, Review, ReviewImport
from duban.hotline.review_import import check_file, import_file

from .conftest import client_for

pytestmark = pytest.mark.django_db

HEADER = ["评价编号", "评价时间", "评价部门", "服务窗口", "事项名称", "评价等级", "评价内容", "评价人", "联系电话", "评价渠道"]
ROWS = [
    ["HC2026090001", "2026-09-28 10:15:00", "区市场监管局", "3号窗口", "食品经营许可", "非常满意", "", "赵六", "13700001234", "窗口"],
    ["HC2026090002", "2026/9/28 11:02", "区税务局", "", "发票申领", "满意", "", "", "", "网上"],
    ["HC2026090003", "2026-09-29 09:40", "区市场监管局", "3号窗口", "营业执照变更", "不满意", "等了两小时", "钱七", "139 0000 1111", "移动端"],
]


def csv_bytes(rows, header=HEADER, encoding="utf-8-sig"):
    lines = [",".join(header)] + [",".join(row) for row in rows]
    return ("\n".join(lines) + "\n").encode(encoding)


def xlsx_bytes(rows, header=HEADER):
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture(autouse=True)
def now(clock_at):
    return clock_at("2026-09-30T10:00")


def test_a_clean_csv_imports_every_row(units, office):
    batch = import_file(csv_bytes(ROWS), "reviews.csv", office)
    assert batch.state == ReviewImport.State.IMPORTED and batch.row_count == 3 and batch.bad_count == 1
    assert Review.objects.count() == 3
    bad = Review.objects.get(external_ref="HC2026090003")
    assert (bad.unit, bad.level, bad.reviewer_mobile, bad.channel) == (units["scjg"], 2, "13900001111", "mobile")
    assert Rectification.objects.get().review == bad
    assert Review.objects.get(external_ref="HC2026090002").unit == units["tax"]


def test_xlsx_and_gb18030_csv_read_the_same(units, office):
    def check(content, name):
        return check_file(content, name, region_id=office.region_id)

    assert check(xlsx_bytes(ROWS), "r.xlsx").rows == check(csv_bytes(ROWS), "r.csv").rows
    assert check(csv_bytes(ROWS, encoding="gb18030"), "r.csv").rows == check(csv_bytes(ROWS), "r.csv").rows


def test_problems_name_the_row_and_column_and_nothing_is_imported(units, office):
    rows = [list(r) for r in ROWS]
    rows[0][5] = "很好"                 # row 2: level
    rows[1][2] = "区不存在局"           # row 3: unit
    rows[2][1] = "昨天"                 # row 4: time
    rows[2][8] = "12345"                # row 4: mobile
    rows.append(list(ROWS[0]))          # row 5: the same review number as row 2
    rows.append(["HC2026100001", "2026-10-09 09:00", "区市场监管局", "", "", "满意", "", "", "", ""])  # future, no matter
    batch = import_file(csv_bytes(rows), "reviews.csv", office)
    assert batch.state == ReviewImport.State.REFUSED
    assert [e["text"] for e in batch.errors] == [
        "Row 2, column 评价等级: “很好” is not one of 非常满意, 满意, 基本满意, 不满意, 非常不满意 (or 5 to 1).",
        "Row 3, column 评价部门: “区不存在局” is not a unit in the directory (add it, or an alias, first).",
        "Row 4, column 评价时间: “昨天” is not a date and time such as 2026-03-02 10:15.",
        "Row 4, column 联系电话: “12345” is not an 11-digit mobile number.",
        "Row 5, column 评价编号: review HC2026090001 appears twice (also in row 2).",
        "Row 6, column 评价时间: 2026-10-09 09:00 is in the future.",
        "Row 6, column 事项名称: the matter is missing.",
    ]
    assert not Review.objects.exists() and not Rectification.objects.exists()
    assert batch.content == b"", "a refused file is not kept"


def test_missing_columns_and_unreadable_files(office, units):
    batch = import_file(csv_bytes(ROWS, header=["编号", "时间", "部门"] + HEADER[3:4]), "r.csv", office)
    assert [e["text"] for e in batch.errors] == [
        "Row 1, column 事项名称: this column is missing (the header row must name it).",
        "Row 1, column 评价等级: this column is missing (the header row must name it).",
    ]
    old_xls = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600
    assert "neither an .xlsx workbook nor a CSV" in import_file(old_xls, "r.xls", office).errors[0]["text"]
    broken = b"PK\x03\x04" + b"\x00" * 100
    assert "is not a readable .xlsx workbook" in import_file(broken, "r.xlsx", office).errors[0]["text"]
    assert import_file(b"", "empty.csv", office).errors[0]["text"] == "The file is empty."
    assert not Review.objects.exists()


def test_the_same_reviews_or_file_twice_are_refused(office, units):
    import_file(csv_bytes(ROWS[:1]), "a.csv", office)
    again = import_file(csv_bytes(ROWS[:1]), "a.csv", office)
    texts = [e["text"] for e in again.errors]
    assert texts[0].startswith("This file was already imported on 2026-09-30 10:00")
    assert "Row 2, column 评价编号: review HC2026090001 has already been imported." in texts
    assert Review.objects.count() == 1


def test_web_upload_is_a_dry_run_until_confirmed(office, scjg_reporter, units):
    client = client_for(office)
    response = client.post("/hotline/reviews/import/", {"file": SimpleUploadedFile("reviews.xlsx", xlsx_bytes(ROWS))})
    batch = ReviewImport.objects.get()
    assert response.status_code == 302 and response.url == batch.get_absolute_url()
    assert batch.state == ReviewImport.State.CHECKED and not Review.objects.exists()
    page = client.get(batch.get_absolute_url()).content.decode()
    assert "3 reviews are ready to import" in page
    assert client_for(scjg_reporter).post(f"/hotline/reviews/import/{batch.pk}/confirm/").status_code == 403
    client.post(f"/hotline/reviews/import/{batch.pk}/confirm/")
    batch.refresh_from_db()
    assert batch.state == ReviewImport.State.IMPORTED and Review.objects.count() == 3
    response = client.post(f"/hotline/reviews/import/{batch.pk}/confirm/", follow=True)
    assert "Only a checked file that has not been imported can be imported." in response.content.decode()
    assert Review.objects.count() == 3


def test_web_upload_shows_the_problems(office, units):
    rows = [list(ROWS[0])]
    rows[0][5] = "很好"
    client = client_for(office)
    response = client.post("/hotline/reviews/import/", {"file": SimpleUploadedFile("r.csv", csv_bytes(rows))}, follow=True)
    page = response.content.decode()
    assert "1 problem; nothing was imported." in page and "Row 2, column 评价等级" in page
    assert "Import now" not in page


def test_command_dry_run_and_import(tmp_path, office, units):
    path = tmp_path / "reviews.csv"
    path.write_bytes(csv_bytes(ROWS))
    out = StringIO()
    call_command("import_reviews", str(path), "--user", "office", "--dry-run", stdout=out)
    assert "would import 3 reviews (1 bad" in out.getvalue() and not Review.objects.exists()
    call_command("import_reviews", str(path), "--user", "office", stdout=out)
    assert Review.objects.count() == 3
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_reviews", str(path), "--user", "office", stdout=out, stderr=StringIO())
    with pytest.raises(CommandError, match="no such account"):
        call_command("import_reviews", str(path), "--user", "nobody")
