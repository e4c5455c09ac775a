"""Plans and task lists kept as .docx: the plan's text, annex headings, Word tables with merged cells."""

import datetime
import io
import json
import re
from pathlib import Path

import docx
import pytest
from django.core.management import CommandError, call_command

from duban.plans.importers.base import PlanImportError
from duban.plans.importers import read_plan_file as read_docx
from duban.plans.importers import read_plan_file as read_text
from duban.plans.models import Measure, Plan
from duban.plans.services import import_plan_file

from .conftest import SEED, SEED_MEASURES

D = datetime.date
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"

ANNEX2_HEADER = ["序号", "指标名称", "工作举措", "指标长", "牵头单位", "配合单位", "完成时限"]


def add_table(document, rows, merges=()):
    """A Word table of `rows`; merges are ((row, col), (row, col)) corners merged into one cell."""
    table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
    for (r1, c1), (r2, c2) in merges:
        table.cell(r1, c1).merge(table.cell(r2, c2))
    for i, row in enumerate(rows):
        for j, text in enumerate(row):
            if text is not None:
                table.cell(i, j).text = text
    return table


def plan_document(path):
    """A small plan as offices circulate it: the notice, the plan's items, then annex tables."""
    d = docx.Document()
    for text in [
        "测办发〔2023〕5号",
        "关于印发《测试区2023年营商环境优化提升行动方案》的通知",
        "各街道，区直各单位：现将《测试区2023年营商环境优化提升行动方案》印发给你们，请认真贯彻执行。",
        "测试区人民政府办公室",
        "2023年3月1日",
        "测试区2023年营商环境优化提升行动方案",
        "一、总体要求",
        "优化营商环境。",
        "三、主要措施",
        "1.开办企业。保持全省领先水平。（指标长：胡海；牵头单位：区市场监管局；配合单位：区税务局）",
        "2.纳税。压缩全年纳税时间。（指标长：胡海；牵头单位：区税务局）",
        "四、工作要求",
        "各单位要高度重视。",
        "附件：1.2023年测试区优化营商环境工作指标任务清单",
        "2.2023年测试区监测事项责任分解表",
        "附件 1",
        "2023年测试区优化营商环境工作指标任务清单",
    ]:
        d.add_paragraph(text)
    add_table(d, [
        ANNEX2_HEADER,
        ["1", "开办企业", "推进歇业备案制度，降低市场主体维持成本。", "胡海", "区市场监管局", "", "2023年6月30日"],
        ["2", None, "优化破产企业变更流程，推动破产重整企业登记便利化。", None, "区市场监管局", "区法院\n区税务局", "2023年10月30日"],
    ], merges=[((1, 1), (2, 1)), ((1, 3), (2, 3))])
    # Word split the annex: the rest follows in a table of its own, header repeated.
    add_table(d, [
        ANNEX2_HEADER,
        ["3", "纳税", "深化发票电子化改革。", "胡海", "区税务局", "", "2023年"],
    ])
    d.add_paragraph("测试区人民政府办公室 2023年3月1日印发")
    d.save(str(path))
    return path


# ---------------------------------------------------------------- reading


def test_reads_the_plans_particulars_and_items(tmp_path):
    plan = read_docx(plan_document(tmp_path / "方案.docx"))
    assert plan.document_number == "测办发〔2023〕5号"
    assert plan.title == "测试区2023年营商环境优化提升行动方案"
    assert plan.year == 2023
    assert plan.issue_date == D(2023, 3, 1)
    assert plan.missing_annexes == ["附件2：2023年测试区监测事项责任分解表"]
    startup, taxes = plan.areas
    assert (startup.kind, startup.number, startup.name, startup.chief) == ("indicator", 1, "开办企业", "胡海")
    assert startup.lead_units == ["区市场监管局"] and startup.cooperating_units == ["区税务局"]
    assert startup.narrative == "保持全省领先水平。"


def test_annex_tables_are_matched_to_the_items_and_split_tables_joined(tmp_path):
    plan = read_docx(plan_document(tmp_path / "方案.docx"))
    startup, taxes = plan.areas
    assert [(m.annex, m.number) for m in startup.measures] == [(1, 1), (1, 2)]
    assert [(m.annex, m.number, m.deadline, m.deadline_year_only) for m in taxes.measures] == [
        (1, 3, D(2023, 12, 31), True)]
    # Rows count within the annex's tables: the second table's row 2 is row 5.
    assert [(m.source, m.line) for m in plan.all_measures()] == [
        ("方案.docx:附件1", 2), ("方案.docx:附件1", 3), ("方案.docx:附件1", 5)]


def test_merged_cells_carry_down_and_paragraphs_in_a_cell_separate_units(tmp_path):
    plan = read_docx(plan_document(tmp_path / "方案.docx"))
    second = plan.areas[0].measures[1]
    assert second.lead_units == ["区市场监管局"]
    assert second.cooperating_units == ["区法院", "区税务局"]
    assert second.deadline == D(2023, 10, 30)
    assert not plan.warnings


def test_tables_alone_with_an_annex_heading(tmp_path):
    d = docx.Document()
    d.add_paragraph("附件2")
    d.add_paragraph("2024年某区优化营商环境工作指标任务清单")
    add_table(d, [
        ["工作举措", "序号", "指标名称", "牵头单位", "完成时限", "责任人"],
        ["推进歇业备案制度。", "1", "开办企业", "区市场监管局", "2024年6月30日", "张三"],
    ])
    d.save(str(tmp_path / "清单.docx"))
    plan = read_docx(tmp_path / "清单.docx")
    assert plan.title == "2024年某区优化营商环境工作指标任务清单"
    assert plan.year == 2024
    [measure] = plan.all_measures()
    assert (measure.annex, measure.number, measure.notes) == (2, 1, {"责任人": "张三"})


def test_a_layout_table_without_a_task_list_is_passed_over(tmp_path):
    d = docx.Document()
    add_table(d, [["测试区人民政府办公室", "2024年1月1日"]])
    d.add_paragraph("附件1")
    add_table(d, [ANNEX2_HEADER, ["1", "开办企业", "推进歇业备案制度。", "胡海", "区市场监管局", "", "2024年6月30日"]])
    d.save(str(tmp_path / "清单.docx"))
    plan = read_docx(tmp_path / "清单.docx")
    assert len(list(plan.all_measures())) == 1


def seed_as_docx(path):
    """The seed plan as a Word document: its paragraphs, and each annex as a Word table.

    Rows keep the cells the PDF's text gave them, page-break fragments included,
    so the document is as rough as the text the plan was published as.
    """
    d = docx.Document()
    rows = []

    def flush():
        if rows:
            add_table(d, [r + [None] * (max(map(len, rows)) - len(r)) for r in rows])
            rows.clear()

    in_annex = False
    for line in SEED.read_text(encoding="utf-8").split("\n"):
        text = re.sub(r"^\s*#+\s*|\*\*", "", line).strip()
        if re.fullmatch(r"附\s*件\s*\d+", text):
            flush()
            in_annex = True
        elif in_annex and "\t" in line:
            rows.append(line.split("\t"))
            continue
        elif in_annex and rows and text and not re.search(r"^-+$|印发$|办公室$", text):
            rows.append([text])  # the rest of a row, cut at a page break
            continue
        flush()
        d.add_paragraph(text)
    flush()
    d.save(str(path))
    return path


def test_the_seed_as_a_word_document_reads_as_its_text(tmp_path):
    from_word, from_text = read_docx(seed_as_docx(tmp_path / "西办发〔2023〕20号.docx")), read_text(SEED)
    for field in ("title", "year", "document_number", "issuing_bodies", "issue_date", "missing_annexes"):
        assert getattr(from_word, field) == getattr(from_text, field), field
    assert [(a.kind, a.number, a.name, a.chief, a.lead_units) for a in from_word.areas] == [
        (a.kind, a.number, a.name, a.chief, a.lead_units) for a in from_text.areas]
    assert [(t.number, t.number_inferred, t.text) for t in from_word.all_tasks()] == [
        (t.number, t.number_inferred, t.text) for t in from_text.all_tasks()]

    def measures(plan):
        return [(m.annex, m.number, m.number_inferred, m.text, m.lead_units, m.cooperating_units, m.scope_text,
                 m.deadline, m.deadline_year_only, [(x.date, x.text) for x in m.milestones])
                for m in plan.all_measures()]

    assert len(measures(from_word)) == SEED_MEASURES
    assert measures(from_word) == measures(from_text)


# ------------------------------------------------------- malformed files


def test_a_table_without_the_measure_column_is_refused_naming_it(tmp_path):
    d = docx.Document()
    d.add_paragraph("附件1")
    add_table(d, [["序号", "专项行动", "工作任务", "牵头单位", "完成时限"],
                  ["1", "降低企业成本专项行动", "进一步破除隐性门槛。", "区发改委", "2023年10月31日"]])
    d.save(str(tmp_path / "清单.docx"))
    with pytest.raises(PlanImportError) as error:
        read_docx(tmp_path / "清单.docx")
    assert "清单.docx" in str(error.value) and "附件1" in str(error.value) and "工作举措" in str(error.value)


@pytest.mark.parametrize("content", [PNG, b"", b"PK\x03\x04" + b"\x00" * 40])
def test_files_that_are_not_word_documents_are_refused(tmp_path, content):
    path = tmp_path / "方案.docx"
    path.write_bytes(content)
    with pytest.raises(PlanImportError, match=r"方案\.docx"):
        read_docx(path)


def test_a_workbook_renamed_docx_is_refused(tmp_path):
    import openpyxl

    path = tmp_path / "方案.docx"
    openpyxl.Workbook().save(path)
    with pytest.raises(PlanImportError, match=r"方案\.docx"):
        read_docx(path)


def test_a_document_without_tables_or_items_is_refused(tmp_path):
    d = docx.Document()
    d.add_paragraph("会议纪要")
    d.save(str(tmp_path / "纪要.docx"))
    with pytest.raises(PlanImportError, match=r"纪要\.docx"):
        read_docx(tmp_path / "纪要.docx")


# ------------------------------------------------------ through services


@pytest.mark.django_db
def test_import_plan_file_saves_a_docx(tmp_path):
    summary = import_plan_file(plan_document(tmp_path / "方案.docx"), keep_source=False)
    plan = Plan.objects.get(pk=summary["plan"])
    assert plan.document_number == "测办发〔2023〕5号"
    assert (summary["areas"], summary["measures"]) == (2, 3)
    measure = Measure.objects.get(plan=plan, annex=1, number=2)
    assert [u.name for u in measure.ordered_cooperating_units()] == ["区法院", "区税务局"]
    assert measure.area.chief.name == "胡海"


@pytest.mark.django_db
def test_import_plan_command_reads_docx_and_refuses_a_png(tmp_path):
    out = io.StringIO()
    call_command("import_plan", str(plan_document(tmp_path / "方案.docx")), "--format", "json", stdout=out)
    assert json.loads(out.getvalue())["measures"] == 3
    bad = tmp_path / "坏.docx"
    bad.write_bytes(PNG)
    with pytest.raises(CommandError, match=r"坏\.docx"):
        call_command("import_plan", str(bad), stdout=io.StringIO())
    assert Plan.objects.count() == 1


def test_a_prose_plan_written_in_word_reads_as_prose(tmp_path):
    """The same 任务分工方案 as paragraphs of a .docx gives what its text gives."""
    from docx import Document

    from .plan_files import read_text_plan as parse_text

    text = (Path(__file__).parent / "data" / "yunxi-2025-task-division.txt").read_text(encoding="utf-8")
    document = Document()
    for line in text.splitlines():
        document.add_paragraph(line.lstrip("#* ").replace("**", ""))
    path = tmp_path / "分工方案.docx"
    document.save(path)
    from_word, from_text = read_docx(path), parse_text(text, "yunxi.txt")
    assert len(list(from_word.all_measures())) == len(list(from_text.all_measures())) > 10
    word, plain = list(from_word.all_measures())[3], list(from_text.all_measures())[3]
    assert (word.lead_units, word.cooperating_units, word.deadline) == (
        plain.lead_units, plain.cooperating_units, plain.deadline)
