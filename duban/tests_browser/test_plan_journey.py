"""The 区市场监管局 reporter finds the measures their unit leads in the published Xihu 2023 plan.

The browser asks for zh-CN, so assertions look at data and markup, not at UI words.
"""

import re

import pytest
from playwright.sync_api import expect

from duban.plans.filters import filter_measures
from duban.plans.models import Measure, Unit

from .conftest import log_in

pytestmark = pytest.mark.browser


def scjg_measures(plan):
    return Measure.objects.filter(plan=plan).led_by(Unit.objects.get(name="区市场监管局"))


def test_reporter_filters_the_plan_to_their_unit_and_opens_a_measure(
    live_server, scjg_reporter, seed_plan, page, screenshot
):
    scjg = Unit.objects.get(name="区市场监管局")
    led = scjg_measures(seed_plan).count()
    assert led > 10

    page.goto(f"{live_server.url}/plans/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/plans/$"))
    screenshot(page, "journey-1-login")
    page.fill("input[name=username]", "scjg_reporter")
    page.fill("input[name=password]", "correct-horse-battery")
    page.click("form button[type=submit]")
    expect(page).to_have_url(f"{live_server.url}/plans/")
    expect(page.locator(".site-user")).to_contain_text("区市场监管局")

    page.get_by_role("link", name=seed_plan.title).click()
    expect(page.locator("h1")).to_have_text(seed_plan.title)
    expect(page.locator(".facts")).to_contain_text("西办发〔2023〕20号")
    expect(page.locator(".alert--warning")).to_contain_text("附件3")
    expect(page.locator(".stats")).to_contain_text("167")  # 157 annex rows, 10 measures from the body text
    expect(page.locator(".area-group")).to_have_count(5)  # indicator, forward, special action, governance, highlight
    screenshot(page, "journey-2-plan")

    page.locator(".stats a").first.click()  # the plan's measures
    expect(page).to_have_url(re.compile(rf"/plans/measures/\?plan={seed_plan.pk}$"))
    expect(page.locator(".results__summary")).to_contain_text("167")
    page.evaluate("window.dubanJourney = 'same page'")  # gone if the filter reloads the whole page
    page.select_option("#id_unit", str(scjg.pk))
    expect(page).to_have_url(re.compile(rf"/plans/measures/\?plan={seed_plan.pk}&unit={scjg.pk}$"))  # empty filters left out
    expect(page.locator(".results__summary")).to_contain_text(str(led))
    assert page.evaluate("window.dubanJourney") == "same page", "htmx should swap the results in place"
    rows = page.locator("#results tbody tr")
    expect(rows).to_have_count(led)
    for lead_units in rows.locator("td:nth-child(3)").all_inner_texts():
        assert "区市场监管局" in lead_units
    screenshot(page, "journey-3-measures-scjg")

    page.fill("#id_q", "知识产权")  # typing searches as well, after a short pause
    expect(page).to_have_url(re.compile(rf"/plans/measures/\?q=%E7%9F%A5.*&plan={seed_plan.pk}&unit={scjg.pk}$"))
    ip = filter_measures({"plan": seed_plan.pk, "unit": scjg.pk, "q": "知识产权"})[1].count()
    expect(rows).to_have_count(ip)
    assert 0 < ip < led
    page.fill("#id_q", "")
    expect(rows).to_have_count(led)

    measure = scjg_measures(seed_plan).get(annex=2, number=5)
    page.locator("#results").get_by_role("link", name="2-5", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}{measure.get_absolute_url()}")
    expect(page.locator("h1")).to_contain_text("2-5")
    expect(page.locator(".measure-full-text")).to_have_text(measure.text)
    expect(page.locator(".lead-units")).to_have_text("区市场监管局")
    expect(page.locator(".cooperating-units")).to_have_text("区法院、区社保局、区税务局、西湖公安分局、区政数局")
    expect(page.locator(".deadline")).to_contain_text("2023年6月30日")
    expect(page.locator(".source")).to_contain_text(str(measure.source_line))
    expect(page.locator(".breadcrumbs")).to_contain_text("开办企业")
    screenshot(page, "journey-4-measure")

    page.go_back()  # back to the filtered list, as bookmarked
    expect(page).to_have_url(re.compile(rf"unit={scjg.pk}"))
    expect(page.locator("#results tbody tr")).to_have_count(led)


def test_the_journey_on_a_phone(live_server, scjg_reporter, seed_plan, phone, screenshot):
    scjg = Unit.objects.get(name="区市场监管局")
    phone.goto(f"{live_server.url}/login/")
    screenshot(phone, "phone-1-login")
    log_in(phone, live_server, "scjg_reporter")
    fits = "document.documentElement.scrollWidth <= window.innerWidth"

    phone.goto(f"{live_server.url}{seed_plan.get_absolute_url()}")
    assert phone.evaluate(fits), "the plan page scrolls sideways on a phone"
    screenshot(phone, "phone-2-plan")

    phone.goto(f"{live_server.url}/plans/measures/?unit={scjg.pk}")
    expect(phone.locator(".results__summary")).to_contain_text(str(scjg_measures(seed_plan).count()))
    assert phone.evaluate(fits), "the measure list scrolls sideways on a phone"
    screenshot(phone, "phone-3-measures-scjg")

    measure = scjg_measures(seed_plan).get(annex=2, number=5)
    phone.locator("#results").get_by_role("link", name="2-5", exact=True).click()
    expect(phone.locator(".lead-units")).to_have_text("区市场监管局")
    assert phone.evaluate(fits), "the measure page scrolls sideways on a phone"
    screenshot(phone, "phone-4-measure")
    assert phone.url.endswith(measure.get_absolute_url())


def test_filters_work_without_javascript(live_server, scjg_reporter, seed_plan, no_js_page):
    scjg = Unit.objects.get(name="区市场监管局")
    log_in(no_js_page, live_server, "scjg_reporter")
    no_js_page.goto(f"{live_server.url}/plans/measures/")
    no_js_page.select_option("#id_unit", str(scjg.pk))
    no_js_page.fill("#id_month", "2023-06")
    no_js_page.click(".filters button[type=submit]")
    expect(no_js_page).to_have_url(re.compile(rf"unit={scjg.pk}.*month=2023-06"))
    june = scjg_measures(seed_plan).filter(deadline__year=2023, deadline__month=6).count()
    expect(no_js_page.locator("#results tbody tr")).to_have_count(june)
