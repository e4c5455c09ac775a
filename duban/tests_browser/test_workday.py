"""A working day in Duban, in zh-Hans, for each role: start on 我的待办, do the most common task from it, come
back to find the to-do count one lower. Screenshots at 1366×768 and on a 390×844 phone (test-artifacts/)."""

import datetime

import pytest
from playwright.sync_api import expect

from duban.plans.tests import factories
from duban.progress import services
from duban.progress.models import ProgressReport, ReportingRound

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.zh_hans]

LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
CONTENT = {"progress": "in_progress", "percent": 40, "done_text": "已完成系统改造方案。", "problems": "",
           "needs_coordination": False, "reason": "", "next_steps": "6月底前上线。"}


@pytest.fixture
def day(transactional_db, settings, units, office, scjg_reporter, scjg_head, leader_user):
    """The small plan on Monday 10 April 2023, its April round due the next day (5 April was 清明节)."""
    settings.DUBAN_TODAY = "2023-04-10"
    ledger = factories.small_plan()
    services.open_round(ledger.plan, ReportingRound.Kind.BIMONTHLY, datetime.date(2023, 4, 1), opened_by=office,
                        opened_on=datetime.date(2023, 4, 3), due_workdays=5)
    return ledger


def report_of(ledger, measure):
    return ProgressReport.objects.get(round__plan=ledger.plan, measure=measure)


def total(page):
    return int(page.locator("[data-todo-total]").get_attribute("data-todo-total"))


def count(page, key):
    task = page.locator(f"[data-todo='{key}'] [data-todo-count]")
    return int(task.get_attribute("data-todo-count")) if task.count() else 0


def tab(browser, viewport):
    phone = viewport == PHONE
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport=viewport,
                                  device_scale_factor=2 if phone else 1, is_mobile=phone, has_touch=phone)
    context.set_default_timeout(15_000)
    return context.new_page()


def fits(page):
    """Nothing wider than the screen: no sideways scrolling, no clipped text."""
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), page.url


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1366x768", "390x844"])
def test_a_reporter_writes_a_due_report_and_sends_it_to_the_head(live_server, day, browser, screenshot, viewport):
    page = tab(browser, viewport)
    size = f"{viewport['width']}x{viewport['height']}"
    log_in(page, live_server, "scjg_reporter")
    assert page.url == f"{live_server.url}/"  # log-in lands on 我的待办
    expect(page.locator("h1")).to_contain_text("我的待办")
    expect(page.locator("[data-todo='progress.due']")).to_contain_text("还剩1个工作日")
    before, due = total(page), count(page, "progress.due")
    assert due == 3
    fits(page)
    screenshot(page, f"workday-reporter-1-todo-{size}")
    page.locator("[data-todo='progress.due'] .todo__entries a").first.click()
    page.select_option("select[name=progress]", "in_progress")
    page.fill("input[name=percent]", "40")
    page.fill("textarea[name=done_text]", "已完成系统改造方案。")
    page.fill("textarea[name=next_steps]", "6月底前上线。")
    page.click("button[name=and_view]")
    page.get_by_role("button", name="提请单位负责人报送").click()
    expect(page.locator(".messages")).to_be_visible()
    page.goto(f"{live_server.url}/")
    assert count(page, "progress.due") == due - 1
    assert total(page) == before - 1
    screenshot(page, f"workday-reporter-2-done-{size}")
    page.context.close()


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1366x768", "390x844"])
def test_a_unit_head_submits_what_the_reporter_sent(live_server, day, browser, screenshot, viewport, scjg_reporter):
    report = report_of(day, day.a2_1)
    services.save_draft(report, scjg_reporter, CONTENT, report.version)
    services.request_approval(ProgressReport.objects.get(pk=report.pk), scjg_reporter)
    page = tab(browser, viewport)
    size = f"{viewport['width']}x{viewport['height']}"
    log_in(page, live_server, "scjg_head")
    before = total(page)
    assert count(page, "progress.submit") == 1
    fits(page)
    screenshot(page, f"workday-head-1-todo-{size}")
    page.locator("[data-todo='progress.submit'] .todo__entries a").first.click()
    page.get_by_role("button", name="审核并报送区营商办").click()
    expect(page.locator(".messages")).to_be_visible()
    page.goto(f"{live_server.url}/")
    assert count(page, "progress.submit") == 0
    assert total(page) == before - 1
    expect(page.locator("main")).to_contain_text("今天没有待办事项")
    screenshot(page, f"workday-head-2-done-{size}")
    page.context.close()


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1366x768", "390x844"])
def test_the_office_reviews_a_submitted_report(live_server, day, browser, screenshot, viewport, settings,
                                              scjg_reporter, scjg_head):
    for measure in (day.a2_1, day.a1_2):
        report = report_of(day, measure)
        services.save_draft(report, scjg_reporter, CONTENT, report.version)
        services.submit(ProgressReport.objects.get(pk=report.pk), scjg_head)
    page = tab(browser, viewport)
    size = f"{viewport['width']}x{viewport['height']}"
    log_in(page, live_server, "office")
    before, waiting = total(page), count(page, "progress.review")
    assert waiting == 2
    fits(page)
    screenshot(page, f"workday-office-1-todo-{size}")
    page.locator("[data-todo='progress.review'] .todo__entries a").first.click()
    page.get_by_role("button", name="审核通过", exact=True).click()
    expect(page.locator(".messages")).to_be_visible()
    page.goto(f"{live_server.url}/")
    assert count(page, "progress.review") == waiting - 1
    assert total(page) == before - 1
    screenshot(page, f"workday-office-2-done-{size}")
    page.context.close()


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1366x768", "390x844"])
def test_a_leader_follows_a_red_light_until_it_is_done(live_server, day, browser, screenshot, viewport, settings,
                                                      scjg_reporter, scjg_head, office, tmp_path):
    """胡海's red light (2-1, due 30 June) goes off once its unit reports it done and the office accepts."""
    settings.DUBAN_TODAY = "2023-07-03"
    page = tab(browser, viewport)
    size = f"{viewport['width']}x{viewport['height']}"
    log_in(page, live_server, "leader")
    before, lights = total(page), count(page, "supervision.lights")
    assert lights == 1
    expect(page.locator("[data-todo='supervision.lights']")).to_contain_text("已逾期1个工作日")
    fits(page)
    screenshot(page, f"workday-leader-1-todo-{size}")
    page.locator("[data-todo='supervision.lights'] .todo__entries a").first.click()
    expect(page.locator("main")).to_contain_text("推进歇业备案制度")
    # What he chases: the unit reports the measure done and the office accepts it.
    report = report_of(day, day.a2_1)
    from duban.progress.tests.conftest import upload

    settings.MEDIA_ROOT = tmp_path / "media"
    services.save_draft(report, scjg_reporter, {**CONTENT, "progress": "completed", "percent": 100}, report.version)
    services.add_evidence(ProgressReport.objects.get(pk=report.pk), scjg_reporter, upload())
    services.submit(ProgressReport.objects.get(pk=report.pk), scjg_head)
    services.accept(ProgressReport.objects.get(pk=report.pk), office)
    page.goto(f"{live_server.url}/")
    assert count(page, "supervision.lights") == lights - 1
    assert total(page) == before - 1
    screenshot(page, f"workday-leader-2-done-{size}")
    page.context.close()
