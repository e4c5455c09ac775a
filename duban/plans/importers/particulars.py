"""What every plan document says about itself, and where its annexes are.

The notice's particulars — the plan's title, its year, its own document number (the one in its
header, not a document the preamble cites), the issuing offices and the issue date — and the list of
annexes it names are read here for every layout. `split_annexes` cuts a `Document` into the body
(the paragraphs before the first 附件 heading) and its parts: each annex's title lines and its table
(the pieces a page or Word split joined), and any task-list table printed outside an annex.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from duban.core.chinese import chinese_number

from . import cells
from .base import ParsedPlan, SourceTable
from .document import Document, Paragraph, Position, Table
from .grid import annex_number, header_roles, join_tables

_MARKUP = re.compile(r"^\s*(?:#+|-\s)\s*|\*\*")
ANNEX_HEADING = re.compile(r"^附\s*件\s*(\d+|[一二三四五六七八九十]+)\s*[:：]?$")
_ANNEX_LIST_START = re.compile(r"^附件[：:]")
_ANNEX_LIST_ITEM = re.compile(r"^(\d+)\s*[.．、]\s*(.+)$")
DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,10}\s*[〔\[［【(（]\s*(\d{4})\s*[〕\]］】)）]\s*\d+\s*号")
_CITING = re.compile(r"(?:根据|按照|依照|依据|落实|贯彻|对照|结合|参照|》|印发的)\s*[（(]?\s*$")
_CITING_VERB = re.compile(r"^.*?(?:根据|按照|依照|依据|落实|贯彻|对照|参照|结合|转发|印发)")
_CITES = re.compile(r"(?:根据|按照|依照|依据|落实|贯彻|对照|参照|结合)[^，。；]*$")
_TITLE_IN_NOTICE = re.compile(r"《([^》]+)》")
_NOTICE = re.compile(r"关于(?:印发|转发)(.+?)的通知$")
_ISSUER = re.compile(r"^(\S{4,30}?(?:办公室|委员会|管委会|人民政府|政府))关于(?:印发|转发)")
_DATE_LINE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")
_CN_DATE_LINE = re.compile(r"^([〇零一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月\s*([一二三四五六七八九十]{1,3})\s*日$")
PLAN_TITLE = re.compile(r"(行动方案|实施方案|工作方案|工作要点|任务分工|行动计划|若干措施|任务清单|实施意见)")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_YEAR_SPAN = re.compile(r"((?:19|20)\d{2})\s*年?\s*[—–－\-~～至到]+\s*(?:19|20)\d{2}\s*年")


def clean_line(line: str) -> str:
    """A line without the markup a web page's or converter's text carries (#, **, list dashes)."""
    return _MARKUP.sub("", line).strip()


def issue_date(text: str) -> datetime.date | None:
    """'2024年3月5日' or '二〇二四年三月五日' standing alone on a line (the date under the signatures)."""
    m = _DATE_LINE.match(text)
    if m:
        numbers = int(m[1]), int(m[2]), int(m[3])
    else:
        m = _CN_DATE_LINE.match(text)
        if not m:
            return None
        year, month, day = (chinese_number(part) for part in m.groups())
        if year is None or month is None or day is None:
            return None
        numbers = year, month, day
    try:
        return datetime.date(*numbers)
    except ValueError:
        return None


def own_document_number(lines: list[str]) -> str:
    """The plan's own document number: one standing on a line of its own (the header's), else the first
    one no sentence cites (根据《…》（国办发〔2024〕5号）is another document)."""
    loose = ""
    for text in lines:
        for m in DOC_NUMBER.finditer(text):
            number = re.sub(r"\s+", "", m.group(0))
            verb = _CITING_VERB.match(number)
            number = number[verb.end():] if verb else number
            if not verb and not re.sub(r"[\s　]", "", text[: m.start()] + text[m.end():]):
                return number
            cited = verb or _CITING.search(text[: m.start()]) or ("《" in text[: m.start()] and "》" in text[m.end():])
            if not loose and not cited:
                loose = number
    return loose


def read_particulars(plan: ParsedPlan, lines: list[str], titles: Sequence[str] = ()) -> None:
    """The notice's particulars from the body's lines (before the annexes); `titles`, the annexes' title
    lines, are read after them (a bare task list carries the particulars there)."""
    body = [clean_line(line) for line in lines]
    cleaned = body + [clean_line(line) for line in titles]
    plan.document_number = own_document_number(cleaned)
    plan.title = re.sub(r"\s+", "", _title(body) or _title(cleaned))
    # The issuing offices sign above the issue date, before the plan's own text starts.
    for i, text in enumerate(cleaned):
        date = issue_date(re.sub(r"\s+", "", text))
        if date:
            plan.issue_date = date
            signers: list[str] = []
            for previous in reversed(cleaned[max(0, i - 4): i]):
                if not previous or len(previous) > 40 or "。" in previous or PLAN_TITLE.search(previous):
                    if signers:
                        break
                    continue
                signers.insert(0, re.sub(r"\s+", "", previous))
            plan.issuing_bodies = "、".join(signers)
            break
    if not plan.issuing_bodies:
        # No signature above a date: the notice's own title names who issues it
        # ('云峤县人民政府办公室关于印发…的通知').
        issuer = next((m.group(1) for m in (_ISSUER.match(re.sub(r"\s+", "", t)) for t in body[:12]) if m), "")
        plan.issuing_bodies = issuer
    plan.year = plan_year(plan)


def confirming_office(plan: ParsedPlan) -> str:
    """The office that issued the plan, as a message asking it to confirm something names it: one of the
    bodies that signed it (the government's office before the Party committee's: 中共西湖区委办公室、西湖区
    人民政府办公室 → 西湖区人民政府办公室), else its document number's prefix without the 发/字 that
    follows the office (云改办字〔2025〕3号 → 云改办), else "" (not known)."""
    bodies = [b for b in re.split(r"[、，,\s]+", plan.issuing_bodies or "") if b]
    if bodies:
        return next((b for b in bodies if "政府" in b), bodies[0])
    prefix = re.split(r"[〔\[［【(（]", plan.document_number or "", maxsplit=1)[0]
    prefix = re.sub(r"(?:发|字|函|秘|文)+$", "", prefix.strip())
    return prefix if len(prefix) >= 2 else ""


def _title(lines: list[str]) -> str:
    """The plan's title: its own title line (not the notice's 关于印发…的通知), else the title the notice
    says it issues (《X》 after 印发/现将, not a document it cites; 关于印发X的通知 → X)."""
    candidates = [t for t in lines if PLAN_TITLE.search(t) and len(t) < 120 and not _is_sentence(t)]
    own = next((t for t in candidates if not _NOTICE.search(t) and not t.endswith("通知")), "")
    if own:
        return own
    joined = "\n".join(lines)
    for m in _TITLE_IN_NOTICE.finditer(joined):
        before = joined[max(0, m.start() - 12): m.start()]
        if PLAN_TITLE.search(m.group(1)) and not m.group(1).endswith("通知") and not _CITES.search(before):
            return m.group(1)
    for t in lines:
        notice = _NOTICE.search(t)
        if notice and PLAN_TITLE.search(notice.group(1)):
            return notice.group(1).strip("《》")
    return ""


def plan_year(plan: ParsedPlan) -> int | None:
    """The plan's year: from its title, else its own document number (某府办发〔2024〕8号), else the issue date."""
    # a plan over several years ('三年行动计划（2025—2027年）') is the plan of the year it starts
    year = _YEAR_SPAN.search(plan.title) or _YEAR.search(plan.title)
    if year:
        return int(year.group(1))
    number = re.search(r"[〔\[［【(（]\s*(\d{4})", plan.document_number)
    if number:
        return int(number.group(1))
    return plan.issue_date.year if plan.issue_date else plan.year


def _is_sentence(text: str) -> bool:
    """A sentence or a numbered heading, not a title."""
    return bool(re.search(r"[。；]", text) or re.match(r"[一二三四五六七八九十]+、|[（(]|\d+[.．、]|附件", text)) \
        or text.startswith(("为", "根据", "按照", "现将"))


def listed_annexes(lines: list[str]) -> list[tuple[int, str]]:
    """[(number, title)] from the list '附件：1.… 2.… 3.…' at the end of the body."""
    for i, raw in enumerate(lines):
        text = clean_line(raw)
        if not _ANNEX_LIST_START.match(text):
            continue
        block = [text.split("：", 1)[-1].split(":", 1)[-1]]
        for more in lines[i + 1:]:
            more = clean_line(more)
            if not more or not re.match(r"\d+\s*[.．、]", more):
                break
            block.append(more)
        items = []
        for part in re.split(r"\s+(?=\d+\s*[.．、])", " ".join(block).strip()):
            m = _ANNEX_LIST_ITEM.match(part)
            if m:
                items.append((int(m.group(1)), m.group(2).strip()))
        return items
    return []


def complete_particulars(plan: ParsedPlan, tables: list[SourceTable], fallback_title: str) -> None:
    """Fill the plan's title and year when the file's text did not give them (a bare task list)."""
    if not plan.title:
        plan.title = next((t.title for t in tables if t.title), "") or fallback_title
    if not plan.year:
        plan.year = plan_year(plan) or _most_common_deadline_year(tables)


def _most_common_deadline_year(tables: list[SourceTable]) -> int | None:
    years: Counter = Counter()
    for table in tables:
        columns = [j for j, role in enumerate(header_roles(table.header)) if role == "deadline"]
        for row in table.rows:
            for j in columns:
                deadline = cells.parse_deadline(row.cells[j]) if j < len(row.cells) else None
                if deadline:
                    years[deadline.date.year] += 1
    return years.most_common(1)[0][0] if years else None


# ------------------------------------------------------------- the annexes


@dataclass
class Part:
    """An annex (its heading's number, the title lines under it, its table), or a table outside any annex."""

    annex: int | None
    number: int  # the table's place among the document's tables (表N when no annex names it)
    at: Position
    titles: list[str] = field(default_factory=list)
    pieces: list[Table] = field(default_factory=list)

    @property
    def table(self) -> Table:
        return join_tables(self.pieces)


@dataclass
class Parts:
    body: list[Paragraph]
    parts: list[Part]
    annex_headings: list[tuple[int | None, Position]]  # every 附件N heading, with or without a table under it
    titles: list[str]  # lines printed in the annexes outside their tables (titles, closing lines)

    @property
    def body_lines(self) -> list[str]:
        return [p.text for p in self.body]


def split_annexes(document: Document) -> Parts:
    """The body before the first 附件 heading, and the tables with the annex each stands under.

    Tables of one annex — split by a page break or by Word, or each page its own — are one table;
    a title line between two tables starts another.
    """
    body: list[Paragraph] = []
    parts: list[Part] = []
    headings: list[tuple[int | None, Position]] = []
    all_titles: list[str] = []
    annex: int | None = None
    titles: list[str] = []
    seen_annex, count = False, 0
    for block in document.blocks:
        if isinstance(block, Paragraph):
            text = clean_line(block.text)
            if ANNEX_HEADING.match(text):
                annex, titles, seen_annex = annex_number(text), [], True
                headings.append((annex, block.at))
            elif not seen_annex:
                body.append(block)
            elif text:
                titles.append(text)
                all_titles.append(text)
            continue
        count += 1
        current = parts[-1] if parts else None
        if current is not None and annex is not None and current.annex == annex and not titles:
            current.pieces.append(block)
        else:
            parts.append(Part(annex=annex, number=count, at=block.at, titles=titles, pieces=[block]))
            titles = []
    return Parts(body=body, parts=parts, annex_headings=headings, titles=all_titles)
