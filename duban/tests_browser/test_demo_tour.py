"""A tour of the demo on 2023-10-20, as `make demo` leaves it: the office, a unit's reporter, a district leader.

The year is simulated into the live server's database through the same code as
`duban demo` (the played writer and the domain's services), on a slice of the
plan — the areas 区市场监管局 and 胡海 work on — with a quieter hotline, so that
the tour stays quick. Every dashboard must show something of that year.
"""

import datetime

import pytest
from django.core.management import call_command
from django.test.utils import override_settings
from playwright.sync_api import expect

from duban.core.management.commands.demo import DEMO_PASSWORD
from duban.hotline.models import Complaint, Rectification, Review
from duban.kpi.models import Metric
from duban.plans.models import Area, Leader, Measure, Unit
from duban.progress.models import ProgressReport, ReportingRound
from duban.simulation.engine import Volumes
from duban.simulation.simulate import simulate_plan
from duban.supervision.models import ActionItem, Circular, DispatchMeeting

from .conftest import log_in

pytestmark = pytest.mark.browser
# 开办企业, 纳税 and 市场监管: 区市场监管局 leads measures in two of them, 胡海 is the chief of all three.
AREAS = ("开办企业", "纳税", "市场监管")


@pytest.fixture
def demo(seed_plan, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.LANGUAGE_CODE = "zh-hans"  # what the services write is stored in the site's language, as in make demo
    with override_settings(DEBUG=True):
        call_command("demo", "--no-simulate", stdout=open("/dev/null", "w"))
    Area.objects.filter(plan=seed_plan).exclude(name__in=AREAS).delete()
    simulate_plan(seed_plan, today=datetime.date(2023, 10, 20),
                  volumes=Volumes(complaints_per_week=4, reviews_per_week=25))
    settings.DUBAN_TODAY = "2023-10-20"
    return seed_plan


def tour(page, live_server, username):
    log_in(page, live_server, username, DEMO_PASSWORD)
    expect(page.locator(".site-user")).to_be_visible()


def test_the_office_a_reporter_and_a_leader_each_find_the_year_on_their_pages(live_server, demo, page, screenshot):
    plan = demo
    tour(page, live_server, "office")

    page.goto(f"{live_server.url}/progress/matrix/?plan={plan.pk}")
    rounds = list(ReportingRound.objects.filter(plan=plan).order_by("opened_on"))
    assert len(rounds) == 5
    for round_ in rounds:
        expect(page.locator("main")).to_contain_text(round_.title)
    expect(page.locator("main")).to_contain_text("区市场监管局")
    screenshot(page, "demo-tour-1-office-matrix")

    meeting = DispatchMeeting.objects.filter(plan=plan).order_by("-held_on").first()
    assert meeting.held_on == datetime.date(2023, 10, 17)
    page.goto(f"{live_server.url}{meeting.get_absolute_url()}")
    expect(page.locator("h1")).to_have_text(meeting.title)
    expect(page.locator(".agenda > li")).to_have_count(meeting.agenda.count())
    action = ActionItem.objects.filter(agenda_item__meeting=meeting).first()
    if action:
        expect(page.locator("main")).to_contain_text(action.measure.text)
    screenshot(page, "demo-tour-2-office-meeting")

    circular = Circular.objects.get(plan=plan, quarter="2023Q3")
    page.goto(f"{live_server.url}{circular.get_absolute_url()}")
    expect(page.locator("main")).to_contain_text(circular.snapshot["rows"][0]["unit"])
    screenshot(page, "demo-tour-3-office-circular")

    page.goto(f"{live_server.url}/hotline/")
    newest = Complaint.objects.order_by("-received_at").first()
    expect(page.locator("main")).to_contain_text(newest.formatted_code)
    assert Complaint.objects.filter(state=Complaint.State.CLOSED).exists()
    assert Complaint.objects.exclude(state=Complaint.State.CLOSED).exists()
    screenshot(page, "demo-tour-4-office-complaints")

    page.goto(f"{live_server.url}/hotline/reviews/")
    newest = Review.objects.order_by("-reviewed_at").first()
    expect(page.locator("main")).to_contain_text(newest.matter)
    assert Rectification.objects.filter(state=Rectification.State.ACCEPTED).exists()
    screenshot(page, "demo-tour-5-office-reviews")

    page.goto(f"{live_server.url}/kpi/?plan={plan.pk}")
    metric = Metric.objects.filter(plan=plan, values__isnull=False, area__isnull=False).first()
    expect(page.locator("main")).to_contain_text(metric.area.name)
    page.wait_for_timeout(1500)  # the chart's bars grow in; photograph them grown
    screenshot(page, "demo-tour-6-office-kpi")
    page.context.clear_cookies()

    # 区市场监管局's reporter lands on the unit's ledger: its measures, this year's reports.
    scjg = Unit.objects.get(name="区市场监管局")
    tour(page, live_server, "scjg")
    page.goto(f"{live_server.url}/progress/")
    expect(page).to_have_url(f"{live_server.url}/progress/units/{scjg.pk}/")
    led = Measure.objects.filter(plan=plan, lead_units=scjg)
    assert led.exists()
    for measure in led:
        expect(page.locator("main")).to_contain_text(measure.text[:20])
    reports = ProgressReport.objects.filter(measure__in=led)
    assert reports.filter(status=ProgressReport.Status.ACCEPTED).exists()
    screenshot(page, "demo-tour-7-reporter-ledger")
    page.context.clear_cookies()

    # 胡海 sees the areas he leads with their lights.
    huhai = Leader.objects.get(name="胡海")
    tour(page, live_server, "huhai")
    page.goto(f"{live_server.url}/supervision/leaders/{huhai.pk}/")
    areas = Area.objects.filter(plan=plan, chief=huhai)
    expect(page.locator(".leader-lights tbody tr")).to_have_count(areas.count())
    for area in areas:
        expect(page.locator(".leader-lights")).to_contain_text(area.name)
    # Every area has measures, done or not: the row's numbers add up to something.
    for row in page.locator(".leader-lights tbody tr").all():
        assert sum(int(n) for n in row.locator("td.num").all_inner_texts()) > 0
    screenshot(page, "demo-tour-8-leader")
