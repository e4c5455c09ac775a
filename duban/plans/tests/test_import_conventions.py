"""The conventions real plans use to say who does what and by when (issue 16, point 2), one at a time.

test_corpus.py reads whole plans in every format; these tests hold each convention on its own, so a
failure names the rule that broke. Expected values are what a person reads off the printed phrase.
"""

import datetime

import pytest
from django.utils import translation

from duban.plans.importers import cells
from duban.plans.importers.prose import parse_attribution, read_rule

from .plan_files import read_text_plan

D = datetime.date


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


# ------------------------------------------------------------------ rules beside a list of units

@pytest.mark.parametrize("printed, rule, carries", [
    ("责任单位：A局、B局（第一责任单位为牵头单位，下同）", "first", True),
    ("责任单位：A局、B局（排名第一的为牵头单位，下同）", "first", True),
    ("责任单位：A局、B局（列第一位的为牵头单位）", "first", False),
    ("责任单位：A局、B局，列第一位的为牵头单位", "first", False),
    ("责任单位：A局、B局（排名不分先后，下同）", "all", True),
    ("责任单位：A局、B局（均为牵头单位）", "all", False),
    ("责任单位：A局、B局", "", False),
])
def test_a_rule_is_read_and_dropped(printed, rule, carries):
    found, carried, rest = read_rule(printed)
    assert (found, carried) == (rule, carries)
    assert "牵头" not in rest and "下同" not in rest and "先后" not in rest


def test_the_parenthesis_of_a_rule_is_never_a_unit():
    a = parse_attribution("责任单位：区政务服务数据管理局、区发展改革局、区司法局（第一责任单位为牵头单位，下同）；"
                          "完成时限：2024年6月底前", 2024)
    assert a.lead == ["区政务服务数据管理局"]
    assert a.cooperating == ["区发展改革局", "区司法局"]
    assert (a.rule, a.rule_carries) == ("first", True)
    assert a.deadline.date == D(2024, 6, 30)
    assert not a.not_understood


def test_a_carried_rule_reads_a_bare_list():
    assert parse_attribution("责任单位：县数据局、县行政服务中心", 2025, rule="first").lead == ["县数据局"]
    everyone = parse_attribution("责任单位：县综合行政执法局、县市场监管局", 2025, rule="all")
    assert everyone.lead == ["县综合行政执法局", "县市场监管局"] and not everyone.lead_unstated
    # an attribution that names its lead is read as printed whatever the rule
    named = parse_attribution("牵头单位：县财政局；责任单位：县审计局、县发改局", 2025, rule="all")
    assert named.lead == ["县财政局"] and named.cooperating == ["县审计局", "县发改局"]


# ------------------------------------------------------------------ inline forms

@pytest.mark.parametrize("printed, lead, cooperating, scope", [
    ("牵头单位：县发改局；责任单位：县市场监管局等有关部门", ["县发改局"], ["县市场监管局"], ["有关部门"]),
    ("牵头单位：区数据资源局；责任单位：区市场监管局、区税务局等有关部门", ["区数据资源局"],
     ["区市场监管局", "区税务局"], ["有关部门"]),
    ("牵头单位：县金融发展中心；责任单位：人行岭源县支行等有关部门；完成时限：每月", ["县金融发展中心"],
     ["人行岭源县支行"], ["有关部门"]),
    ("县经信局牵头，县科技局、县财政局配合，2025年9月底前完成", ["县经信局"], ["县科技局", "县财政局"], []),
    ("县自然资源和规划局、县住建局按职责分工负责，10月底前完成", ["县自然资源和规划局", "县住建局"], [], []),
    ("县数据局牵头，县直各有关单位配合，2024年第三季度完成", ["县数据局"], [], ["县直各有关单位"]),
    ("责任单位：县市场监管局、各乡镇（街道）", ["县市场监管局"], [], ["各乡镇（街道）"]),
])
def test_inline_forms(printed, lead, cooperating, scope):
    a = parse_attribution(printed, 2025, rule="first")
    assert (a.lead, a.cooperating, a.scope) == (lead, cooperating, scope)
    assert not a.not_understood


def test_a_scope_with_a_parenthesis_is_one_phrase():
    assert cells.split_units("市数据和政务服务局、各县（市、区）政府") == ["市数据和政务服务局", "各县（市、区）政府"]
    assert cells.parse_units("市数据和政务服务局、各县（市、区）政府").scope == ["各县（市、区）政府"]


# ------------------------------------------------------------------ deadlines

@pytest.mark.parametrize("printed, date, ongoing, recurring", [
    ("2024年6月底前", D(2024, 6, 30), False, None),
    ("6月底前", D(2024, 6, 30), False, None),
    ("年底前", D(2024, 12, 31), False, None),
    ("2024年第三季度", D(2024, 9, 30), False, None),
    ("2024年第二季度完成", D(2024, 6, 30), False, None),
    ("上半年", D(2024, 6, 30), False, None),
    ("下半年", D(2024, 12, 31), False, None),
    ("长期坚持", None, True, None),
    ("持续推进", None, True, None),
    ("常态化推进", None, True, None),
    ("每季度", None, True, "quarterly"),
    ("每季度开展", None, True, "quarterly"),
    ("每月", None, True, "monthly"),
    ("每月调度", None, True, "monthly"),
    ("每季度通报一次，年底前完成", D(2024, 12, 31), False, "quarterly"),
])
def test_deadline_phrases(printed, date, ongoing, recurring):
    phrase = cells.parse_deadline_phrase(printed, 2024)
    assert (phrase.date, phrase.ongoing, phrase.recurring) == (date, ongoing, recurring)


# ------------------------------------------------------------------ the rule carried through a plan

PLAN = """岭源县2025年营商环境优化提升行动方案
一、重点任务
（一）政务环境
1.深化集成改革。新增集成服务10项。
责任单位：县行政服务中心、县数据局、县司法局（排名第一的为牵头单位，下同）
时限要求：2025年6月底前
2.推进增值化改革。建成企业综合服务中心。
责任单位：县数据局、县行政服务中心
时限要求：每季度
（二）法治环境
3.深化纠纷化解。设立商事调解中心。
责任单位：县司法局、县法院（排名不分先后，下同）
时限要求：长期坚持
4.推行综合查一次。减少入企检查。
责任单位：县综合行政执法局、县市场监管局
时限要求：2025年第三季度
5.清理拖欠账款。做到应清尽清。
责任单位：县财政局、县审计局（第一责任单位为牵头单位，下同）
时限要求：常态化推进
6.完善用工服务。每月举办招聘会。
责任单位：县人力社保局、县总工会
时限要求：每月
"""


def test_a_rule_printed_with_xia_tong_holds_until_the_plan_states_another():
    parsed = read_text_plan(PLAN, "lingyuan.txt")
    read = [(m.number, m.lead_units, m.cooperating_units, m.deadline, m.ongoing, m.recurring)
            for m in parsed.all_measures()]
    assert read == [
        (1, ["县行政服务中心"], ["县数据局", "县司法局"], D(2025, 6, 30), False, None),
        (2, ["县数据局"], ["县行政服务中心"], None, True, "quarterly"),
        (3, ["县司法局", "县法院"], [], None, True, None),
        (4, ["县综合行政执法局", "县市场监管局"], [], D(2025, 9, 30), False, None),
        (5, ["县财政局"], ["县审计局"], None, True, None),
        (6, ["县人力社保局"], ["县总工会"], None, True, "monthly"),
    ]
    recurring = [m for m in parsed.all_measures() if m.recurring]
    assert [m.notes["recurring"] for m in recurring] == ["quarterly", "monthly"]  # kept on the saved measure


# ------------------------------------------------------------------ table cells

@pytest.mark.parametrize("printed, units", [
    ("区住建局区城管局", ["区住建局", "区城管局"]),
    ("经开区经济发展局经开区财政金融局", ["经开区经济发展局", "经开区财政金融局"]),
    ("市行政审批服务局市大数据中心", ["市行政审批服务局", "市大数据中心"]),
    ("区法院区发改委区税务局", ["区法院", "区发改委", "区税务局"]),
    # one unit each, though a unit's name ends inside them
    ("区纪委区监委", ["区纪委区监委"]),
    ("泸川市自然资源和规划局经开区分局", ["泸川市自然资源和规划局经开区分局"]),
    ("区委人才工作领导小组办公室", ["区委人才工作领导小组办公室"]),
    ("区人力资源社会保障局", ["区人力资源社会保障局"]),
    ("人民银行沧临市分行", ["人民银行沧临市分行"]),
    ("市城市管理综合行政执法局", ["市城市管理综合行政执法局"]),
])
def test_unit_names_run_together_are_split(printed, units):
    assert cells.parse_units(printed).units == units
    assert cells.split_run_together(printed, known={printed}) == [printed]  # the directory's name stays whole


@pytest.mark.parametrize("text, is_deadline", [
    ("长期坚持", True), ("常态化推进", True), ("每季度", True), ("2024年第三季度", True), ("6月底前", True),
    ("上半年", True), ("2023年12月31日", True),
    ("持续推进提升政务服务满意度专项行动", False), ("区政数局", False), ("深化“一网通办”改革。", False),
])
def test_a_deadline_cell_holds_only_a_deadline(text, is_deadline):
    assert cells.is_deadline_cell(text) is is_deadline


TABLE_PLAN = """沧临市2023年优化营商环境攻坚行动方案
一、重点任务
注：责任单位中排在第一位的为牵头单位。
序号 | 重点领域 | 具体措施 | 责任单位 | 完成时限
1 | 政务服务 | 推行“一业一证”改革。 | 市行政审批局、市市场监管局 | 2023年6月底前
2 |  | 落实政务服务“好差评”制度。 | 市数据和政务服务局、各县（市、区）政府 | 长期坚持
3 |  | 推行工程建设项目联合验收。 | 市住房城乡建设局市城市管理综合行政执法局 | 每季度
4 | 要素保障 | 开展“银企对接”活动。 | 市地方金融监管局、人民银行沧临市分行 | 2023年第三季度
5 |  | 落实稳岗返还政策。 | 市人力资源社会保障局 |
"""


def test_table_cells_in_a_text_plan():
    parsed = read_text_plan(TABLE_PLAN, "canglin.txt")
    read = [(m.number, m.lead_units, m.cooperating_units, m.scope_text, m.deadline, m.ongoing, m.recurring)
            for m in parsed.all_measures()]
    assert read == [
        (1, ["市行政审批局"], ["市市场监管局"], "", D(2023, 6, 30), False, None),
        # 长期坚持 under a dated row: ongoing, not the row above's date
        (2, ["市数据和政务服务局"], [], "各县（市、区）政府", None, True, None),
        # two names run together; the plan's note makes the first the lead
        (3, ["市住房城乡建设局"], ["市城市管理综合行政执法局"], "", None, True, "quarterly"),
        (4, ["市地方金融监管局"], ["人民银行沧临市分行"], "", D(2023, 9, 30), False, None),
        # a blank deadline cell under a printed one (a merged cell): the date above spans it
        (5, ["市人力资源社会保障局"], [], "", D(2023, 9, 30), False, None),
    ]
    assert [a.name for a in parsed.areas] == ["政务服务", "要素保障"]
    split = [str(w) for w in parsed.warnings if "run together" in w.message]
    assert len(split) == 1 and "市住房城乡建设局市城市管理综合行政执法局" in split[0] and "canglin.txt" in split[0]


DIRECTORY_PLAN = """岭源县2025年营商环境优化提升行动方案
一、重点任务
序号 | 重点领域 | 具体措施 | 牵头单位 | 配合单位 | 完成时限
1 | 政务服务 | 开展营商环境专项督查。 | 县督查考评中心县审计局 | 县住建局县城管局 | 年底前
"""


@pytest.mark.django_db
def test_the_unit_directory_decides_what_one_unit_is(tmp_path):
    """A name the directory knows is one unit, however it reads; names it does not know are split."""
    from duban.plans.models import Measure
    from duban.plans.services import import_plan_file
    from duban.plans.units import import_unit_directory

    import_unit_directory("name,kind,aliases\n县督查考评中心县审计局,department,\n", source="units.csv")
    path = tmp_path / "lingyuan.txt"
    path.write_text(DIRECTORY_PLAN, encoding="utf-8")
    import_plan_file(path, keep_source=False)
    measure = Measure.objects.get()
    assert [u.name for u in measure.lead_units.all()] == ["县督查考评中心县审计局"]
    assert [u.name for u in measure.cooperating_units.all()] == ["县住建局", "县城管局"]


def test_a_joint_office_of_the_party_committee_and_government_is_one_unit():
    assert cells.split_run_together("区委区政府督查室") == ["区委区政府督查室"]
    assert cells.split_run_together("县纪委县监委") == ["县纪委县监委"]


def test_a_unit_column_whose_header_states_the_rule():
    plan = """石燕县2024年优化营商环境重点任务清单
序号 | 重点领域 | 具体措施 | 责任单位（排名第一的为牵头单位） | 完成时限
1 | 政务服务 | 推行“一窗通办”。 | 县政务服务中心、县数据局 | 6月底前
2 |  | 推行“好差评”。 | 县数据局 | 长期坚持
"""
    parsed = read_text_plan(plan, "shiyan.txt")
    assert [(m.lead_units, m.cooperating_units, m.deadline, m.ongoing) for m in parsed.all_measures()] == [
        (["县政务服务中心"], ["县数据局"], D(2024, 6, 30), False), (["县数据局"], [], None, True)]


CELL_RULE_ROWS = [
    ["序号", "重点领域", "具体措施", "责任单位", "完成时限"],
    ["1", "政务服务", "推进“一网通办”。", "区发改委、区财政局（第一责任单位为牵头单位，下同）", "2024年6月底前"],
    ["2", "", "推进“一件事”改革。", "区住建局、区城管执法局", "2024年9月底前"],
    ["3", "要素保障", "开展“银企对接”活动。", "区金融办、区财政局（排名不分先后，下同）", "年底前"],
    ["4", "", "推进证照分离。", "区市场监管局、区税务局", "长期坚持"],
]
CELL_RULE_READ = [
    # the rule in the first row's cell: the first listed leads, there and on every later row
    (["区发改委"], ["区财政局"]), (["区住建局"], ["区城管执法局"]),
    # until a cell states another rule with 下同: every unit listed leads
    (["区金融办", "区财政局"], []), (["区市场监管局", "区税务局"], []),
]


def _cell_rule_docx(path):
    import docx

    document = docx.Document()
    document.add_paragraph("滨江区2024年优化营商环境重点任务清单")
    table = document.add_table(rows=len(CELL_RULE_ROWS), cols=len(CELL_RULE_ROWS[0]))
    for r, row in enumerate(CELL_RULE_ROWS):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    document.save(path)


@pytest.mark.parametrize("form", ["txt", "docx"])
def test_a_rule_with_xia_tong_in_a_table_cell_holds_for_the_rows_below(tmp_path, form):
    """'（第一责任单位为牵头单位，下同）' in a 责任单位 cell is read as in prose: never a unit, and carried."""
    if form == "txt":
        text = "滨江区2024年优化营商环境重点任务清单\n" + "\n".join(" | ".join(row) for row in CELL_RULE_ROWS) + "\n"
        parsed = read_text_plan(text, "binjiang.txt")
    else:
        from duban.plans.importers import read_plan_file

        _cell_rule_docx(tmp_path / "binjiang.docx")
        parsed = read_plan_file(tmp_path / "binjiang.docx")
    read = [(m.lead_units, m.cooperating_units) for m in parsed.all_measures()]
    assert read == CELL_RULE_READ
    first = next(parsed.all_measures())
    assert first.notes.get("first_listed_leads") and "牵头" not in "".join(first.lead_units + first.cooperating_units)


def test_unit_names_run_together_are_split_in_prose_attributions_with_the_tables_warning():
    prose = read_text_plan("""滨江区2024年优化营商环境工作要点
一、优化政务服务
1.推进“一网通办”。
责任单位：区住建局区城管执法局
完成时限：2024年6月底前
2.推进“一件事”改革。
牵头单位：区发改委；配合单位：区财政局区税务局
完成时限：2024年9月底前
""", "binjiang.txt")
    assert [(m.lead_units, m.cooperating_units) for m in prose.all_measures()] == [
        (["区住建局", "区城管执法局"], []), (["区发改委"], ["区财政局", "区税务局"])]
    assert [m.notes["units_split"] for m in prose.all_measures()] == [
        {"区住建局区城管执法局": ["区住建局", "区城管执法局"]}, {"区财政局区税务局": ["区财政局", "区税务局"]}]
    table = read_text_plan("滨江区2024年优化营商环境重点任务清单\n序号 | 重点领域 | 具体措施 | 责任单位 | 完成时限\n"
                           "1 | 政务服务 | 推进“一网通办”。 | 区住建局区城管执法局 | 2024年6月底前\n", "table.txt")
    said = [w.message for w in prose.warnings if "run together" in w.message]
    assert said[0] == [w.message for w in table.warnings if "run together" in w.message][0] == (
        "unit names run together, read as 2 units: 区住建局区城管执法局 → 区住建局、区城管执法局")
    assert len(said) == 2


# ------------------------------------------------------------------ found by plans not yet seen (session 7)

@pytest.mark.parametrize("printed, lead, cooperating, scope", [
    # the comma only lists the units that each answer for their share
    ("责任单位：县营商局，县数据局按职责分工负责", ["县营商局", "县数据局"], [], []),
    ("县人社局，各乡镇人民政府按职责分工负责", ["县人社局"], [], ["各乡镇人民政府"]),
    # a clause with a role of its own is not merged into the next
    ("县发改局配合，县财政局按职责分工负责", ["县财政局"], ["县发改局"], []),
])
def test_units_listed_with_commas_each_answer_for_their_share(printed, lead, cooperating, scope):
    a = parse_attribution(printed, 2025)
    assert (a.lead, a.cooperating, a.scope) == (lead, cooperating, scope)


def test_a_bare_time_key_names_the_deadline_only_where_a_part_begins():
    a = parse_attribution("责任单位：县税务局；时间：2025年11月底前", 2025)
    assert (a.lead, a.deadline.date) == (["县税务局"], D(2025, 11, 30))
    assert parse_attribution("责任单位：县工信局；时间：长期坚持", 2025).deadline.ongoing
    assert cells.is_unit_list("县税务局") and not parse_attribution("办理时间：3个工作日", 2025).deadline


@pytest.mark.parametrize("printed, parts", [
    ("县司法局县直各行政执法部门", ["县司法局", "县直各行政执法部门"]),
    ("县行政服务中心管委会各乡镇人民政府", ["县行政服务中心管委会", "各乡镇人民政府"]),
    ("区委各部门", ["区委各部门"]),  # too short to be a unit's full name: one scope
    ("县直各有关单位", ["县直各有关单位"]),
    ("区发展改革委等有关部门", ["区发展改革委等有关部门"]),
])
def test_a_unit_and_a_scope_run_together_are_told_apart(printed, parts):
    assert cells.split_off_scope(printed) == parts


def test_the_peoples_organisations_end_a_name_run_together():
    assert cells.split_run_together("县工商联县工信局") == ["县工商联", "县工信局"]
    assert cells.parse_units("县妇联县人社局").units == ["县妇联", "县人社局"]


def test_a_task_list_none_of_whose_rows_reads_as_a_measure_is_refused(tmp_path):
    from duban.plans.importers import PlanImportError, read_plan_file

    path = tmp_path / "清单.txt"
    path.write_text("某区2025年优化营商环境任务清单\n序号\t工作举措\t牵头单位\t完成时限\n"
                    "1\t\t区发改局\t2025年6月底前\n2\t\t区财政局\t2025年9月底前\n", encoding="utf-8")
    with pytest.raises(PlanImportError, match="no row of it could be read as a measure"):
        read_plan_file(path)


@pytest.mark.parametrize("cells_, section", [
    (["一、政务服务领域", "", "", ""], (1, "政务服务领域")),
    (["一、政务服务领域"] * 4, (1, "政务服务领域")),  # a cell spanning the row, as Word gives it
    (["（三）要素保障"], (3, "要素保障")),
    (["第二部分 法治环境"], (2, "法治环境")),
    (["1", "一、推行“一网通办”，实现全程网办。", "区数据局", ""], None),
    (["一、推行“一网通办”，实现全程网办。"], None),  # a sentence, not a section's name
])
def test_a_row_naming_a_section_of_the_table(cells_, section):
    from duban.plans.importers.tables import section_row

    assert section_row(cells_) == section


def test_a_work_task_column_is_the_measures_unless_the_table_is_the_xihu_layout():
    from duban.plans.importers.grid import header_roles

    assert header_roles(["序号", "工作任务", "完成时限", "牵头单位", "配合单位"])[1] == "measure"
    assert header_roles(["序号", "专项行动", "工作任务", "牵头单位", "完成时限"])[2] == "task"  # refused later


def test_a_lead_read_by_the_first_listed_rule_is_flagged_in_prose_as_in_a_table():
    plan = read_text_plan("""某区2025年优化营商环境工作方案
某政办〔2025〕3号
一、提升政务服务
1.推行一网通办。（责任单位：区数据局、区行政审批局（第一责任单位为牵头单位，下同））
2.推行一窗受理。（责任单位：区行政审批局、区数据局）
3.推行帮办代办。（牵头单位：区行政审批局；配合单位：区数据局）
""", "方案.txt")
    flags = [bool(m.notes.get("first_listed_leads")) for m in plan.all_measures()]
    assert [m.lead_units for m in plan.all_measures()][:2] == [["区数据局"], ["区行政审批局"]]
    assert flags == [True, True, False]


@pytest.mark.parametrize("printed, lead, cooperating", [
    ("市发改委牵头，市财政局、市住建局配合", "市发改委", "市财政局、市住建局"),
    ("市政数局牵头，各县（市、区）人民政府落实", "市政数局", "各县（市、区）人民政府"),
    ("市发改委、市市场监管局按职责分工负责", "市发改委、市市场监管局", ""),
    ("市市场监管局（牵头） 市商务局 市文广旅局", "市市场监管局", "市商务局、市文广旅局"),  # line breaks copied as spaces
])
def test_a_unit_cell_saying_in_words_who_leads_is_read_as_prose_reads_it(printed, lead, cooperating):
    assert cells.marked_roles(printed) == (lead, cooperating)
    assert cells.is_unit_list(printed)


@pytest.mark.parametrize("printed", ["牵头推进一网通办", "区发改委、区财政局（第一责任单位为牵头单位，下同）"])
def test_words_or_a_rule_in_a_unit_cell_are_not_roles_spoken(printed):
    assert cells.marked_roles(printed) is None


def test_a_deadline_cell_naming_its_steps_gives_the_last_as_deadline_and_the_others_as_milestones(tmp_path):
    from duban.plans.importers import read_plan_file

    path = tmp_path / "分工表.txt"
    path.write_text("某市2025年优化营商环境任务分工表\n序号\t重点领域\t工作举措\t牵头单位\t完成时限\n"
                    "1\t营商\t开展违规收费整治。\t市发改委\t2025年4月底前制定方案，10月底前完成整治\n"
                    "2\t\t出台细则并推开。\t市市场监管局\t2025年6月底前出台实施细则，2026年6月底前全面推开\n",
                    encoding="utf-8")
    measures = list(read_plan_file(path).all_measures())
    assert [m.deadline for m in measures] == [D(2025, 10, 31), D(2026, 6, 30)]
    assert [[(s.date, s.text) for s in m.milestones] for m in measures] == [
        [(D(2025, 4, 30), "制定方案")], [(D(2025, 6, 30), "出台实施细则")]]


def test_a_scope_with_a_bracketed_list_is_one_scope_in_the_review(tmp_path):
    from duban.plans.importers import read_plan_file
    from duban.plans.importers.items import plan_items

    path = tmp_path / "分工表.txt"
    path.write_text("某市2025年优化营商环境任务分工表\n序号\t重点领域\t事项名称\t牵头单位\t配合单位\t完成时限\n"
                    "1\t营商\t推行一件事。\t市政数局\t各县（市、区）人民政府、市直有关部门\t2025年6月底前\n",
                    encoding="utf-8")
    [item] = plan_items(read_plan_file(path))["items"]  # 事项名称: the measures' column, as in 一件事 lists
    assert item["scope"] == ["各县（市、区）人民政府", "市直有关部门"]


@pytest.mark.parametrize("printed, number", [("12", 12), ("1-2", 2), ("3－1", 1), ("2—10", 10)])
def test_a_number_cell_may_name_its_section_first(printed, number):
    assert cells.is_number(printed) and cells.cell_number(printed) == number


def test_a_decimal_is_no_number_cell():
    assert not cells.is_number("1.5")
