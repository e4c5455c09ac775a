"""On a phone (390×844): a cadre records a visit with a problem, 区市场监管局 answers it, the cadre sees the
answer and records that the company was told. On a laptop (1366×768): the office's publication table on a
simulated year's library — which reforms lack which material — and the weekly schedule's gaps.

Runs with the Content-Security-Policy on and fails on any violation. Screenshots: test-artifacts/visits-*.png.
"""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from duban.tests_browser.conftest import (  # noqa: F401 — shared fixtures: Debian's chromium, screenshots
    _live_server_media_url, log_in, screenshot,
)
from duban.visits.models import Problem
from duban.conftest import HOME

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}


def tab(browser, viewport, violations, **options):
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport=viewport, **options)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.on("console", lambda m: "Content Security Policy" in m.text and violations.append(m.text))
    return context, page


def test_a_visit_problem_from_phone_to_answer(transactional_db, live_server, browser, screenshot, settings,  # noqa: F811
                                              cadre, company, policy, units, scjg_reporter):
    settings.DUBAN_CSP = True
    settings.DUBAN_TODAY = "2026-09-30T15:00"
    violations = []
    context, phone = tab(browser, PHONE, violations, device_scale_factor=2, is_mobile=True, has_touch=True)
    log_in(phone, live_server, "cadre")
    phone.goto(f"{live_server.url}/visits/")
    screenshot(phone, "visits-1-cadre-home-phone")
    phone.goto(f"{live_server.url}/visits/new/")
    phone.select_option("#id_company", label="南昌市青云电子科技有限公司")
    phone.fill("#id_people_met", "张总（总经理）")
    phone.check(f"input[name=policies][value='{policy.pk}']")
    phone.select_option("#id_problems-0-category", value="permits")
    phone.fill("#id_problems-0-description", "食品经营许可证变更材料反复补正，希望一次告知到位。")
    phone.select_option("#id_problems-0-unit", label="区市场监管局")
    screenshot(phone, "visits-2-cadre-fills-the-form-phone")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the form is {width}px wide on a {PHONE['width']}px phone"
    phone.click("form.visit-form button.button--primary")
    expect(phone.locator(".problem--routed")).to_have_count(1)
    screenshot(phone, "visits-3-visit-recorded-phone")
    problem = Problem.objects.get()
    assert problem.state == Problem.State.ROUTED and problem.unit == units["scjg"]
    # Recorded at 15:00 on the eve of National Day, the day counts: the complaint rule gives 12 October 17:30.
    assert timezone.localtime(problem.reply_due) == timezone.make_aware(datetime.datetime(2026, 10, 12, 17, 30))
    context.close()

    # 区市场监管局's reporter answers, on her phone too.
    settings.DUBAN_TODAY = "2026-10-09T10:00"
    context, unit = tab(browser, PHONE, violations, device_scale_factor=2, is_mobile=True, has_touch=True)
    log_in(unit, live_server, "scjg_reporter")
    unit.goto(f"{live_server.url}/visits/problems/")
    unit.click(f"a[href='/visits/problems/{problem.pk}/']")
    unit.fill("#id_answer", "已安排专人对接，10月12日可领取变更后的许可证。")
    screenshot(unit, "visits-4-unit-answers-phone")
    unit.click("form[action$='/step/answer/'] button")
    expect(unit.locator(".problem-answer")).to_contain_text("10月12日")
    context.close()

    # The cadre sees the answer and tells the company.
    context, phone = tab(browser, PHONE, violations, device_scale_factor=2, is_mobile=True, has_touch=True)
    log_in(phone, live_server, "cadre")
    phone.goto(f"{live_server.url}/visits/problems/{problem.pk}/")
    expect(phone.locator(".problem-answer")).to_contain_text("10月12日可领取")
    screenshot(phone, "visits-5-cadre-sees-the-answer-phone")
    phone.fill("#id_note", "10月9日电话告知张总，企业表示满意。")
    phone.click("form[action$='/step/tell/'] button")
    expect(phone.locator(".problem-told")).to_contain_text("企业表示满意")
    screenshot(phone, "visits-6-company-told-phone")
    context.close()
    problem.refresh_from_db()
    assert problem.state == Problem.State.TOLD and problem.answered_on_time
    assert not violations, violations


def test_the_office_sees_the_publication_gaps_on_a_simulated_year(transactional_db, live_server, browser,
                                                                  screenshot, settings, office):  # noqa: F811
    from duban.plans.models import Area, Plan, Unit

    from .test_simulation import UNITS, Year

    for name in UNITS:
        Unit.objects.get_or_create(region_id=HOME, name=name)
    plan = Plan.objects.create(region_id=HOME, year=2023, title="西湖区2023年营商环境优化升级行动方案")
    Area.objects.create(plan=plan, kind=Area.Kind.FORWARD, name="前瞻探索宜商环境工作", position=15)
    Year(plan, datetime.date(2023, 10, 20)).run()
    settings.DUBAN_CSP = True
    settings.DUBAN_TODAY = "2023-10-20T09:00"
    violations = []
    context, page = tab(browser, LAPTOP, violations)
    log_in(page, live_server, "office")
    page.goto(f"{live_server.url}/policies/publication/?year=2023")
    missing = page.locator("td.cell--missing")
    assert missing.count() >= 1
    expect(page.locator(".week--missed").first).to_be_visible()
    screenshot(page, "visits-7-publication-table-laptop")
    page.goto(f"{live_server.url}/visits/coverage/?year=2023&months=3")
    screenshot(page, "visits-8-coverage-laptop")
    page.goto(f"{live_server.url}/visits/problems/?supervised=on")
    screenshot(page, "visits-9-supervised-problems-laptop")
    context.close()
    assert not violations, violations
