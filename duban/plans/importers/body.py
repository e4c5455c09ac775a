"""The plan's body (section 三, 主要措施): numbered items with their attributions.

Each item is an area: '**1.开办企业。**…（指标长：胡海；牵头单位：区市场监管局；配合单位：…）'.
Items run over several lines and page breaks; the attribution can be cut by a
page heading ('## 水公司、市燃气集团)') or printed as a paragraph of its own.
"""

from __future__ import annotations

import re

from duban.core.chinese import squeeze, to_simplified

from . import cells
from .base import ParsedArea, ParsedCampaign, ParsedPlan
from .particulars import clean_line
from .tables import area_kind_for_name

_SECTION = re.compile(r"^([一二三四五六七八九十]+)、")
_SUBSECTION = re.compile(r"^[（(]([一二三四五六七八九十]+)[）)]")
_ITEM = re.compile(r"^(\d{1,2})\s*[.．、]\s*(?!\d)")
_ATTRIBUTION = re.compile(r"[（(]([^（）()]*(?:牵头|指标长|责任单位)[^（）()]*)[）)]\s*[。.]?\s*$")
_KEY_VALUE = re.compile(r"^(?P<key>[^：:]+)[：:](?P<value>.*)$")
_MEASURES_SECTION = re.compile(r"主要措施|重点任务|主要任务|工作任务")
_HIGHLIGHT_SUBSECTION = re.compile(r"亮点|特色|点位")
_HAN_GAP = re.compile(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")
_STREET = re.compile(r"^(.{2,8}?(?:街道|街办|镇|乡))")


def find_measures_section(lines):
    """(start, end) indexes of the section holding the plan's items, or None."""
    start = None
    for i, raw in enumerate(lines):
        text = clean_line(raw)
        m = _SECTION.match(text)
        if not m:
            continue
        if start is None and _MEASURES_SECTION.search(text):
            start = i
        elif start is not None:
            return start, i
    return (start, len(lines)) if start is not None else None


class _Item:
    def __init__(self, number, line, subsection):
        self.number = number
        self.line = line
        self.subsection = subsection
        self.parts = []

    @property
    def text(self):
        return "".join(self.parts)


def parse_body(plan: ParsedPlan, lines, source, numbers=None):
    """Add the body's items to plan.areas. `lines` are the document's paragraphs before the annexes;
    `numbers[i]` the number line i's warnings carry (its file line; by default i + 1)."""
    found = find_measures_section(lines)
    if found is None:
        plan.warn(source, None, "no section with the plan's measures (主要措施) found in the body")
        return
    start, end = found
    items, subsection, item = [], "", None
    for index in range(start + 1, end):
        text = clean_line(lines[index])
        if not text:
            continue
        if _SUBSECTION.match(text):
            subsection, item = text, None
            continue
        m = _ITEM.match(text)
        if m:
            item = _Item(int(m.group(1)), numbers[index] if numbers else index + 1, subsection)
            item.parts.append(text[m.end():])
            items.append(item)
        elif item is not None:
            # Continuation: a paragraph cut by a page break, or a stray page heading.
            item.parts.append(text)
    for item in items:
        plan.areas.append(_area_from_item(plan, item, source))


def _area_from_item(plan, item, source):
    text = _HAN_GAP.sub("", item.text)
    attribution = ""
    m = _ATTRIBUTION.search(text)
    if m:
        attribution = m.group(1)
        text = text[: m.start()].rstrip()
    title, _, narrative = text.partition("。")
    if len(title) > 60:  # no full stop near the start: the whole paragraph is the narrative
        title, narrative = title[:30], text
    highlight = bool(_HIGHLIGHT_SUBSECTION.search(item.subsection))
    kind = "highlight" if highlight else _kind_for_title(title)
    area = ParsedArea(kind=kind, name=title.strip(), number=item.number, narrative=narrative.strip(),
                      attribution_text=attribution, source=source, line=item.line)
    if attribution:
        _apply_attribution(plan, area, attribution, source, item.line)
    elif highlight:
        street = _STREET.match(area.name)
        if street:
            area.lead_units = [street.group(1)]
    else:
        plan.warn(source, item.line, f"{area.name}: no attribution (牵头单位…) found")
    return area


def _kind_for_title(title):
    return area_kind_for_name(title)


def _apply_attribution(plan, area, attribution, source, line):
    scope = []
    for part in re.split(r"[；;]", attribution):
        m = _KEY_VALUE.match(part.strip())
        if not m:
            if part.strip():
                plan.warn(source, line, f"{area.name}: attribution part not understood: {part.strip()}")
            continue
        key, value = to_simplified(squeeze(m["key"])), m["value"].strip()
        units = cells.parse_units(value)
        if key in ("指标长", "牵头区领导", "牵头领导", "区领导"):
            area.chief = cells.clean_person_name(value)
        elif key == "总责任单位":
            area.responsible_unit = units.units[0] if units.units else ""
            scope += units.scope
        elif key in ("牵头单位", "牵头部门"):
            area.lead_units += units.units
            scope += units.scope
        elif key in ("配合单位", "责任单位", "配合部门"):
            area.cooperating_units += units.units
            scope += units.scope
        elif key.endswith("牵头单位"):
            # '“新官不理旧账”、招标投标领域专项治理牵头单位：区营商环境服务中心'
            for name in _campaign_names(key[: -len("牵头单位")]):
                area.campaigns.append(ParsedCampaign(name=name, lead_units=list(units.units)))
            area.lead_units += [u for u in units.units if u not in area.lead_units]
        else:
            plan.warn(source, line, f"{area.name}: unknown attribution key {key}")
    area.scope_text = "、".join(scope)


def _campaign_names(prefix):
    suffix = "专项治理"
    names = [n for n in re.split(r"[、，,]", prefix) if n]
    return [n if n.endswith(suffix) else n + suffix for n in names]
