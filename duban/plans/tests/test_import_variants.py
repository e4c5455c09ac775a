"""The importer reads other plans laid out like the seed, not just the seed.

Each variant is made from the seed the way another district's or another
year's document would differ: other names, other years, pages in another
order, a table with an extra column.
"""

import datetime
import random

import pytest


from .conftest import SEED, SEED_MEASURES
from .plan_files import read_text_plan as parse_text

SEED_TEXT = SEED.read_text(encoding="utf-8")


def by_number(parsed):
    return {(m.annex, m.number): m for m in parsed.all_measures() if m.number and not m.number_inferred}


@pytest.fixture(scope="module")
def original():
    return parse_text(SEED_TEXT, "seed.txt")


def test_another_district_and_year(original):
    text = SEED_TEXT
    for old, new in [("西湖", "东湖"), ("2023", "2025"), ("西办发", "东办发"), ("胡海", "李明"), ("万勇", "周强"),
                     ("区市场监管局", "区市场监督管理局"), ("区政数局", "区数据局"), ("凌婧", "王芳")]:
        text = text.replace(old, new)
    parsed = parse_text(text, "donghu-2025.txt")
    assert (len(parsed.areas), len(list(parsed.all_tasks())), len(list(parsed.all_measures()))) == (24, 19, SEED_MEASURES)
    assert parsed.document_number == "东办发〔2025〕20号" and parsed.year == 2025
    measures = by_number(parsed)
    m29 = measures[(1, 29)]
    assert [m.date for m in m29.milestones] == [
        datetime.date(2025, 7, 31), datetime.date(2025, 8, 31), datetime.date(2025, 11, 30)]
    assert measures[(2, 1)].lead_units == ["区市场监督管理局"]
    assert measures[(2, 14)].lead_units == ["东湖电力公司"]  # no alias known: kept as printed
    assert measures[(1, 1)].lead_units == ["区数据局"]
    assert parsed.areas[0].chief == "李明"
    assert measures[(1, 42)].deadline == datetime.date(2025, 12, 31)


def _annex_pages(text):
    """Split each annex into its printed pages (each starts with the repeated header)."""
    lines = text.split("\n")
    starts = [i for i, line in enumerate(lines) if line.startswith("序号\t")]
    return lines, starts


def test_shuffled_pages(original):
    lines, starts = _annex_pages(SEED_TEXT)
    annex2 = next(i for i, line in enumerate(lines) if line.strip() == "附件 2")
    rng = random.Random(20230807)
    result = lines[: starts[0]]
    for group in ([s for s in starts if s < annex2], [s for s in starts if s > annex2]):
        ends = group[1:] + [annex2 if group[-1] < annex2 else len(lines)]
        pages = [lines[s:e] for s, e in zip(group, ends)]
        if group[-1] > annex2:
            result += lines[annex2: group[0]]
        rng.shuffle(pages)
        for page in pages:
            result += page
    parsed = parse_text("\n".join(result), "shuffled.txt")
    assert len(list(parsed.all_measures())) == SEED_MEASURES
    shuffled, expected = by_number(parsed), by_number(original)
    assert shuffled.keys() >= expected.keys() - {(1, 8), (1, 9), (1, 10), (1, 11), (1, 42), (1, 43)}
    for key, m in expected.items():
        if key in shuffled:
            got = shuffled[key]
            assert (got.lead_units, got.cooperating_units, got.deadline) == (
                m.lead_units, m.cooperating_units, m.deadline), key
    # The page that starts '凌婧  区商务局' without the action's name still lands in that action.
    area_of = {id(m): a.name for a in parsed.areas for m in a.all_measures()}
    m42 = next(m for m in parsed.all_measures() if m.annex == 1 and m.number == 42)
    assert area_of[id(m42)] == "持续推进涉企服务优化专项行动"


def test_table_with_an_extra_column(original):
    out = []
    for line in SEED_TEXT.split("\n"):
        if line.startswith("序号\t指标名称"):
            line = line.rstrip("\t") + "\t备注"
        elif "\t" in line and "附件 2" not in line and line.split("\t")[0].isdigit() and "指标" not in line:
            cells = line.rstrip("\t").split("\t")
            if cells[-1].startswith("2023年"):
                cells.append(f"备注{cells[0]}")
            line = "\t".join(cells)
        out.append(line)
    parsed = parse_text("\n".join(out), "extra-column.txt")
    assert len(list(parsed.all_measures())) == SEED_MEASURES
    measures = by_number(parsed)
    assert measures[(2, 1)].notes.get("备注") == "备注1"
    assert measures[(2, 100)].notes.get("备注") == "备注100"
    assert measures[(2, 1)].lead_units == ["区市场监管局"]
    assert measures[(2, 100)].deadline == datetime.date(2023, 12, 31)


def test_traditional_characters_in_a_reposted_copy(original):
    text = SEED_TEXT.replace("区", "區").replace("办", "辦").replace("陈韬", "陳韜")
    parsed = parse_text(text, "traditional.txt")
    measures = by_number(parsed)
    assert measures[(2, 1)].lead_units == ["区市场监管局"]
    assert measures[(1, 50)].lead_units == ["区纪委区监委", "区委组织部", "区直机关工委"]
    assert next(a for a in parsed.areas if a.kind == "special_action" and a.number == 5).chief == "陈韬"
