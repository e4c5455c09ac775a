"""The Xihu 2023 plan, imported from the text of its published PDF.

Expected values are read off the published document, not the importer's output.
"""

import datetime

import pytest

from duban.plans.models import Area, Measure, Task

from .conftest import SEED_MEASURES

pytestmark = pytest.mark.django_db

D = datetime.date


def measure(plan, annex, number):
    return Measure.objects.get(plan=plan, annex=annex, number=number)


def names(units):
    return [u.name for u in units]


def test_counts(seed_plan):
    assert seed_plan.summary["areas"] == 24
    assert seed_plan.summary["tasks"] == 19
    assert seed_plan.summary["measures"] == SEED_MEASURES  # 157 annex rows, 10 from the body text
    assert Measure.objects.filter(plan=seed_plan, annex=1).count() == 52
    assert Measure.objects.filter(plan=seed_plan, annex=2).count() == 105
    kinds = {k: seed_plan.areas.filter(kind=k).count() for k in Area.Kind.values}
    assert kinds == {"indicator": 14, "forward": 1, "special_action": 5, "governance": 1, "highlight": 3}
    assert Task.objects.filter(area__plan=seed_plan).count() == 19
    assert sorted(Measure.objects.filter(plan=seed_plan, annex=1).values_list("number", flat=True)) == list(
        range(1, 53))


def test_annex2_numbering(seed_plan):
    numbers = list(Measure.objects.filter(plan=seed_plan, annex=2).exclude(number=None)
                   .order_by("number").values_list("number", "number_inferred"))
    assert [n for n, _ in numbers] == list(range(1, 105))
    assert [n for n, inferred in numbers if inferred] == [98, 99]
    unnumbered = Measure.objects.get(plan=seed_plan, annex=2, number=None)
    assert unnumbered.text.startswith("按照省、市税务局部署")
    assert unnumbered.area.name == "纳税"
    assert names(unnumbered.ordered_lead_units()) == ["区税务局"]
    assert unnumbered.deadline == D(2023, 6, 30)
    # Cited by the numbered row before it, never by its position ("2-#2").
    before = Measure.objects.filter(area=unnumbered.area, annex=2, position__lt=unnumbered.position).exclude(
        number=None).order_by("-position").first()
    assert unnumbered.label == (f"2-（{before.number}后）" if before else "2-（首条前）")
    assert "#" not in unnumbered.label


def test_plan_metadata(seed_plan):
    assert seed_plan.document_number == "西办发〔2023〕20号"
    assert seed_plan.year == 2023
    assert seed_plan.title == "南昌市西湖区关于持续推进营商环境优化升级“一号改革工程”2023年行动方案"
    assert seed_plan.issue_date == D(2023, 8, 7)
    assert "中共西湖区委办公室" in seed_plan.issuing_bodies and "西湖区人民政府办公室" in seed_plan.issuing_bodies
    assert seed_plan.missing_annexes == ["附件3：2023年全省营商环境评价西湖区监测事项责任分解表"]


def test_every_measure_is_attributed(seed_plan):
    for m in Measure.objects.filter(plan=seed_plan).prefetch_related("lead_links"):
        assert m.lead_links.exists(), m.label
        assert m.deadline and m.deadline.year == 2023, m.label
        assert m.source_line, m.label


def test_annex1_measure_29_milestones(seed_plan):
    m = measure(seed_plan, 1, 29)
    assert [(x.date, x.text[:8]) for x in m.milestones.all()] == [
        (D(2023, 7, 31), "印发通知,要求区"), (D(2023, 8, 31), "区各行政执法部门"), (D(2023, 11, 30), "区司法局针对本领")]
    assert names(m.ordered_lead_units()) == ["区司法局"]
    assert m.scope_text == "区各行政执法部门"
    assert m.deadline == D(2023, 12, 31)
    assert m.task.number == 9


def test_annex1_measure_50_three_lead_units(seed_plan):
    m = measure(seed_plan, 1, 50)
    assert names(m.ordered_lead_units()) == ["区纪委区监委", "区委组织部", "区直机关工委"]
    assert m.ordered_cooperating_units() == []
    assert m.scope_text == "区委各部门、区直各单位、各街道"
    assert m.task.number == 17
    assert m.area.chief.name == "陈韬"  # printed 陈韜 in the annex


def test_annex2_row_14_power_company_alias(seed_plan):
    m = measure(seed_plan, 2, 14)
    assert names(m.ordered_lead_units()) == ["西湖供电公司"]  # printed 西湖电力公司
    assert m.area.name == "获得电力"
    assert m.deadline == D(2023, 11, 30)


def test_annex1_measure_10_two_leads_no_cooperation(seed_plan):
    m = measure(seed_plan, 1, 10)
    assert names(m.ordered_lead_units()) == ["区财政局", "区金融服务中心"]
    assert m.ordered_cooperating_units() == [] and m.scope_text == ""
    assert m.deadline == D(2023, 11, 30)


def test_tasks_lost_numbers_and_repeated_prints(seed_plan):
    task5 = measure(seed_plan, 1, 8).task
    assert (task5.number, task5.number_inferred) == (5, True)
    assert task5.text.startswith("进一步优化涉企服务")
    task14 = measure(seed_plan, 1, 42).task
    assert (task14.number, task14.number_inferred) == (14, True)
    task8 = Task.objects.get(area__plan=seed_plan, number=8)
    assert sorted(task8.measures.values_list("number", flat=True)) == list(range(14, 24))
    task9 = Task.objects.get(area__plan=seed_plan, number=9)
    assert sorted(task9.measures.values_list("number", flat=True)) == list(range(24, 31))
    # 企业家权益保护专项行动 and 企业权益保护专项行动 are one action
    assert task8.area == task9.area == measure(seed_plan, 1, 31).task.area
    assert task8.area.name == "持续推进企业家权益保护专项行动"


def test_annex1_measure_42_year_only_deadline(seed_plan):
    m = measure(seed_plan, 1, 42)
    assert names(m.ordered_lead_units()) == ["区商务局"]
    assert names(m.ordered_cooperating_units()) == ["区税务局", "区市场监管局", "西湖公安分局"]
    assert m.scope_text == "各街道"
    assert (m.deadline, m.deadline_year_only, m.deadline_text) == (D(2023, 12, 31), True, "2023年")


def test_annex1_measure_46_shifted_row(seed_plan):
    m = measure(seed_plan, 1, 46)
    assert names(m.ordered_lead_units()) == ["区市场监管局"]
    assert m.deadline == D(2023, 6, 30)
    assert m.task.number == 15


def test_annex1_measure_5_street_and_scope(seed_plan):
    m = measure(seed_plan, 1, 5)
    assert names(m.ordered_cooperating_units()) == ["南站街道"]
    assert m.scope_text == "区直各有关单位"
    assert m.deadline == D(2023, 12, 30)


def test_annex1_measure_23_long_unit_name(seed_plan):
    m = measure(seed_plan, 1, 23)
    assert names(m.ordered_lead_units()) == ["区生态环境局"]
    assert names(m.ordered_cooperating_units()) == ["南昌市生态环境局综合执法支队西湖大队"]


def test_annex2_aliases_merge_spellings(seed_plan):
    assert names(measure(seed_plan, 2, 5).ordered_cooperating_units())[0] == "区法院"  # 区人民法院
    assert names(measure(seed_plan, 2, 9).ordered_cooperating_units()) == ["西湖自然资源和规划分局", "区城管执法局"]
    assert names(measure(seed_plan, 2, 13).ordered_lead_units()) == ["西湖自然资源和规划分局"]
    row31 = names(measure(seed_plan, 2, 31).ordered_cooperating_units())
    assert "西湖公安分局" in row31 and "区委信访局" in row31  # printed 区公安分局, 区信访局


def test_annex2_two_lead_units(seed_plan):
    assert names(measure(seed_plan, 2, 8).ordered_lead_units()) == ["区城管执法局", "区住建局"]


def test_annex2_merged_cells_inherit_lead(seed_plan):
    m = measure(seed_plan, 2, 85)
    assert names(m.ordered_lead_units()) == ["区政数局"]
    assert m.deadline == D(2023, 8, 31)
    assert m.notes.get("lead_units_from_row_above") is True
    m39 = measure(seed_plan, 2, 39)
    assert names(m39.ordered_lead_units()) == ["区法院"] and m39.ordered_cooperating_units() == []


def test_annex2_unnumbered_rows_98_99(seed_plan):
    m98, m99 = measure(seed_plan, 2, 98), measure(seed_plan, 2, 99)
    assert m98.text.startswith("推行行政执法“四张清单”")
    assert names(m98.ordered_lead_units()) == ["区司法局"] and m98.scope_text == "区各行政执法部门"
    assert m98.deadline == D(2023, 10, 31)
    assert m99.text.startswith("构建政务诚信评价机制")
    assert names(m99.ordered_lead_units()) == ["区发改委"]
    assert m98.area.name == m99.area.name == "市场监管"


def test_annex2_row_69_early_deadline(seed_plan):
    assert measure(seed_plan, 2, 69).deadline == D(2023, 2, 20)


def test_indicator_area_from_body_and_annex(seed_plan):
    area = seed_plan.areas.get(kind="indicator", number=1)
    assert area.name == "开办企业" and area.chief.name == "胡海"
    assert names(area.lead_units.all()) == ["区市场监管局"]
    assert set(names(area.cooperating_units.all())) == {"区财政局", "区政数局", "区税务局", "区人社局", "西湖公安分局"}
    assert area.scope_text == "各街道"
    assert area.benchmarks == "广州越秀区、杭州西湖区"
    assert area.target_text == "全省营商环境评价目标：第一方阵"
    assert "大型企业分支机构" in area.pilots
    assert "0.5 个工作日" in area.narrative or "0.5个工作日" in area.narrative
    assert area.measures.count() == 6


def test_area_attribution_cut_by_page_heading(seed_plan):
    area = seed_plan.areas.get(name="获得用水用气")
    assert area.chief.name == "吴涛"
    assert names(area.lead_units.all()) == ["区城管执法局"]
    assert set(names(area.cooperating_units.all())) == {"市水业集团", "市燃气集团"}  # 市自来水公司 is 市水业集团


def test_intellectual_property_area_named_two_ways(seed_plan):
    area = seed_plan.areas.get(kind="indicator", number=13)
    assert area.name == "知识产权创造、保护和运用"
    assert area.measures.count() == 8  # annex 2 calls it 知识产权


def test_special_actions_governance_and_highlights(seed_plan):
    action = seed_plan.areas.get(kind="special_action", number=5)
    assert action.name == "持续推进作风建设监督问责专项行动"
    assert action.chief.name == "陈韬" and action.responsible_unit.name == "区纪委区监委"
    governance = seed_plan.areas.get(kind="governance")
    campaigns = [(c.name, names(c.lead_units.all())) for c in governance.campaigns.all()]
    assert campaigns == [
        ("“新官不理旧账”专项治理", ["区营商环境服务中心"]),
        ("招标投标领域专项治理", ["区营商环境服务中心"]),
        ("行政审批中介服务专项治理", ["区政数局"]),
        ("营商环境领域腐败和作风问题专项治理", ["区纪委区监委"]),
    ]
    highlights = seed_plan.areas.filter(kind="highlight").order_by("number")
    assert [names(h.lead_units.all()) for h in highlights] == [["南站街道"], ["绳金塔街道"], ["桃花街道"]]
    forward = seed_plan.areas.get(kind="forward")
    assert forward.chief is None and names(forward.lead_units.all()) == ["区营商环境服务中心"]
    assert forward.scope_text == "各指标牵头单位及配合单位"


def test_collective_scopes_are_not_units(seed_plan):
    from duban.plans.models import Unit

    for phrase in ("区直各有关单位", "各街道", "各街办", "区各行政执法部门", "区委各部门"):
        assert not Unit.objects.filter(name=phrase).exists(), phrase


def test_areas_whose_work_is_only_in_the_body_have_measures_from_it(seed_plan):
    """15.前瞻探索宜商环境工作, the four governance campaigns and the three street highlights have no annex
    row; their body text is made into measures, each led as the text says and flagged as drawn from it."""
    drawn = Measure.objects.filter(plan=seed_plan, annex=None).order_by("area__position", "position")
    assert drawn.count() == 10 and all(m.notes.get("from_body_text") for m in drawn)
    assert Measure.objects.filter(plan=seed_plan, annex__isnull=False).count() == 157

    def read(area_name):
        return [(m.number, m.text[:9], names(m.lead_units.all()), m.scope_text, m.deadline)
                for m in drawn.filter(area__name__startswith=area_name)]

    year_end = datetime.date(2023, 12, 31)
    assert read("前瞻探索宜商环境工作") == [  # one measure a theme the text heads with a short sentence
        (1, "优化企业准入环境。", ["区营商环境服务中心"], "各指标牵头单位及配合单位", year_end),
        (2, "提升争议解决效率。", ["区营商环境服务中心"], "各指标牵头单位及配合单位", year_end),
        (3, "促进用工就业双赢。", ["区营商环境服务中心"], "各指标牵头单位及配合单位", year_end),
    ]
    assert read("持续深化四大专项治理") == [  # one a campaign, led by the campaign's own lead unit
        (1, "“新官不理旧账”专", ["区营商环境服务中心"], "", year_end),
        (2, "招标投标领域专项治", ["区营商环境服务中心"], "", year_end),
        (3, "行政审批中介服务专", ["区政数局"], "", year_end),
        (4, "营商环境领域腐败和", ["区纪委区监委"], "", year_end),
    ]
    bidding = drawn.get(area__name="持续深化四大专项治理", number=2)
    assert "清理取消企业在招投标方面存在的差别化待遇" in bidding.text  # the body's sentence about it
    streets = [(m.area.name[:5], names(m.lead_units.all()), m.deadline) for m in drawn.filter(area__kind="highlight")]
    assert streets == [("南站街道依", ["南站街道"], year_end), ("绳金塔街道", ["绳金塔街道"], year_end),
                       ("桃花街道推", ["桃花街道"], year_end)]
    assert all(m.deadline_year_only and m.notes.get("deadline_missing") for m in drawn)  # the text names no date
    assert not seed_plan.areas.filter(measures=None).exists()


def test_a_body_text_measure_takes_the_date_its_text_names():
    from .conftest import SEED
    from .plan_files import read_text_plan

    text = SEED.read_text(encoding="utf-8").replace("精心筹备第19届南昌绳金塔庙会", "9月底前精心筹备第19届南昌绳金塔庙会")
    parsed = read_text_plan(text, "xihu.txt")
    street = next(a for a in parsed.areas if a.name.startswith("绳金塔街道"))
    (measure,) = street.measures
    assert (measure.deadline, measure.deadline_year_only, measure.notes.get("from_body_text")) == (
        D(2023, 9, 30), False, True)
    assert "deadline_missing" not in measure.notes
