"""Numbering that jumps or restarts, and items cut off: warnings that name where.

A plan numbers its items 1, 2, 3 … through the whole plan (or each annex), or afresh under each
heading. Read in printed order, a number that skips (12 → 15: a page lost?), goes back, or restarts
where the plan otherwise counts on is warned about at the item where it happens; so is an item whose
text stops mid-sentence at the end of the file or just before such a gap (the page that held its end
is missing). Nothing is changed: the warnings say where to look.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _

from duban.core.chinese import chinese_number

from .base import ParsedArea, ParsedPlan, ParsedTask

# How plans number their headings and items, by level: 一、 / （一） / 1. / （1） / ①.
_CN_NUMERAL = "一二三四五六七八九十百〇零"
HEADINGS = (
    (1, re.compile(rf"^([{_CN_NUMERAL}]{{1,4}})\s*[、.．]\s*")),
    (2, re.compile(rf"^[（(]\s*([{_CN_NUMERAL}]{{1,4}})\s*[）)]\s*[、.．]?\s*")),
    (3, re.compile(r"^(\d{1,3})\s*[.．、](?!\d)\s*")),
    (4, re.compile(r"^[（(]\s*(\d{1,3})\s*[）)]\s*[、.．]?\s*")),
    (5, re.compile(r"^([\u2460-\u2473])\s*")),
)


def match_heading(text: str) -> tuple[int, int | None, str] | None:
    """(level, number, rest) for a numbered heading or item, else None."""
    for level, pattern in HEADINGS:
        m = pattern.match(text)
        if m and text[m.end():].strip():
            return level, chinese_number(m.group(1)), text[m.end():]
    return None


_ENDS = re.compile(r"[。；;！!？?）)”\"…」』]$")


def _order(item) -> tuple:
    at = item.at
    if at is None:
        return (item.source, 0, 0, 0, item.line or 0)
    return (at.sheet or "", at.page or 0, at.table or 0, at.paragraph or 0, at.line or 0, at.row or 0, item.line or 0)


def _cut_off(measure) -> bool:
    if not hasattr(measure, "lead_units"):
        return False  # a task standing for a body item
    text = measure.text.strip()
    return bool(text) and not _ENDS.search(text) and (not measure.lead_units or measure.notes.get("deadline_missing"))


def check_numbering(plan: ParsedPlan) -> None:
    """Warn where measures' or tasks' numbers jump, go back or restart, and where an item is cut off."""
    measures: list[tuple[Any, ParsedArea, ParsedTask | None]] = [
        (m, area, None) for area in plan.areas for m in area.measures]
    measures += [(m, area, task) for area in plan.areas for task in area.tasks for m in task.measures]
    # A body item that annex rows detail became the task over them: it keeps its place among the items.
    detailed = [(t, area, None) for area in plan.areas for t in area.tasks
                if t.measures and all("body_item" in m.notes for m in t.measures)]
    tasks = [(t, area, None) for area in plan.areas for t in area.tasks]
    for items, kind in ((measures + detailed, "measure"), (tasks, "task")):
        groups: dict = {}
        for entry in items:
            groups.setdefault(getattr(entry[0], "annex", None), []).append(entry)
        for group in groups.values():
            _check(plan, sorted(group, key=lambda e: _order(e[0])), kind)
    if measures:
        last = max((m for m, _a, _t in measures), key=_order)
        if _cut_off(last):
            plan.warn(last.source, last.line, _("the last item (%(number)s) stops mid-sentence: is the end of the "
                                                "file missing? %(text)s") % {
                "number": last.number if last.number is not None else "—", "text": _tail(last.text)})


def _container(entry) -> int:
    _item, area, task = entry
    return id(task) if task is not None else id(area)


def _check(plan: ParsedPlan, entries: Sequence, kind: str) -> None:
    numbered = [e for e in entries if e[0].number is not None]
    pairs = list(zip(numbered, numbered[1:]))
    boundaries = [(a, b) for a, b in pairs if _container(a) != _container(b)]
    # Numbering afresh under each heading: every change of heading starts again at 1.
    afresh = bool(boundaries) and all(b[0].number == 1 for _a, b in boundaries)
    what = _("item") if kind == "measure" else _("task")
    for a, b in pairs:
        before, after = a[0].number, b[0].number
        new_heading = _container(a) != _container(b)
        if after == before + 1 or (afresh and new_heading and after == 1):
            continue
        item = b[0]
        if after > before + 1:
            missing = f"{before + 1}" if after == before + 2 else f"{before + 1}–{after - 1}"
            message = _("numbering jumps from %(before)s to %(after)s (%(what)s %(missing)s not found: a page "
                        "missing, or numbered so in the plan?)") % {"before": before, "after": after, "what": what, "missing": missing}
            if kind == "measure" and _cut_off(a[0]):
                message += _("; %(what)s %(number)s before the gap stops mid-sentence: %(text)s") % {
                    "what": what, "number": before, "text": _tail(a[0].text)}
        elif after == 1:
            message = _("numbering restarts at 1 after %(before)s, where the plan otherwise counts on") % {
                "before": before}
        else:
            message = _("numbering goes back from %(before)s to %(after)s") % {"before": before, "after": after}
        plan.warn(item.source, item.line, _("%(what)s %(number)s: %(message)s") % {
            "what": what, "number": after, "message": message})


def _tail(text: str, length: int = 20) -> str:
    text = text.strip()
    return text if len(text) <= length else "…" + text[-length:]
