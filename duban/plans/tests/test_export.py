"""`duban export-ledger`: the ledger as an .xlsx in the annexes' layout, and back again.

The round trip is the promise: export a plan, import the file, and the ledger
is the same — areas with their kinds, chiefs, units and body text, tasks,
measures with their numbers, ordered lead units, cooperating units, scope,
deadlines as printed, year-only flags, notes, milestones and where each came from.
"""

import datetime
import io
import json

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from duban.plans.exporters import export_ledger_xlsx, ledger_filename
from duban.plans.importers import read_plan_file as read_xlsx
from duban.plans.models import Area, Leader, Measure, Plan, Unit, UnitAlias
from duban.plans.services import import_plan_file
from duban.plans.units import import_unit_directory

from . import factories
from .conftest import SEED, SEED_MEASURES, UNITS

pytestmark = pytest.mark.django_db

D = datetime.date


def names(units):
    return [u.name for u in units]


def measure_snapshot(m):
    return {
        "task": (m.task.number, m.task.number_inferred, m.task.text, m.task.source, m.task.source_line)
        if m.task else None,
        "annex": m.annex, "number": m.number, "number_inferred": m.number_inferred, "text": m.text,
        "lead": names(m.ordered_lead_units()), "cooperating": names(m.ordered_cooperating_units()),
        "scope": m.scope_text, "deadline": m.deadline, "deadline_text": m.deadline_text,
        "year_only": m.deadline_year_only, "ongoing": m.ongoing, "notes": m.notes, "source": (m.source, m.source_line),
        "milestones": [(x.date, x.text) for x in m.milestones.all()],
    }


def snapshot(plan):
    """Everything the ledger holds about a plan, by name, in printed order."""
    plan = Plan.objects.get(pk=plan.pk)
    areas = []
    for area in plan.areas.order_by("position"):
        areas.append({
            "kind": area.kind, "number": area.number, "name": area.name,
            "chief": area.chief.name if area.chief else None,
            "responsible": area.responsible_unit.name if area.responsible_unit else None,
            "lead": sorted(names(area.lead_units.all())), "cooperating": sorted(names(area.cooperating_units.all())),
            "scope": area.scope_text, "benchmarks": area.benchmarks, "target": area.target_text,
            "pilots": area.pilots, "narrative": area.narrative, "attribution": area.attribution_text,
            "annex_names": area.annex_names,
            "source": (area.source, area.source_line),
            "campaigns": [(c.name, sorted(names(c.lead_units.all()))) for c in area.campaigns.order_by("position")],
            "tasks": [(t.number, t.number_inferred, t.text) for t in area.tasks.order_by("position")],
            "measures": [measure_snapshot(m) for m in area.measures.order_by("position")],
        })
    return {
        "plan": (plan.title, plan.year, plan.document_number, plan.issuing_bodies, plan.issue_date,
                 plan.missing_annexes),
        "areas": areas,
    }


def _diff(a, b, path=""):
    """Where two snapshots differ, as readable paths, for the assertion message."""
    if isinstance(a, dict) and isinstance(b, dict):
        for k in set(a) | set(b):
            yield from _diff(a.get(k), b.get(k), f"{path}.{k}")
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b)):
            yield from _diff(x, y, f"{path}[{i}]")
    elif a != b:
        yield f"{path}: {a!r} != {b!r}"


def export_to(tmp_path, plan, name="ledger.xlsx"):
    path = tmp_path / name
    path.write_bytes(export_ledger_xlsx(plan))
    return path


def reimport(path, **options):
    summary = import_plan_file(path, keep_source=False, **options)
    return Plan.objects.get(pk=summary["plan"]), summary


def clear_database():
    Plan.objects.all().delete()
    UnitAlias.objects.all().delete()
    Unit.objects.filter(users__isnull=True).delete()
    Leader.objects.filter(users__isnull=True).delete()


# ------------------------------------------------------------- the layout


def test_workbook_has_plan_areas_and_one_sheet_per_annex(tmp_path):
    small = factories.small_plan()
    workbook = openpyxl.load_workbook(export_to(tmp_path, small.plan))
    assert workbook.sheetnames == ["方案", "工作领域", "附件1", "附件2"]
    plan_rows = {row[0]: row[1] for row in workbook["方案"].iter_rows(min_row=2, values_only=True)}
    assert plan_rows["标题"] == small.plan.title
    assert plan_rows["年度"] == 2023
    assert plan_rows["印发日期"] == "2023年8月7日"
    assert plan_rows["缺失附件"] == "附件3：2023年全省营商环境评价测试区监测事项责任分解表"


def test_annex1_sheet_keeps_the_annex_columns_with_the_measure_number_in_front(tmp_path):
    small = factories.small_plan()
    ws = openpyxl.load_workbook(export_to(tmp_path, small.plan))["附件1"]
    header = [c.value for c in ws[1]]
    assert header[:9] == ["序号", "专项行动", "牵头区领导", "总责任单位", "工作任务", "工作举措", "牵头单位", "配合单位", "完成时限"]
    rows = [dict(zip(header, r)) for r in ws.iter_rows(min_row=2, values_only=True)]
    assert [r["序号"] for r in rows] == [1, 1, 2]
    assert rows[0]["专项行动"] == "降低企业成本专项行动"
    assert rows[0]["牵头区领导"] == "万勇"
    assert rows[0]["总责任单位"] == "区发改委"
    assert rows[0]["工作举措"] == "1.开展妨碍市场准入显性和隐性壁垒专项清理行动。"
    assert rows[2]["牵头单位"] == "区财政局、区金融服务中心"
    assert rows[1]["完成时限"] == "2023年11月30日"
    assert rows[1]["时间节点安排"].splitlines() == [
        "2023年7月31日：7月31日前，印发实施方案", "2023年8月31日：8月31日前，完成系统改造", "2023年11月30日：11月30日前，全面推行"]
    assert rows[2]["序号推断"] == "任务、举措"


def test_annex2_sheet_keeps_the_indicator_columns_and_text_notes(tmp_path):
    small = factories.small_plan()
    ws = openpyxl.load_workbook(export_to(tmp_path, small.plan))["附件2"]
    header = [c.value for c in ws[1]]
    assert header[:10] == ["序号", "指标名称", "对标城市", "预期目标", "创新试点项目", "工作举措", "指标长", "牵头单位", "配合单位",
                           "完成时限"]
    assert "备注" in header
    rows = [dict(zip(header, r)) for r in ws.iter_rows(min_row=2, values_only=True)]
    assert [r["序号"] for r in rows] == [1, 2, 3]
    assert rows[1]["牵头单位"] == "区市场监管局、区政数局"
    assert rows[1]["配合单位"] == "区税务局、区人民法院"
    assert rows[1]["范围"] == "各街道"
    assert rows[1]["备注"] == "与附件1第50条相关"
    assert rows[0]["对标城市"] == "广州越秀区、杭州西湖区"
    assert rows[2]["完成时限"] == "2023年"
    record = json.loads(rows[1]["导入信息"])
    assert record["flags"] == {"原表列": ["创新试点项目", "对标城市"]}
    assert record["source"] == "plan.txt" and record["line"] == 229


def test_sheets_are_styled_for_printing(tmp_path):
    small = factories.small_plan()
    workbook = openpyxl.load_workbook(export_to(tmp_path, small.plan))
    ws = workbook["附件1"]
    assert ws.freeze_panes == "A2"
    assert all(c.font.b for c in ws[1])
    assert ws["F2"].alignment.wrap_text
    assert ws.column_dimensions["F"].width > ws.column_dimensions["A"].width
    assert ws.print_title_rows == "$1:$1"
    record_column = [c.column_letter for c in ws[1] if c.value == "导入信息"][0]
    assert ws.column_dimensions[record_column].hidden


def test_measures_outside_any_annex_get_a_sheet_of_their_own(tmp_path):
    small = factories.small_plan()
    factories.measure(small.highlight, "建成数字经济产业园党群服务综合体。", lead=[small.street], deadline="2023-12-31",
                      deadline_text="2023年12月31日", number=1)
    workbook = openpyxl.load_workbook(export_to(tmp_path, small.plan))
    assert workbook.sheetnames[-1] == "其他举措"
    assert workbook["其他举措"]["B1"].value == "工作领域"
    plan, _summary = reimport(tmp_path / "ledger.xlsx", replace=True)
    measure = Measure.objects.get(plan=plan, annex=None)
    assert measure.area.name == "南站街道依托党建赋能数字经济"
    assert measure.number == 1


def test_filename_is_the_document_number():
    plan = factories.plan(document_number="西办发〔2023〕20号")
    assert ledger_filename(plan) == "西办发〔2023〕20号.xlsx"
    assert ledger_filename(factories.plan(title="测试 方案/2023", document_number="")) == "测试_方案_2023.xlsx"


# ------------------------------------------------------------ round trips


def test_round_trip_of_a_small_plan(tmp_path):
    small = factories.small_plan()
    before = snapshot(small.plan)
    path = export_to(tmp_path, small.plan)
    assert read_xlsx(path).warnings == []
    plan, _summary = reimport(path, replace=True)
    assert snapshot(plan) == before, list(_diff(snapshot(plan), before))


def test_round_trip_into_an_empty_database(tmp_path):
    small = factories.small_plan()
    # A fresh database names new units in canonical spelling (区法院 for 区人民法院), as any import does.
    Unit.objects.filter(name="区人民法院").update(name="区法院")
    before = snapshot(small.plan)
    path = export_to(tmp_path, small.plan)
    clear_database()
    plan, _summary = reimport(path)
    assert snapshot(plan) == before, list(_diff(snapshot(plan), before))


def test_round_trip_of_awkward_values(tmp_path):
    """Texts that begin with a number, a deadline the printed text no longer says, a measure with no task."""
    small = factories.small_plan()
    Measure.objects.filter(pk=small.a1_1.pk).update(text="1.根据省市有关文件，推进特殊工时审批。")
    Measure.objects.filter(pk=small.a1_2.pk).update(number=None, text="3.开展专项清理。")
    Measure.objects.filter(pk=small.a2_1.pk).update(deadline=D(2023, 7, 31))  # edited in the admin
    Measure.objects.filter(pk=small.a2_3.pk).update(deadline=None, deadline_text="长期坚持",
                                                        deadline_year_only=False, ongoing=True)
    Area.objects.filter(pk=small.costs.pk).update(annex_names=["降低企业成本行动", "降本专项行动"])
    # The area's own measures come before its tasks' measures, as an import orders them.
    factories.measure(small.costs, "=不是公式", lead=["区发改委"], annex=1, number=53, deadline="2023-12-31",
                      deadline_text="", notes={"continued": [12, 13], "责任人": "张三"}, position=0)
    before = snapshot(small.plan)
    plan, _summary = reimport(export_to(tmp_path, small.plan), replace=True)
    assert snapshot(plan) == before, list(_diff(snapshot(plan), before))


def test_round_trip_of_the_seed(tmp_path):
    import_unit_directory(UNITS.read_text(encoding="utf-8"), source=UNITS.name)
    seed = Plan.objects.get(pk=import_plan_file(SEED, keep_source=False)["plan"])
    before = snapshot(seed)
    assert sum(len(a["measures"]) for a in before["areas"]) == SEED_MEASURES
    assert any(a["annex_names"] for a in before["areas"])  # 企业权益保护专项行动 and other spellings
    assert any(m["notes"] for a in before["areas"] for m in a["measures"])  # lead units carried down
    path = export_to(tmp_path, seed)
    assert read_xlsx(path).warnings == []
    plan, _summary = reimport(path, replace=True)  # into a fresh database: see the small plan's test
    assert snapshot(plan) == before, list(_diff(snapshot(plan), before))


def test_an_edited_export_imports_the_edits(tmp_path):
    small = factories.small_plan()
    path = export_to(tmp_path, small.plan)
    workbook = openpyxl.load_workbook(path)
    ws = workbook["附件2"]
    header = [c.value for c in ws[1]]
    ws.cell(row=3, column=header.index("牵头单位") + 1, value="区税务局，区财政局")
    ws.cell(row=3, column=header.index("完成时限") + 1, value=datetime.datetime(2023, 9, 30))
    workbook.save(path)
    plan, _summary = reimport(path, replace=True)
    measure = Measure.objects.get(plan=plan, annex=2, number=2)
    assert names(measure.ordered_lead_units()) == ["区税务局", "区财政局"]
    assert measure.deadline == D(2023, 9, 30)
    assert measure.deadline_text == "2023年9月30日"


def test_a_row_added_by_hand_joins_the_task_above(tmp_path):
    small = factories.small_plan()
    path = export_to(tmp_path, small.plan)
    workbook = openpyxl.load_workbook(path)
    ws = workbook["附件1"]
    header = [c.value for c in ws[1]]
    ws.insert_rows(4)  # after measure 1-2, inside task 1; area and task left blank as in a merged cell
    for name, value in {"工作举措": "2a.补充举措：建立涉企收费监测点。", "牵头单位": "区发改委", "完成时限": "2023年12月31日"}.items():
        ws.cell(row=4, column=header.index(name) + 1, value=value)
    workbook.save(path)
    plan, _summary = reimport(path, replace=True)
    task = plan.areas.get(name="降低企业成本专项行动").tasks.get(number=1)
    added = task.measures.get(text__startswith="2a.补充举措")
    assert added.number is None and added.annex == 1
    assert [u.name for u in added.ordered_lead_units()] == ["区发改委"]
    assert (added.source, added.source_line) == ("ledger.xlsx:附件1", 4)
    assert task.measures.count() == 3


def test_export_read_back_without_saving_matches(tmp_path):
    small = factories.small_plan()
    parsed = read_xlsx(export_to(tmp_path, small.plan))
    assert parsed.title == small.plan.title
    assert parsed.document_number == small.plan.document_number
    assert [a.kind for a in parsed.areas] == ["indicator", "indicator", "special_action", "governance", "highlight"]
    costs = parsed.areas[2]
    assert [(t.number, t.number_inferred) for t in costs.tasks] == [(1, False), (2, True)]
    assert sorted(parsed.areas[3].campaigns[1].lead_units) == ["区住建局", "区财政局"]


# ---------------------------------------------------------------- command


def test_command_writes_the_file_named_by_the_document_number(tmp_path, monkeypatch):
    small = factories.small_plan()
    monkeypatch.chdir(tmp_path)
    out = io.StringIO()
    call_command("export_ledger", "--format", "xlsx", stdout=out)
    path = tmp_path / ledger_filename(small.plan)
    assert path.exists()
    assert str(path.name) in out.getvalue()
    assert openpyxl.load_workbook(path).sheetnames[:2] == ["方案", "工作领域"]


def test_command_picks_the_plan_and_writes_where_told(tmp_path):
    factories.small_plan()
    other = factories.plan(title="另一区2024年行动方案", year=2024)
    target = tmp_path / "out.xlsx"
    call_command("export_ledger", "--plan", str(other.pk), "-o", str(target), stdout=io.StringIO())
    assert openpyxl.load_workbook(target)["方案"]["B2"].value == "另一区2024年行动方案"
    call_command("export_ledger", "--document-number", other.document_number, "-o", str(target), stdout=io.StringIO())
    assert openpyxl.load_workbook(target)["方案"]["B2"].value == "另一区2024年行动方案"


def test_command_refuses_stdout_and_unknown_plans(tmp_path):
    factories.small_plan()
    with pytest.raises(CommandError, match="-o"):
        call_command("export_ledger", "-o", "-", stdout=io.StringIO())
    with pytest.raises(CommandError, match="9999"):
        call_command("export_ledger", "--plan", "9999", "-o", str(tmp_path / "x.xlsx"), stdout=io.StringIO())
    with pytest.raises(CommandError, match="无此文号|no plan"):
        call_command("export_ledger", "--document-number", "无此文号", "-o", str(tmp_path / "x.xlsx"),
                     stdout=io.StringIO())


def test_command_with_no_plan_at_all(tmp_path):
    with pytest.raises(CommandError):
        call_command("export_ledger", "-o", str(tmp_path / "x.xlsx"), stdout=io.StringIO())
