"""Proposals from the Xihu 2023 seed plan: every target the plan states, with number, unit and direction."""

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from duban.kpi.models import Proposal
from duban.kpi.services import propose_metrics

pytestmark = pytest.mark.django_db

STARTUP, POWER, TAXES, LABOUR = "开办企业", "获得电力", "纳税", "劳动力市场监管"
PROCUREMENT, SERVICES, IP = "政府采购", "政务服务", "知识产权创造、保护和运用"
SATISFACTION = "持续推进提升政务服务满意度专项行动"

# (area, words in the subject, value, unit, direction) — the targets issue 5 lists.
SEED_TARGETS = [
    (STARTUP, "企业开办", "0.5", "工作日", "at_most"),
    (STARTUP, "半日办结率", "96", "%", "at_least"),
    (TAXES, "纳税时间", "70", "小时", "at_most"),
    (TAXES, "出口退(免)税的平均办理时间", "3", "工作日", "at_most"),
    (POWER, "配电自动化覆盖率", "100", "%", "at_least"),
    (POWER, "平均停电时间", "15", "%", "reduce_by"),
    (POWER, "涉电接入工程行政审批时间（低压）", "5", "工作日", "at_most"),
    (POWER, "涉电接入工程行政审批时间（10千伏）", "7", "工作日", "at_most"),
    (POWER, "涉电接入工程行政审批时间（35千伏及以上）", "10", "工作日", "at_most"),
    (POWER, "线上办电率", "95", "%", "at_least"),
    (LABOUR, "仲裁结案率", "90", "%", "at_least"),
    (LABOUR, "新增就业", "6000", "人", "at_least"),
    (PROCUREMENT, "全流程电子化率", "100", "%", "at_least"),
    (PROCUREMENT, "不见面交易率", "70", "%", "at_least"),
    (PROCUREMENT, "意向公开比例", "95", "%", "at_least"),
    (PROCUREMENT, "中小微企业", "80", "%", "at_least"),
    (SERVICES, "一件事", "20", "项", "at_least"),
    (SERVICES, "掌上服务事项上线率", "70", "%", "at_least"),
    (SERVICES, "秒批秒办服务事项", "15", "项", "at_least"),
    (IP, "每万人有效发明专利拥有量", "12", "件", "at_least"),
    (SATISFACTION, "好评率", "95", "%", "at_least"),
    (SATISFACTION, "好评率", "99", "%", "at_least"),
    (None, "全省营商环境评价", "50", "名", "at_most"),  # the plan's own goal: 进入前50位
]


def proposal(plan, area, words, value, unit, direction):
    found = [
        p for p in plan.metric_proposals.select_related("area")
        if (p.area.name if p.area else None) == area and words in p.subject
        and (p.value, p.unit, p.direction) == (Decimal(value), unit, direction)
    ]
    assert len(found) == 1, f"{area} {words} {direction} {value}{unit}: {[str(p) for p in found]}"
    return found[0]


@pytest.mark.parametrize("area, words, value, unit, direction", SEED_TARGETS)
def test_each_target_of_the_seed_is_proposed(seed_proposals, area, words, value, unit, direction):
    found = proposal(seed_proposals, area, words, value, unit, direction)
    assert found.status == Proposal.Status.PROPOSED
    assert found.quantity_text in found.text  # the source sentence holds the quantity as printed


def test_jobs_are_counted_in_people_from_wan_ren(seed_proposals):
    jobs = proposal(seed_proposals, LABOUR, "新增就业", "6000", "人", "at_least")
    assert jobs.quantity_text == "0.6 万人"
    assert "力争全年新增就业 0.6 万人" in jobs.text


def test_the_positive_review_rate_is_shown_both_ways_and_flagged(seed_proposals):
    in_text = proposal(seed_proposals, SATISFACTION, "好评率", "95", "%", "at_least")
    in_annex = proposal(seed_proposals, SATISFACTION, "好评率", "99", "%", "at_least")
    assert list(in_text.conflicts.all()) == [in_annex]
    assert list(in_annex.conflicts.all()) == [in_text]
    assert in_text.source_field == "narrative"
    assert (in_annex.source_field, in_annex.task.number) == ("task", 2)  # annex 1, task 2 …
    assert in_annex.also_in == [{"field": "measure", "ref": "1-4"}]  # … and measure 1-4 say 99%


def test_a_target_printed_in_the_text_and_an_annex_is_proposed_once(seed_proposals):
    refund = proposal(seed_proposals, TAXES, "出口退(免)税的平均办理时间", "3", "工作日", "at_most")
    assert refund.source_field == "narrative"
    assert refund.also_in == [{"field": "measure", "ref": "2-24"}]


def test_the_plan_goal_and_each_indicators_provincial_rank_are_proposed(seed_proposals):
    goal = proposal(seed_proposals, None, "全省营商环境评价", "50", "名", "at_most")
    assert goal.source_field == "preamble"
    assert "确保2023年全省营商环境评价我区进入前50位" in goal.text
    ranks = seed_proposals.metric_proposals.filter(subject="全省营商环境评价排名", area__isnull=False)
    by_area = {p.area.name: p.value for p in ranks.select_related("area")}
    assert by_area[PROCUREMENT] == 30  # 政府采购 aims for the top 30
    assert by_area[POWER] == 50  # printed 前期50名
    assert STARTUP not in by_area  # 第一方阵 is not a number


def test_proposals_link_to_their_area_and_source(seed_proposals):
    measure_based = seed_proposals.metric_proposals.filter(source_field="measure").select_related("measure", "area")
    assert measure_based
    for p in measure_based:
        assert p.measure.area_id == p.area_id
        assert p.measure.text.find(p.quantity_text) != -1 or p.quantity_text in p.text


def test_running_again_proposes_nothing_new(seed_proposals):
    before = seed_proposals.metric_proposals.count()
    counts = propose_metrics(seed_proposals)
    assert counts == {"found": before, "created": 0, "kept": before, "removed": 0, "conflicts": 2}
    assert seed_proposals.metric_proposals.count() == before
    assert seed_proposals.counts["created"] == before


def test_proposals_as_json_for_scripts(seed_proposals):
    out = StringIO()
    call_command("kpi", "proposals", "--plan", str(seed_proposals.pk), "--format", "json", stdout=out)
    rows = json.loads(out.getvalue())
    assert len(rows) == seed_proposals.metric_proposals.count()
    assert {"area", "value", "unit", "direction", "text", "status"} <= set(rows[0])
    jobs = next(r for r in rows if r["unit"] == "人")
    assert (jobs["area"], jobs["value"], jobs["direction"], jobs["status"]) == (LABOUR, 6000, "at_least", "proposed")
    startup = next(r for r in rows if r["area"] == STARTUP and r["unit"] == "工作日")
    assert startup["value"] == 0.5
    assert {r["direction"] for r in rows} <= {"at_most", "at_least", "equal", "reduce_by"}
    assert all(r["conflicts"] for r in rows if "好评率" in r["subject"])
