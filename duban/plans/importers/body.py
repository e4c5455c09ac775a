"""The plan's body (section 三, 主要措施): numbered items with their attributions.

Each item is an area: '**1.开办企业。**…（指标长：胡海；牵头单位：区市场监管局；配合单位：…）'.
Items run over several lines and page breaks; the attribution can be cut by a
page heading ('## 水公司、市燃气集团)') or printed as a paragraph of its own.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence

from django.utils.translation import gettext as _

from duban.core.chinese import squeeze, to_simplified

from . import cells
from .base import ParsedArea, ParsedCampaign, ParsedMeasure, ParsedPlan
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


def find_measures_section(lines: Sequence[str]) -> tuple[int, int] | None:
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


def parse_body(plan: ParsedPlan, lines: Sequence[str], source: str, numbers: Sequence[int] | None = None) -> None:
    """Add the body's items to plan.areas. `lines` are the document's paragraphs before the annexes;
    `numbers[i]` the number line i's warnings carry (its file line; by default i + 1)."""
    found = find_measures_section(lines)
    if found is None:
        plan.warn(source, None, _("no section with the plan's measures (主要措施) found in the body"))
        return
    start, end = found
    items: list[_Item] = []
    subsection, item = "", None
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
    title, _stop, narrative = text.partition("。")
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
        plan.warn(source, item.line, _("%(area)s: no attribution (牵头单位…) found") % {"area": area.name})
    return area


def _kind_for_title(title):
    return area_kind_for_name(title)


def _apply_attribution(plan, area, attribution, source, line):
    scope = []
    for part in re.split(r"[；;]", attribution):
        m = _KEY_VALUE.match(part.strip())
        if not m:
            if part.strip():
                plan.warn(source, line, _("%(area)s: attribution part not understood: %(part)s") % {
                    "area": area.name, "part": part.strip()})
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
            plan.warn(source, line, _("%(area)s: unknown attribution key %(key)s") % {"area": area.name, "key": key})
    area.scope_text = "、".join(scope)


def _campaign_names(prefix):
    suffix = "专项治理"
    names = [n for n in re.split(r"[、，,]", prefix) if n]
    return [n if n.endswith(suffix) else n + suffix for n in names]


# ------------------------------------------------------- work printed only in the body
#
# Some areas of an annex plan have no row in any annex: their work is written in the body alone
# (the Xihu plan's 15.前瞻探索宜商环境工作, 6.持续深化四大专项治理 and its three street highlights).
# Nobody could report on them, so their body text becomes measures: one a theme the text heads with
# a short sentence ('优化企业准入环境。…'), one a governance campaign (its own lead unit), one a street
# highlight (the street office) — each marked as drawn from the body text, due at the plan's year end
# unless the text names a date.

_THEME = re.compile(r"^[^，,；;：:“”]{4,12}$")
_SENTENCE = re.compile(r"[^。！？]+[。！？]?")
# Words every campaign of a plan shares: no help in telling them apart.
_COMMON_BIGRAMS = {"营商", "商环", "环境", "领域", "问题", "专项", "项治", "治理", "工作", "服务", "企业"}


def draw_body_measures(plan: ParsedPlan) -> None:
    """Give measures, from the body text, to the body's areas that no annex row reached."""
    for area in plan.areas:
        if next(area.all_measures(), None) is not None or not (area.narrative or area.campaigns):
            continue
        if area.campaigns:
            drawn = _campaign_measures(plan, area)
        elif area.kind == "highlight":
            drawn = [_body_measure(plan, area, area.narrative or area.name, area.lead_units, [], area.scope_text)]
        else:
            drawn = [_body_measure(plan, area, text, area.lead_units, area.cooperating_units, area.scope_text)
                     for text in _themes(area.narrative)]
        for number, measure in enumerate(drawn, start=1):
            measure.number = number
            if measure.deadline is None and plan.year:
                measure.deadline = datetime.date(plan.year, 12, 31)
                measure.deadline_year_only = True
                measure.notes["deadline_missing"] = True
        area.measures += drawn
        if drawn:
            plan.warn(area.source, area.line, _(
                "%(area)s: no annex row; measures drawn from the body text: %(count)s") % {
                "area": area.name, "count": len(drawn)})


def _sentences(text):
    return [s.strip() for s in _SENTENCE.findall(text or "") if s.strip(" 。")]


def _themes(narrative):
    """'优化企业准入环境。推进…。提升争议解决效率。开展…' → one text a theme (the whole text if none)."""
    groups: list[list[str]] = []
    for sentence in _sentences(narrative):
        if _THEME.match(sentence.rstrip("。")) or not groups:
            groups.append([sentence])
        else:
            groups[-1].append(sentence)
    return ["".join(group) for group in groups if "".join(group).strip()]


def _bigrams(text):
    return {text[i:i + 2] for i in range(len(text) - 1)} - _COMMON_BIGRAMS


def _campaign_measures(plan, area):
    """One measure a campaign, led by its own lead unit, with the body's sentences about it."""
    campaigns = area.campaigns
    keys = [_bigrams(re.sub(r"[“”\"]|专项治理$", "", c.name)) for c in campaigns]
    about: list[list[str]] = [[] for _c in campaigns]
    for sentence in _sentences(area.narrative):
        scores = [len(key & _bigrams(sentence)) for key in keys]
        ranked = sorted(scores, reverse=True)
        if ranked and ranked[0] and (len(ranked) == 1 or ranked[1] == 0):  # about one campaign, not all together
            about[scores.index(ranked[0])].append(sentence)
    return [_body_measure(plan, area, campaign.name + ("：" + "".join(told) if told else ""),
                          campaign.lead_units, [], "") for campaign, told in zip(campaigns, about)]


def _body_measure(plan, area, text, lead, cooperating, scope):
    measure = ParsedMeasure(text=text, lead_units=list(lead), cooperating_units=list(cooperating),
                            scope_text=scope, source=area.source, line=area.line)
    measure.notes["from_body_text"] = True
    year = plan.year if plan is not None else None
    # find_deadlines' phrases all have a date (only an ongoing phrase has none)
    found = [(d.date, d) for d in cells.find_deadlines(text, year)
             if d.date is not None and (year is None or d.date.year in (year, year + 1))]
    if found:
        _date, latest = max(found, key=lambda dated: dated[0])
        measure.deadline, measure.deadline_text = latest.date, latest.text
    measure.milestones = [m for m in cells.find_milestones(text, year) if measure.deadline and m.date < measure.deadline]
    return measure
