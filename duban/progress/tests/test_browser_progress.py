"""The reporting journey in Chromium: draft with a file → head submits → office returns → corrected → accepted.

Debian's chromium through Playwright (Playwright never downloads its own browser here); screenshots go to
test-artifacts/progress-*.png. The Content-Security-Policy is on, so an inline
script or style would show up as a console error and fail the journey.
"""

import datetime
import os
import re
from pathlib import Path

import pytest

from duban.conftest import PASSWORD
from duban.core import clock
from duban.plans.tests import factories
from duban.progress.models import ProgressReport

from .conftest import pdf_bytes

pytestmark = pytest.mark.browser

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop here

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


@pytest.fixture(scope="session", autouse=True)
def live_server_media_url():
    """MEDIA_URL is None (files go through permission-checked views), but the live server's media
    handler wants a prefix: give it one no page links to. Session-scoped, so it is set before live_server starts."""
    from django.test.utils import override_settings

    with override_settings(MEDIA_URL="/__live-server-media__/"):
        yield


class Person:
    """One user in their own browser context, logged in through the form."""

    def __init__(self, browser, live_server, username, errors, viewport=None, **options):
        self.context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai",
                                           viewport=viewport or {"width": 1280, "height": 900}, **options)
        self.context.set_default_timeout(15_000)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: m.type == "error" and not m.location.get("url", "").endswith("favicon.ico")
                     and errors.append(f"{username}: {m.text} ({m.location.get('url')})"))
        self.page.on("pageerror", lambda e: errors.append(f"{username}: {e}"))
        self.url = live_server.url
        self.page.goto(f"{self.url}/login/")
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", PASSWORD)
        self.page.click("form button[type=submit]")
        self.page.wait_for_load_state()

    def go(self, path):
        self.page.goto(f"{self.url}{path}")

    def shot(self, name):
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"progress-{name}.png"), full_page=True)


def test_report_journey(browser, live_server, transactional_db, settings, units, office, scjg_reporter, scjg_head,
                        tax_cooperator, tmp_path):
    from playwright.sync_api import expect

    settings.DUBAN_CSP = True
    settings.LANGUAGE_CODE = "zh-hans"  # what people see; the assertions below do not depend on wording
    today = clock.today()
    plan = factories.plan(year=today.year, title=f"{today.year}年营商环境优化提升行动方案")
    area = factories.area(plan, "开办企业", chief="胡海", number=1)
    measure = factories.measure(
        area, "推行企业开办全程网办，实现企业开办压缩至0.5个工作日。", lead=[units["scjg"]], cooperating=[units["tax"]],
        annex=2, number=1, deadline=today + datetime.timedelta(days=60))
    evidence = tmp_path / "全程网办推行通知.pdf"
    evidence.write_bytes(pdf_bytes("全程网办"))
    errors = []

    # The office opens a round.
    office_ = Person(browser, live_server, "office", errors)
    office_.go(f"/progress/rounds/open/?plan={plan.pk}")
    office_.page.fill("#id_due_workdays", "5")
    office_.shot("1-open-round")
    office_.page.click("form.form button[type=submit]")
    expect(office_.page.locator(".messages")).to_contain_text("1")
    report = ProgressReport.objects.get(measure=measure)

    # The reporter finds it in the unit's ledger, green for now, and drafts it.
    reporter = Person(browser, live_server, "scjg_reporter", errors)
    reporter.go("/progress/")
    expect(reporter.page).to_have_url(re.compile(rf"/progress/units/{units['scjg'].pk}/$"))
    expect(reporter.page.locator(".ledger .light")).to_have_class(re.compile("light--green"))
    reporter.shot("2-ledger-before")
    reporter.page.locator(".ledger").get_by_role("link", name="2-1").click()
    reporter.page.locator(f"a[href='/progress/reports/{report.pk}/edit/']").click()
    reporter.page.select_option("#id_progress", "completed")
    reporter.page.fill("#id_done_text", "已印发全程网办推行通知，")
    # Autosave: the draft is stored while typing, and the form learns the new version number.
    expect(reporter.page.locator("#autosave-status .autosave--ok")).to_be_visible()
    report.refresh_from_db()
    assert report.done_text == "已印发全程网办推行通知，" and report.version >= 1
    expect(reporter.page.locator("#id_version")).to_have_value(str(report.version))
    assert reporter.page.input_value("#id_percent") == "100"
    reporter.page.set_input_files("#id_evidence", str(evidence))
    reporter.page.fill("#id_next_steps", "持续跟踪办件时长。")
    reporter.shot("3-draft")
    reporter.page.get_by_role("button", name=re.compile("Save and view|保存并查看")).click()
    expect(reporter.page.locator(".evidence-list")).to_contain_text("全程网办推行通知.pdf")
    reporter.page.locator(f"form[action='/progress/reports/{report.pk}/ask-head/'] button").click()
    expect(reporter.page.locator(".messages")).to_be_visible()

    # The cooperating unit adds its part.
    cooperator = Person(browser, live_server, "tax_cooperator", errors)
    cooperator.go(f"/progress/reports/{report.pk}/")
    cooperator.page.fill("#id_text", "已推送新办企业涉税信息。")
    cooperator.page.locator(f"form[action='/progress/reports/{report.pk}/contribution/'] button").click()
    expect(cooperator.page.locator(".contributions")).to_contain_text("已推送新办企业涉税信息。")

    # The head approves and submits.
    head = Person(browser, live_server, "scjg_head", errors)
    head.go(f"/progress/reports/{report.pk}/")
    expect(head.page.locator(".contributions")).to_contain_text("区税务局")
    head.page.locator(f"form[action='/progress/reports/{report.pk}/submit/'] button").click()
    expect(head.page.locator(".report-state .status")).to_have_class(re.compile("status--submitted"))
    head.shot("4-submitted")

    # The office returns it with a comment.
    office_.go(f"/progress/reports/{report.pk}/")
    office_.page.fill("#id_comment", "请补充推行范围和办件时长数据。")
    office_.page.locator("button[name=decision][value=return]").click()
    expect(office_.page.locator(".review-comment")).to_contain_text("请补充推行范围和办件时长数据。")

    # The reporter sees why, corrects it; the head submits again.
    reporter.go(f"/progress/reports/{report.pk}/")
    expect(reporter.page.locator(".review-comment")).to_contain_text("请补充推行范围和办件时长数据。")
    reporter.shot("5-returned")
    reporter.page.locator(f"a[href='/progress/reports/{report.pk}/edit/']").click()
    reporter.page.fill("#id_done_text", "已印发全程网办推行通知，全区14个街道全面推行，平均办件时长0.4个工作日。")
    reporter.page.get_by_role("button", name=re.compile("Save and view|保存并查看")).click()
    expect(reporter.page.locator(".report-done")).to_contain_text("0.4个工作日")
    head.go(f"/progress/reports/{report.pk}/")
    head.page.locator(f"form[action='/progress/reports/{report.pk}/submit/'] button").click()
    expect(head.page.locator(".report-state .status")).to_have_class(re.compile("status--submitted"))

    # The office accepts: the measure is done, its light turns.
    office_.go(f"/progress/reports/{report.pk}/")
    office_.page.locator("button[name=decision][value=accept]").click()
    expect(office_.page.locator(".report-state .status")).to_have_class(re.compile("status--accepted"))
    expect(office_.page.locator(".measure-light .light")).to_have_class(re.compile("light--done"))
    office_.shot("6-accepted")
    office_.go(f"/progress/reports/{report.pk}/compare/")
    expect(office_.page.locator(".compare ins").first).to_contain_text("全区14个街道")
    office_.shot("7-compare")
    office_.go(f"/progress/matrix/?plan={plan.pk}")
    expect(office_.page.locator(".matrix")).to_contain_text("区市场监管局")
    office_.shot("8-matrix")

    reporter.go("/progress/")
    expect(reporter.page.locator(".ledger .light")).to_have_class(re.compile("light--done"))
    reporter.shot("9-ledger-after")

    # On a phone the ledger and the report fit the screen: tables become cards.
    phone = Person(browser, live_server, "scjg_reporter", errors, viewport={"width": 375, "height": 740},
                   device_scale_factor=2, is_mobile=True, has_touch=True)
    for path in ("/progress/", f"/progress/reports/{report.pk}/", f"/progress/reports/{report.pk}/compare/"):
        phone.go(path)
        assert phone.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
    phone.go("/progress/")
    phone.shot("10-phone-ledger")

    measure.refresh_from_db()
    assert measure.completed_on == today
    assert report.versions.count() == 2
    assert errors == []
