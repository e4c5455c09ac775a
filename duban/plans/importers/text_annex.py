"""Plans published as a document with task-list annexes, read from the document's text.

This is what a PDF's text extraction gives: the notice and the plan's body,
then '附件 1', '附件 2' … each with a title and a table whose rows are lines of
tab-separated cells, the header repeated on every page.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path

from .base import ParsedPlan, PlanImportError, SourceRow, SourceTable
from .body import clean_line, parse_body
from .tables import build_from_tables, looks_like_header, missing_columns

_ANNEX_HEADING = re.compile(r"^\s*#*\s*附\s*件\s*(\d+)\s*$")
_ANNEX_LIST_START = re.compile(r"^附件[：:]")
_ANNEX_LIST_ITEM = re.compile(r"^(\d+)\s*[.．、]\s*(.+)$")
_DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,8}[〔\[［【(（]\s*(\d{4})\s*[〕\]］】)）]\s*\d+\s*号")
_TITLE_IN_NOTICE = re.compile(r"《([^》]+)》")
_DATE_LINE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")
_PLAN_TITLE = re.compile(r"(行动方案|实施方案|工作方案|工作要点|任务分工)")


def decode(data: bytes, name: str) -> str:
    if not data.strip():
        raise PlanImportError(f"{name}: the file is empty")
    if b"\x00" in data[:4096] or data[:8] == b"\x89PNG\r\n\x1a\n" or data[:2] == b"PK":
        raise PlanImportError(f"{name}: not a text file (binary content); use .xlsx or .docx for spreadsheets and Word files")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise PlanImportError(f"{name}: cannot be read as UTF-8 or GB18030 text")


def read_text(path, layout=None) -> ParsedPlan:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PlanImportError(f"{path}: cannot be read ({exc.strerror})") from exc
    return parse_text(decode(data, path.name), path.name, layout=layout)


def parse_text(text: str, source: str, layout=None) -> ParsedPlan:
    """layout: None to detect, "annex" (body areas + annex tables) or "prose" (任务分工方案, 工作要点)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if layout != "annex":
        from .prose import looks_like_prose, parse_prose_lines

        if layout == "prose" or looks_like_prose(lines):
            return parse_prose_lines(lines, source)
    plan = ParsedPlan(source_name=source)
    annex_starts = [(i, int(m.group(1))) for i, line in enumerate(lines) if (m := _ANNEX_HEADING.match(line))]
    body_end = annex_starts[0][0] if annex_starts else len(lines)
    _read_metadata(plan, lines[:body_end])
    parse_body(plan, lines[:body_end], source)

    tables = []
    for k, (start, number) in enumerate(annex_starts):
        end = annex_starts[k + 1][0] if k + 1 < len(annex_starts) else len(lines)
        table = _read_annex(plan, lines, start, end, number, source)
        if table is not None:
            tables.append(table)
    if not tables and not plan.areas:
        raise PlanImportError(f"{source}: no plan items and no task-list table found; is this an action plan?")
    build_from_tables(plan, tables)

    present = {number for _, number in annex_starts}
    listed = _listed_annexes(lines[:body_end])
    plan.missing_annexes = [f"附件{n}：{title}" for n, title in listed if n not in present]
    return plan


def _read_metadata(plan, lines):
    cleaned = [clean_line(line) for line in lines]
    joined = "\n".join(cleaned)
    m = _DOC_NUMBER.search(joined)
    if m:
        plan.document_number = re.sub(r"\s+", "", m.group(0))
    notice_title = _TITLE_IN_NOTICE.search(joined)
    if notice_title and _PLAN_TITLE.search(notice_title.group(1)):
        plan.title = notice_title.group(1)
    else:
        plan.title = next((t for t in cleaned if _PLAN_TITLE.search(t) and len(t) < 120), "")
    plan.title = re.sub(r"\s+", "", plan.title)
    year = re.search(r"(\d{4})\s*年", plan.title) or (m and re.search(r"(\d{4})", m.group(0)))
    plan.year = int(year.group(1)) if year else None
    # The issuing offices sign above the issue date, before the plan's own text starts.
    for i, text in enumerate(cleaned):
        date = _DATE_LINE.match(text)
        if date:
            plan.issue_date = datetime.date(int(date[1]), int(date[2]), int(date[3]))
            signers = []
            for previous in reversed(cleaned[max(0, i - 4): i]):
                if not previous or len(previous) > 40 or "。" in previous:
                    if signers:
                        break
                    continue
                signers.insert(0, re.sub(r"\s+", "", previous))
            plan.issuing_bodies = "、".join(signers)
            break
    if plan.year is None and plan.issue_date:
        plan.year = plan.issue_date.year


def _listed_annexes(lines):
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


def _read_annex(plan, lines, start, end, number, source):
    header, header_line, title, rows = None, None, "", []
    for index in range(start + 1, end):
        raw = lines[index]
        if "\t" in raw:
            row_cells = raw.split("\t")
            if looks_like_header(row_cells):
                if header is None:
                    header, header_line = row_cells, index + 1
                else:
                    rows.append(SourceRow(row_cells, index + 1))  # repeated on each page; the builder skips it
                continue
            if header is None:
                plan.warn(source, index + 1, "table row before the table's header, not imported")
                continue
            rows.append(SourceRow(row_cells, index + 1))
            continue
        text = clean_line(raw)
        if not text or re.fullmatch(r"-{3,}", text):
            continue
        if header is None:
            title = title or text
        elif _looks_like_trailer(text):
            continue
        else:
            rows.append(SourceRow([text], index + 1))
    if header is None:
        plan.warn(source, start + 1, f"附件{number}: no table header (序号 … 工作举措 …) found; annex not imported")
        return None
    missing = missing_columns(header)
    if missing:
        raise PlanImportError(f"{source}:{header_line}: 附件{number}'s table has no column {', '.join(missing)}")
    return SourceTable(source=source, annex=number, title=title, header=header, rows=rows, header_line=header_line)


def _looks_like_trailer(text):
    """The closing lines after the last annex: the issuing office and the printing date."""
    return bool(_DATE_LINE.match(text) or re.search(r"印发$", text) or re.fullmatch(r"[\u4e00-\u9fff]{2,20}办公室", text))
