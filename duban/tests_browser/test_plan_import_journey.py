"""The office imports a plan in the browser: uploads its PDF, corrects two flagged items in place, confirms,
and finds the corrections in the ledger (duban/plans/views_import.py).

The PDF is printed by the test's chromium from the Qinghe plan's text (tests/data/qinghe-2024-key-tasks.txt),
its second section on a page of its own.

The browser asks for zh-CN, so assertions look at data and markup, not at UI words. Screenshots at a
1366×768 laptop and a 390×844 phone go to test-artifacts/.
"""

import html
import re
from pathlib import Path

import pytest
from django.utils import translation
from playwright.sync_api import expect

from duban.audit.models import Entry
from duban.plans.models import Plan, PlanImport
from duban.plans.units import import_unit_directory

from .conftest import log_in

pytestmark = pytest.mark.browser

DATA = Path(__file__).resolve().parents[1] / "plans" / "tests" / "data"
PLAN_FILE = DATA / "qinghe-2024-key-tasks.txt"
LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def directory(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    units = DATA / "qinghe-units.csv"
    import_unit_directory(units.read_text(encoding="utf-8"), source=units.name)


PRINTED = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><style>
body { font-family: "Noto Serif CJK SC", "Noto Sans CJK SC", serif; font-size: 16pt; line-height: 1.6; }
p { margin: 0 0 .4em; text-indent: 2em; } .title { text-align: center; font-size: 20pt; text-indent: 0; }
.next-page { break-before: page; }
</style></head><body>%s</body></html>"""


@pytest.fixture
def plan_pdf(browser, tmp_path):
    """The Qinghe plan as a published PDF: two A4 pages printed by chromium."""
    paragraphs = []
    for line in filter(str.strip, PLAN_FILE.read_text(encoding="utf-8").splitlines()):
        css = "title" if line.endswith("分工方案") else "next-page" if line.startswith("二、") else ""
        paragraphs.append(f'<p class="{css}">{html.escape(line)}</p>')
    page = browser.new_page()
    page.set_content(PRINTED % "".join(paragraphs))
    path = tmp_path / "青禾区重点任务分工方案.pdf"
    path.write_bytes(page.pdf(format="A4", margin={"top": "25mm", "bottom": "25mm", "left": "28mm", "right": "26mm"}))
    page.close()
    return path


def tab(browser, viewport, **options):
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport=viewport, **options)
    context.set_default_timeout(15_000)
    return context, context.new_page()


def correct(page, index, **fields):
    """Open item `index`'s correction form in place (htmx), fill it, save it; the row comes back corrected."""
    row = page.locator(f"#item-{index}")
    row.locator(".import-item__edit").click()
    form = page.locator(f"#item-{index} form")
    expect(form).to_be_visible()
    for name, value in fields.items():
        form.locator(f"[name={name}]").fill(value)
    page.evaluate("window.dubanJourney = 'same page'")
    form.locator("button[type=submit]").click()
    expect(page.locator(f"#item-{index}.import-item--corrected")).to_be_visible()
    assert page.evaluate("window.dubanJourney") == "same page", "htmx should swap the item in place"


def test_the_office_uploads_a_plan_corrects_two_flagged_items_and_finds_them_in_the_ledger(
    live_server, office, directory, plan_pdf, browser, screenshot
):
    context, page = tab(browser, LAPTOP)
    log_in(page, live_server, "office")
    page.goto(f"{live_server.url}/plans/")
    page.locator(".page-actions a").click()
    expect(page).to_have_url(f"{live_server.url}/plans/import/")
    screenshot(page, "plan-import-1-upload")

    page.set_input_files("input[name=file]", str(plan_pdf))
    page.locator("form.import-upload button[type=submit]").click()
    pending = PlanImport.objects.get()
    expect(page).to_have_url(f"{live_server.url}/plans/import/{pending.pk}/")
    expect(page.locator("h1")).to_have_text("青禾区2024年优化营商环境重点任务分工方案")
    expect(page.locator("article.import-item")).to_have_count(6)
    flagged = page.locator("article.import-item--flagged")
    expect(flagged).to_have_count(3)
    # Item 5: no deadline printed (year end assumed) and a cooperating unit not in the directory.
    expect(page.locator("#item-4 .is-guess")).to_have_count(2)
    expect(page.locator("#item-4 .import-item__warnings")).to_contain_text("区应急管理局")
    expect(page.locator("#item-4 .import-item__source")).to_have_text("第2页第4行")  # as printed in the PDF
    assert Plan.objects.count() == 0
    screenshot(page, "plan-import-2-review")

    correct(page, 4, cooperating="区市场监督管理局", deadline="2024-10-31")  # an alias: saved as 区市场监管局
    expect(page.locator("#item-4 .import-item__cooperating")).to_have_text("区市场监管局")
    expect(page.locator("#item-4 .import-item__deadline time")).to_have_text("2024-10-31")
    correct(page, 2, deadline="2024-08-31")
    screenshot(page, "plan-import-3-corrected")

    page.locator(".import-actions form").first.locator("button").click()
    plan = Plan.objects.get()
    expect(page).to_have_url(f"{live_server.url}{plan.get_absolute_url()}")
    expect(page.locator(".messages")).to_contain_text("6")

    page.goto(f"{live_server.url}/plans/measures/?plan={plan.pk}")
    rows = page.locator("#results tbody tr")
    expect(rows).to_have_count(6)
    five = rows.filter(has=page.get_by_role("link", name="5", exact=True))
    expect(five.locator("td.date")).to_contain_text("2024-10-31")
    three = rows.filter(has=page.get_by_role("link", name="3", exact=True))
    expect(three.locator("td.date")).to_contain_text("2024-08-31")
    screenshot(page, "plan-import-4-ledger")
    five.get_by_role("link", name="5", exact=True).click()
    expect(page).to_have_url(re.compile(r"/plans/measures/\d+/$"))
    expect(page.locator(".cooperating-units")).to_have_text("区市场监管局")
    assert Entry.objects.filter(model="plans.measure", detail__contains="青禾区重点任务分工方案.pdf").count() == 2
    context.close()

    # The same review on a phone.
    context, phone = tab(browser, PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    log_in(phone, live_server, "office")
    phone.goto(f"{live_server.url}/plans/import/{pending.pk}/")
    expect(phone.locator("article.import-item")).to_have_count(6)
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(phone, "plan-import-5-phone-review")
    context.close()


def test_a_laptop_and_a_phone_see_the_correction_form(live_server, office, directory, browser, screenshot):
    from duban.plans.tests.factories import pending_import

    with translation.override("zh-hans"):  # as the office uploading it in the browser would
        pending = pending_import(office, PLAN_FILE)
    for name, viewport in (("laptop", LAPTOP), ("phone", PHONE)):
        context, page = tab(browser, viewport)
        log_in(page, live_server, "office")
        page.goto(f"{live_server.url}/plans/import/{pending.pk}/#item-4")
        page.locator("#item-4 .import-item__edit").click()
        expect(page.locator("#item-4 form")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        screenshot(page, f"plan-import-6-form-{name}")
        context.close()
