"""Numbering that jumps or restarts, and items cut off at the end: warnings naming where (issue 16, point 2)."""

from __future__ import annotations

from .plan_files import read_text_plan

HEAD = "滨江区优化营商环境任务分工方案\n滨府办〔2025〕2号\n"


def item(n, text="推进一项改革。"):
    return f"{n}.{text}（牵头单位：区发改委；完成时限：2025年6月30日）"


def numbering_warnings(text, name="plan.txt"):
    plan = read_text_plan(HEAD + text, name)
    return [str(w) for w in plan.warnings if "numbering" in w.message or "mid-sentence" in w.message]


def test_continuous_numbering_is_quiet():
    text = "\n".join(["一、政务服务", item(1), item(2), "二、要素保障", item(3), item(4)])
    assert numbering_warnings(text) == []


def test_numbering_afresh_under_each_heading_is_quiet():
    text = "\n".join(["一、政务服务", item(1), item(2), "二、要素保障", item(1), item(2), "三、法治", item(1)])
    assert numbering_warnings(text) == []


def test_a_jump_names_the_item_and_the_missing_numbers():
    text = "\n".join(["一、政务服务", item(1), "2.推进政务服务事项全程网办，在全区范围内推广", item(5), item(6)])
    [warning] = numbering_warnings(text)
    assert warning.startswith("plan.txt:6: item 5: numbering jumps from 2 to 5 (item 3–4 not found: a page missing, or numbered so in the plan?)")
    assert warning.endswith("; item 2 before the gap stops mid-sentence: …进政务服务事项全程网办，在全区范围内推广")


def test_a_restart_where_the_plan_counts_on():
    text = "\n".join(["一、政务服务", item(1), item(2), "二、要素保障", item(3), item(4), "三、法治环境", item(1), item(2)])
    assert numbering_warnings(text) == [
        "plan.txt:10: item 1: numbering restarts at 1 after 4, where the plan otherwise counts on"]


def test_going_back_is_named():
    text = "\n".join(["一、政务服务", item(1), item(2), item(3), item(2), item(4)])
    warnings = numbering_warnings(text)
    assert warnings[0] == "plan.txt:7: item 2: numbering goes back from 3 to 2"


def test_the_last_item_cut_off_at_the_end_of_the_file():
    text = "\n".join(["一、政务服务", item(1), item(2), "3.推进政务服务事项全程网办，在全区范围"])
    assert numbering_warnings(text) == [
        "plan.txt:6: the last item (3) stops mid-sentence: is the end of the file missing? 推进政务服务事项全程网办，在全区范围"]
