"""Quarterly circulars (督查通报): figures per unit, ranking, problems, next steps — as .docx, .pdf, .xlsx."""

from __future__ import annotations

import datetime
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from duban.core import clock, exports

from . import documents
from .figures import explain
from .models import Circular
from .statistics import Period, totals, unit_table

def default_next_steps(region):
    """The 下步要求 a new circular starts with; the office that follows up is the plan's region's."""
    return ("（一）各单位要对照任务清单，逐项梳理逾期未完成事项，明确完成时限，于下月底前整改到位。\n"
            "（二）被退回的进展报告须在5个工作日内补充完善后重新报送。\n"
            f"（三）{region.office_short_name}将持续跟踪督办，督查结果纳入年度综合考核。")


# Whom a circular goes to (主送) and whom it inspected, by the level of government the region is: a district's
# streets and departments, a county's townships, a city's counties and districts.
ADDRESSEES = {"县": ("各乡镇，县直各单位：", "各乡镇、各部门"), "旗": ("各苏木乡镇，旗直各单位：", "各苏木乡镇、各部门"),
              "市": ("各县（市、区），市直各单位：", "各县（市、区）、各部门"), "州": ("各县（市），州直各单位：", "各县（市）、各部门")}
DISTRICT_ADDRESSEES = ("各街道，区直各单位：", "各街道、各部门")


def addressees(region):
    """(主送 line, whom the office inspected) for the region's level, read from its name's last character
    (青山县 → 各乡镇，县直各单位); a district, and any name that says no level, as a district's."""
    return ADDRESSEES.get(region.name.strip()[-1:], DISTRICT_ADDRESSEES)


def blank_document_number(circular):
    """The number line of a circular not yet numbered: the office's short name and the year, the number
    left for the clerk to write in (西湖区营商办〔2023〕　号)."""
    return f"{circular.plan.region.office_short_name}〔{circular.plan.year}〕　号"
# A point's own numbering as typed (一、 （一） (1) 1. 1、 ①), which the document replaces with its level.
POINT_NUMBER = re.compile(r"^\s*(?:[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+[、.．]|\d+[、.．)]|[①-⑳])\s*")


def next_step_points(text):
    """The 下步要求's points, numbered as level-2 headings under 四、: （一）（二）（三）, whatever was typed."""
    points = [POINT_NUMBER.sub("", line, count=1).strip() for line in text.splitlines() if line.strip()]
    return [f"（{documents.numeral(n)}）{point}" for n, point in enumerate(points, start=1) if point]


# What 存在问题 lists, in this order: the units' overdue and late measures, and their reports the office
# returned at the first review.
PROBLEM_KINDS = ("measures_overdue", "measures_late", "reports_first_time_rate")


def named_units(ranked):
    """(praised, criticised): up to three units from each end of the ranking, never the same unit twice.

    Each end takes at most half of the ranked units; a unit with nothing done on time is never praised,
    and one as good as the least of the praised is never criticised.
    """
    k = min(3, len(ranked) // 2)
    top = [r for r in ranked[:k] if r.values["on_time_rate"]]
    floor = min((r.values["on_time_rate"] for r in top), default=None)
    bottom = [r for r in ranked[len(ranked) - k:][::-1] if floor is None or r.values["on_time_rate"] < floor]
    return top, bottom


def snapshot(plan, quarter, today=None):
    """The circular's figures, computed by the same function as the dashboard, with what each counts (口径)."""
    period = Period.quarter(quarter, today or clock.today())
    columns, rows = unit_table(plan, period)
    total = totals(columns, rows)
    ranked = [r for r in rows if r.rank]
    problems = []
    for row in rows:
        for key in PROBLEM_KINDS:
            for label, url in row.items.get(key, []):
                problems.append({"unit": row.unit.name, "kind": key, "item": label, "url": url})
    top, bottom = named_units(ranked)
    return {
        "quarter": quarter.upper(), "period": period.label, "start": period.start.isoformat(),
        "end": period.end.isoformat(), "as_of": period.as_of.isoformat(),
        "columns": [{"key": c.key, "label": c.label, "fmt": c.fmt} for c in columns],
        "rows": [{"unit": r.unit.name, "unit_id": r.unit.pk, "rank": r.rank, "values": r.values} for r in rows],
        "totals": total,
        "top": [r.unit.name for r in top],
        "bottom": [r.unit.name for r in bottom],
        "problems": problems,
        "definitions": [list(pair) for pair in explain([c.key for c in columns], period.start, period.end,
                                                           period.as_of)],
        "issued_on": (today or clock.today()).isoformat(),
    }


class CircularRefused(ValueError):
    """A circular that may not be made or changed; the message says why, in the user's language."""


def changes_between(old, new):
    """What a new version changes from the previous one, in words: the cut-off, the totals, each unit's figures,
    the units praised and criticised, the problems listed."""
    changes = []
    if old.get("as_of") != new.get("as_of"):
        changes.append(f"数据截至日期：{old.get('as_of')} → {new.get('as_of')}")
    labels = {c["key"]: c["label"] for c in new.get("columns", []) + old.get("columns", [])}
    for key, label in labels.items():
        before, after = old.get("totals", {}).get(key), new.get("totals", {}).get(key)
        if before != after:
            changes.append(f"合计 {label}：{_value(before, '{}')} → {_value(after, '{}')}")
    old_rows = {r["unit"]: r for r in old.get("rows", [])}
    for row in new.get("rows", []):
        previous = old_rows.pop(row["unit"], None)
        if previous is None:
            changes.append(f"{row['unit']}：新列入")
            continue
        for key, label in labels.items():
            before, after = previous["values"].get(key), row["values"].get(key)
            if before != after:
                changes.append(f"{row['unit']} {label}：{_value(before, '{}')} → {_value(after, '{}')}")
        if previous.get("rank") != row.get("rank"):
            changes.append(f"{row['unit']} 排名：{previous.get('rank') or '—'} → {row.get('rank') or '—'}")
    changes += [f"{unit}：不再列入" for unit in old_rows]
    for key, label in (("top", "通报表扬"), ("bottom", "通报批评")):
        if old.get(key) != new.get(key):
            changes.append(f"{label}：{'、'.join(old.get(key) or ['无'])} → {'、'.join(new.get(key) or ['无'])}")
    if len(old.get("problems", [])) != len(new.get("problems", [])):
        changes.append(f"存在问题：{len(old.get('problems', []))} 项 → {len(new.get('problems', []))} 项")
    return changes


@transaction.atomic
def create_circular(plan, quarter, *, user=None, document_number=None, next_steps=None, today=None, reason=""):
    """Draft the quarter's circular: the first version, or the next one superseding the current version.

    The page (*Draft the circular*), `duban circular --quarter` and the simulation all call this. A new
    version keeps the previous one (with its figures) and lists what changed; the document number and the
    下步要求 carry over unless given. An issued (印发) version is superseded only with a reason.
    """
    data = snapshot(plan, quarter, today)
    previous = (Circular.objects.select_for_update().filter(plan=plan, quarter=data["quarter"])
                .order_by("-version").first())
    reason = (reason or "").strip()
    if previous is not None and previous.is_issued and not reason:
        raise CircularRefused(_("The circular on %(period)s (version %(version)s) has been issued; a new version "
                                "supersedes it only with a reason.") % {"period": data["period"],
                                                                        "version": previous.version})
    if previous is not None:
        next_steps = previous.next_steps if next_steps is None else next_steps
        document_number = previous.document_number if document_number is None else document_number
    return Circular.objects.create(
        plan=plan, quarter=data["quarter"], version=previous.version + 1 if previous else 1, supersedes=previous,
        supersede_reason=reason, changes=changes_between(previous.snapshot, data) if previous else [],
        document_number=document_number or "", as_of=data["as_of"],
        next_steps=default_next_steps(plan.region) if next_steps is None else next_steps, snapshot=data, created_by=user)


@transaction.atomic
def issue_circular(circular, user):
    """Mark the current version issued (印发): from now on it is frozen."""
    circular = Circular.objects.select_for_update().get(pk=circular.pk)
    if not circular.is_current:
        raise CircularRefused(_("Version %(version)s has been superseded; only the current version can be issued.")
                              % {"version": circular.version})
    if circular.is_issued:
        raise CircularRefused(_("This circular has been issued already."))
    circular.issued_at, circular.issued_by = clock.now(), user
    circular.save(update_fields=["issued_at", "issued_by"])
    return circular


def current_circulars(plan):
    """The plan's circulars that no later version supersedes: one per quarter."""
    return plan.circulars.filter(superseded_by__isnull=True)


def _value(value, fmt):
    return "—" if value is None else fmt.format(value)


# The body's table: the measure figures; the annex has every column.
BODY_COLUMNS = ("measures_due", "measures_on_time", "measures_late", "measures_overdue", "on_time_rate")
# How the overall picture counts what the other columns count.
COUNTED = {"reports_due": ("应报送进展报告", "份"), "complaints": ("受理投诉", "件"), "escalations": ("其中督办件", "件"),
           "visit_problems": ("走访企业诉求", "件"), "visit_problem_escalations": ("其中督办件", "件")}
# Said only when there are some (a district that does not record visits is not told it had none).
COUNTED_IF_ANY = {"visit_problems", "visit_problem_escalations"}
PROBLEM_HEADINGS = {"measures_overdue": "逾期未完成事项", "measures_late": "逾期完成事项",
                    "reports_first_time_rate": "被退回修改的进展报告"}


def _date(iso):
    return documents.chinese_date(datetime.date.fromisoformat(iso))


def issued_on(circular):
    """The circular's date: the day it was issued (印发), else drafted, on the office's clock."""
    if circular.issued_at:
        return timezone.localdate(circular.issued_at)
    if circular.snapshot.get("issued_on"):
        return datetime.date.fromisoformat(circular.snapshot["issued_on"])
    return timezone.localdate(circular.created_at) if circular.created_at else clock.today()


def to_docx(circular: Circular) -> bytes:
    data, plan = circular.snapshot, circular.plan
    office = plan.region
    doc = documents.new_document()
    documents.red_header(doc, office.office_full_name, circular.document_number or blank_document_number(circular))
    documents.heading(doc, f"关于{data['period']}优化营商环境工作督查情况的通报")
    to, inspected = addressees(office)
    documents.body(doc, to, indent=False)
    documents.body(
        doc, f"根据《{plan.title}》要求，{office.office_short_name}对{inspected}{data['period']}"
        f"（{_date(data['start'])}至{_date(data['end'])}）优化营商环境工作落实情况进行了督查，现将有关情况通报如下：")

    documents.section_heading(doc, "一、总体情况")
    t = data["totals"]
    overall = (f"本季度到期工作举措{t.get('measures_due', 0)}项，按时完成{t.get('measures_on_time', 0)}项，"
               f"逾期完成{t.get('measures_late', 0)}项，逾期未完成{t.get('measures_overdue', 0)}项，"
               f"按时完成率{_value(t.get('on_time_rate'), '{}%')}。")
    counted = [f"{COUNTED[k][0]}{t[k]}{COUNTED[k][1]}" for k in COUNTED
               if k in t and (t[k] or k not in COUNTED_IF_ANY)]
    if counted:
        overall += "，".join(counted) + "。"
    documents.body(doc, overall)
    if data["top"]:
        documents.body(doc, f"{'、'.join(data['top'])}等单位按时完成率较高，工作成效明显，予以通报表扬。")
    if data["bottom"]:
        documents.body(doc, f"{'、'.join(data['bottom'])}等单位按时完成率较低，请加快工作进度。")

    documents.section_heading(doc, "二、各单位完成情况")
    documents.body(doc, "有到期工作举措的单位完成情况及排名见下表；进展报告、指标、投诉办理和好差评情况，"
                        "以及本季度无到期举措的单位，详见附件。")
    columns = [c for c in data["columns"] if c["key"] in BODY_COLUMNS]
    documents.table(doc, ["排名", "单位"] + [c["label"] for c in columns], [
        [row["rank"], row["unit"]] + [_value(row["values"].get(c["key"]), c["fmt"]) for c in columns]
        for row in data["rows"] if row["rank"]], widths=(14, 50) + (18,) * len(columns), left=(1,))

    documents.section_heading(doc, "三、存在问题")
    groups = [(kind, [p for p in data["problems"] if p["kind"] == kind]) for kind in PROBLEM_HEADINGS]
    groups = [(kind, items) for kind, items in groups if items]
    if not groups:
        documents.body(doc, "本季度无逾期和被退回事项。")
    for n, (kind, items) in enumerate(groups, start=1):
        unit = "份" if kind.startswith("reports") else "项"
        documents.subheading(doc, f"（{documents.numeral(n)}）{PROBLEM_HEADINGS[kind]}{len(items)}{unit}")
        for i, p in enumerate(items, start=1):
            documents.body(doc, f"{i}. {p['unit']}：{p['item']}")

    documents.section_heading(doc, "四、下步要求")
    for point in next_step_points(circular.next_steps):
        documents.body(doc, point)
    doc.add_paragraph()
    documents.body(doc, "附件：各单位优化营商环境工作完成情况统计表")
    documents.signature(doc, office.office_full_name, issued_on(circular))

    documents.landscape_section(doc)
    documents.section_heading(doc, "附件").paragraph_format.first_line_indent = Pt(0)
    documents.heading(doc, f"{data['period']}各单位优化营商环境工作完成情况统计表", size=documents.SIZE_3,
                      blank_after=False)
    # Under the title, not after the table: a full table would push it alone onto a page of its own.
    documents.body(doc, f"（数据截至{_date(data['as_of'])}；“—”表示该单位本季度无此项）", indent=False,
                   align=WD_ALIGN_PARAGRAPH.CENTER)
    # Rates as plain numbers under a "（%）" heading: "100.0%" does not fit a column of 12 mm.
    header = ["排名", "单位"] + [c["label"] + ("（%）" if c["fmt"].endswith("%") else "") for c in data["columns"]]
    documents.table(doc, header, [
        [row["rank"] or "—", row["unit"]] + [_value(row["values"].get(c["key"]), "{}") for c in data["columns"]]
        for row in data["rows"]], widths=(9, 32) + ((225 - 41) / len(data["columns"]),) * len(data["columns"]),
        size=Pt(9), left=(1,))
    definitions = data.get("definitions") or []
    if definitions:
        documents.note(doc, "口径说明：", size=Pt(9))
        for n, (_label, text) in enumerate(definitions, start=1):
            documents.note(doc, f"{n}. {text}。", size=Pt(9))
    return documents.to_bytes(doc)


def to_xlsx(circular: Circular) -> bytes:
    data = circular.snapshot
    book = Workbook()
    sheet = book.active
    sheet.title = "统计表"
    version = f"，第{circular.version}版" if circular.version > 1 else ""
    exports.append(sheet, [f"{data['period']}各单位优化营商环境工作完成情况统计表（截至{data['as_of']}{version}）"])
    sheet["A1"].font = Font(bold=True, size=14)
    header = ["排名", "单位"] + [c["label"] for c in data["columns"]]
    exports.append(sheet, header)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
    for row in data["rows"]:
        exports.append(sheet, [row["rank"], row["unit"]] + [row["values"].get(c["key"]) for c in data["columns"]])
    sheet.column_dimensions["B"].width = 28
    total = data.get("totals", {})
    exports.append(sheet, ["", "合计"] + [total.get(c["key"]) for c in data["columns"]])
    problems = book.create_sheet("存在问题")
    exports.append(problems, ["单位", "类别", "事项"])
    for p in data["problems"]:
        exports.append(problems, [p["unit"], PROBLEM_HEADINGS[p["kind"]], p["item"]])
    definitions = book.create_sheet("口径说明")
    exports.append(definitions, ["指标", "口径"])
    for label, text in data.get("definitions") or []:
        exports.append(definitions, [label, text])
    definitions.column_dimensions["A"].width = 18
    definitions.column_dimensions["B"].width = 120
    return exports.xlsx_bytes(book)


class ConversionUnavailable(Exception):
    pass


def libreoffice():
    return shutil.which("libreoffice") or shutil.which("soffice")


def pdf_unavailable():
    """Why the PDF cannot be made on this server (shown beside a disabled button), or "" when it can."""
    if libreoffice():
        return ""
    return _("PDF needs LibreOffice on the server (Debian package libreoffice-writer), which is not installed; "
             "download the Word file and print it to PDF.")


def to_pdf(circular: Circular) -> bytes:
    """PDF through LibreOffice (`libreoffice --headless --convert-to pdf`), which offices have anyway."""
    binary = libreoffice()
    if not binary:
        raise ConversionUnavailable(pdf_unavailable())
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "circular.docx"
        source.write_bytes(to_docx(circular))
        subprocess.run([binary, "--headless", f"-env:UserInstallation=file://{tmp}/profile", "--convert-to", "pdf",
                        "--outdir", tmp, str(source)], check=True, capture_output=True, timeout=120)
        return (Path(tmp) / "circular.pdf").read_bytes()


RENDERERS = {".docx": to_docx, ".xlsx": to_xlsx, ".pdf": to_pdf}
CONTENT_TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pdf": "application/pdf",
}
