"""Tables from any source, as the layout readers need them.

Every format gives its tables as `document.Table`s (rows of cells, merged cells known). This module
says which row is a task list's header and what each column is for (序号, 工作举措, 牵头单位 … in any
order), joins the pieces of one table that a page break or Word split apart (the header printed again
on every page dropped), and turns a table into the `SourceTable` the table builder folds into a plan:
rows keyed for warnings, cells under a vertical merge left blank for the builder to carry down (area,
task, leader) or given the merge's text (units, deadline: what the printed cell says for every row it
spans).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.utils.translation import gettext as _

from duban.core.chinese import chinese_number, squeeze, to_simplified

from . import cells
from .base import PlanImportError, SourceRow, SourceTable
from .document import Cell, Row, Table

# Column roles and the header names that announce them.
COLUMN_NAMES = {
    "number": ("序号", "编号"),
    "area": ("专项行动", "指标名称", "指标", "专项行动名称", "工作领域", "重点领域", "领域", "任务类别", "工作类别",
             "重点方面"),
    "chief": ("牵头区领导", "指标长", "区领导", "牵头领导"),
    "responsible": ("总责任单位",),
    "task": ("工作任务", "重点任务", "主要任务", "具体任务"),
    "measure": ("工作举措", "具体举措", "工作措施", "主要举措", "具体措施", "事项名称", "具体事项", "工作事项", "重点事项"),
    "lead": ("牵头单位", "牵头部门"),
    "cooperating": ("配合单位", "责任单位", "配合部门"),
    "deadline": ("完成时限", "完成时间", "时间节点"),
    "benchmarks": ("对标城市",),
    "target": ("预期目标",),
    "pilots": ("创新试点项目", "创新试点"),
}
_ROW_TASK_NAMES = ("主要任务", "重点任务", "具体任务")
_HEADER_LOOKUP = {name: role for role, names in COLUMN_NAMES.items() for name in names}
REQUIRED_ROLES = ("measure",)
UNIT_ROLES = ("lead", "cooperating", "responsible")
# Columns whose merged cell means "the same for every row it spans" and is given to each row;
# the others (area, task, leader …) the builder carries down from the row that opened them.
CARRIED_ROLES = ("lead", "cooperating", "deadline")


_HEADER_NOTE = re.compile(r"[（(][^（）()]*[）)]$")


def column_role(header_cell: str | None) -> str | None:
    """The role a header names: '牵头单位' → lead; '责任单位（排名第一的为牵头单位）' → cooperating, its note aside."""
    name = to_simplified(squeeze(header_cell or "")).strip("*")
    return _HEADER_LOOKUP.get(name) or _HEADER_LOOKUP.get(_HEADER_NOTE.sub("", name).strip("*"))


def header_says_first_leads(header: list[str]) -> bool:
    """'责任单位（排名第一的为牵头单位）': the column's lists name their lead first."""
    return any(cells.FIRST_LEADS_RULE.search(to_simplified(squeeze(h or ""))) for h in header)


def header_roles(header: list[str]) -> list[str | None]:
    """Roles of the header's columns; None for an unknown column (kept as a note).

    A table with a 主要任务 (重点任务, 具体任务) column and no measure column ('序号 | 重点领域 | 主要任务 |
    牵头单位 …') lists one measure a row: that column is the measures' text; so does a 工作任务 column in a
    table without the Xihu layout's area, leader or 总责任单位 columns ('序号 | 工作任务 | 完成时限 | 责任单位').
    (A 工作任务 column beside a 专项行动 column but without 工作举措 is the Xihu layout missing its
    measures, and refused.)
    """
    roles = [column_role(h) for h in header]
    if "measure" not in roles and roles.count("task") == 1:
        j = roles.index("task")
        xihu = any(role in roles for role in ("area", "chief", "responsible"))
        if to_simplified(squeeze(header[j] or "")).strip("*") in _ROW_TASK_NAMES or not xihu:
            roles[j] = "measure"
    return roles


def looks_like_header(row_cells: list[str]) -> bool:
    roles = [r for r in header_roles(row_cells) if r]
    return len(roles) >= 3 and ("measure" in roles or "number" in roles)


def header_like(row_cells: list[str]) -> bool:
    """A header that names task-list columns, though maybe not the required ones."""
    return len({r for r in header_roles(row_cells) if r}) >= 2


def missing_columns(header: list[str]) -> list[str]:
    roles = set(header_roles(header))
    return [COLUMN_NAMES[r][0] for r in REQUIRED_ROLES if r not in roles]


# ------------------------------------------------------------------ naming

_ANNEX = re.compile(r"附\s*件\s*(\d+|[一二三四五六七八九十]+)")
SOURCE_MAX = 50  # Measure.source and Area.source


def annex_number(text: str | None) -> int | None:
    """'附件1', '附件 2', '附件二' → 1, 2, 2; None when the text names no annex."""
    m = _ANNEX.search(text or "")
    return chinese_number(m.group(1)) if m else None


def source_label(file_name: str, part: str) -> str:
    """'ledger.xlsx:附件1' — where a table lies, short enough for Measure.source."""
    label = f"{file_name}:{part}"
    if len(label) <= SOURCE_MAX:
        return label
    room = SOURCE_MAX - len(part) - 2
    return f"{file_name[:max(room, 1)]}…:{part}"[:SOURCE_MAX]


# ------------------------------------------------------------------ joining


def row_key(row: Row) -> str:
    return "\t".join(squeeze(cell.text) for cell in row.cells).rstrip("\t")


def join_tables(pieces: list[Table]) -> Table:
    """One table from the pieces a page break or Word split it into.

    The header printed again at the top of each piece is dropped (a header that differs is kept: the
    builder reads the columns afresh there). A cell merged across the break is not known as merged
    on the next page: a blank first-row cell of a piece whose column the piece above merged down to
    its last row is marked merged, with the merge's text.
    """
    if len(pieces) == 1:
        return pieces[0]
    first = pieces[0]
    header = next((row_key(r) for r in first.rows if looks_like_header(r.texts)), None)
    rows = list(first.rows)
    for piece in pieces[1:]:
        body = list(piece.rows)
        while body and header is not None and row_key(body[0]) == header:
            body.pop(0)
        if body and rows:
            body[0] = _continue_merges(rows[-1], body[0])
        rows += body
    for i in range(1, len(rows)):  # a merge's remainder on the next page holds no text of its own
        above, row = rows[i - 1], rows[i]
        if any(c.merged and not c.text for c in row.cells):
            rows[i] = Row([Cell(above.cells[j].text, merged=True)
                           if c.merged and not c.text and j < len(above.cells) else c
                           for j, c in enumerate(row.cells)], row.at)
    return Table(rows=rows, at=first.at, caption=list(first.caption), merges_known=first.merges_known)


def _continue_merges(above: Row, row: Row) -> Row:
    cells = list(row.cells)
    for j, cell in enumerate(cells):
        if not cell.text and j < len(above.cells) and above.cells[j].merged:
            cells[j] = Cell(text=above.cells[j].text, merged=True)
    return Row(cells=cells, at=row.at)


# ----------------------------------------------------------- source tables


def carried_row(row: Row, roles: list[str | None]) -> list[str]:
    """The cell texts the builder reads: a merged unit or deadline cell gives its text to every row it
    spans, other merged cells stand blank (the builder carries area, task and leader itself); line
    breaks inside a unit cell separate units ('区财政局⏎区税务局')."""
    out = []
    for j, cell in enumerate(row.cells):
        role = roles[j] if j < len(roles) else None
        text = cell.text if (not cell.merged or role in CARRIED_ROLES) else ""
        if role in UNIT_ROLES and "\n" in text:
            text = unit_lines(text)
        out.append(text)
    while out and not out[-1]:
        out.pop()
    return out


def unit_lines(text: str) -> str:
    """A unit cell's lines: units one a line ('区财政局⏎区税务局') are a list; a line that does not end
    a unit's name is the name going on ('各县⏎（市、区）政府', wrapped by the cell's width)."""
    from .cells import is_unit_name

    parts = [p.strip() for p in text.split("\n") if p.strip()]
    out = parts[:1]
    for part in parts[1:]:
        last = out[-1].split("、")[-1].split("，")[-1]
        out[-1:] = [out[-1] + ("、" if is_unit_name(last) else "") + part]
    return "".join(out) if len(out) == 1 else "、".join(out)


def source_table(table: Table, *, source: str, where: str, annex: int | None = None,
                 key: Callable[[int, Row], int] | None = None,
                 positions: dict | None = None) -> tuple[SourceTable | None, list[str]]:
    """(the task-list table or None, the title lines above its header).

    `where` names the table in messages; `key(index, row)` gives the number a row's warnings carry
    (its file line for text, its sheet row for a workbook; by default its 1-based place in the
    table). `positions`, when given, learns each key's Position. A header lacking a required column
    makes the whole file refused: a task list that cannot be read is not passed over silently.
    """
    key = key or (lambda index, row: index)
    numbered = [(key(i, row), row) for i, row in enumerate(table.rows, start=1)]
    for index, (line, row) in enumerate(numbered):
        cells_ = row.texts
        if looks_like_header(cells_) and not missing_columns(cells_):
            break
        if looks_like_header(cells_) or header_like(cells_):
            raise PlanImportError(_("%(where)s: the task-list table has no column %(columns)s (header on row "
                                    "%(line)s: %(header)s)") % {
                "where": where, "columns": "、".join(missing_columns(cells_)), "line": line,
                "header": " | ".join(c for c in cells_ if c)})
    else:
        return None, []
    header_line, header_row = numbered[index]
    header = header_row.texts
    titles = list(table.caption) + [" ".join(c for c in row.texts if c) for _line, row in numbered[:index]]
    titles = [t for t in titles if t]
    if annex is None:
        annex = next((n for n in map(annex_number, titles) if n is not None), None)
    roles = header_roles(header)
    rows = []
    for line, row in numbered[index + 1:]:
        if looks_like_header(row.texts):
            roles = header_roles(row.texts)
        texts = carried_row(row, roles)
        if not any(texts):
            continue
        rows.append(SourceRow(texts, line))
        if positions is not None:
            positions[(source, line)] = row.at
    if positions is not None:
        positions[(source, header_line)] = header_row.at
    title = next((t for t in titles if annex_number(t) is None or len(t) > 8), "")
    return SourceTable(source=source, annex=annex, title=title, header=header, rows=rows,
                       header_line=header_line, merges_known=table.merges_known), titles
