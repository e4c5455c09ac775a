"""Quarterly circulars (督查通报): figures per unit, ranking, problems, next steps — as .docx, .pdf, .xlsx."""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.db import transaction
from docx.enum.text import WD_ALIGN_PARAGRAPH
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from duban.core import clock

from . import documents
from .models import Circular
from .statistics import Period, totals, unit_table

DEFAULT_NEXT_STEPS = (
    "一、各单位要对照任务清单，逐项梳理逾期未完成事项，明确完成时限，于下月底前整改到位。\n"
    "二、被退回的进展报告须在5个工作日内补充完善后重新报送。\n"
    "三、区营商办将持续跟踪督办，督查结果纳入年度综合考核。"
)


def snapshot(plan, quarter, today=None):
    """The circular's figures, computed by the same function as the dashboard."""
    period = Period.quarter(quarter, today or clock.today())
    columns, rows = unit_table(plan, period)
    total = totals(columns, rows)
    ranked = [r for r in rows if r.rank]
    problems = []
    for row in rows:
        for key in ("measures_overdue", "measures_late"):
            for label, url in row.items.get(key, []):
                problems.append({"unit": row.unit.name, "kind": key, "item": label, "url": url})
    return {
        "quarter": quarter.upper(), "period": period.label, "start": period.start.isoformat(),
        "end": period.end.isoformat(), "as_of": period.as_of.isoformat(),
        "columns": [{"key": c.key, "label": c.label, "fmt": c.fmt} for c in columns],
        "rows": [{"unit": r.unit.name, "unit_id": r.unit.pk, "rank": r.rank, "values": r.values} for r in rows],
        "totals": total,
        "top": [r.unit.name for r in ranked[:3]],
        "bottom": [r.unit.name for r in ranked[-3:][::-1]] if len(ranked) > 3 else [],
        "problems": problems,
    }


@transaction.atomic
def create_circular(plan, quarter, *, user=None, document_number="", next_steps=None, today=None):
    data = snapshot(plan, quarter, today)
    return Circular.objects.create(
        plan=plan, quarter=data["quarter"], document_number=document_number, as_of=data["as_of"],
        next_steps=DEFAULT_NEXT_STEPS if next_steps is None else next_steps, snapshot=data, created_by=user)


def _value(value, fmt):
    return "—" if value is None else fmt.format(value)


def to_docx(circular: Circular) -> bytes:
    data, plan = circular.snapshot, circular.plan
    doc = documents.new_document()
    documents.heading(doc, f"关于{data['period']}优化营商环境工作督查情况的通报", size=20)
    number = doc.add_paragraph(circular.document_number or f"西营商办〔{plan.year}〕  号")
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph("各街道，区直各单位：")
    doc.add_paragraph(
        f"根据《{plan.title}》要求，区营商办对各街道、各部门{data['period']}"
        f"（{data['start']}至{data['end']}）优化营商环境工作落实情况进行了督查，现将有关情况通报如下：")

    doc.add_paragraph().add_run("一、总体情况").bold = True
    t = data["totals"]
    overall = (f"本季度到期工作举措{t.get('measures_due', 0)}项，按时完成{t.get('measures_on_time', 0)}项，"
               f"逾期完成{t.get('measures_late', 0)}项，逾期未完成{t.get('measures_overdue', 0)}项，"
               f"按时完成率{_value(t.get('on_time_rate'), '{}%')}。")
    for column in data["columns"][5:]:
        if column["key"] in t:
            overall += f"{column['label']}{_value(t[column['key']], column['fmt'])}；"
    doc.add_paragraph(overall.rstrip("；") + ("。" if overall.endswith("；") else ""))
    if data["top"]:
        doc.add_paragraph(f"{'、'.join(data['top'])}等单位按时完成率较高，工作成效明显，予以通报表扬。")
    if data["bottom"]:
        doc.add_paragraph(f"{'、'.join(data['bottom'])}等单位按时完成率较低，请加快工作进度。")

    doc.add_paragraph().add_run("二、各单位完成情况").bold = True
    header = ["排名", "单位"] + [c["label"] for c in data["columns"]]
    documents.table(doc, header, [
        [row["rank"] or "—", row["unit"]] + [_value(row["values"].get(c["key"]), c["fmt"]) for c in data["columns"]]
        for row in data["rows"]])

    doc.add_paragraph().add_run("三、存在问题").bold = True
    overdue = [p for p in data["problems"] if p["kind"] == "measures_overdue"]
    late = [p for p in data["problems"] if p["kind"] == "measures_late"]
    if not overdue and not late:
        doc.add_paragraph("本季度无逾期事项。")
    if overdue:
        doc.add_paragraph(f"（一）逾期未完成事项{len(overdue)}项：")
        for p in overdue:
            doc.add_paragraph(f"{p['unit']}：{p['item']}")
    if late:
        doc.add_paragraph(f"（二）逾期完成事项{len(late)}项：")
        for p in late:
            doc.add_paragraph(f"{p['unit']}：{p['item']}")

    doc.add_paragraph().add_run("四、下步要求").bold = True
    for line in circular.next_steps.splitlines():
        if line.strip():
            doc.add_paragraph(line.strip())
    doc.add_paragraph("附件：各单位优化营商环境工作完成情况统计表")
    sign = doc.add_paragraph(f"西湖区营商环境优化升级工作领导小组办公室\n{circular.created_at:%Y年%m月%d日}"
                             if circular.created_at else "")
    sign.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return documents.to_bytes(doc)


def to_xlsx(circular: Circular) -> bytes:
    data = circular.snapshot
    book = Workbook()
    sheet = book.active
    sheet.title = "统计表"
    sheet.append([f"{data['period']}各单位优化营商环境工作完成情况统计表（截至{data['as_of']}）"])
    sheet["A1"].font = Font(bold=True, size=14)
    header = ["排名", "单位"] + [c["label"] for c in data["columns"]]
    sheet.append(header)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
    for row in data["rows"]:
        sheet.append([row["rank"], row["unit"]] + [row["values"].get(c["key"]) for c in data["columns"]])
    sheet.column_dimensions["B"].width = 28
    problems = book.create_sheet("存在问题")
    problems.append(["单位", "类别", "事项"])
    for p in data["problems"]:
        problems.append([p["unit"], "逾期未完成" if p["kind"] == "measures_overdue" else "逾期完成", p["item"]])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


class ConversionUnavailable(Exception):
    pass


def libreoffice():
    return shutil.which("libreoffice") or shutil.which("soffice")


def to_pdf(circular: Circular) -> bytes:
    """PDF through LibreOffice (`libreoffice --headless --convert-to pdf`), which offices have anyway."""
    binary = libreoffice()
    if not binary:
        raise ConversionUnavailable("PDF needs LibreOffice (Debian package libreoffice-writer); it is not installed.")
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
