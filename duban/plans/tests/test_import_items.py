"""`duban import-plan FILE --dry-run --format json` lists every item it would create (importers/items.py)."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from duban.plans.importers.items import plan_items
from duban.core.models import DEFAULT_REGION_PK
from duban.plans.models import Measure, Plan, Unit
from duban.plans.services import read_plan_file
from duban.plans.tests.factories import QINGHE_PLAN
from duban.plans.units import UnitResolver, import_unit_directory

from .conftest import SEED, SEED_MEASURES

pytestmark = pytest.mark.django_db

KEYS = ["area", "task", "number", "text", "lead", "cooperating", "scope", "deadline", "ongoing", "recurring",
        "milestones", "source", "warnings"]


def run(*args):
    out = StringIO()
    call_command("import_plan", *map(str, args), stdout=out)
    return out.getvalue()


def test_the_seed_lists_every_item_and_saves_nothing():
    listed = json.loads(run(SEED, "--dry-run", "--format", "json"))
    assert list(listed)[:6] == ["areas", "tasks", "measures", "units", "warnings", "items"]
    assert (listed["areas"], listed["tasks"], listed["measures"]) == (24, 19, SEED_MEASURES)
    assert len(listed["items"]) == SEED_MEASURES and all(list(item) == KEYS for item in listed["items"])
    first = listed["items"][0]
    assert first == {
        "area": "开办企业", "task": None, "number": "2-1",
        "text": "拓展无纸全程电子化登记适用范围，实现各类内资企业及分支机构设立无纸化登记。",
        "lead": ["区市场监管局"], "cooperating": ["区社保局", "区税务局", "西湖公安分局", "区政数局"], "scope": [],
        "deadline": "2023-06-30", "ongoing": False, "recurring": None, "milestones": [], "source": "line 225",
        "warnings": [],
    }
    with_task = next(item for item in listed["items"] if item["task"])
    assert with_task["number"].startswith("1-") and with_task["task"]
    assert any(item["milestones"] for item in listed["items"])
    assert all(m.keys() == {"date", "text"} for item in listed["items"] for m in item["milestones"])
    # A merged cell's units are a guess, said where it is.
    assert "Units taken from the row above (merged cell)" in next(
        item for item in listed["items"] if item["number"] == "2-85")["warnings"]
    # The areas whose work is in the body text: their measures say so.
    assert any("Drawn from the body text, not from a task list" in item["warnings"] for item in listed["items"])
    assert Plan.objects.count() == Measure.objects.count() == 0


def test_a_real_run_lists_the_same_items():
    dry = json.loads(run(SEED, "--dry-run", "--format", "json"))
    real = json.loads(run(SEED, "--format", "json"))
    assert real["items"] == dry["items"] and real["plan"] == Plan.objects.get().pk


def test_items_flag_the_guesses_and_the_units_not_in_the_directory():
    units = QINGHE_PLAN.parent / "qinghe-units.csv"
    import_unit_directory(units.read_text(encoding="utf-8"), source=units.name)
    parsed = read_plan_file(QINGHE_PLAN)
    items = plan_items(parsed, UnitResolver(DEFAULT_REGION_PK).find)["items"]
    assert [item["warnings"] for item in items] == [
        [], [],
        ["Deadline printed without a year: the plan's year assumed"],
        ["Deadline printed without a year: the plan's year assumed"],
        ["No deadline printed: the plan's year end assumed", "Not in the unit directory: 区应急管理局",
         str(parsed.warnings[0].message)],
        [],
    ]
    assert items[1]["ongoing"] is True and items[1]["deadline"] is None and items[1]["scope"] == ["区直各有关单位"]
    assert plan_items(parsed)["items"][4]["warnings"][1] == str(parsed.warnings[0].message)  # no directory asked
    assert plan_items(parsed)["units"] == 10


def test_source_is_the_position_when_the_reader_gives_one():
    from duban.plans.importers.document import Position

    parsed = read_plan_file(QINGHE_PLAN)
    measure = next(parsed.all_measures())
    measure.at = Position("方案.pdf", page=12, line=3)
    assert plan_items(parsed)["items"][0]["source"] == "page 12"
    measure.recurring = "quarterly"
    assert plan_items(parsed)["items"][0]["recurring"] == "quarterly"


@pytest.mark.zh_hans
def test_the_dry_run_speaks_chinese():
    out = run(QINGHE_PLAN, "--dry-run")
    assert "将创建：2个领域、0项任务、6项举措、10个单位。" in out
    assert "将作为待确认单位添加" in out and "已作为" not in out
    assert "试运行：未保存任何内容。" in out
    listed = json.loads(run(QINGHE_PLAN, "--dry-run", "--format", "json"))
    assert listed["items"][4]["warnings"] == ["未写明完成时限：暂按方案年度年底计", "第5项：未写明完成时限，暂按方案年度年底计"]
    assert Unit.objects.filter(name="区应急管理局").count() == 0


def test_each_guess_of_the_readers_is_said_on_its_item():
    parsed = read_plan_file(QINGHE_PLAN)
    measure = next(parsed.all_measures())
    measure.notes |= {"units_split": {"区住建局区城管执法局": ["区住建局", "区城管执法局"]}, "first_listed_leads": True,
                      "cut_off": True, "from_body_text": True, "lead_units_from_row_above": True}
    measure.number_inferred = True
    item = plan_items(parsed, review=True)["items"][0]
    assert item["warnings"] == [
        "Number inferred from its neighbours (lost at a page break)",
        "Units taken from the row above (merged cell)",
        "Unit names printed together were split: 区住建局区城管执法局 → 区住建局、区城管执法局",
        "The first unit listed taken as the lead unit, as the plan says",
        "The item seems cut off here",
        "Drawn from the body text, not from a task list",
    ]
    assert item["flagged"] == ["lead", "number", "text"]


def test_a_pdf_plan_lists_its_items_by_page():
    pdf = QINGHE_PLAN.parent.parent / "files" / "linjiang-plan.pdf"
    listed = json.loads(run(pdf, "--dry-run", "--format", "json"))
    assert listed["measures"] == len(listed["items"]) > 0
    assert all(item["source"].startswith("page ") for item in listed["items"])
    assert Plan.objects.count() == 0
