"""Two journeys: a dispatch meeting's decision reaching a unit's ledger, and the public page seen logged out."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from duban.hotline import flow
from duban.hotline.models import Category, Complaint
from duban.plans.tests import factories
from duban.public.models import Publication
from duban.supervision.models import ActionItem

from .conftest import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def ledger(transactional_db, settings, units):
    settings.DUBAN_TODAY = "2023-10-20"
    plan = factories.plan(title="测试区2023年营商环境行动方案")
    area = factories.area(plan, "纳税", chief="胡海", number=5)
    factories.measure(area, "出口退税平均办理时间压缩在3个工作日内", lead=[units["tax"]], deadline="2023-06-30")
    factories.measure(area, "推广征纳互动服务", lead=[units["tax"]], deadline="2023-12-31")
    return plan


def test_office_records_a_decision_and_the_unit_finds_it_in_its_ledger(
    live_server, ledger, office, scjg_reporter, browser, page, screenshot
):
    log_in(page, live_server, "office")
    page.goto(f"{live_server.url}/supervision/meetings/?plan={ledger.pk}")
    page.fill("#id_title", "第五次双月调度会")
    page.fill("#id_held_on", "2023-10-20")
    page.locator("form[action$='/meetings/new/'] button[type=submit]").click()
    agenda = page.locator(".agenda-item")
    expect(agenda).to_have_count(1)  # drafted from the ledger: the overdue measure
    expect(agenda.first).to_contain_text("出口退税平均办理时间压缩在3个工作日内")
    screenshot(page, "dispatch-1-drafted-agenda")

    item = agenda.first
    item.locator("summary").click()
    item.locator("textarea[name$='-decision']").fill("由区税务局会同区市场监管局限期整改")
    item.locator("textarea[name$='-action_text']").fill("十个工作日内完成出口退税流程再造并报区营商办")
    item.locator("select[name$='-owner_unit']").select_option(label="区市场监管局")
    item.locator("input[name$='-workdays']").fill("10")
    item.locator("button[type=submit]").click()
    expect(page.locator(".agenda-item").first).to_contain_text("十个工作日内完成出口退税流程再造并报区营商办")
    screenshot(page, "dispatch-2-decision")
    action = ActionItem.objects.get()
    assert action.measure.deadline == datetime.date(2023, 11, 3)  # 10 working days after Fri 20 Oct

    unit_page = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 860}).new_page()
    log_in(unit_page, live_server, "scjg_reporter")
    unit_page.goto(f"{live_server.url}/progress/")
    expect(unit_page.locator("main")).to_contain_text("十个工作日内完成出口退税流程再造并报区营商办")
    screenshot(unit_page, "dispatch-3-unit-ledger")
    unit_page.context.close()


def test_public_page_logged_out_shows_progress_and_no_personal_data(live_server, ledger, page, screenshot):
    Publication.objects.create(plan=ledger, published=True, intro="本页公开各项改革举措的推进情况。")
    category = Category.objects.create(name="纳税", area=ledger.areas.get())
    received = timezone.make_aware(datetime.datetime(2023, 9, 4, 9, 30))
    for name, mobile, company, text in [("张三", "13800138000", "南昌甲商贸有限公司", "出口退税迟迟未到账"),
                                         ("李四", "13900139000", "西湖乙科技有限公司", "发票申领窗口推诿")]:
        flow.receive(category=category, company_name=company, contact_name=name, mobile=mobile,
                     description=text, received_at=received)

    page.goto(f"{live_server.url}/public/plans/{ledger.pk}/")
    expect(page.locator("h1")).to_have_text(ledger.title)
    expect(page.locator("main")).to_contain_text("出口退税平均办理时间压缩在3个工作日内")
    expect(page.locator("main")).to_contain_text("2023-09")  # the month's complaint figures
    screenshot(page, "public-page")
    text = page.locator("body").inner_text() + page.content()
    for complaint in Complaint.objects.all():
        for personal in (complaint.contact_name, complaint.mobile, complaint.company_name, complaint.description,
                         complaint.tracking_code):
            assert personal not in text, f"{personal} is on the public page"
    assert page.url.startswith(f"{live_server.url}/public/")  # no log-in was asked for
