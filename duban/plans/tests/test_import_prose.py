"""Plans written as prose (任务分工方案, 工作要点), mixed plans, and unit proposals.

The three documents under data/ are written the way districts write them, each
with its own habits (62 items in all):

- yunxi-2025-task-division.txt: a 任务分工方案, keyed attributions
  （牵头单位：…；责任单位：…；完成时限：…）, 〔〕 brackets, a heading whose
  attribution its items inherit, one attribution printed on lines of its own;
- yunxi-2025-work-points.txt: a 工作要点, spoken attributions
  （区税务局牵头，区财政局、区发改委配合，2025年12月底前完成）, vague deadlines;
- yunzhou-2025-task-division-reposted.txt: a reposted copy in traditional
  characters with half-width punctuation, (责任单位:A、B、C,列第一位的为牵头单位),
  a plan-wide note that the first-listed unit leads, units abbreviated after a
  shared prefix (市市场监管局、发展改革委), dated steps on lines of their own.

Expected values are read off the documents, not the importer's output.
"""

import datetime
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from duban.plans import services
from duban.plans.importers import cells
from duban.plans.importers.base import SourceRow, SourceTable
from duban.plans.importers import read_plan_file as read_text
from duban.plans.importers.prose import is_prose_body, parse_attribution, parse_prose_lines
from duban.plans.models import Area, Measure, Plan, Task, Unit
from duban.plans.units import import_unit_directory

from .conftest import SEED, SEED_ANNEX_MEASURES, SEED_BODY_MEASURES, SEED_MEASURES, UNITS
from .plan_files import read_text_plan
from duban.conftest import HOME

DATA = Path(__file__).resolve().parent / "data"
TASK_DIVISION = DATA / "yunxi-2025-task-division.txt"
WORK_POINTS = DATA / "yunxi-2025-work-points.txt"
REPOSTED = DATA / "yunzhou-2025-task-division-reposted.txt"
MIXED = DATA / "yunxi-2025-digital-government-mixed.txt"

D = datetime.date
Y_END = D(2025, 12, 31)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


# number: (lead units, cooperating units, stated scope, deadline, flag, milestones)
# flag: "" a printed date; "relative" no year printed; "year" a bare year; "ongoing" no date;
# "missing" none printed (the plan's year end, flagged); "heading" taken from the heading above.
EXPECTED = {
    TASK_DIVISION.name: {
        1: (["区数据局"], [], "区直各有关单位", Y_END, "", []),
        2: (["区数据局"], ["区市场监管局", "区人社局", "区税务局"], "", D(2025, 9, 30), "",
            [(D(2025, 6, 30), "完成场景梳理"), (D(2025, 9, 30), "全部上线运行")]),
        3: (["区数据局"], [], "各街道", None, "ongoing", []),
        4: (["区政务服务中心"], ["区发改委", "区住建局"], "", D(2025, 6, 30), "", []),
        5: (["区数据局"], [], "区直各有关单位", Y_END, "missing", []),
        6: (["区市场监管局"], ["区税务局", "区人社局", "西湖公安分局"], "", Y_END, "", []),
        7: (["区市场监管局"], [], "", D(2025, 6, 30), "", []),
        8: (["区市场监管局"], ["区税务局", "区人社局", "区医保局"], "", D(2025, 10, 31), "", []),
        9: (["区市场监管局"], ["区税务局"], "各街道", Y_END, "", []),
        10: (["区发改委"], ["云溪自然资源和规划分局"], "", Y_END, "heading", []),
        11: (["区发改委"], [], "", Y_END, "heading", []),
        12: (["区金融服务中心"], ["区财政局", "人行云溪支行"], "", None, "ongoing", []),
        13: (["区委人才办"], ["区人社局", "区住建局"], "", D(2025, 11, 30), "", []),
        14: (["区市场监管局"], [], "区直各有关执法部门", Y_END, "",
             [(D(2025, 5, 31), "完成检查事项清单编制"), (D(2025, 9, 30), "开展跨部门联合检查")]),
        15: (["区司法局"], [], "区各行政执法部门", Y_END, "", []),
        16: (["区市场监管局"], ["区司法局", "区城管执法局"], "", D(2025, 6, 30), "", [(D(2025, 6, 30), "完成清单修订")]),
        17: (["区发改委"], ["区数据局"], "", D(2025, 6, 30), "", []),
        18: (["区司法局"], ["区法院", "区工商联"], "", Y_END, "", []),
        19: (["区工信局"], ["区财政局", "区国资委"], "", Y_END, "", [(D(2025, 6, 30), "完成台账建立")]),
        20: (["区市场监管局"], ["区法院", "区检察院", "西湖公安分局"], "", Y_END, "", []),
    },
    WORK_POINTS.name: {
        1: (["区数据局"], [], "区直各有关单位", D(2025, 6, 30), "", []),
        2: (["区数据局"], ["区公安分局", "区民政局"], "", D(2025, 9, 30), "relative", []),
        3: (["区数据局"], [], "各街道", None, "ongoing", []),
        4: (["区政府办"], [], "区直各有关单位", None, "ongoing", []),
        5: (["区数据局"], [], "各街道", Y_END, "relative", []),
        6: (["区市场监管局"], ["区司法局", "区发改委"], "", D(2025, 6, 30), "relative", []),
        7: (["区发改委"], ["区公共资源交易中心", "区住建局", "区交通运输局"], "", D(2025, 9, 30), "", []),
        8: (["区财政局"], ["区金融服务中心"], "", Y_END, "", []),
        9: (["区市场监管局"], ["区工信局"], "", D(2025, 10, 31), "relative", []),
        10: (["区工商联"], ["区发改委", "区统计局"], "", D(2025, 11, 20), "relative", []),
        11: (["区商务局"], ["区发改委", "区自然资源局"], "", None, "ongoing", []),
        12: (["区商务局"], ["区外办"], "", D(2025, 6, 30), "relative", []),
        13: (["区商务局"], ["云溪海关"], "", Y_END, "", []),
        14: (["区发改委"], ["区财政局", "区数据局", "区工信局"], "", Y_END, "",
             [(D(2025, 6, 30), "上线惠企政策兑现平台"), (D(2025, 10, 31), "实现50%以上政策免申即享")]),
        15: (["区金融服务中心"], ["区财政局"], "", Y_END, "missing", []),
        16: (["区法院"], [], "", Y_END, "relative", []),
        17: (["区司法局"], [], "区各行政执法部门", D(2025, 7, 31), "", []),
        18: (["区司法局"], ["区工商联", "区法院"], "", D(2025, 6, 30), "", []),
        19: (["区纪委区监委"], ["区营商办"], "", None, "ongoing", []),
        20: (["区营商办"], ["区工商联"], "", None, "ongoing", []),
        21: (["区委统战部"], ["区工商联", "区总工会"], "", Y_END, "relative", []),
        22: (["区营商办"], ["区统计局"], "", D(2025, 9, 30), "relative", []),
    },
    REPOSTED.name: {
        1: (["市数据局"], ["市市场监管局", "市发展改革委"], "", D(2025, 6, 30), "",
            [(D(2025, 4, 30), "完成事项清单梳理"), (D(2025, 6, 30), "在市县两级政务服务中心设立综合窗口")]),
        2: (["市市场监管局"], ["市公安局", "市税务局", "市人社局"], "", D(2025, 6, 30), "", []),
        3: (["市市场监管局"], ["市发展改革委", "市财政局"], "", D(2025, 11, 30), "",
            [(D(2025, 5, 31), "完成涉企收费目录清单公示"), (D(2025, 8, 31), "开展专项检查"),
             (D(2025, 11, 30), "完成问题整改")]),
        4: (["市市场监管局"], ["市数据局", "人民银行云州市分行"], "", None, "ongoing", []),
        5: (["市自然资源局"], ["市税务局", "市住房城乡建设局"], "", D(2025, 9, 30), "relative", []),
        6: (["市税务局"], ["市财政局", "市人社局"], "", Y_END, "", []),
        7: (["市发展改革委"], ["市市场监管局", "市住房城乡建设局"], "", None, "ongoing", []),
        8: (["市交通运输局"], ["市发展改革委", "市商务局"], "", Y_END, "year", []),
        9: (["市金融办"], ["人民银行云州市分行", "云州金融监管分局"], "", Y_END, "relative", []),
        10: (["市工业和信息化局"], ["市财政局", "市国资委"], "", Y_END, "", [(D(2025, 6, 30), "完成账款核查")]),
        11: (["市市场监管局"], [], "市直各有关部门", Y_END, "", []),
        12: (["市司法局"], ["市市场监管局", "市生态环境局", "市城管局"], "", D(2025, 6, 30), "relative", []),
        13: (["市中级法院"], ["市检察院", "市公安局"], "", None, "ongoing", []),
        14: (["市发展改革委"], ["市司法局", "市财政局"], "", D(2025, 10, 31), "",
             [(D(2025, 7, 31), "完成政府失信问题排查"), (D(2025, 10, 31), "完成整改销号")]),
        15: (["市司法局"], [], "市直各有关执法部门", D(2025, 9, 30), "", []),
        16: (["市自然资源局"], ["市发展改革委"], "", Y_END, "", []),
        17: (["市人社局"], ["市教育局", "市工业和信息化局"], "", Y_END, "", []),
        18: (["市发展改革委"], ["市财政局", "市数据局"], "", D(2025, 9, 30), "",
             [(D(2025, 6, 30), "梳理首批免申即享政策清单"), (D(2025, 9, 30), "上线运行")]),
        19: (["市公共资源交易中心"], ["市财政局", "市住房城乡建设局"], "", Y_END, "", []),
        20: (["市委宣传部"], ["市委组织部", "市营商办"], "", None, "ongoing", []),
    },
}
CASES = [(doc, number) for doc, items in EXPECTED.items() for number in items]


@pytest.fixture(scope="module")
def parsed():
    with translation.override("en"):  # the warnings are worded now, in the language active now
        return {path.name: read_text(path) for path in (TASK_DIVISION, WORK_POINTS, REPOSTED)}


def by_number(plan):
    measures = {}
    for m in plan.all_measures():
        assert m.number not in measures, f"item {m.number} imported twice"
        measures[m.number] = m
    return measures


def test_at_least_sixty_items_across_three_documents(parsed):
    assert sum(len(items) for items in EXPECTED.values()) >= 60
    for name, plan in parsed.items():
        assert sorted(by_number(plan)) == sorted(EXPECTED[name]), name


@pytest.mark.parametrize("doc, number", CASES, ids=[f"{d.split('-2025-')[1][:-4]}-{n}" for d, n in CASES])
def test_each_item(parsed, doc, number):
    lead, cooperating, scope, deadline, flag, milestones = EXPECTED[doc][number]
    m = by_number(parsed[doc])[number]
    assert m.lead_units == lead
    assert m.cooperating_units == cooperating
    assert m.scope_text == scope
    assert m.deadline == deadline
    assert m.ongoing is (flag == "ongoing")
    assert m.deadline_year_only is (flag in ("missing", "year"))
    assert bool(m.notes.get("deadline_missing")) is (flag == "missing")
    assert bool(m.notes.get("deadline_relative")) is (flag == "relative")
    assert bool(m.notes.get("deadline_from_heading")) is (flag == "heading")
    if flag in ("", "relative", "year", "ongoing"):
        assert m.deadline_text, "the deadline is kept as printed"
    assert [(s.date, s.text) for s in m.milestones] == milestones
    assert m.line and m.source == doc


def test_plan_particulars(parsed):
    division, points, reposted = (parsed[p.name] for p in (TASK_DIVISION, WORK_POINTS, REPOSTED))
    assert (division.title, division.year, division.document_number, division.issue_date) == (
        "云溪区2025年优化营商环境重点任务分工方案", 2025, "云府办发〔2025〕12号", D(2025, 3, 10))
    assert (points.title, points.year, points.document_number) == (
        "云溪区2025年营商环境优化提升工作要点", 2025, "云改办字〔2025〕3号")
    # The reposted copy's traditional characters are read as the original's.
    assert (reposted.title, reposted.document_number, reposted.issue_date) == (
        "云州市2025年优化营商环境重点任务分工方案", "云府办字〔2025〕21号", D(2025, 4, 2))


def test_headings_become_areas(parsed):
    division = parsed[TASK_DIVISION.name]
    # 二、重点任务 is a section heading: its （一）…（五） are the areas; 一、总体要求 and 三、保障措施 have no items.
    assert [(a.number, a.name) for a in division.areas] == [
        (1, "提升政务服务效能"), (2, "优化市场准入环境"), (3, "强化要素保障"), (4, "提升监管执法水平"),
        (5, "保护企业合法权益")]
    assert division.areas[2].lead_units == ["区发改委"]  # （三）强化要素保障（牵头单位：区发改委；…）
    assert [len(a.measures) for a in division.areas] == [5, 4, 4, 4, 3]
    points = parsed[WORK_POINTS.name]
    assert [a.name for a in points.areas] == [
        "打造高效便捷的政务环境", "打造公平有序的市场环境", "打造开放包容的投资环境", "打造公正透明的法治环境",
        "打造亲商安商的人文环境"]
    assert {a.kind for plan in parsed.values() for a in plan.areas} == {"special_action"}


def test_item_text_keeps_steps_and_drops_the_attribution(parsed):
    m3 = by_number(parsed[REPOSTED.name])[3]
    assert m3.text == ("开展涉企收费专项治理。(1)5月31日前完成涉企收费目录清单公示；(2)8月31日前开展专项检查；"
                       "(3)11月30日前完成问题整改。")
    m8 = by_number(parsed[TASK_DIVISION.name])[8]
    assert m8.text == "优化企业注销流程。完善简易注销程序，实现注销信息共享。"
    assert m8.notes["attribution"].startswith("牵头单位：区市场监管局；")
    m7 = by_number(parsed[TASK_DIVISION.name])[7]
    assert "推行住所（经营场所）登记申报承诺制" in m7.text  # a bracket that is not an attribution stays


def test_abbreviated_units_keep_their_printed_form(parsed):
    m1 = by_number(parsed[REPOSTED.name])[1]
    assert m1.notes["units_as_printed"] == {"市发展改革委": "发展改革委"}
    m20 = by_number(parsed[REPOSTED.name])[20]
    assert m20.notes["units_as_printed"] == {"市委组织部": "组织部"}


def test_warnings_name_the_line(parsed):
    assert [str(w) for w in parsed[TASK_DIVISION.name].warnings] == [
        "yunxi-2025-task-division.txt:34: item 5: no deadline printed; the plan's year end assumed"]
    assert [str(w) for w in parsed[WORK_POINTS.name].warnings] == [
        "yunxi-2025-work-points.txt:43: item 15: no deadline printed; the plan's year end assumed"]
    assert parsed[REPOSTED.name].warnings == []


# ------------------------------------------------------------ attribution forms

@pytest.mark.parametrize("printed, lead, cooperating, scope, deadline", [
    ("牵头单位：区数据局；责任单位：区直各有关单位；完成时限：2025年12月31日", ["区数据局"], [], ["区直各有关单位"], Y_END),
    ("区税务局牵头，区财政局、区发改委配合，2025年12月底前完成", ["区税务局"], ["区财政局", "区发改委"], [], Y_END),
    ("牵头单位:区数据局;责任单位:区财政局,区人社局;完成时限:2025年6月30日", ["区数据局"], ["区财政局", "区人社局"], [],
     D(2025, 6, 30)),
    ("责任单位：区发改委、区财政局、区商务局，列第一位的为牵头单位", ["区发改委"], ["区财政局", "区商务局"], [], None),
    ("责任单位：区发改委、区财政局", ["区发改委", "区财政局"], [], [], None),  # no lead named: both answer for it
    ("责任单位：区财政局、区发改委（牵头）；完成时限：6月底", ["区发改委"], ["区财政局"], [], D(2025, 6, 30)),
    ("由区商务局会同区发改委负责，三季度末前完成", ["区商务局"], ["区发改委"], [], D(2025, 9, 30)),
    ("各街道按职责分工负责，长期坚持", [], [], ["各街道"], None),
    ("市市场监管局牵头，发展改革委、公安局配合", ["市市场监管局"], ["市发展改革委", "市公安局"], [], None),
    ("牽頭單位：區數據局；完成時限：2025年6月底前", ["区数据局"], [], [], D(2025, 6, 30)),
    ("牵头单位：区数据局，完成时限：年底前", ["区数据局"], [], [], Y_END),
    ("区发改委、区财政局，2025年上半年", ["区发改委", "区财政局"], [], [], D(2025, 6, 30)),
])
def test_attribution_forms(printed, lead, cooperating, scope, deadline):
    a = parse_attribution(printed, 2025)
    assert (a.lead, a.cooperating, a.scope) == (lead, cooperating, scope)
    assert (a.deadline.date if a.deadline else None) == deadline
    assert a.not_understood == []


def test_first_listed_leads_for_the_whole_plan():
    a = parse_attribution("责任单位：市商务局、市发展改革委", 2025, first_listed_leads=True)
    assert (a.lead, a.cooperating) == (["市商务局"], ["市发展改革委"])


@pytest.mark.parametrize("printed, date, flags", [
    ("2025年12月31日", Y_END, ""),
    ("2025年12月底前完成", Y_END, ""),
    ("2025年6月底前", D(2025, 6, 30), ""),
    ("6月底前", D(2025, 6, 30), "relative"),
    ("6月底", D(2025, 6, 30), "relative"),
    ("年底前", Y_END, "relative"),
    ("三季度末", D(2025, 9, 30), "relative"),
    ("第一季度", D(2025, 3, 31), "relative"),
    ("上半年", D(2025, 6, 30), "relative"),
    ("下半年", Y_END, "relative"),
    ("9月中旬前", D(2025, 9, 20), "relative"),
    ("次年3月底前", D(2026, 3, 31), "relative"),
    ("2025年", Y_END, "year"),
    ("2025年底前", Y_END, ""),
    ("2025年6月底前完成清单编制，12月底前完成整改", Y_END, ""),
    ("长期坚持", None, "ongoing"),
    ("持续推进", None, "ongoing"),
    ("每季度", None, "ongoing"),
])
def test_deadline_phrases(printed, date, flags):
    phrase = cells.parse_deadline_phrase(printed, 2025)
    assert phrase.date == date
    assert (phrase.relative, phrase.year_only, phrase.ongoing) == (
        flags == "relative", flags == "year", flags == "ongoing")
    assert phrase.text == printed


def test_not_a_deadline():
    assert cells.parse_deadline_phrase("根据上级部署", 2025) is None
    assert cells.parse_deadline_phrase("", 2025) is None


def test_shared_prefix_expansion_leaves_proper_names_alone():
    assert cells.expand_shared_prefix(["市市场监管局", "发展改革委", "国网云州供电公司", "西湖公安分局", "财政局"]) == [
        "市市场监管局", "市发展改革委", "国网云州供电公司", "西湖公安分局", "市财政局"]
    assert cells.expand_shared_prefix(["区委宣传部", "组织部", "市场监管局"]) == ["区委宣传部", "区委组织部", "区市场监管局"]
    assert cells.expand_shared_prefix(["发展改革委", "财政局"]) == ["发展改革委", "财政局"]  # no prefix to share


def test_dated_steps_in_one_sentence():
    steps = cells.find_milestones("5月31日前完成清单编制、9月30日前开展专项检查", 2025)
    assert [(s.date, s.text) for s in steps] == [(D(2025, 5, 31), "完成清单编制"), (D(2025, 9, 30), "开展专项检查")]


# --------------------------------------------------------------- detection

def test_prose_is_recognised_without_a_flag_and_the_seed_is_not():
    assert services.read_plan_file(WORK_POINTS).areas[0].name == "打造高效便捷的政务环境"
    seed = services.read_plan_file(SEED)
    assert sum(1 for _m in seed.all_measures()) == SEED_MEASURES and len(seed.areas) == 24


def test_body_decides_when_there_are_tables():
    """For readers holding the body apart from the tables (.docx): is the body prose or the seed's areas?"""
    seed_body = SEED.read_text(encoding="utf-8").split("# 附件 1")[0].split("\n")
    assert not is_prose_body(seed_body)  # its items name an 指标长 or a lead district leader: areas
    assert is_prose_body(TASK_DIVISION.read_text(encoding="utf-8").split("\n"))


def test_layout_can_be_forced():
    text = TASK_DIVISION.read_text(encoding="utf-8")
    assert len(list(read_text_plan(text, "x.txt", layout="prose").all_measures())) == 20
    # Read as the seed's layout, the items are body areas waiting for annex measures that never come.
    as_annex = read_text_plan(text, "x.txt", layout="annex")
    assert len(as_annex.areas) == 20 and not list(as_annex.all_measures())


def test_paragraphs_from_a_word_file():
    """A .docx reader hands its paragraphs (and any tables) to parse_prose_lines."""
    paragraphs = [
        "云溪区2025年政务公开工作要点",
        "一、推进决策公开",
        "1.完善重大行政决策目录。（区政府办牵头，区司法局配合，2025年6月底前完成）",
        "2.做好政策解读。（区直各有关单位按职责分工负责，持续推进）",
    ]
    plan = parse_prose_lines(paragraphs, "gongkai.docx")
    assert plan.title == "云溪区2025年政务公开工作要点" and plan.year == 2025
    m1, m2 = plan.areas[0].measures
    assert (m1.lead_units, m1.cooperating_units, m1.deadline, m1.line) == (
        ["区政府办"], ["区司法局"], D(2025, 6, 30), 3)
    assert (m2.lead_units, m2.scope_text, m2.ongoing) == ([], "区直各有关单位", True)
    table = SourceTable(source="gongkai.docx", annex=None, title="决策公开任务清单",
                        header=["序号", "重点任务", "具体举措", "牵头单位", "完成时限"],
                        rows=[SourceRow(["1", "完善重大行政决策目录", "1.编制年度决策事项目录", "区政府办", "2025年3月31日"], 6),
                              SourceRow(["", "", "2.目录向社会公开", "区政府办", "2025年4月30日"], 7)])
    mixed = parse_prose_lines(paragraphs, "gongkai.docx", tables=[table])
    task = mixed.areas[0].tasks[0]
    assert task.line == 3 and task.text.startswith("完善重大行政决策目录")
    assert [m.text for m in task.measures] == ["编制年度决策事项目录", "目录向社会公开"]
    assert sum(1 for _m in mixed.all_measures()) == 3  # item 1 is their task now, not a fourth measure


def test_attribution_running_over_lines_and_bold_items():
    plan = parse_prose_lines([
        "某区2025年任务分工方案",
        "一、优化服务（牵头区领导：张三；牵头单位：区数据局）",
        "1.推进一网通办，实现高频事项全程网办，",
        "进一步压缩办理时间（牵头单位：区数据局；",
        "责任单位：区财政局、区人社局；完成时限：2025年6月30日）",
        "**2.推进帮办代办。**（区政务服务中心牵头，年底前）",
        "— 2 —",
        "3.开展标准化培训。（责任单位：区人社局；完成时限：2025年9月30日）",
    ], "v.txt")
    (area,) = plan.areas
    assert (area.chief, area.lead_units) == ("张三", ["区数据局"])
    m1, m2, m3 = area.measures
    assert m1.text == "推进一网通办，实现高频事项全程网办，进一步压缩办理时间"
    assert (m1.lead_units, m1.cooperating_units, m1.deadline) == (["区数据局"], ["区财政局", "区人社局"], D(2025, 6, 30))
    assert (m2.text, m2.lead_units, m2.deadline) == ("推进帮办代办。", ["区政务服务中心"], Y_END)
    # 责任单位 alone under a heading that names the lead: the heading's lead, the unit cooperating.
    assert (m3.lead_units, m3.cooperating_units) == (["区数据局"], ["区人社局"])


def test_items_straight_under_a_section_beside_its_headings():
    plan = parse_prose_lines(["某区2025年任务分工方案", "二、重点任务", "1.先行一项。（区数据局牵头，6月底前完成）",
                              "（一）优化服务", "2.推进一件事。（区数据局牵头，年底前完成）", "三、保障措施",
                              "（一）加强领导。"], "v.txt")
    assert [(a.name, [m.number for m in a.all_measures()]) for a in plan.areas] == [
        ("重点任务", [1]), ("优化服务", [2])]


def test_plan_without_headings_or_a_customary_title():
    plan = parse_prose_lines(["某区2025年重点任务清单", "", "1.推进一网通办。（区数据局牵头，6月底前完成）",
                              "2.推进帮办代办。（区政务服务中心牵头，年底前完成）"], "list.txt")
    assert (plan.title, plan.year) == ("某区2025年重点任务清单", 2025)
    (area,) = plan.areas
    assert area.name == "主要任务"
    assert [(m.number, m.deadline) for m in area.measures] == [(1, D(2025, 6, 30)), (2, Y_END)]


# ------------------------------------------------------------- mixed plans

def test_mixed_plan_counts_each_measure_once():
    plan = read_text(MIXED)
    assert [a.name for a in plan.areas] == ["夯实数字基础设施", "提升数字服务能力"]
    service = plan.areas[1]
    # Body item 3 is detailed by annex 1: it becomes the task over the three annex measures.
    (task,) = service.tasks
    assert (task.number, task.line) == (3, 15) and task.text.startswith("推行“一件事一次办”")
    assert [(m.annex, m.number) for m in task.measures] == [(1, 1), (1, 2), (1, 3)]
    assert all(m.notes["body_item"]["line"] == 15 for m in task.measures)
    first = task.measures[0]  # printed without a deadline: the body item's
    assert (first.deadline, first.deadline_text, first.notes.get("deadline_from_body_item")) == (
        D(2025, 9, 30), "2025年9月底前完成", True)
    # Body item 5 and annex 2's first row are the same measure: one measure, the annex's, where the body put it.
    assert [(m.annex, m.number) for m in service.measures] == [(None, 4), (2, 1), (2, 2)]
    same = service.measures[1]
    assert same.notes["body_item"]["line"] == 19
    assert (same.lead_units, same.cooperating_units, same.deadline) == (
        ["区数据局"], ["区统计局", "区财政局"], D(2025, 11, 30))
    assert sum(1 for _m in plan.all_measures()) == 8  # 5 body items + 5 annex rows − 2 described twice
    assert plan.warnings == [] and plan.missing_annexes == []


@pytest.mark.django_db
def test_mixed_plan_saved():
    summary = json.loads(run(MIXED, "--format", "json"))
    assert (summary["areas"], summary["tasks"], summary["measures"]) == (2, 1, 8)
    plan = Plan.objects.get()
    task = Task.objects.get(area__plan=plan)
    assert task.source_line == 15
    assert sorted(task.measures.values_list("annex", "number")) == [(1, 1), (1, 2), (1, 3)]
    assert Measure.objects.filter(plan=plan, annex=None).count() == 3


@pytest.mark.django_db
def test_seed_body_areas_are_the_areas_of_the_annex_measures():
    """The seed is a mixed plan too: its body's 24 items are the areas its annexes' measures fall under."""
    import_unit_directory(UNITS.read_text(encoding="utf-8"), source=UNITS.name)
    seed_plan = Plan.objects.get(pk=services.import_plan_file(SEED, keep_source=False)["plan"])
    annex_start = next(i for i, line in enumerate(SEED.read_text(encoding="utf-8").split("\n"), 1)
                       if line.strip() == "# 附件 1")
    areas = list(seed_plan.areas.all())
    assert len(areas) == 24
    assert all(a.source_line < annex_start for a in areas), "no area was created by an annex"
    measures = Measure.objects.filter(plan=seed_plan, annex__isnull=False)
    assert measures.count() == SEED_ANNEX_MEASURES
    assert all(m.source_line > annex_start for m in measures)
    governed = {a.name: a.measures.filter(annex__isnull=False).count() for a in areas
                if a.measures.filter(annex__isnull=False).exists()}
    assert len(governed) == 19 and sum(governed.values()) == SEED_ANNEX_MEASURES
    # the five areas no annex row reaches have their measures from the body text, on the body's lines
    from_body = Measure.objects.filter(plan=seed_plan, annex=None)
    assert from_body.count() == SEED_BODY_MEASURES and all(m.notes["from_body_text"] for m in from_body)
    assert all(m.source_line < annex_start for m in from_body)
    assert set(Area.objects.filter(plan=seed_plan, measures__annex=None).values_list("kind", flat=True)) == {
        "forward", "governance", "highlight"}
    assert not Area.objects.filter(plan=seed_plan, measures=None).exists()
    assert {a.kind for a in areas if a.measures.filter(annex=1).exists()} == {"special_action"}
    action = Area.objects.get(plan=seed_plan, name="持续推进企业家权益保护专项行动")
    assert action.annex_names == ["企业家权益保护专项行动", "企业权益保护专项行动"]
    assert Area.objects.get(plan=seed_plan, name="知识产权创造、保护和运用").annex_names == ["知识产权"]


# ------------------------------------------------- the command, safely

def run(*args):
    out = StringIO()
    call_command("import_plan", *map(str, args), stdout=out)
    return out.getvalue()


def counts():
    return Plan.objects.count(), Area.objects.count(), Measure.objects.count(), Unit.objects.count()


@pytest.mark.django_db
def test_dry_run_json_summary():
    before = counts()
    summary = json.loads(run(WORK_POINTS, "--dry-run", "--format", "json"))
    assert (summary["areas"], summary["tasks"], summary["measures"]) == (5, 0, 22)
    assert summary["dry_run"] is True and summary["plan"] is None
    assert summary["warnings"][0] == (
        "yunxi-2025-work-points.txt:43: item 15: no deadline printed; the plan's year end assumed")
    assert "区数据局" in summary["proposed_units"]
    assert counts() == before


@pytest.mark.django_db
def test_real_run_saves_every_field():
    dry = json.loads(run(TASK_DIVISION, "--dry-run", "--format", "json"))
    real = json.loads(run(TASK_DIVISION, "--format", "json"))
    assert {k: real[k] for k in ("areas", "tasks", "measures", "units")} == {
        k: dry[k] for k in ("areas", "tasks", "measures", "units")}
    # The same warnings, but for the units outside the directory: "would be added" in the dry run, "were added" after.
    assert real["warnings"][:-1] == dry["warnings"][:-1]
    assert "would be added as proposals" in dry["warnings"][-1] and "were added as proposals" in real["warnings"][-1]
    plan = Plan.objects.get()
    assert (plan.year, plan.document_number) == (2025, "云府办发〔2025〕12号")
    measures = {m.number: m for m in Measure.objects.filter(plan=plan)}
    assert len(measures) == 20
    m2 = measures[2]
    assert [u.name for u in m2.ordered_lead_units()] == ["区数据局"]
    assert [u.name for u in m2.ordered_cooperating_units()] == ["区市场监管局", "区人社局", "区税务局"]
    assert [(s.date, s.text) for s in m2.milestones.all()] == [
        (D(2025, 6, 30), "完成场景梳理"), (D(2025, 9, 30), "全部上线运行")]
    assert (measures[3].ongoing, measures[3].deadline, measures[3].deadline_text) == (True, None, "长期坚持")
    assert (measures[5].deadline, measures[5].deadline_year_only, measures[5].notes["deadline_missing"]) == (
        Y_END, True, True)
    assert measures[15].source_line == 60


@pytest.mark.django_db
def test_text_summary_lists_warnings_with_file_and_line():
    out = run(TASK_DIVISION, "--dry-run")
    assert "Would create: 5 areas, 0 tasks, 20 measures" in out
    assert "warning: yunxi-2025-task-division.txt:34: item 5: no deadline printed" in out
    assert "Dry run: nothing was saved." in out


@pytest.mark.django_db
def test_unknown_units_are_proposals_the_office_confirms():
    known = Unit.objects.create(region_id=HOME, name="区数据局")
    summary = json.loads(run(WORK_POINTS, "--format", "json"))
    proposed = summary["proposed_units"]
    assert "区数据局" not in proposed
    assert proposed[:3] == ["区公安分局", "区民政局", "区政府办"]  # in the order the plan names them
    assert set(Unit.objects.filter(confirmed=False).values_list("name", flat=True)) == set(proposed)
    known.refresh_from_db()
    assert known.confirmed
    assert summary["warnings"][-1].startswith(
        f"yunxi-2025-work-points.txt: {len(proposed)} units are not in the unit directory and were added as "
        "proposals for 云改办 to confirm: 区公安分局、区民政局、区政府办、")  # the office its 文号 names
    # Still proposals on the next import, until the office confirms them.
    again = json.loads(run(WORK_POINTS, "--replace", "--format", "json"))
    assert again["proposed_units"] == proposed
    Unit.objects.filter(name__in=proposed).update(confirmed=True)
    assert json.loads(run(WORK_POINTS, "--replace", "--format", "json"))["proposed_units"] == []


@pytest.mark.django_db
def test_admin_confirms_proposed_units(admin_client):
    unit = Unit.objects.create(region_id=HOME, name="区外办", confirmed=False)
    response = admin_client.post("/admin/plans/unit/", {"action": "confirm_units", "_selected_action": [unit.pk]})
    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.confirmed


@pytest.mark.django_db
def test_unattributed_item_is_imported_with_a_warning(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text("云溪区2025年优化营商环境工作要点\n\n一、优化政务服务\n\n"
                    "1.推进一网通办。（区数据局牵头，2025年6月底前完成）\n\n"
                    "2.推进帮办代办服务。\n\n"
                    "3.推进电子证照应用。（区数据局牵头，区公安分局配合，区里统筹安排）\n", encoding="utf-8")
    summary = json.loads(run(path, "--dry-run", "--format", "json"))
    assert summary["measures"] == 3
    assert summary["warnings"][:3] == [
        "plan.txt:7: item 2: no attribution (lead unit, deadline) found; imported without units: 推进帮办代办服务。",
        "plan.txt:9: item 3: attribution part not understood: 区里统筹安排",
        "plan.txt:7: item 2: no deadline printed; the plan's year end assumed",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("text, message", [
    ("云溪区2025年工作要点\n一、总体要求\n1.坚持稳中求进。\n2.坚持系统观念。\n", "numbered items found, but none says who does it"),
    ("区政府工作要点\n一、优化服务\n1.推进一网通办。（区数据局牵头，6月底前完成）\n", "the plan's year could not be determined"),
])
def test_bad_prose_files_change_nothing(tmp_path, text, message):
    path = tmp_path / "plan.txt"
    path.write_text(text, encoding="utf-8")
    before = counts()
    with pytest.raises(CommandError, match=message):
        run(path)
    assert counts() == before


@pytest.mark.django_db
def test_failure_while_saving_leaves_nothing_half_written(monkeypatch):
    written = []
    original = services._write_measure

    def failing(*args, **kwargs):
        if len(written) == 10:
            raise RuntimeError("disk full")
        written.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(services, "_write_measure", failing)
    before = counts()
    with pytest.raises(RuntimeError, match="disk full"):
        run(REPOSTED)
    assert len(written) == 10 and counts() == before


@pytest.mark.django_db
def test_forced_layout_on_the_command():
    forced = json.loads(run(TASK_DIVISION, "--layout", "annex", "--dry-run", "--format", "json"))
    assert (forced["areas"], forced["measures"]) == (20, 0)
    summary = json.loads(run(MIXED, "--layout", "prose", "--dry-run", "--format", "json"))
    assert summary["measures"] == 8
