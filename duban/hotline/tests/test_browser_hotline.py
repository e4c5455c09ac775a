"""A business files a complaint on its phone; the office contacts, classifies and assigns it; 区市场监管局
resolves it; the business follows it with its tracking code; the office calls back and closes it.

The complaint arrives on Wednesday 2026-09-30 at 17:45, after close of business on the eve of National
Day, so the office must call by Thursday 8 October 17:30. Runs with the Content-Security-Policy on and
fails on any violation. Screenshots: test-artifacts/hotline-*.png.
"""

import re

import pytest
from playwright.sync_api import expect

from duban.hotline.models import Complaint
from duban.tests_browser.conftest import (  # noqa: F401 — shared fixtures: Debian's chromium, screenshots
    LAPTOP, _live_server_media_url, log_in, page, phone, screenshot,
)

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def watch_csp(settings):
    """Turn the policy on and collect what the browser reports against it."""
    settings.DUBAN_CSP = True
    violations = []

    def attach(tab):
        tab.on("console", lambda message: "Content Security Policy" in message.text and violations.append(message.text))
        return tab

    attach.violations = violations
    return attach


def test_complaint_journey(transactional_db, live_server, category, office, scjg_reporter, units, clock_at,
                           browser, phone, page, screenshot, watch_csp, tmp_path):  # noqa: F811
    business, staff = watch_csp(phone), watch_csp(page)
    url = live_server.url

    # The business, on its phone, without an account.
    clock_at("2026-09-30T17:45")
    business.goto(f"{url}/hotline/public/complain/")
    business.fill("#id_company_name", "南昌市青云电子科技有限公司")
    business.fill("#id_credit_code", "91350100M000100Y43")
    business.fill("#id_contact_name", "王小明")
    business.fill("#id_mobile", "138 1234 5678")
    business.select_option("#id_category", label="拖欠中小企业账款")
    business.fill("#id_description", "区某单位拖欠我公司货款18万元，2026年6月到期，多次催要无果。<script>alert(1)</script>")
    contract = tmp_path / "合同.pdf"
    contract.write_bytes(PDF)
    business.set_input_files("#id_attachments", str(contract))
    business.check("#id_consent")
    screenshot(business, "hotline-1-business-fills-the-form")
    business.click("#complaint-form button[type=submit]")
    expect(business.locator("#tracking-code")).to_have_text(re.compile(r"^[A-Z0-9]{5}-[A-Z0-9]{5}$"))
    expect(business.locator(".receipt__contact-due")).to_have_text("2026-10-08 17:30")
    code = business.locator("#tracking-code").inner_text()
    assert business.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "no sideways scrolling"
    screenshot(business, "hotline-2-receipt")
    complaint = Complaint.objects.get()
    assert complaint.formatted_code == code and complaint.attachments.count() == 1

    # The office, the morning after the holiday.
    clock_at("2026-10-08T09:05")
    log_in(staff, live_server, "office")
    staff.goto(f"{url}/hotline/")
    row = staff.locator("#results tbody tr", has_text=code)
    expect(row).to_contain_text("南昌市青云电子科技有限公司")
    expect(row.locator(".light")).to_have_class(re.compile("light--yellow"))
    screenshot(staff, "hotline-3-office-list")
    row.get_by_role("link", name=code).click()
    # Masked for everyone at first; the office shows the number with a click that asks why (logged).
    expect(staff.locator(".contact-mobile")).to_contain_text("138****5678")
    staff.fill(".reveal-contact input[name=reason]", "电话联系企业核实情况")
    screenshot(staff, "hotline-3b-reveal")
    staff.click(".reveal-contact button[type=submit]")
    expect(staff.locator(".contact-mobile")).to_contain_text("13812345678")
    expect(staff.locator(".complaint-text").first).to_contain_text("<script>alert(1)</script>")
    staff.fill("#id_contact-note", "已电话联系王先生，核实欠款金额与合同")
    staff.click("#step-contact button[type=submit]")
    expect(staff.locator(".message--success")).to_be_visible()
    staff.check("#step-classify input[value=general]")
    staff.click("#step-classify button[type=submit]")
    expect(staff.locator(".deadline-reply")).to_have_text("2026-10-13 17:30")
    staff.select_option("#id_assign-lead_unit", label="区市场监管局")
    staff.select_option("#id_assign-cooperating_units", label="区税务局")
    staff.fill("#id_assign-note", "请市场监管局牵头核查，税务局配合")
    staff.click("#step-assign button[type=submit]")
    expect(staff.locator(".lead-unit")).to_have_text("区市场监管局")
    expect(staff.locator(".cooperating-units")).to_have_text("区税务局")
    screenshot(staff, "hotline-4-office-assigned")

    # 区市场监管局 accepts and resolves it, in a browser of its own.
    clock_at("2026-10-09T10:00")
    unit_context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport=LAPTOP)
    unit = watch_csp(unit_context.new_page())
    log_in(unit, live_server, "scjg_reporter")
    unit.goto(f"{url}{complaint.get_absolute_url()}")
    unit.click("#step-start button[type=submit]")
    clock_at("2026-10-12T15:20")
    unit.check("#step-reply input[value=resolved]")
    unit.fill("#id_reply-text", "经协调，付款单位已于10月12日结清全部欠款18万元。")
    unit.click("#step-reply button[type=submit]")
    expect(unit.locator(".badge--replied")).to_be_visible()
    screenshot(unit, "hotline-5-unit-replied")
    unit_context.close()

    # The business looks it up with its tracking code and mobile number.
    business.goto(f"{url}/hotline/public/status/")
    business.fill("#id_tracking_code", code.lower())
    business.fill("#id_mobile", "13812345678")
    business.click(".lookup-form button[type=submit]")
    expect(business.locator(".timeline__item--replied")).to_be_visible()
    expect(business.locator(".status-result__unit")).to_have_text("区市场监管局")
    expect(business.locator(".status-result__reply")).to_contain_text("结清全部欠款")
    screenshot(business, "hotline-6-business-status")

    # The office calls back: satisfied, closed; the statistics show it.
    clock_at("2026-10-13T09:30")
    staff.goto(f"{url}{complaint.get_absolute_url()}")
    staff.check("#step-callback input[value=yes]")
    staff.click("#step-callback button[type=submit]")
    expect(staff.locator(".badge--closed")).to_be_visible()
    screenshot(staff, "hotline-7-office-closed")
    staff.goto(f"{url}/hotline/stats/?year=2026")
    expect(staff.locator(".figures").first).to_contain_text("100.0%")
    expect(staff.locator(".chart svg").first).to_be_visible()
    screenshot(staff, "hotline-8-statistics")

    business.fill("#id_tracking_code", code)
    business.fill("#id_mobile", "13812345678")
    business.click(".lookup-form button[type=submit]")
    expect(business.locator(".timeline__item--closed")).to_be_visible()

    assert watch_csp.violations == []
