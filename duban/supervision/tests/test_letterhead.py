"""Each region's office on its own documents: the red header, the number line, the body and the signature of
a circular, the header of meeting minutes — 青山县's never says 西湖, the demo's Xihu still does."""

import datetime
import io
import re

import docx
import pytest
from django.test import override_settings

from duban.accounts.models import Role
from duban.conftest import HOME, make_user
from duban.core.models import Region
from duban.plans.tests import factories
from duban.supervision.agenda import draft_agenda
from duban.supervision.circulars import create_circular, libreoffice, to_docx, to_pdf
from duban.supervision.models import DispatchMeeting
from duban.supervision.services import record_decision

pytestmark = pytest.mark.django_db
D = datetime.date
XIHU_OFFICE, XIHU_SHORT = "西湖区营商环境优化升级工作领导小组办公室", "西湖区营商办"


@pytest.fixture
def qingshan(db):
    """A county whose office is named after it (no names set: derived)."""
    return Region.objects.create(code="360999", name="青山县")


def county_plan(region):
    """A plan of `region` with two units and three measures due in 2023 Q3."""
    plan = factories.plan(title=f"{region.name}2023年优化营商环境工作要点", region=region)
    area = factories.area(plan, "开办企业", chief=factories.leader("李县长", region=region.pk))
    market = factories.unit("县市场监管局", region=region.pk)
    tax = factories.unit("县税务局", region=region.pk)
    factories.measure(area, "甲", lead=[market], deadline="2023-07-31", completed_on=D(2023, 7, 20))
    factories.measure(area, "乙", lead=[tax], deadline="2023-08-31")
    factories.measure(area, "丙", lead=[market], deadline="2023-09-15", completed_on=D(2023, 9, 1))
    plan.market = market
    return plan


def paragraphs(content):
    document = docx.Document(io.BytesIO(content))
    return [p.text for p in document.paragraphs], document


def all_text(document):
    """Every text of the .docx: paragraphs, tables, headers and footers."""
    texts = [p.text for p in document.paragraphs]
    texts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    for section in document.sections:
        texts += [p.text for p in section.header.paragraphs] + [p.text for p in section.footer.paragraphs]
    return "\n".join(texts)


def test_the_derived_names_and_the_names_set():
    assert Region(name="青山县").office_full_name == "青山县营商环境优化升级工作领导小组办公室"
    assert Region(name="青山县").office_short_name == "青山县营商办"
    assert Region(name="某市").office_short_name == "某市营商办"
    # The region the migrations create before anyone names it: its office is the 区营商办.
    assert (Region(name="本区").office_full_name, Region(name="本区").office_short_name) == (
        "区营商环境优化升级工作领导小组办公室", "区营商办")
    named = Region(name="西湖区", office_name=f" {XIHU_OFFICE} ", office_short=XIHU_SHORT)
    assert (named.office_full_name, named.office_short_name) == (XIHU_OFFICE, XIHU_SHORT)


@pytest.mark.parametrize("name, to", [
    ("西湖区", "各街道，区直各单位："), ("本区", "各街道，区直各单位："), ("青山县", "各乡镇，县直各单位："),
    ("某市", "各县（市、区），市直各单位："), ("某旗", "各苏木乡镇，旗直各单位：")])
def test_whom_the_circular_goes_to_follows_the_regions_level(name, to):
    from duban.supervision.circulars import addressees

    assert addressees(Region(name=name))[0] == to


def test_a_county_circular_names_the_county_office_and_never_xihu(qingshan):
    plan = county_plan(qingshan)
    circular = create_circular(plan, "2023Q3", today=D(2023, 10, 20))
    texts, document = paragraphs(to_docx(circular))
    # The red header, then the number line waiting for its number.
    header = [t for t in texts if t.strip()][:2]
    assert header == ["青山县营商环境优化升级工作领导小组办公室", "青山县营商办〔2023〕　号"]
    red = document.paragraphs[0].runs[0].font.color.rgb
    assert str(red) == "E00000"
    text = "\n".join(texts)
    assert "各乡镇，县直各单位：" in texts  # a county's, not a district's 各街道，区直各单位
    assert "青山县营商办对各乡镇、各部门2023年第三季度" in text
    assert "（三）青山县营商办将持续跟踪督办，督查结果纳入年度综合考核。" in text
    assert circular.next_steps.endswith("青山县营商办将持续跟踪督办，督查结果纳入年度综合考核。")
    # The signature: the full name above the date, at the end of the body.
    signature = texts.index("附件：各单位优化营商环境工作完成情况统计表")
    assert [t for t in texts[signature + 1:] if t.strip()][:2] == [
        "青山县营商环境优化升级工作领导小组办公室", "2023年10月20日"]
    assert "西湖" not in all_text(document) and "区营商办" not in text.replace("青山县营商办", "")


def test_the_demo_region_keeps_xihu_on_its_circular(units):
    Region.objects.filter(pk=HOME).update(office_name=XIHU_OFFICE, office_short=XIHU_SHORT)
    plan = factories.plan()
    area = factories.area(plan, "开办企业")
    factories.measure(area, "甲", lead=[units["scjg"]], deadline="2023-08-31")
    circular = create_circular(plan, "2023Q3", today=D(2023, 10, 20), document_number="西营商办〔2023〕12号")
    texts, _document = paragraphs(to_docx(circular))
    assert [t for t in texts if t.strip()][:2] == [XIHU_OFFICE, "西营商办〔2023〕12号"]
    text = "\n".join(texts)
    assert "各街道，区直各单位：" in texts and "西湖区营商办对各街道、各部门" in text and "（三）西湖区营商办将持续跟踪督办" in text
    assert text.count(XIHU_OFFICE) == 2  # the header and the signature


@pytest.mark.skipif(not libreoffice(), reason="LibreOffice is not installed here: the PDF of a circular needs it")
def test_the_county_circular_pdf(qingshan):
    import pdfplumber

    circular = create_circular(county_plan(qingshan), "2023Q3", today=D(2023, 10, 20))
    with pdfplumber.open(io.BytesIO(to_pdf(circular))) as pdf:
        text = re.sub(r"\s+", "", "".join(page.extract_text() or "" for page in pdf.pages))
    assert text.startswith("青山县营商环境优化升级工作领导小组办公室青山县营商办〔2023〕号")
    assert "青山县营商办对各乡镇、各部门" in text and "西湖" not in text


@override_settings(DUBAN_TODAY="2023-10-20")
def test_county_minutes_name_the_county_office(client, qingshan):
    plan = county_plan(qingshan)
    meeting = DispatchMeeting.objects.create(plan=plan, title="第三次调度会", held_on=D(2023, 10, 20),
                                             attendees="县市场监管局、县税务局")
    draft_agenda(meeting)
    record_decision(meeting.agenda.filter(kind="red").first(), "限期办结", [
        {"text": "完成税费申报一网通办", "owner_unit": plan.market, "workdays": 10}])
    office = make_user("qingshan-office", Role.OFFICE, region=qingshan)
    client.force_login(office)
    response = client.get(f"/supervision/meetings/{meeting.pk}/minutes.docx")
    assert response.status_code == 200
    texts, document = paragraphs(response.content)
    assert [t for t in texts if t.strip()][:3] == ["会议纪要", "青山县营商办　　　　2023年10月20日", "第三次调度会会议纪要"]
    assert "西湖" not in all_text(document)


def test_demo_minutes_name_xihu(units):
    Region.objects.filter(pk=HOME).update(office_name=XIHU_OFFICE, office_short=XIHU_SHORT)
    from duban.supervision.documents import meeting_minutes

    meeting = DispatchMeeting.objects.create(plan=factories.plan(), title="第五次双月调度会", held_on=D(2023, 10, 20))
    texts, _document = paragraphs(meeting_minutes(meeting))
    assert [t for t in texts if t.strip()][:2] == ["会议纪要", "西湖区营商办　　　　2023年10月20日"]
