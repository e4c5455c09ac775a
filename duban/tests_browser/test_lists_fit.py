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


# Every text ECharts drew in each chart (SVG renderer): its content and box, and the unit chart's own labels.
CHART_TEXTS = """() => [...document.querySelectorAll('.chart[data-chart]')].filter(c => !c.hidden).map(c => {
    const option = echarts.getInstanceByDom(c).getOption();
    const rows = c.getAttribute('data-layout') === 'rows';
    const texts = [...c.querySelectorAll('svg text')].map(t => {
        const r = t.getBoundingClientRect();
        // A paging legend (a phone's) clips the items of its other pages: drawn, not seen.
        return {text: t.textContent, left: r.left, right: r.right, top: r.top, bottom: r.bottom,
                clipped: !!t.closest('[clip-path]')};
    }).filter(t => t.text.trim() && t.right > t.left && t.bottom > t.top);
    const box = c.getBoundingClientRect();
    return {name: c.getAttribute('data-chart'), rows, texts,
            labels: (rows ? option.yAxis[0] : option.xAxis[0]).data.map(String),
            box: {left: box.left, right: box.right, top: box.top, bottom: box.bottom}};
})"""


def overlapping(texts, slack=0.5):
    """Pairs of texts whose boxes overlap (by more than `slack` px each way)."""
    return [(a["text"], b["text"]) for i, a in enumerate(texts) for b in texts[i + 1:]
            if min(a["right"], b["right"]) - max(a["left"], b["left"]) > slack
            and min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]) > slack]


@pytest.mark.parametrize("size", SIZES)
def test_the_unit_chart_labels_do_not_overlap(live_server, seed_plan, office, browser, screenshot, settings, size):
    """Twelve units' complaints, the names as long as the directory has them: in every chart of the statistics
    page no two texts ECharts drew overlap (axis labels, legend, values), every unit's name is shown (cut at
    8 characters), and nothing is drawn outside its chart."""
    import datetime

    from django.utils import timezone

    from duban.hotline import flow
    from duban.hotline.models import Category, Complaint
    from duban.plans.models import Unit

    settings.DUBAN_TODAY = "2023-10-20"
    category = Category.objects.get_or_create(name="拖欠中小企业账款")[0]
    units = sorted(Unit.objects.all(), key=lambda unit: -len(unit.name))[:12]  # the longest names
    for n, unit in enumerate(units):
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
    charts = page.evaluate(CHART_TEXTS)
    by_unit = next(chart for chart in charts if chart["name"] == "complaintsByUnit")
    assert by_unit["rows"] and len(by_unit["labels"]) == 12
    assert max(len(name) for name in by_unit["labels"]) > 8  # long names, cut on the axis
    for chart in charts:
        box = chart["box"]
        seen = [t for t in chart["texts"] if not t["clipped"] or (t["left"] >= box["left"] and t["right"] <= box["right"])]
        assert overlapping(seen) == [], (size, chart["name"])
        shown = [t["text"] for t in chart["texts"]]
        cut = [label if len(label) <= 8 else label[:7] + "…" for label in chart["labels"]]
        assert [label for label in cut if label not in shown] == [], (size, chart["name"])  # none hidden
        outside = [t["text"] for t in seen if t["left"] < box["left"] - 1 or t["right"] > box["right"] + 1
                   or t["top"] < box["top"] - 1 or t["bottom"] > box["bottom"] + 1]
        assert outside == [], (size, chart["name"])
    # The tooltip names the unit in full.
    page.locator('.chart[data-chart="complaintsByUnit"]').scroll_into_view_if_needed()
    long_name = max(by_unit["labels"], key=len)
    row = by_unit["labels"].index(long_name)
    chart = page.locator('.chart[data-chart="complaintsByUnit"]')
    box = chart.bounding_box()
    y = page.evaluate("""([i]) => echarts.getInstanceByDom(document.querySelector(
        '.chart[data-chart="complaintsByUnit"]')).convertToPixel({yAxisIndex: 0}, i)""", [row])
    page.mouse.move(box["x"] + box["width"] * 0.6, box["y"] + y)
    assert long_name in chart.inner_text()
    screenshot(page, f"lists-hotline-chart-{size}")
    context.close()
