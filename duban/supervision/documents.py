"""Word documents the office circulates: meeting minutes (会议纪要)."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt


def new_document():
    """A document in the fonts Chinese government documents use (仿宋 body, 黑体 headings)."""
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "FangSong"
    style.font.size = Pt(14)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "仿宋")
    return document


def heading(document, text, size=22):
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.bold = True
    run.font.size = Pt(size)
    run.font.name = "SimHei"
    run._element.rPr.rFonts.set(qn("w:eastAsia"), "黑体")
    return paragraph


def table(document, header, rows):
    grid = document.add_table(rows=1, cols=len(header))
    grid.style = "Table Grid"
    for cell, text in zip(grid.rows[0].cells, header):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        cells = grid.add_row().cells
        for cell, text in zip(cells, row):
            cell.text = "" if text is None else str(text)
    return grid


def to_bytes(document):
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def meeting_minutes(meeting):
    document = new_document()
    heading(document, f"{meeting.title}会议纪要")
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run(f"（{meeting.held_on.year}年{meeting.held_on.month}月{meeting.held_on.day}日）")
    intro = f"{meeting.held_on.year}年{meeting.held_on.month}月{meeting.held_on.day}日，"
    if meeting.chair:
        intro += f"{meeting.chair.name}同志主持召开"
    intro += f"{meeting.plan.title}调度会议，研究解决推进中的重点难点问题。"
    document.add_paragraph(intro)
    if meeting.attendees:
        document.add_paragraph(f"参会人员：{meeting.attendees}")
    if meeting.notes:
        document.add_paragraph(meeting.notes)
    document.add_paragraph("现将会议议定事项纪要如下：")
    agenda = list(meeting.agenda.prefetch_related("action_items__owner_unit", "action_items__leader",
                                                  "action_items__measure"))
    decided = [item for item in agenda if item.decision or item.action_items.all()]
    numerals = "一二三四五六七八九十"
    for i, item in enumerate(decided):
        number = numerals[i] if i < len(numerals) else str(i + 1)
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{number}、{item.title}").bold = True
        if item.decision:
            document.add_paragraph(item.decision)
    actions = [action for item in decided for action in item.action_items.all()]
    if actions:
        document.add_paragraph().add_run("议定事项责任分工").bold = True
        table(document, ["序号", "议定事项", "责任单位", "责任领导", "完成时限"], [
            (n, a.measure.text, a.owner_unit.name, a.leader.name if a.leader else "", f"{a.measure.deadline:%Y年%m月%d日}")
            for n, a in enumerate(actions, start=1)])
    if not decided:
        document.add_paragraph("（本次会议未形成议定事项。）")
    return to_bytes(document)
