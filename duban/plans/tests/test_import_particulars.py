"""The notice's particulars (issue 16, point 2): a title without a year, the year from the plan's own
document number or from the date line; a document the preamble cites is not the plan's."""

from __future__ import annotations

import datetime

from .plan_files import read_text_plan

ITEMS = "一、政务服务\n1.推行企业开办一日办结。（牵头单位：区市场监管局；完成时限：6月30日前）\n"


def read(head):
    return read_text_plan(head + ITEMS, "plan.txt")


def test_year_from_the_header_number_not_the_cited_one():
    plan = read("东湖区人民政府办公室\n东府办发〔2024〕8号\n东湖区优化营商环境实施方案\n"
                "根据《省人民政府办公厅关于优化营商环境的意见》（省政办发〔2022〕3号）精神，制定本方案。\n")
    assert (plan.title, plan.document_number, plan.year) == ("东湖区优化营商环境实施方案", "东府办发〔2024〕8号", 2024)
    assert next(plan.all_measures()).deadline == datetime.date(2024, 6, 30)


def test_only_a_cited_number_is_not_the_plans():
    plan = read("东湖区优化营商环境实施方案\n按照《市政府关于印发优化营商环境行动计划的通知》（市政发〔2021〕9号）要求，"
                "制定本方案。\n东湖区人民政府办公室\n2025年3月2日\n")
    assert (plan.document_number, plan.year, plan.issue_date) == ("", 2025, datetime.date(2025, 3, 2))
    assert plan.title == "东湖区优化营商环境实施方案"


def test_year_from_a_date_line_in_chinese_numerals():
    plan = read("东湖区优化营商环境若干措施\n东湖区人民政府\n二〇二六年一月十五日\n")
    assert (plan.year, plan.issue_date, plan.issuing_bodies) == (2026, datetime.date(2026, 1, 15), "东湖区人民政府")


def test_title_from_the_notice_when_the_plan_prints_none_of_its_own():
    plan = read("东府办发〔2023〕2号\n东湖区人民政府办公室关于印发东湖区营商环境提升行动方案的通知\n各街道：现印发给你们。\n")
    assert (plan.title, plan.year) == ("东湖区营商环境提升行动方案", 2023)


def test_the_office_that_confirms_proposed_units_is_the_plans_issuer():
    from duban.plans.importers.particulars import confirming_office

    signed = read("东湖区优化营商环境实施方案\n为优化营商环境，制定本方案。\n中共东湖区委办公室\n东湖区人民政府办公室\n"
                  "2025年3月2日\n")
    assert confirming_office(signed) == "东湖区人民政府办公室"  # the government's office of the two that signed
    numbered = read("东湖区优化营商环境实施方案\n东改办字〔2025〕3号\n为优化营商环境，制定本方案。\n")
    assert confirming_office(numbered) == "东改办"  # its document number's office, without 字
    assert confirming_office(read("东湖区优化营商环境实施方案\n为优化营商环境，制定本方案。\n")) == ""
    # no signature above a date: the notice's title names its issuer, before the number's prefix
    titled = read("峤政办〔2025〕17号\n云峤县人民政府办公室关于印发云峤县进一步优化营商环境行动方案的通知\n"
                  "各乡镇人民政府：现印发给你们。\n")
    assert (confirming_office(titled), titled.issuing_bodies) == ("云峤县人民政府办公室", "云峤县人民政府办公室")


def test_the_proposed_units_warning_names_the_issuer_or_the_lead_office(db, tmp_path):
    from django.utils import translation

    from duban.plans.services import import_plan_file

    def warning(head):
        path = tmp_path / "plan.txt"
        path.write_text(head + "一、政务服务\n1.推行企业开办一日办结。（牵头单位：东湖区新设局；完成时限：6月30日前）\n",
                        encoding="utf-8")
        with translation.override("zh-hans"):
            summary = import_plan_file(path, dry_run=True, keep_source=False)
        return next(w for w in summary["warnings"] if "东湖区新设局" in w)

    assert "请东府办确认：东湖区新设局" in warning("东湖区优化营商环境实施方案\n东府办发〔2025〕8号\n")
    assert "请牵头办公室确认：东湖区新设局" in warning("东湖区2025年优化营商环境实施方案\n")
    assert "营商办" not in warning("东湖区2025年优化营商环境实施方案\n")
