"""The policy booklet (惠企政策汇编) cadres take on visits: policies by level, printable (HTML) and as Word.

The Word file is written with python-docx; the page prints to PDF through the browser (print CSS).
"""

from __future__ import annotations

import io

from .models import Policy

LEVEL_ORDER = [Policy.Level.NATIONAL, Policy.Level.PROVINCIAL, Policy.Level.CITY, Policy.Level.DISTRICT]
# The booklet is a Chinese document whatever the reader's language: its headings are the plan's words.
LEVEL_NAMES = {"national": "国家级政策", "provincial": "省级政策", "city": "市级政策", "district": "区级政策"}


def sections(policies):
    """[(heading, [policy])] by level, national first; policies by date, newest first."""
    policies = list(policies.select_related("lead_unit").order_by("-issued_on", "pk"))
    return [(LEVEL_NAMES[level], [p for p in policies if p.level == level])
            for level in LEVEL_ORDER if any(p.level == level for p in policies)]


def docx_bytes(booklet_sections, today):
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Pt

    document = Document()
    style = document.styles["Normal"]
    style.font.name = "宋体"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    style.font.size = Pt(11)
    document.add_heading("惠企政策汇编", level=0)
    document.add_paragraph(f"编印日期：{today:%Y年%m月%d日}")
    number = 0
    for heading, policies in booklet_sections:
        document.add_heading(heading, level=1)
        for policy in policies:
            number += 1
            document.add_heading(f"{number}. {policy.title}", level=2)
            facts = [f"发文单位：{policy.issuer}", f"发布日期：{policy.issued_on:%Y年%m月%d日}"]
            if policy.document_number:
                facts.insert(0, f"文号：{policy.document_number}")
            facts.append(f"咨询单位：{policy.lead_unit.name}")
            if policy.company_types:
                facts.append(f"适用企业：{policy.company_types}")
            document.add_paragraph("；".join(facts))
            if policy.summary:
                document.add_paragraph(policy.summary)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
