"""A measure's notes read in words, in the page's language."""

from django.utils import translation

from duban.plans.templatetags.ledger import readable_notes


def test_an_action_items_notes_name_its_meeting_in_chinese():
    notes = {"meeting": "2023年第5次优化营商环境工作双月调度会", "meeting_date": "2023-10-17", "deadline_missing": True,
             "备注": "市级事项"}
    with translation.override("zh-hans"):
        assert [(str(label), text) for label, text in readable_notes(notes)] == [
            ("议定会议", "2023年第5次优化营商环境工作双月调度会"), ("会议日期", "2023-10-17"),
            ("原文未列完成时限", ""), ("备注", "市级事项")]


def test_how_a_measure_was_drawn_or_split_reads_in_chinese():
    notes = {"from_body_text": True, "recurring": "quarterly", "units_split": {"区住建局区城管局": ["区住建局", "区城管局"]},
             "first_listed_leads": True}
    with translation.override("zh-hans"):
        assert [(str(label), str(text)) for label, text in readable_notes(notes)] == [
            ("取自方案正文（附件中无对应任务）", ""), ("周期性任务", "每季度"),
            ("连写的单位名称已拆分", "区住建局区城管局: 区住建局、区城管局"),  # in a cell or a prose line
            ("列第一位的单位为牵头单位（方案注明）", "")]
