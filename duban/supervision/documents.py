"""Word documents the office circulates, in the layout of Chinese official documents (GB/T 9704-2012):
A4 with a 156 × 225 mm text block, the issuing office's red header and rule, the title in 2号小标宋,
the body in 3号仿宋 with 28-point lines, level-1 headings (一、) in 黑体 and level-2 (（一）) in 楷体,
page numbers "— 1 —" at the foot. Offices open these in WPS or Word, which have the fonts.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

# 仿宋 and 楷体 (rather than the _GB2312 cuts) come with every Windows; 小标宋 with every office's WPS.
TITLE_FONT, BODY_FONT, HEADING_FONT, SUBHEADING_FONT, NUMBER_FONT = "方正小标宋简体", "仿宋", "黑体", "楷体", "宋体"
SIZE_2, SIZE_3, SIZE_4, SIZE_5 = Pt(22), Pt(16), Pt(14), Pt(10.5)
RED = RGBColor(0xE0, 0x00, 0x00)
LINE = Pt(28)  # 22 lines on the 225 mm text block


def chinese_date(day):
    """2023年10月20日: no leading zeros, as official documents write dates."""
    return f"{day.year}年{day.month}月{day.day}日"


def _font(run, east_asian, size=None, bold=None, color=None):
    run.font.name = "Times New Roman"  # digits and Latin letters
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), east_asian)
    if size is not None:
        run.font.size = size
    if bold is not None:
        run.bold = bold
    if color is not None:
        run.font.color.rgb = color
    return run


def _page(section, landscape=False):
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    if landscape:
        section.top_margin, section.bottom_margin, section.left_margin, section.right_margin = (
            Mm(28), Mm(26), Mm(37), Mm(35))
    else:
        section.top_margin, section.bottom_margin, section.left_margin, section.right_margin = (
            Mm(37), Mm(35), Mm(28), Mm(26))
    section.footer_distance = Mm(20)


def _page_numbers(section):
    """Footer "— N —" in 4号宋体, centred."""
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(paragraph.add_run("— "), NUMBER_FONT, SIZE_4)
    run = _font(paragraph.add_run(), NUMBER_FONT, SIZE_4)
    for tag, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if tag:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), tag)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._element.append(element)
    _font(paragraph.add_run(" —"), NUMBER_FONT, SIZE_4)


def new_document():
    """A4, the official text block and fonts, page numbers in the footer."""
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = SIZE_3
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    style.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    style.paragraph_format.line_spacing = LINE
    style.paragraph_format.space_before = style.paragraph_format.space_after = Pt(0)
    section = document.sections[0]
    _page(section)
    _page_numbers(section)
    return document


def red_header(document, office, number=None, size=Pt(22)):
    """The issuing office's name in red (the region's office: Region.office_full_name), the document number
    under it, and the red rule."""
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    paragraph.paragraph_format.space_after = Pt(18)
    _font(paragraph.add_run(office), TITLE_FONT, size, color=RED)
    rule = document.add_paragraph()
    rule.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if number:
        _font(rule.add_run(number), BODY_FONT, SIZE_3)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("val", "single"), ("sz", "18"), ("space", "4"), ("color", "E00000")):
        bottom.set(qn(f"w:{key}"), value)
    borders.append(bottom)
    rule._p.get_or_add_pPr().append(borders)
    document.add_paragraph()
    return rule


def heading(document, text, size=SIZE_2, blank_after=True):
    """The title: 2号小标宋, centred, with an empty line after it."""
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.line_spacing = Pt(35)
    _font(paragraph.add_run(text), TITLE_FONT, size)
    if blank_after:
        document.add_paragraph()
    return paragraph


def body(document, text, indent=True, align=None):
    """A body paragraph in 3号仿宋, first line indented by two characters."""
    paragraph = document.add_paragraph()
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(32)
    if align is not None:
        paragraph.alignment = align
    _font(paragraph.add_run(text), BODY_FONT)
    return paragraph


def note(document, text, size=SIZE_5):
    """A note under a table (口径说明): small 仿宋, single-spaced, not indented."""
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    _font(paragraph.add_run(text), BODY_FONT, size)
    return paragraph


def _heading(document, text, font):
    """A heading indented like the body and kept on the page of what follows."""
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.keep_with_next = True
    paragraph.paragraph_format.first_line_indent = Pt(32)
    _font(paragraph.add_run(text), font)
    return paragraph


def section_heading(document, text):
    """A level-1 heading (一、总体情况) in 黑体."""
    return _heading(document, text, HEADING_FONT)


def subheading(document, text):
    """A level-2 heading (（一）…) in 楷体."""
    return _heading(document, text, SUBHEADING_FONT)


def _cell_text(cell, text, bold=False, size=SIZE_5, align=WD_ALIGN_PARAGRAPH.CENTER):
    cell.text = ""
    paragraph = cell.paragraphs[0]
    paragraph.alignment = align
    paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    paragraph.paragraph_format.first_line_indent = Pt(0)
    _font(paragraph.add_run("" if text is None else str(text)), HEADING_FONT if bold else BODY_FONT, size)


def table(document, header, rows, widths=None, size=SIZE_5, left=()):
    """A ruled table, 5号 text (header in 黑体), centred; `widths` in mm per column; `left`: columns
    aligned left (long text)."""
    grid = document.add_table(rows=1, cols=len(header))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(grid.rows[0].cells, header):
        _cell_text(cell, text, bold=True, size=size)
    margins = OxmlElement("w:tblCellMar")  # narrow cell margins (1 mm): wide tables keep "100.0" on one line
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), "57")
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    grid._tbl.tblPr.append(margins)
    repeat = OxmlElement("w:tblHeader")  # the header row again on each page
    grid.rows[0]._tr.get_or_add_trPr().append(repeat)
    for row in rows:
        for i, (cell, text) in enumerate(zip(grid.add_row().cells, row)):
            _cell_text(cell, text, size=size,
                       align=WD_ALIGN_PARAGRAPH.LEFT if i in left else WD_ALIGN_PARAGRAPH.CENTER)
    if widths:
        # Word reads the cells' widths, LibreOffice the grid's: set both, and a fixed layout.
        grid.autofit = False
        layout = OxmlElement("w:tblLayout")
        layout.set(qn("w:type"), "fixed")
        grid._tbl.tblPr.append(layout)
        for column, width in zip(grid.columns, widths):
            column.width = Mm(width)
        for row in grid.rows:
            for cell, width in zip(row.cells, widths):
                cell.width = Mm(width)
    return grid


def landscape_section(document):
    """A new page turned sideways, for a wide annex table."""
    section = document.add_section(WD_SECTION.NEW_PAGE)
    _page(section, landscape=True)
    return section


def signature(document, office, day):
    """The issuing office and the date, right-aligned four characters from the margin."""
    document.add_paragraph()
    for text in (office, chinese_date(day)):
        paragraph = body(document, text, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
        paragraph.paragraph_format.right_indent = Pt(32)


def to_bytes(document):
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def meeting_minutes(meeting):
    """The 会议纪要: header and rule (the plan's region's office and the date), what the meeting was, each
    decision, the table of action items."""
    document = new_document()
    red_header(document, "会议纪要", f"{meeting.plan.region.office_short_name}　　　　{chinese_date(meeting.held_on)}",
               size=Pt(36))
    heading(document, f"{meeting.title}会议纪要")
    intro = f"{chinese_date(meeting.held_on)}，"
    if meeting.chair:
        intro += f"{meeting.chair.name}同志主持召开"
    intro += f"{meeting.plan.title}调度会议，研究解决推进中的重点难点问题。"
    body(document, intro)
    if meeting.attendees:
        body(document, f"参会人员：{meeting.attendees}")
    if meeting.notes:
        for line in meeting.notes.splitlines():
            if line.strip():
                body(document, line.strip())
    body(document, "现将会议议定事项纪要如下：")
    agenda = list(meeting.agenda.prefetch_related("action_items__owner_unit", "action_items__leader",
                                                  "action_items__measure"))
    decided = [item for item in agenda if item.decision or item.action_items.all()]
    for i, item in enumerate(decided):
        section_heading(document, f"{numeral(i + 1)}、{item.title}")
        if item.decision:
            body(document, item.decision)
    actions = [action for item in decided for action in item.action_items.all()]
    if actions:
        section_heading(document, f"{numeral(len(decided) + 1)}、议定事项责任分工")
        table(document, ["序号", "议定事项", "责任单位", "责任领导", "完成时限"], [
            (n, a.measure.text, a.owner_unit.name, a.leader.name if a.leader else "",
             chinese_date(a.measure.deadline))
            for n, a in enumerate(actions, start=1)], widths=(10, 58, 32, 20, 36), left=(1,))
    if not decided:
        body(document, "本次会议未形成议定事项。")
    return to_bytes(document)


def numeral(n):
    """1 → 一, 12 → 十二, 20 → 二十: the numbers of level-1 headings."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return f"{'' if tens == 1 else digits[tens]}十{digits[ones] if ones else ''}"
