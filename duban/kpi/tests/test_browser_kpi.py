"""In a real browser: the office confirms a target proposed from the Xihu 2023 plan, the unit reports
against it, and the KPI dashboard and the metric's chart show the values against the target line.

Debian's chromium through Playwright (Playwright never downloads its own browser here); screenshots go to
test-artifacts/kpi-*.png — look at them: the target line must show and Chinese must render.
"""

import os
import re
from decimal import Decimal
from pathlib import Path

import pytest

from duban.conftest import PASSWORD
from duban.kpi.models import Proposal
from duban.kpi.periods import parse_period
from duban.kpi.services import (
    confirm_proposal,
    metric_from_proposal,
    propose_metrics,
    report_value,
)
from duban.plans.models import Plan
from duban.plans.services import import_plan_file
from duban.plans.units import import_unit_directory

pytestmark = pytest.mark.browser

# Playwright's sync API runs an event loop in this thread; the ORM calls between page steps are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
DEMO = Path(__file__).resolve().parents[2] / "demo"


@pytest.fixture(scope="session", autouse=True)
def live_server_media_url():
    """Duban has no MEDIA_URL (uploads go through permission-checking views), but the live server's
    media handler reads one when it starts; give it a prefix no page links to."""
    from django.test.utils import override_settings

    with override_settings(MEDIA_URL="/__live-server-media__/"):
        yield


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    tab = context.new_page()
    tab.errors = []
    tab.on("pageerror", lambda error: tab.errors.append(str(error)))
    # CSP violations are reported on the console.
    tab.on("console", lambda message: message.type == "error" and tab.errors.append(message.text))
    yield tab
    context.close()


def shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"kpi-{name}.png"), full_page=True)


def log_in(page, live_server, username):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_load_state()


def no_inline_script(page):
    """Pages must run under a CSP without 'unsafe-inline': every script has a src or is JSON data, no style=""."""
    return page.evaluate(
        "[...document.scripts].filter(s => !s.src && s.type !== 'application/json').length"
        " + document.querySelectorAll('body [style]:not(.kpi-chart):not(.kpi-chart *)').length") == 0


@pytest.fixture
def seed(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DUBAN_TODAY = "2023-11-20"
    settings.DUBAN_CSP = True  # as in production: no inline script or style
    import_unit_directory((DEMO / "xihu-units.csv").read_text(encoding="utf-8"), source="xihu-units.csv")
    plan = Plan.objects.get(pk=import_plan_file(DEMO / "xihu-2023-action-plan.txt")["plan"])
    propose_metrics(plan)
    return plan


def confirm(plan, office, subject, value, **changes):
    proposal = plan.metric_proposals.get(subject__contains=subject, value=value)
    metric = metric_from_proposal(proposal)
    for name, new in changes.items():
        setattr(metric, name, new)
    return confirm_proposal(proposal, metric, office)


def report(metric, user, *pairs):
    for period, number in pairs:
        report_value(metric, user, parse_period(period, metric.frequency), Decimal(number))


def test_dashboard_and_a_metric_chart_show_the_target_line(live_server, seed, office, scjg_reporter, page):
    from playwright.sync_api import expect

    # Some targets confirmed and reported on beforehand, so the ranking has several indicators.
    tax = confirm(seed, office, "纳税时间", 70)
    report(tax, office, ("2023-Q1", "82"), ("2023-Q2", "76"), ("2023-Q3", "71"))
    rate = confirm(seed, office, "半日办结率", 96)
    report(rate, office, ("2023-Q1", "91"), ("2023-Q2", "94.5"), ("2023-Q3", "96.8"))
    outage = confirm(seed, office, "平均停电时间", 15, unit="小时", baseline=Decimal("6.2"))
    report(outage, office, ("2023-Q1", "6.0"), ("2023-Q2", "5.7"), ("2023-Q3", "5.6"))
    confirm(seed, office, "好评率", 95)
    confirm(seed, office, "好评率", 99)

    # The office reviews the proposal for 企业开办 ≤ 0.5 working days and confirms it.
    log_in(page, live_server, "office")
    page.goto(f"{live_server.url}/kpi/proposals/?plan={seed.pk}")
    startup = seed.metric_proposals.get(subject="企业开办", value=Decimal("0.5"))
    row = page.locator(f"#proposal-{startup.pk}")
    expect(row).to_contain_text("≤ 0.5 工作日")
    expect(row).to_contain_text("助力企业开办压缩至 0.5 个工作日")
    shot(page, "1-proposals")
    row.get_by_role("link").first.click()
    expect(page.locator("#id_name")).to_have_value("企业开办")
    page.fill("#id_name", "企业开办时间")
    page.select_option("#id_frequency", "quarterly")
    page.get_by_role("button").filter(has_text=re.compile("Confirm|确认")).click()
    expect(page.locator("h1")).to_contain_text("企业开办时间")
    metric = seed.metrics.get(name="企业开办时间")
    assert Proposal.objects.get(pk=startup.pk).status == Proposal.Status.CONFIRMED

    # The 区市场监管局 reporter reports two quarters through the form.
    log_in(page, live_server, "scjg_reporter")
    response = page.goto(f"{live_server.url}{metric.get_absolute_url()}")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    for period, value in (("2023-Q2", "1"), ("2023年第三季度", "0.6")):
        page.fill("#id_period", period)
        page.fill("#id_value", value)
        page.locator(".kpi-report button[type=submit]").click()
        page.wait_for_load_state()
    expect(page.locator("#values-table tbody tr")).to_have_count(2)

    # The metric's chart: the reported values against the dashed target line, labelled.
    chart = page.locator(".kpi-chart--line")
    expect(chart).to_have_attribute("data-drawn", "true")
    expect(chart.locator("svg")).to_contain_text("0.5 工作日")  # the target line's label
    expect(chart.locator("svg")).to_contain_text("2023-Q3")
    assert chart.locator("svg path[stroke-dasharray]").count() >= 1  # the dashed target line
    expect(page.locator("#values-table")).to_contain_text("0.6 工作日")  # the table fallback
    assert no_inline_script(page)
    shot(page, "2-metric-chart")

    # The dashboard ranks the indicators; the chart and its table agree.
    log_in(page, live_server, "office")
    page.goto(f"{live_server.url}/kpi/")
    ranking = page.locator("[data-chart=bar]")
    expect(ranking).to_have_attribute("data-drawn", "true")
    expect(ranking.locator("svg")).to_contain_text("纳税")
    expect(page.locator("#ranking-table tbody tr")).to_have_count(14)  # all 14 indicators, without metrics last
    expect(page.locator("#ranking-table tbody tr").first).to_contain_text("纳税")  # 71 hours for 70: 98.6%
    assert no_inline_script(page)
    shot(page, "3-dashboard")

    # The contradictory positive-review rate: both statements shown, flagged.
    page.goto(f"{live_server.url}/kpi/")
    page.locator("#others-table").get_by_role("link", name=re.compile("提升政务服务满意度")).click()
    expect(page.locator("[data-chart=gauge]")).to_have_attribute("data-drawn", "true")
    expect(page.locator(".kpi-metrics")).to_contain_text("≥ 95%")
    expect(page.locator(".kpi-metrics")).to_contain_text("≥ 99%")
    page.locator(".kpi-metrics").get_by_role("link").first.click()
    expect(page.locator(".kpi-conflict")).to_contain_text("≥ 99%")
    shot(page, "4-conflict")

    # A reduction: the baseline and the level to reach (6.2 小时 less 15%) are both drawn.
    page.goto(f"{live_server.url}{outage.get_absolute_url()}")
    expect(page.locator(".kpi-chart--line svg")).to_contain_text("5.27 小时")
    expect(page.locator(".kpi-chart--line svg")).to_contain_text("6.2 小时")
    shot(page, "5-reduction")
    assert page.errors == []
