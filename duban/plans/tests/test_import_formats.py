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


# ---------------------------------------------------------------------- OFD

ACTIONS = [("政务服务提升专项行动", "县行政审批局", "县数据局"), ("要素保障专项行动", "县发改委", "县财政局、县自然资源局")]


def qingshi_ofd(path):
    """青石县's 2025 plan as an OFD: the notice, the body's two actions, and an annex table (tasks
    merged over their measures) that runs over onto the next page."""
    from .plan_files import OfdPrinter

    ofd = OfdPrinter(running_header="青石县人民政府办公室")
    ofd.paragraph("青政办发〔2025〕3号", indent=False, centre=True)
    ofd.paragraph("青石县人民政府办公室关于印发《青石县2025年优化营商环境专项行动方案》的通知", indent=False)
    ofd.paragraph("各乡镇人民政府，县直各单位：", indent=False)
    ofd.paragraph("现将《青石县2025年优化营商环境专项行动方案》印发给你们，请认真贯彻执行。")
    ofd.paragraph("青石县人民政府办公室", indent=False, centre=True)
    ofd.paragraph("2025年2月10日", indent=False, centre=True)
    ofd.paragraph("青石县2025年优化营商环境专项行动方案", indent=False, centre=True)
    ofd.paragraph("一、总体要求")
    ofd.paragraph("以企业满意为导向，聚焦政务服务和要素保障两个方面，推动营商环境持续改善，这一段在页面上折成两行以上。")
    ofd.paragraph("三、主要措施")
    for n, (action, lead, cooperating) in enumerate(ACTIONS, start=1):
        ofd.paragraph(f"{n}.{action}。围绕企业办事的堵点难点推进改革。（牵头领导：李华；牵头单位：{lead}；配合单位："
                      f"{cooperating}）")
    ofd.new_page()
    ofd.paragraph("附件1", indent=False)
    ofd.paragraph("青石县2025年优化营商环境专项行动任务清单", indent=False, centre=True)
    rows, task, measure = [], 0, 0
    for action, lead, cooperating in ACTIONS:
        for t in range(3):
            task += 1
            for k in range(3):
                measure += 1
                first = k == 0
                rows.append([str(task) if first else None, action if first and t == 0 else None,
                             f"{action[:4]}第{t + 1}项任务，完善制度机制。" if first else None,
                             f"{k + 1}.落实{action[:4]}任务{t + 1}的第{k + 1}项举措，形成可复制的经验做法并按月报送进展。",
                             lead if first else None, cooperating, f"2025年{6 + k}月30日"])
    ofd.table(["序号", "专项行动", "工作任务", "工作举措", "牵头单位", "配合单位", "完成时限"], rows,
              [10, 22, 30, 46, 18, 18, 16])
    return ofd.save(path, title="青石县2025年优化营商环境专项行动方案")


def test_ofd_plan_is_read_from_its_xml(tmp_path):
    plan = read_plan_file(qingshi_ofd(tmp_path / "青石县方案.ofd"))
    assert (plan.title, plan.year, plan.document_number, plan.issue_date) == (
        "青石县2025年优化营商环境专项行动方案", 2025, "青政办发〔2025〕3号", D(2025, 2, 10))
    assert [(a.number, a.name, a.chief, a.lead_units) for a in plan.areas] == [
        (1, "政务服务提升专项行动", "李华", ["县行政审批局"]), (2, "要素保障专项行动", "李华", ["县发改委"])]
    for area in plan.areas:
        assert [t.number for t in area.tasks] == ([1, 2, 3] if area.number == 1 else [4, 5, 6])
        assert all([m.number for m in t.measures] == [1, 2, 3] for t in area.tasks)
        assert all(m.lead_units == area.lead_units for m in area.all_measures())  # merged lead carried
    services, factors = plan.areas
    assert factors.tasks[0].measures[0].cooperating_units == ["县财政局", "县自然资源局"]
    assert [m.deadline for m in services.tasks[0].measures] == [D(2025, 6, 30), D(2025, 7, 30), D(2025, 8, 30)]
    pages = {m.at.page for m in plan.all_measures()}
    assert len(pages) >= 2 and min(pages) == 2  # the table runs over onto the next page
    assert not plan.warnings


def test_ofd_page_furniture_dropped(tmp_path):
    document = read_document(qingshi_ofd(tmp_path / "青石县方案.ofd"))
    texts = [b.text for b in document.blocks if isinstance(b, Paragraph)]
    assert not any(t.startswith("—") or t == "青石县人民政府办公室" and b.at.line == 1
                   for t, b in zip(texts, document.paragraphs()))
    assert "以企业满意为导向，聚焦政务服务和要素保障两个方面，推动营商环境持续改善，这一段在页面上折成两行以上。" in texts
    assert document.title == "青石县2025年优化营商环境专项行动方案"


@pytest.mark.parametrize("damage, message", [
    (lambda archive: None, "OFD.xml is missing"),
    (lambda archive: archive.writestr("OFD.xml", "<ofd:OFD xmlns:ofd='x'><broken"), "OFD.xml is not valid XML"),
])
def test_broken_ofd_is_refused_naming_the_part(tmp_path, damage, message):
    import zipfile

    path = tmp_path / "坏.ofd"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("Doc_0/Document.xml", "<x/>")
        damage(archive)
    with pytest.raises(PlanImportError, match=f"坏.ofd: .*{message}"):
        read_plan_file(path)


def test_zip_bomb_is_refused_before_it_is_unpacked(tmp_path):
    import zipfile

    path = tmp_path / "炸弹.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"0" * (40 * 1024 * 1024))
    with pytest.raises(PlanImportError, match="炸弹.docx: its part word/document.xml unpacks 1028 times larger"):
        read_plan_file(path)


def test_file_larger_than_a_plan_is_refused(tmp_path, settings):
    settings.DUBAN_PLAN_MAX_BYTES = 1000
    path = tmp_path / "大.txt"
    path.write_bytes("一、".encode() * 1000)
    with pytest.raises(PlanImportError, match="大.txt: the file is 0.0 MB; a plan file may be at most 0.0 MB"):
        read_plan_file(path)


# ---------------------------------------------------------- .doc, .wps, .docx


PROSE_PLAN = [
    "湖滨区人民政府办公室",
    "湖府办〔2024〕15号",
    "湖滨区优化营商环境任务分工方案",
    "为推动营商环境持续改善，制定本方案。",
    "一、提升政务服务效能",
    "1.推行企业开办“一日办结”。（牵头单位：区市场监管局；配合单位：区税务局；完成时限：2024年6月30日）",
    "2.深化“一网通办”改革，网上可办率达到98%。（区数据局牵头，区直各有关单位配合，2024年9月底前完成）",
    "二、强化要素保障",
    "3.开展政银企对接活动不少于4场。（牵头单位：区金融办；完成时限：年底前）",
]


def prose_docx(path):
    document = docx.Document()
    for text in PROSE_PLAN:
        document.add_paragraph(text)
    document.save(str(path))
    return path


def assert_prose_plan(plan):
    assert (plan.title, plan.year, plan.document_number) == ("湖滨区优化营商环境任务分工方案", 2024, "湖府办〔2024〕15号")
    assert [a.name for a in plan.areas] == ["提升政务服务效能", "强化要素保障"]
    first, second, third = plan.all_measures()
    assert (first.lead_units, first.cooperating_units, first.deadline) == (["区市场监管局"], ["区税务局"], D(2024, 6, 30))
    assert (second.lead_units, second.scope_text, second.deadline) == (["区数据局"], "区直各有关单位", D(2024, 9, 30))
    assert (third.lead_units, third.deadline) == (["区金融办"], D(2024, 12, 31))


def test_docx_written_as_prose_paragraphs(tmp_path):
    plan = read_plan_file(prose_docx(tmp_path / "分工方案.docx"))
    assert_prose_plan(plan)
    first = next(plan.all_measures())
    assert first.at.paragraph == 6 and str(first.at) == "分工方案.docx 第6段"


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def office_doc(tmp_path, suffix):
    """The prose plan saved by LibreOffice as an old Word file (.doc), named with `suffix`."""
    source = prose_docx(tmp_path / "source.docx")
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless", "--convert-to",
                    "doc", "--outdir", str(tmp_path / "out"), str(source)], check=True, capture_output=True, timeout=180)
    path = tmp_path / f"分工方案{suffix}"
    (tmp_path / "out" / "source.doc").rename(path)
    return path


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (Debian libreoffice-writer-nogui) is not installed")
@pytest.mark.parametrize("suffix", [".doc", ".wps"])
def test_doc_and_wps_are_converted_by_libreoffice(tmp_path, suffix):
    path = office_doc(tmp_path, suffix)
    plan = read_plan_file(path)
    assert_prose_plan(plan)
    assert plan.source_name == f"分工方案{suffix}"
    assert next(plan.all_measures()).at.source == f"分工方案{suffix}"


def test_doc_without_libreoffice_names_the_package(tmp_path, monkeypatch):
    from duban.plans.importers.formats import converted

    monkeypatch.setattr(converted, "soffice", lambda: None)
    path = tmp_path / "方案.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0 old word")
    with pytest.raises(PlanImportError, match="方案.doc: .doc files are read through LibreOffice, which is not installed "
                                              r"here \(Debian package libreoffice-writer-nogui\)"):
        read_plan_file(path)


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (Debian libreoffice-writer-nogui) is not installed")
def test_doc_that_libreoffice_cannot_convert_is_refused(tmp_path):
    path = tmp_path / "坏.doc"
    path.write_bytes(b"\x00\x01 this is no document at all" * 10)
    with pytest.raises(PlanImportError, match="坏.doc: "):
        read_plan_file(path)


# --------------------------------------------------------------------- text


TEXT_TABLE_PLAN = """湖滨区2024年优化营商环境重点任务清单
湖府办〔2024〕16号

{rows}

湖滨区人民政府办公室
2024年3月1日
"""


@pytest.mark.parametrize("layout", ["pipes", "markdown", "tabs"])
def test_text_tables_with_pipes_or_tabs_anywhere(layout):
    rows = [["序号", "专项行动", "工作举措", "牵头单位", "配合单位", "完成时限"],
            ["1", "政务服务提升专项行动", "推行企业开办“一日办结”。", "区市场监管局", "区税务局", "2024年6月30日"],
            ["2", "", "深化“一网通办”改革。", "区数据局", "", "长期坚持"],
            ["3", "要素保障专项行动", "开展政银企对接活动。", "区金融办", "区财政局、区工信局", "2024年12月31日"]]
    if layout == "tabs":
        text = "\n".join("\t".join(row) for row in rows)
    elif layout == "pipes":
        text = "\n".join(" | ".join(row) for row in rows)
    else:
        lines = ["| " + " | ".join(row) + " |" for row in rows]
        text = "\n".join(lines[:1] + ["|---|---|---|---|---|---|"] + lines[1:])
    plan = read_text_plan(TEXT_TABLE_PLAN.format(rows=text), "清单.txt")
    assert (plan.title, plan.year, plan.document_number) == ("湖滨区2024年优化营商环境重点任务清单", 2024, "湖府办〔2024〕16号")
    assert [(a.name, [m.number for m in a.all_measures()]) for a in plan.areas] == [
        ("政务服务提升专项行动", [1, 2]), ("要素保障专项行动", [3])]
    first, second, third = plan.all_measures()
    assert first.lead_units == ["区市场监管局"] and first.cooperating_units == ["区税务局"]
    assert third.cooperating_units == ["区财政局", "区工信局"]
    line = 6 if layout == "markdown" else 5  # the Markdown rule under the header is a line too
    assert (first.line, str(first.at)) == (line, f"清单.txt 第{line}行")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (Debian libreoffice-calc-nogui) is not installed")
def test_old_excel_workbook_is_converted_by_libreoffice(tmp_path):
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "附件1"
    sheet.append(["2024年湖滨区营商环境任务清单"])
    sheet.append(["序号", "专项行动", "工作举措", "牵头单位", "完成时限"])
    sheet.append([1, "政务服务提升专项行动", "推行企业开办“一日办结”。", "区市场监管局", "2024年6月30日"])
    workbook.save(tmp_path / "清单.xlsx")
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless", "--convert-to", "xls",
                    "--outdir", str(tmp_path / "out"), str(tmp_path / "清单.xlsx")], check=True, capture_output=True,
                   timeout=180)
    plan = read_plan_file(tmp_path / "out" / "清单.xls")
    [measure] = plan.all_measures()
    assert (plan.year, measure.lead_units, measure.deadline) == (2024, ["区市场监管局"], D(2024, 6, 30))
    assert (measure.at.sheet, measure.at.row, measure.at.source) == ("附件1", 3, "清单.xls")


@pytest.mark.django_db
@pytest.mark.parametrize("name, content", [
    ("方案.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF"),
    ("方案.ofd", b"PK\x05\x06" + b"\x00" * 18),
    ("方案.docx", b"PK\x03\x04 truncated"),
])
def test_bad_files_name_themselves_and_change_nothing(tmp_path, name, content):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    from duban.plans.models import Measure, Plan, Unit

    path = tmp_path / name
    path.write_bytes(content)
    before = (Plan.objects.count(), Measure.objects.count(), Unit.objects.count())
    with pytest.raises(CommandError, match=f"^{name}: "):
        call_command("import_plan", str(path))
    assert (Plan.objects.count(), Measure.objects.count(), Unit.objects.count()) == before
