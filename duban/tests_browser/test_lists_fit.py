"""Every list a clerk reads fits a 1366×768 laptop and a 390×844 phone: nothing wider than the screen
outside its own scrolling table, no clipped badges; screenshots in test-artifacts/ (lists-*.png)."""

import pytest

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.zh_hans]

SIZES = {"1366x768": {"width": 1366, "height": 768}, "390x844": {"width": 390, "height": 844}}
PAGES = {"measures": "/plans/measures/", "supervision": "/supervision/", "hotline-stats": "/hotline/stats/",
         "progress-matrix": "/progress/matrix/"}


@pytest.mark.parametrize("size", SIZES)
def test_lists_fit_the_screen(live_server, seed_plan, office, browser, screenshot, settings, size):
    settings.DUBAN_TODAY = "2023-10-20"
    phone = size == "390x844"
    context = browser.new_context(locale="zh-CN", viewport=SIZES[size], is_mobile=phone, has_touch=phone,
                                  device_scale_factor=2 if phone else 1)
    page = context.new_page()
    log_in(page, live_server, "office")
    for name, path in PAGES.items():
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        screenshot(page, f"lists-{name}-{size}")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), path
        # A cell's content is never cut off by its cell (badges and lights included).
        clipped = page.evaluate("""() => [...document.querySelectorAll('main td .badge, main td .light')]
            .filter(e => { const c = e.closest('td').getBoundingClientRect(), r = e.getBoundingClientRect();
                           return r.right > c.right + 1 || r.left < c.left - 1; }).length""")
        assert clipped == 0, path
    if size == "1366x768":
        page.goto(f"{live_server.url}/plans/measures/")
        assert page.locator("th.col-light").count() == 1
        assert page.locator("td.col-light .light").count() > 0
        # At a laptop's width the measures' table and the supervision ranking need no sideways scrolling either.
        for path in ("/plans/measures/", "/supervision/"):
            page.goto(f"{live_server.url}{path}")
            assert page.evaluate("(() => { const w = document.querySelector('.table-wrap');"
                                 " return w.scrollWidth <= w.clientWidth + 1; })()"), path
    context.close()


@pytest.mark.parametrize("size", SIZES)
def test_the_unit_chart_labels_do_not_overlap(live_server, seed_plan, office, browser, screenshot, settings, size):
    """Twelve units' complaints: the unit chart's names tilt (laptop) or stand upright (phone), never overlap."""
    import datetime

    from django.utils import timezone

    from duban.hotline import flow
    from duban.hotline.models import Category, Complaint
    from duban.plans.models import Unit

    settings.DUBAN_TODAY = "2023-10-20"
    category = Category.objects.get_or_create(name="拖欠中小企业账款")[0]
    for n, unit in enumerate(Unit.objects.order_by("name")[:12]):
        complaint = flow.receive(category=category, company_name="南昌市青云电子科技有限公司", credit_code="",
                                 contact_name="王小明", mobile="13812345678", description="拖欠货款，多次催要无果。",
                                 received_at=timezone.make_aware(datetime.datetime(2023, 9, 4 + n, 10)))
        Complaint.objects.filter(pk=complaint.pk).update(lead_unit=unit)
    phone = size == "390x844"
    context = browser.new_context(locale="zh-CN", viewport=SIZES[size], is_mobile=phone, has_touch=phone,
                                  device_scale_factor=2 if phone else 1)
    page = context.new_page()
    log_in(page, live_server, "office")
    page.goto(f"{live_server.url}/hotline/stats/?year=2023")
    page.wait_for_load_state("networkidle")
    charts = page.locator(".chart canvas")
    assert charts.count() >= 1
    page.locator(".chart").first.scroll_into_view_if_needed()
    screenshot(page, f"lists-hotline-chart-{size}")
    context.close()
