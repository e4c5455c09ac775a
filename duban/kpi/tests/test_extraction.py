"""Finding targets in sentences written for these tests, not taken from the seed plan.

They show the rules are about Chinese plan language in general: directions
before and after the number, units and multipliers, enumerations with 分别,
reductions, ranks, and what must *not* be read as a target.
"""

from decimal import Decimal

import pytest

from duban.kpi.extraction import AT_LEAST, AT_MOST, EQUAL, REDUCE_BY, find_targets


def only(text):
    targets = find_targets(text)
    assert len(targets) == 1, [(t.value, t.unit, t.subject) for t in targets]
    return targets[0]


def brief(text):
    return [(t.value, t.unit, t.direction) for t in find_targets(text)]


@pytest.mark.parametrize("sentence, value, unit, direction", [
    ("力争全区不动产登记办理时间压缩至1个工作日。", "1", "工作日", AT_MOST),
    ("企业注销平均用时控制在3天以内。", "3", "天", AT_MOST),
    ("到2024年底，全市涉企审批事项网办率不低于98%。", "98", "%", AT_LEAST),
    ("引导外贸企业参加国际展会不少于8场。", "8", "场", AT_LEAST),
    ("全年培训市场主体经营者超过1200人次。", "1200", "人次", AT_LEAST),
    ("年内新增市场主体1.5万户。", "15000", "户", AT_LEAST),
    ("新增城镇就业2.4万人以上。", "24000", "人", AT_LEAST),
    ("工业用水报装时间不超过 7 个工作日。", "7", "工作日", AT_MOST),
    ("供电可靠率稳定在99.9%左右。", "99.9", "%", EQUAL),
    ("小微企业贷款余额增长15%以上。", "15", "%", AT_LEAST),
    ("农村供水管网漏损率降至8%以下。", "8", "%", AT_MOST),
    ("行政复议案件平均审结时间缩短到30天。", "30", "天", AT_MOST),
    ("争取普惠贷款投放达到50亿元。", "50", "亿元", AT_LEAST),
    ("群众办事平均等候时间压缩至两个小时以内。", "2", "小时", AT_MOST),
    ("力争首贷户数量突破300家。", "300", "家", AT_LEAST),
    ("推动政务服务事项全程网办比例达到 85％以上。", "85", "%", AT_LEAST),  # full-width percent sign
    ("审批时限由20个工作日减少到１２个工作日。", "12", "工作日", AT_MOST),  # full-width digits
])
def test_direction_unit_and_value(sentence, value, unit, direction):
    target = only(sentence)
    assert (target.value, target.unit, target.direction) == (Decimal(value), unit, direction)


@pytest.mark.parametrize("sentence, value", [
    ("全市企业平均用电成本下降10%。", "10"),
    ("力争工程建设项目审批材料压减30%以上。", "30"),
    ("年度停水时长同比降低 12.5%。", "12.5"),
])
def test_a_reduction_verb_before_a_percentage_is_reduce_by(sentence, value):
    target = only(sentence)
    assert (target.value, target.unit, target.direction) == (Decimal(value), "%", REDUCE_BY)


def test_reducing_to_a_percentage_is_a_ceiling_not_a_reduction():
    assert only("行政处罚案件纠错率降低到2%以内。").direction == AT_MOST


def test_an_enumeration_with_fenbie_gives_one_target_per_case_named_after_it():
    targets = find_targets("一般、较大、重大事项审批时间分别压缩至2个、4个、8个工作日以内。")
    assert [(t.value, t.unit, t.direction) for t in targets] == [
        (Decimal(n), "工作日", AT_MOST) for n in ("2", "4", "8")]
    assert [t.subject for t in targets] == ["事项审批时间（一般）", "事项审批时间（较大）", "事项审批时间（重大）"]


def test_an_enumeration_without_matching_cases_numbers_the_subjects():
    targets = find_targets("三类企业开办时间分别压缩至1个、2个工作日。")
    assert [t.subject for t in targets] == ["三类企业开办时间（1/2）", "三类企业开办时间（2/2）"]


def test_several_targets_in_one_quoted_rule_each_get_their_own_subject():
    targets = find_targets("建立“2个工作日内受理、一般诉求7个工作日办结、复杂诉求15个工作日答复”工作机制。")
    assert [(t.value, t.subject) for t in targets] == [
        (Decimal("2"), "受理"), (Decimal("7"), "一般诉求办结"), (Decimal("15"), "复杂诉求答复")]
    assert {t.direction for t in targets} == {AT_MOST}


@pytest.mark.parametrize("sentence, value", [
    ("确保全省数字政府评估我市进入前10位。", "10"),
    ("市场监管指标全国排名目标：前20名", "20"),
    ("年度考核力争前5强。", "5"),
])
def test_a_rank_is_a_ceiling_on_the_place(sentence, value):
    target = only(sentence)
    assert (target.value, target.unit, target.direction, target.rank) == (Decimal(value), "名", AT_MOST, True)
    assert target.subject.endswith("排名")


def test_a_rank_target_without_words_before_it_takes_the_previous_clause_as_subject():
    assert only("国家营商环境评价目标：前30名").subject == "国家营商环境评价排名"


def test_subjects_lose_the_words_around_them():
    assert only("确保到2023年底全区政务服务好评率达到99%以上。").subject == "全区政务服务好评率"
    assert only("进一步压缩全年纳税时间至60个小时以内。").subject == "纳税时间"
    assert only("实现政府采购合同的 60%以上授予本地企业。").subject == "政府采购合同授予本地企业"


def test_a_reduction_after_a_comma_is_about_the_previous_clause():
    targets = find_targets("户均停电时长4.5小时，同比下降20%。")
    assert [(t.value, t.direction, t.subject) for t in targets] == [(Decimal("20"), REDUCE_BY, "户均停电时长")]


def test_the_sentence_and_the_printed_quantity_are_kept():
    target = find_targets("第一句没有数字。审批时限压缩至 5 个工作日以内，全面推行网办。")[0]
    assert target.sentence == "审批时限压缩至 5 个工作日以内，全面推行网办。"
    assert target.quantity_text == "5 个工作日以内"


@pytest.mark.parametrize("sentence", [
    "进一步明确 14 个省评指标的年度目标。",  # a count, not a target
    "提供24小时自助服务。",  # a duration without a target verb or deadline action
    "打造“15分钟便民服务圈”和“10分钟办税圈”。",  # numbers inside names
    "抓好“58条”政策措施落地见效。",
    "2023年6月30日前完成，于7月31日前印发。",  # dates
    "推进1250千伏安及以下高压供电方案现场答复。",  # a scope, and an unknown unit
    "开通企业服务热线12368，持续深化“1+6”模式。",  # phone numbers and model names
    "精心筹备第19届庙会，评选第3名。",  # editions and placings
    "目前50名员工已到岗。",  # 目前 is "at present", not "top"
    "",
])
def test_not_targets(sentence):
    assert find_targets(sentence) == []


def test_several_sentences_keep_their_order():
    text = "线上办理率达到90%。平均办理时间压缩至3个工作日。新增服务事项不少于12项。"
    assert brief(text) == [
        (Decimal("90"), "%", AT_LEAST), (Decimal("3"), "工作日", AT_MOST), (Decimal("12"), "项", AT_LEAST)]


def test_thousands_separators_and_decimals():
    assert only("全年新增就业1,500人。").value == Decimal("1500")
    assert only("停电时间压缩至0.75个小时以内。").value == Decimal("0.75")
