"""The seed plan printed as the benchmark prints it (tools/bench.py: Chromium, about 40 pages, ruled
tables whose header repeats, rows cut by page breaks) reads item by item as its text does; and the
layout readers' rules that print needed, each on a small case."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

from duban.core.chinese import fold_stray_traditional
from duban.plans.importers import read_plan_file
from duban.plans.importers.document import Cell, Position, Row, Table
from duban.plans.importers.formats import layout
from duban.plans.importers.items import plan_items

from .conftest import SEED, SEED_MEASURES

ROOT = Path(__file__).resolve().parents[3]
CHROMIUM = Path("/usr/bin/chromium")
FIELDS = ("area", "task", "number", "text", "lead", "cooperating", "scope", "deadline", "ongoing", "recurring",
          "milestones")


def _bench():
    spec = importlib.util.spec_from_file_location("duban_bench", ROOT / "tools" / "bench.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def printed_seed(tmp_path_factory):
    """The seed printed to PDF once per test session, by the benchmark's own function."""
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed: the print needs it (apt-get install chromium)")
    pdf, pages = _bench().print_plan_pdf(tmp_path_factory.mktemp("printed-seed"))
    return pdf, pages


def _message(warning: str) -> str:
    """A warning without its place (the text names lines, the PDF pages)."""
    return re.sub(r"^\S+?(?::\d+|\s第\d+页(?:第\d+行)?)[:：]\s*", "", warning)


def test_printed_seed_reads_as_its_text_item_by_item(printed_seed):
    pdf, pages = printed_seed
    assert pages >= 40
    text, printed = plan_items(read_plan_file(SEED)), plan_items(read_plan_file(pdf))
    assert (printed["areas"], printed["tasks"], printed["measures"]) == (text["areas"], text["tasks"], SEED_MEASURES)
    assert text["measures"] == SEED_MEASURES
    for ours, theirs in zip(text["items"], printed["items"], strict=True):
        assert {k: theirs[k] for k in FIELDS} == {k: ours[k] for k in FIELDS}, ours["number"]
        assert theirs["source"].startswith("page ")
    assert sorted(map(_message, printed["warnings"])) == sorted(map(_message, text["warnings"]))


def test_printed_seed_text_layer_folded_and_spaced(printed_seed):
    """Chromium's font gives 戶 for 户 in the text layer; the print keeps '1+1+5 模式' spaced."""
    items = plan_items(read_plan_file(printed_seed[0]))["items"]
    texts = "".join(item["text"] + (item["task"] or "") for item in items)
    assert "户" in texts and "戶" not in texts
    assert any("1+1+5 模式" in item["text"] for item in items)
    assert not any("\n" in item["text"] for item in items)


# ------------------------------------------------------------- the rules, one by one


def _row(*texts, page=1):
    return Row([Cell(t) for t in texts], Position("plan.pdf", page=page))


HEADER = ("序号", "指标", "预期目标", "工作举措", "牵头单位", "完成时限")


def _flushed(*pieces):
    document = layout.Document(name="plan.pdf")
    layout._flush(document, [Table(list(rows), rows[0].at) for rows in pieces])
    return [row.texts for row in document.blocks[0].rows]


def test_a_cell_cut_after_a_colon_goes_on_on_the_next_page():
    rows = _flushed(
        [_row(*HEADER), _row("63", "招标投标", "国家营商环境评价目标：", "推行招标计划提前发布。", "区发改委", "2023年12月30日")],
        [_row(*HEADER, page=2), _row("", "", "优秀。全省营商环境评价目标：前50名", "", "", "", page=2),
         _row("64", "", "", "容缺审批。", "区发改委", "2023年12月30日", page=2)])
    assert rows[1][2] == "国家营商环境评价目标：优秀。全省营商环境评价目标：前50名"
    assert [r[0] for r in rows[1:]] == ["63", "64"]


def test_a_numbered_table_row_cut_after_a_full_stop_is_one_row():
    """The page break fell after a full stop; the rest, with no number and text in one cell only, is no row."""
    rows = _flushed(
        [_row(*HEADER), _row("97", "市场监管", "", "督促抽查。", "区市场监管局", "2023年11月30日"),
         _row("推行行政执法“四张清单”。", "", "", "", "区司法局", "2023年10月31日")],
        [_row(*HEADER, page=2), _row("建立全流程监管机制。", "", "", "", "", "", page=2),
         _row("100", "", "", "完善信用修复机制。", "区发改委", "2023年12月31日", page=2)])
    assert [r[0] for r in rows[1:]] == ["97", "推行行政执法“四张清单”。建立全流程监管机制。", "100"]


def test_a_new_row_after_a_full_stop_stays_a_row():
    """Unnumbered tables, or a row with cells of its own, keep the row the page begins with."""
    unnumbered = _flushed(
        [_row(*HEADER), _row("", "市场监管", "", "督促抽查。", "区市场监管局", "2023年11月30日")],
        [_row(*HEADER, page=2), _row("", "", "", "建立全流程监管机制。", "", "", page=2)])
    assert len(unnumbered) == 3
    own_cells = _flushed(
        [_row(*HEADER), _row("97", "市场监管", "", "督促抽查。", "区市场监管局", "2023年11月30日")],
        [_row(*HEADER, page=2), _row("", "", "", "建立全流程监管机制。", "区司法局", "", page=2)])
    assert len(own_cells) == 3


def _chars(text, x=10.0, size=10.0, top=100.0, advance=None):
    out = []
    for ch in text:
        width = advance or (size if not ch.isascii() else size / 2)
        out.append({"text": ch, "x0": x, "x1": x + width, "top": top, "bottom": top + size, "size": size})
        x += width
    return out


def test_a_printed_space_between_a_word_and_chinese_is_kept_not_between_chinese():
    assert layout._text(_chars("1+1+5 模式")) == "1+1+5 模式"
    assert layout._text(_chars("区 发改委")) == "区发改委"
    assert layout._text(_chars("2023年")) == "2023年"


def test_a_cell_line_wrapped_before_a_closing_quote_is_joined():
    """'次”，' may not be split (nor begin with '”'): the line above stopped 38 points short of the
    cell's edge — room for one character, not for the three that had to move down together."""
    cell = (0.0, 0.0, 100.0, 40.0)
    chars = _chars("助力最多跑一", x=2.0, top=2.0, advance=10.0) + _chars("次”，好", x=2.0, top=15.0, advance=10.0)
    assert layout._cell_text(cell, chars) == "助力最多跑一次”，好"
    # a line that stopped short with room for the next line's first piece ended (units one a line)
    chars = _chars("区发改委", x=2.0, top=2.0, advance=10.0) + _chars("区财政局", x=2.0, top=15.0, advance=10.0)
    assert layout._cell_text(cell, chars) == "区发改委\n区财政局"


def test_stray_traditional_forms_folded_only_in_a_simplified_text():
    simplified = ["进一步降低高压环节感知，减少用戶跑腿，提升过戶线上联办率。" * 20]
    assert "用户" in simplified[0].translate(fold_stray_traditional(simplified))
    traditional = ["進一步降低高壓環節感知，減少用戶跑腿，提升過戶線上聯辦率，發展經濟。" * 20]
    assert fold_stray_traditional(traditional) == {}
    assert fold_stray_traditional(["显著提高，乾坤"]) == {}  # 著 and 乾 are simplified characters too


def test_a_row_whose_first_cell_is_its_text_and_has_units_of_its_own_is_a_new_row():
    """A task list whose first column is the task: the page's first row, with its own units and deadline,
    is a row of its own even when the row above printed no full stop."""
    header = ("具体措施", "责任单位", "完成时限")
    rows = _flushed([_row(*header), _row("推进一网通办", "区政数局", "6月底前")],
                    [_row(*header, page=2), _row("推进一件事改革", "区发改委", "9月底前", page=2)])
    assert [r[0] for r in rows[1:]] == ["推进一网通办", "推进一件事改革"]
