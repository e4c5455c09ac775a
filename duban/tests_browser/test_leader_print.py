"""The district leader's page prints on one A4 sheet with a real leader's year: 胡海, chief of eleven areas of
the demo plan, on 2023-10-20 after the year is simulated (lights, action items, indicators, complaints)."""

import datetime
import re

import pytest
from django.core.management import call_command
from django.test.utils import override_settings
from playwright.sync_api import expect

from duban.core.management.commands.demo import DEMO_PASSWORD
from duban.plans.models import Area, Leader
from duban.simulation.engine import Volumes
from duban.simulation.simulate import simulate_plan

from .conftest import ARTIFACTS, log_in

pytestmark = pytest.mark.browser


def pdf_pages(data):
    """Pages of a PDF: pypdf when it is installed, else the page objects (Chromium writes them plainly)."""
    try:
        from pypdf import PdfReader
    except ImportError:
        return len(re.findall(rb"/Type\s*/Page(?![s\w])", data))
    import io

    return len(PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def huhai_year(seed_plan, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.LANGUAGE_CODE = "zh-hans"
    with override_settings(DEBUG=True):
        call_command("demo", "--no-simulate", stdout=open("/dev/null", "w"))
    huhai = Leader.objects.get(name="胡海")
    # Only his areas are simulated: the page shows nothing else, and the year runs quicker.
    Area.objects.filter(plan=seed_plan).exclude(chief=huhai).delete()
    simulate_plan(seed_plan, today=datetime.date(2023, 10, 20),
                  volumes=Volumes(complaints_per_week=6, reviews_per_week=10))
    settings.DUBAN_TODAY = "2023-10-20"
    return huhai


def test_the_leaders_page_prints_on_one_a4_sheet(live_server, huhai_year, page, screenshot):
    areas = Area.objects.filter(chief=huhai_year)
    assert areas.count() >= 10, "胡海 leads most of the demo plan's areas: the fullest leader's page there is"
    log_in(page, live_server, "huhai", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/supervision/leaders/{huhai_year.pk}/")
    expect(page.locator(".leader-lights tbody tr")).to_have_count(areas.count())
    expect(page.locator(".leader-complaints")).to_be_visible()
    expect(page.locator("#leader-kpi-table")).to_be_visible()
    page.wait_for_load_state("networkidle")
    pdf = page.pdf(format="A4", print_background=True)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "leader-a4.pdf").write_bytes(pdf)  # render it (pdftoppm) and look at it
    assert pdf_pages(pdf) == 1
    page.emulate_media(media="print")
    screenshot(page, "leader-a4-print")
