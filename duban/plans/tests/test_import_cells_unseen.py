"""The cell conventions the unseen plans brought (corpus plans guangxi-qingxiu, henan-yuchuan-shi,
hubei-jiangbin-xinqu, jiangxi-zhangyuan-xlsx, yunnan-cangshan-shi), one at a time."""

from __future__ import annotations

import datetime

import pytest

from duban.plans.importers import cells
from duban.plans.importers.base import ParsedPlan
from duban.plans.importers.particulars import plan_year


@pytest.mark.parametrize(("printed", "lead", "cooperating"), [
    ("市发展改革委（牵头）、市市场监管局、市司法局", "市发展改革委", "市市场监管局、市司法局"),
    ("区财政局(牵头)、区工信局", "区财政局", "区工信局"),
    ("牵头：市城市管理局 配合：国网豫川供电公司、豫川水务集团", "市城市管理局", "国网豫川供电公司、豫川水务集团"),
    ("牵头：县自然资源局\n配合：县工信局", "县自然资源局", "县工信局"),
    ("牵头单位：县发改委；配合单位：县财政局", "县发改委", "县财政局"),
])
def test_a_unit_cell_that_says_who_leads(printed, lead, cooperating):
    assert cells.marked_roles(printed) == (lead, cooperating)
    assert cells.is_unit_list(printed)


@pytest.mark.parametrize("printed", ["县金融服务中心\n县工信局", "区市场监管局、区税务局", "牵头推进一网通办"])
def test_a_plain_list_says_nothing_of_roles(printed):
    assert cells.marked_roles(printed) is None


@pytest.mark.parametrize(("printed", "date", "cell"), [
    ("2024年Q3", datetime.date(2024, 9, 30), True),
    ("2025年Q4", datetime.date(2025, 12, 31), True),
    ("2024—2025年", datetime.date(2025, 12, 31), True),
    ("2024-2026年", datetime.date(2026, 12, 31), True),
    ("分阶段推进，2024年10月底前全面完成", datetime.date(2024, 10, 31), True),
    ("2024年12月31日前", datetime.date(2024, 12, 31), True),
    ("第四季度", datetime.date(2024, 12, 31), True),
    ("2025—2027年，每年12月31日前报送年度情况", datetime.date(2027, 12, 31), False),
])
def test_deadlines_the_unseen_plans_print(printed, date, cell):
    phrase = cells.parse_deadline_phrase(printed, 2024)
    assert phrase is not None and phrase.date == date and not phrase.ongoing
    assert cells.is_deadline_cell(printed) is cell


def test_market_supervision_is_no_city_prefix():
    assert cells.expand_shared_prefix(["市场监管分局", "税务局"]) == ["市场监管分局", "税务局"]
    assert cells.expand_shared_prefix(["市政务服务管理局", "发展改革委"]) == ["市政务服务管理局", "市发展改革委"]


def test_a_plan_over_several_years_is_the_plan_of_its_first():
    plan = ParsedPlan(title="苍山市营商环境提质增效三年行动计划（2025—2027年）")
    assert plan_year(plan) == 2025
    assert plan_year(ParsedPlan(title="章源县2025年优化营商环境重点任务清单")) == 2025


def test_a_two_row_header_names_the_columns_it_splits(tmp_path):
    """'责任单位' merged over '牵头单位 | 配合单位' in an Excel task list under a title row."""
    import openpyxl

    from duban.plans.services import read_plan_file

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "附件"
    sheet.append(["绿川区2024年优化营商环境重点任务清单"])
    sheet.append(["序号", "重点任务", "具体举措", "责任单位", None, "完成时限"])
    sheet.append([None, None, None, "牵头单位", "配合单位", None])
    for cells_range in ("A1:F1", "A2:A3", "B2:B3", "C2:C3", "D2:E2", "F2:F3"):
        sheet.merge_cells(cells_range)
    sheet.append([1, "优化政务服务", "推行企业开办一日办结。", "区市场监管局", "区税务局", "2024年6月底前"])
    sheet.append([2, None, "推行“一网通办”。", "区行政审批局", "区数据局", "2024年Q3"])
    sheet.append([3, "强化要素保障", "开展银企对接活动。", "区金融办", None, "每季度"])
    sheet.merge_cells("B4:B5")
    book.save(tmp_path / "plan.xlsx")
    plan = read_plan_file(tmp_path / "plan.xlsx")
    assert [area.name for area in plan.areas] == ["优化政务服务", "强化要素保障"]
    read = [(m.number, m.lead_units, m.cooperating_units, m.deadline, m.ongoing) for m in plan.all_measures()]
    assert read == [
        (1, ["区市场监管局"], ["区税务局"], datetime.date(2024, 6, 30), False),
        (2, ["区行政审批局"], ["区数据局"], datetime.date(2024, 9, 30), False),
        (3, ["区金融办"], [], None, True),
    ]
