"""Task lists kept as .xlsx workbooks: columns found by name, merged cells, dates, and files that are not workbooks."""

import datetime
import io
import json

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from duban.plans.importers.base import PlanImportError
from duban.plans.importers import read_plan_file as read_xlsx
from duban.plans.importers.formats.xlsx import cell_text
from duban.plans.models import Measure, Plan, Unit
from duban.plans.services import import_plan_file

D = datetime.date
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"

# Annex 1's columns in another order, with an extra column 备注.
SHUFFLED = ["工作举措", "序号", "完成时限", "牵头单位", "专项行动", "备注", "工作任务", "配合单位", "牵头区领导"]


def workbook(path, sheets, merges=()):
    """Write an .xlsx with {sheet name: rows}; merges are (sheet, range) pairs."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(list(row))
    for name, cell_range in merges:
        wb[name].merge_cells(cell_range)
    wb.save(path)
    return path


def annex1_workbook(path):
    rows = [
        ["附件1"],
        ["2023年测试区优化营商环境工作专项行动任务清单"],
        SHUFFLED,
        ["1.开展妨碍市场准入显性和隐性壁垒专项清理行动。", 1, datetime.datetime(2023, 10, 31), "区发改委", "降低企业成本专项行动",
         "重点督办", "进一步破除隐性门槛，推动降低市场主体准入成本。", "区市场监管局、各街道", "胡海"],
        ["2.优化涉企经营许可事项办理，探索实施“一业一证”改革。", None, "2023年11月30日", "区市场监管局\n区政数局", None, None,
         None, None, None],
        ["3.健全防范和化解拖欠中小企业账款长效机制。", 2, "2023年", "区中小企业局", "降低企业成本专项行动", None,
         "健全防范和化解拖欠中小企业账款长效机制。", None, "胡海"],
    ]
    # 序号, 专项行动, 工作任务 and 牵头区领导 span rows 4-5, as offices merge them.
    merges = [("任务清单", r) for r in ("B4:B5", "E4:E5", "G4:G5", "I4:I5")]
    return workbook(path, {"任务清单": rows}, merges)


# ---------------------------------------------------------------- reading


def test_columns_are_found_by_name_under_title_rows(tmp_path):
    plan = read_xlsx(annex1_workbook(tmp_path / "清单.xlsx"))
    assert plan.title == "2023年测试区优化营商环境工作专项行动任务清单"
    assert plan.year == 2023
    [area] = plan.areas
    assert (area.kind, area.name, area.chief) == ("special_action", "降低企业成本专项行动", "胡海")
    assert [(t.number, t.text) for t in area.tasks] == [
        (1, "进一步破除隐性门槛，推动降低市场主体准入成本。"), (2, "健全防范和化解拖欠中小企业账款长效机制。")]
    first, second = area.tasks[0].measures
    assert (first.annex, first.number, first.text) == (1, 1, "开展妨碍市场准入显性和隐性壁垒专项清理行动。")
    assert first.lead_units == ["区发改委"]
    assert first.cooperating_units == ["区市场监管局"]
    assert first.scope_text == "各街道"
    assert (first.source, first.line) == ("清单.xlsx:任务清单", 4)


def test_a_date_cell_is_a_deadline_and_an_extra_column_a_note(tmp_path):
    plan = read_xlsx(annex1_workbook(tmp_path / "清单.xlsx"))
    first = plan.areas[0].tasks[0].measures[0]
    assert (first.deadline, first.deadline_text, first.deadline_year_only) == (D(2023, 10, 31), "2023年10月31日", False)
    assert first.notes == {"备注": "重点督办"}
    last = plan.areas[0].tasks[1].measures[0]
    assert (last.deadline, last.deadline_year_only) == (D(2023, 12, 31), True)


def test_merged_cells_carry_down_and_line_breaks_separate_units(tmp_path):
    plan = read_xlsx(annex1_workbook(tmp_path / "清单.xlsx"))
    second = plan.areas[0].tasks[0].measures[1]
    assert second.number == 2 and second.line == 5
    assert second.lead_units == ["区市场监管局", "区政数局"]
    assert second.deadline == D(2023, 11, 30)


def test_sheet_name_gives_the_annex(tmp_path):
    path = workbook(tmp_path / "指标.xlsx", {"附件2": [
        ["序号", "指标名称", "工作举措", "指标长", "牵头单位", "配合单位", "完成时限"],
        [1.0, "开办企业", "推进歇业备案制度，降低市场主体维持成本。", "胡海", "区市场监管局", "", "2023-06-30"],
        [2, "纳税", "深化发票电子化改革。", "胡海", "区税务局", "区财政局", datetime.date(2023, 7, 31)],
    ]})
    plan = read_xlsx(path)
    assert [(a.kind, a.name) for a in plan.areas] == [("indicator", "开办企业"), ("indicator", "纳税")]
    measures = list(plan.all_measures())
    assert [(m.annex, m.number, m.deadline) for m in measures] == [(2, 1, D(2023, 6, 30)), (2, 2, D(2023, 7, 31))]
    assert plan.year == 2023  # from the deadlines: the sheet has no title


def test_a_sheet_without_a_task_list_is_skipped_with_a_warning(tmp_path):
    path = workbook(tmp_path / "清单.xlsx", {
        "说明": [["本表由区营商办汇总"]],
        "附件2": [["序号", "指标名称", "工作举措", "牵头单位", "完成时限"], [1, "开办企业", "推进歇业备案制度。", "区市场监管局", "2023年6月30日"]],
    })
    plan = read_xlsx(path)
    assert len(list(plan.all_measures())) == 1
    assert [(w.source, w.line) for w in plan.warnings] == [("清单.xlsx:说明", None)]


@pytest.mark.parametrize("value, number_format, text", [
    (None, "General", ""),
    (3.0, "General", "3"),
    (12, "General", "12"),
    (2.5, "General", "2.5"),
    (0.96, "0%", "96%"),
    (datetime.datetime(2023, 6, 30), "yyyy-mm-dd", "2023年6月30日"),
    (D(2023, 1, 5), "yyyy-mm-dd", "2023年1月5日"),
    ("  区税务局\r\n ", "General", "区税务局"),
])
def test_cell_text(value, number_format, text):
    assert cell_text(value, number_format) == text


# ------------------------------------------------------- malformed files


def test_a_png_renamed_xlsx_is_refused(tmp_path):
    path = tmp_path / "清单.xlsx"
    path.write_bytes(PNG)
    with pytest.raises(PlanImportError, match=r"清单\.xlsx.*PNG"):
        read_xlsx(path)


def test_an_empty_file_is_refused(tmp_path):
    path = tmp_path / "清单.xlsx"
    path.write_bytes(b"")
    with pytest.raises(PlanImportError, match=r"清单\.xlsx"):
        read_xlsx(path)


@pytest.mark.parametrize("content", [b"PK\x03\x04" + b"\x00" * 40, b"just some text, not a workbook\n"])
def test_a_corrupt_file_is_refused(tmp_path, content):
    path = tmp_path / "清单.xlsx"
    path.write_bytes(content)
    with pytest.raises(PlanImportError, match=r"清单\.xlsx"):
        read_xlsx(path)


def test_a_word_file_renamed_xlsx_is_refused(tmp_path):
    import docx

    path = tmp_path / "清单.xlsx"
    docx.Document().save(str(path))
    with pytest.raises(PlanImportError, match=r"清单\.xlsx"):
        read_xlsx(path)


def test_a_table_without_the_measure_column_is_refused_naming_sheet_and_column(tmp_path):
    path = workbook(tmp_path / "清单.xlsx", {"附件1": [
        ["2023年任务清单"],
        ["序号", "专项行动", "工作任务", "牵头单位", "完成时限"],
        [1, "降低企业成本专项行动", "进一步破除隐性门槛。", "区发改委", "2023年10月31日"],
    ]})
    with pytest.raises(PlanImportError) as error:
        read_xlsx(path)
    message = str(error.value)
    assert "清单.xlsx" in message and "附件1" in message and "工作举措" in message and "2" in message


def test_a_workbook_without_any_task_list_is_refused(tmp_path):
    path = workbook(tmp_path / "清单.xlsx", {"Sheet1": [["会议纪要"], ["各单位要高度重视。"]]})
    with pytest.raises(PlanImportError, match=r"清单\.xlsx.*工作举措"):
        read_xlsx(path)


# ------------------------------------------------------ through services


@pytest.mark.django_db
def test_import_plan_file_saves_an_xlsx(tmp_path):
    summary = import_plan_file(annex1_workbook(tmp_path / "清单.xlsx"), keep_source=False)
    plan = Plan.objects.get(pk=summary["plan"])
    assert (summary["areas"], summary["tasks"], summary["measures"]) == (1, 2, 3)
    measure = Measure.objects.get(plan=plan, annex=1, number=2)
    assert [u.name for u in measure.ordered_lead_units()] == ["区市场监管局", "区政数局"]
    assert measure.source == "清单.xlsx:任务清单" and measure.source_line == 5


@pytest.mark.django_db
def test_import_plan_command_reads_xlsx_as_json(tmp_path):
    out = io.StringIO()
    call_command("import_plan", str(annex1_workbook(tmp_path / "清单.xlsx")), "--format", "json", "--dry-run", stdout=out)
    summary = json.loads(out.getvalue())
    assert (summary["areas"], summary["tasks"], summary["measures"]) == (1, 2, 3)
    assert not Plan.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("content", [PNG, b""])
def test_import_plan_command_refuses_a_bad_file_and_changes_nothing(tmp_path, content):
    import_plan_file(annex1_workbook(tmp_path / "good.xlsx"), keep_source=False)
    before = (Plan.objects.count(), Measure.objects.count(), Unit.objects.count())
    path = tmp_path / "bad.xlsx"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=r"bad\.xlsx"):
        call_command("import_plan", str(path), stdout=io.StringIO())
    assert (Plan.objects.count(), Measure.objects.count(), Unit.objects.count()) == before


@pytest.mark.django_db
def test_a_missing_column_leaves_the_database_unchanged(tmp_path):
    path = workbook(tmp_path / "清单.xlsx", {"附件1": [
        ["序号", "专项行动", "工作任务", "牵头单位", "完成时限"],
        [1, "降低企业成本专项行动", "进一步破除隐性门槛。", "区发改委", "2023年10月31日"],
    ]})
    before = (Plan.objects.count(), Unit.objects.count())
    with pytest.raises(CommandError, match="工作举措"):
        call_command("import_plan", str(path), stdout=io.StringIO())
    assert (Plan.objects.count(), Unit.objects.count()) == before


def test_cells_merged_down_give_their_units_and_deadline_to_each_row_and_a_blank_cell_stays_blank(tmp_path):
    """A lead unit or deadline merged over two rows is printed for both (as Word and PDF read it); a blank
    cooperating cell beside it is blank, not the row above's."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "附件1"
    ws.append(["某县2025年优化营商环境任务清单"])
    ws.merge_cells("A1:F1")
    ws.append(["序号", "重点领域", "具体举措", "牵头单位", "配合单位", "完成时限"])
    ws.append([1, "法治环境", "推行包容审慎监管。", "县司法局", "县直各有关部门", "2025年9月底前"])
    ws.append([2, None, "开展涉企执法检查。", None, None, None])
    ws.merge_cells("B3:B4")
    ws.merge_cells("D3:D4")
    ws.merge_cells("F3:F4")
    path = tmp_path / "清单.xlsx"
    wb.save(path)
    first, second = read_xlsx(path).all_measures()
    assert (second.lead_units, second.cooperating_units, second.scope_text) == (["县司法局"], [], "")
    assert first.deadline == second.deadline == datetime.date(2025, 9, 30)
    assert not second.notes.get("deadline_missing")
