"""The visit plan's Excel import (row-precise Chinese errors, all or nothing, bounded) and coverage figures."""

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from duban.visits import coverage, plan_import
from duban.visits.models import Company, VisitAssignment

from .conftest import client_for
from duban.conftest import HOME

pytestmark = pytest.mark.django_db

HEADER = ["干部账号", "企业名称", "统一社会信用代码", "所属街道", "企业类型", "走访时限"]


def xlsx(*rows, header=HEADER):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_plan_is_imported(cadre, other_cadre, street):
    content = xlsx(["cadre", "南昌市青云电子科技有限公司", "91350100M000100Y43", "南浦街道", "小微企业", "2026-06-30"],
                   ["cadre2", "江西赣江食品有限公司", "", "", "规上企业", datetime.datetime(2026, 9, 30)])
    result = plan_import.import_plan(content, 2026, cadre.region_id)
    assert (result.created, result.companies_created) == (2, 2)
    first = VisitAssignment.objects.get(company__name="南昌市青云电子科技有限公司")
    assert first.cadre == cadre and first.visit_by == datetime.date(2026, 6, 30)
    assert first.company.street == street and first.company.credit_code == "91350100M000100Y43"
    # The same file again changes nothing; a company moved to another cadre is reported.
    again = plan_import.import_plan(content, 2026, cadre.region_id)
    assert (again.created, again.unchanged) == (0, 2)
    moved = plan_import.import_plan(xlsx(["cadre2", "南昌市青云电子科技有限公司", "", "", "", "2026-06-30"]), 2026,
                                    cadre.region_id)
    assert moved.moved == 1 and "南昌市青云电子科技有限公司" in moved.notes[0]


@pytest.mark.zh_hans
def test_errors_name_row_and_column_in_chinese_and_nothing_is_written(cadre, street):
    content = xlsx(["cadre", "甲公司", "", "", "", ""],
                   ["nobody", "乙公司", "", "", "", ""],
                   ["cadre", "丙公司", "91350100M000100Y44", "不存在街道", "", "明年"],
                   ["cadre", "甲公司", "", "", "", ""])
    with pytest.raises(plan_import.ImportRefused) as refused:
        plan_import.import_plan(content, 2026, cadre.region_id)
    errors = refused.value.errors
    assert errors[0] == "第3行，干部账号列：本区没有在用账号“nobody”。"
    assert any(e.startswith("第4行，统一社会信用代码列：") for e in errors)
    assert "第4行，所属街道列：本区没有街道“不存在街道”。" in errors
    assert "第4行，走访时限列：“明年”不是日期（请写成2023-06-30）。" in errors
    assert "第5行，企业名称列：“甲公司”已在第2行出现。" in errors
    assert not Company.objects.exists() and not VisitAssignment.objects.exists()


@pytest.mark.zh_hans
def test_files_that_are_not_plans_are_refused_in_chinese(cadre):
    with pytest.raises(plan_import.ImportRefused) as refused:
        plan_import.import_plan(b"name,company\n", 2026, cadre.region_id)
    assert refused.value.errors == ["这不是Excel（.xlsx）文件：请另存为.xlsx后重新上传。"]
    with pytest.raises(plan_import.ImportRefused) as refused:
        plan_import.import_plan(xlsx(["cadre", "甲公司"], header=["账号", "企业名称"]), 2026, cadre.region_id)
    assert refused.value.errors == ["第1行：表头缺少“干部账号”列。"]
    with pytest.raises(plan_import.ImportRefused) as refused:
        plan_import.import_plan(b"PK\x03\x04" + b"\0" * (plan_import.MAX_BYTES + 1), 2026, cadre.region_id)
    assert "超过2 MB" in refused.value.errors[0]


def test_the_page_imports_for_the_office_only(office, cadre):
    content = xlsx(["cadre", "南昌市青云电子科技有限公司", "", "", "", ""])
    upload = SimpleUploadedFile("plan.xlsx", content)
    response = client_for(office).post("/visits/plan/", {"year": 2026, "file": upload})
    assert response.status_code == 200 and VisitAssignment.objects.count() == 1
    assert "南昌市青云电子科技有限公司" in response.content.decode()
    assert client_for(cadre).get("/visits/plan/").status_code == 403


def test_coverage_per_cadre_unit_and_street(record, cadre, other_cadre, company, street, settings):
    settings.DUBAN_TODAY = "2026-10-15T10:00"
    idle = Company.objects.create(region_id=HOME, name="江西赣江食品有限公司")
    VisitAssignment.objects.create(region_id=HOME, year=2026, cadre=other_cadre, company=idle)
    never = Company.objects.create(region_id=HOME, name="南昌洪城物流有限公司", street=street)
    VisitAssignment.objects.create(region_id=HOME, year=2026, cadre=cadre, company=never)
    record(at="2026-05-10T10:00", problems=())
    assignments = VisitAssignment.objects.all()
    rows, total = coverage.coverage(assignments, 2026, "cadre")
    by_label = {r.label: (r.visited, r.assigned) for r in rows}
    assert by_label == {"李干部": (1, 2), "王干部": (0, 1)}
    assert (total.visited, total.assigned, total.rate) == (1, 3, 33.3)
    rows, _total = coverage.coverage(assignments, 2026, "unit")
    assert [(r.label, r.visited, r.assigned) for r in rows] == [("区发改委", 1, 3)]
    rows, _total = coverage.coverage(assignments, 2026, "street")
    assert {r.label: (r.visited, r.assigned) for r in rows} == {"南浦街道": (1, 2), "—": (0, 1)}
    # Not visited for 3 months: the May visit is older than 15 July; the other two never were.
    assert [a.company.name for a in coverage.not_visited(assignments, 2026, 3)] == [
        "南昌市青云电子科技有限公司", "南昌洪城物流有限公司", "江西赣江食品有限公司"]
    assert len(coverage.not_visited(assignments, 2026, 6)) == 2
    # The cadre sees his own line only.
    page = client_for(cadre).get("/visits/coverage/?months=3").content.decode()
    assert "李干部" in page and "王干部" not in page
