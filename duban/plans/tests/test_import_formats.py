"""Each format reader, on files made for the purpose: PDF (printed by Chromium, committed under files/),
OFD (written by plan_files.ofd_plan), .doc through LibreOffice, text with ` | ` and tab tables, .docx
written as prose. Each read through the one entry point, read_plan_file."""

from __future__ import annotations

import datetime
import shutil
import subprocess
from pathlib import Path

import docx
import pytest

from duban.plans.importers import PlanImportError, read_plan_file
from duban.plans.importers.document import Paragraph, Table
from duban.plans.importers.formats import read_document

from .plan_files import read_text_plan

FILES = Path(__file__).parent / "files"
LINJIANG = FILES / "linjiang-plan.pdf"
D = datetime.date


# ---------------------------------------------------------------------- PDF


@pytest.fixture(scope="module")
def linjiang():
    return read_plan_file(LINJIANG)


@pytest.fixture(scope="module")
def linjiang_document():
    return read_document(LINJIANG)


def test_pdf_particulars_title_without_a_year(linjiang):
    # The title names no year: it comes from the plan's own document number, not the one the preamble cites.
    assert linjiang.title == "临江县优化营商环境实施方案"
    assert linjiang.document_number == "临府办发〔2024〕8号"
    assert linjiang.year == 2024
    assert linjiang.issue_date == D(2024, 3, 5)
    assert linjiang.issuing_bodies == "临江县人民政府办公室"
    assert linjiang.missing_annexes == []


def test_pdf_body_items_and_annex_table_across_three_pages(linjiang):
    assert [(a.number, a.name, a.chief) for a in linjiang.areas] == [
        (1, "开办企业", "王立新"), (2, "办理建筑许可", "王立新"), (3, "获得电力", "王立新"), (4, "纳税", "王立新"),
        (5, "政务服务", "王立新")]
    measures = list(linjiang.all_measures())
    # 45 rows over several pages, the header repeated on each: every row once, none lost, none doubled.
    assert [m.number for m in measures] == list(range(1, 46))
    assert [len(list(a.all_measures())) for a in linjiang.areas] == [9] * 5
    assert not linjiang.warnings


def test_pdf_merged_cells_are_carried(linjiang):
    startup = linjiang.areas[0]
    # 牵头单位 is merged over each area's first three rows; 指标名称 over all nine.
    assert all(m.lead_units == ["县市场监管局"] for m in startup.all_measures())
    assert all(m.cooperating_units == ["县税务局", "县人社局"] for m in startup.all_measures())
    assert [m.deadline for m in startup.all_measures()][:3] == [D(2024, 3, 31), D(2024, 4, 30), D(2024, 5, 31)]
    services = linjiang.areas[4]
    assert all(m.scope_text == "县直各有关单位" and not m.cooperating_units for m in services.all_measures())


def test_pdf_row_cut_by_a_page_break_is_one_row(linjiang):
    cut = next(m for m in linjiang.all_measures() if m.number == 23)
    expected = "".join(f"{'推行优化压缩完善深化拓展落实建立开展'[j % 9 * 2: j % 9 * 2 + 2]}获得电力配套工作第{j + 1}步，"
                       for j in range(40)) + "确保按期完成。"
    assert cut.text == expected
    assert cut.deadline == D(2024, 7, 31) and cut.lead_units == ["县发改委"]


def test_pdf_positions_name_pages(linjiang):
    first = next(linjiang.all_measures())
    assert first.at.page == 2 and first.at.label() == "page 2" and str(first.at) == "linjiang-plan.pdf 第2页"
    assert linjiang.areas[0].at.page == 1
    assert {m.at.page for m in linjiang.all_measures()} >= {2, 3, 4, 5, 6, 7}


def test_pdf_page_furniture_dropped_and_paragraphs_joined(linjiang_document):
    texts = [b.text for b in linjiang_document.blocks if isinstance(b, Paragraph)]
    assert not any("临江县人民政府办公室文件" in t or "—" in t for t in texts)  # running header, page numbers
    assert not any("⼈" in t or "⺠" in t for t in texts)  # Kangxi radicals folded (人, 民)
    long = next(t for t in texts if t.startswith("为持续打造"))
    assert long.endswith("也不与下一段连在一起。")  # wrapped over several lines, one paragraph
    assert "一、总体要求" in texts and "三、主要措施" in texts  # headings stay paragraphs of their own
    [table] = [b for b in linjiang_document.blocks if isinstance(b, Table)]
    assert [r.texts[0] for r in table.rows].count("序号") == 1  # the header repeated on each page: once


def test_scanned_pdf_is_refused_as_a_scan():
    with pytest.raises(PlanImportError, match="scanned.pdf: this PDF is a scan"):
        read_plan_file(FILES / "scanned.pdf")


@pytest.mark.parametrize("content, message", [
    (b"%PDF-1.7\n garbage", "the PDF cannot be opened|cannot be read"),
    (b"PK\x03\x04 not a pdf", "not a PDF document"),
])
def test_broken_pdf_is_refused_naming_the_file(tmp_path, content, message):
    path = tmp_path / "坏文件.pdf"
    path.write_bytes(content)
    with pytest.raises(PlanImportError, match=f"坏文件.pdf: ({message})"):
        read_plan_file(path)
