"""Plans published as a body with task-list annexes (the Xihu layout), and bare task lists.

The body's section 三 (主要措施) gives the areas — numbered items with their attributions
(body.py) — and each annex is a table whose rows are their tasks and measures (tables.py). A
workbook or Word file holding only the tables is the same layout without a body: its areas come
from the tables' area column.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext as _

from .base import ParsedPlan, PlanImportError, SourceTable
from .body import draw_body_measures, find_measures_section, parse_body
from .particulars import complete_particulars, listed_annexes, read_particulars
from .prose import stated_unit_rule
from .tables import build_from_tables


def read_annex_plan(plan: ParsedPlan, body: list[str], tables: list[SourceTable], *, titles: list[str],
                    numbers: list[int] | None, annexes: set[int], fallback_title: str,
                    particulars: bool = True,
                    add_table: Callable[[ParsedPlan, SourceTable], None] | None = None) -> ParsedPlan:
    """Fill `plan` from the body's paragraphs and the task-list tables.

    `titles`: the annexes' title lines (the notice's particulars may stand there when the body is
    missing); `numbers[i]`: the number body line i's warnings carry; `annexes`: the annex numbers
    present; `fallback_title`: the title when the document names none (the file's title property
    or name; '' to have a plan without one refused); `add_table(plan, table)`: how a table is read
    (by default the table builder).
    """
    source = plan.source_name
    if particulars:
        read_particulars(plan, body, titles)
    if find_measures_section(body):
        parse_body(plan, body, source, numbers)
    elif any(line.strip() for line in body) and not tables:
        plan.warn(source, None, _("no section with the plan's measures (主要措施) found in the body"))
    if not tables and not plan.areas:
        raise PlanImportError(_("%(file)s: no plan items and no task-list table found; is this an action plan? "
                                "(a task-list table has a header row naming 工作举措 and the other columns: 序号, "
                                "牵头单位, 完成时限 …)") % {"file": source})
    if particulars:
        plan.missing_annexes = [f"附件{n}：{title}" for n, title in listed_annexes(body) if n not in annexes]
    complete_particulars(plan, tables, fallback_title)
    plan.unit_rule = plan.unit_rule or stated_unit_rule(body)
    if add_table is None:
        build_from_tables(plan, tables)
    else:
        for table in tables:
            add_table(plan, table)
    if tables and particulars:
        draw_body_measures(plan)  # areas whose work only the body prints (Xihu's 15., campaigns, streets)
    return plan
