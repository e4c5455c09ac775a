"""Metric values through .xlsx: export, dry run, errors naming row and column, all or nothing."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import Workbook, load_workbook

from duban.kpi.models import ValueRevision
from duban.kpi.services import correct_value, metrics_for
from duban.kpi.spreadsheet import SpreadsheetError, export_values, import_values

pytestmark = pytest.mark.django_db

HEADER = ["指标编号", "指标", "责任单位", "单位", "期间", "数值", "说明", "更正原因"]


def xlsx(rows, header=HEADER):
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def row(metric, period, value, note="", reason="", name=None):
    return [metric.pk, metric.name if name is None else name, "", metric.unit, period, value, note, reason]


def messages(result):
    return [str(error) for error in result.errors]


def test_export_lists_values_and_an_empty_row_for_the_next_period(kpi):
    book = load_workbook(io.BytesIO(export_values(metrics_for(kpi.plan))))
    rows = list(book["Indicator values"].iter_rows(values_only=True))
    assert rows[0] == ("Metric ID", "Metric", "Owner unit", "Unit", "Period", "Value", "Note", "Reason for a correction")
    days = [r for r in rows[1:] if r[0] == kpi.days.pk]
    assert [(r[4], r[5]) for r in days] == [("2023-Q1", 1), ("2023-Q2", 0.5), ("2023-Q3", None)]
    assert days[0][1:4] == ("企业开办时间", "区市场监管局", "工作日")
    rank = next(r for r in rows if r[0] == kpi.rank.pk)
    assert (rank[4], rank[5]) == ("2023", None)  # yearly, nothing reported: the plan's year


def test_the_exported_file_filled_in_imports_again(kpi, office):
    book = load_workbook(io.BytesIO(export_values(metrics_for(kpi.plan))))
    sheet = book["Indicator values"]
    for cells in sheet.iter_rows(min_row=2):
        if cells[0].value == kpi.rate.pk and cells[5].value is None:
            cells[5].value, cells[6].value = 93.5, "半日办结 187/200"
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    result = import_values(out, office)
    assert result.errors == []
    assert result.summary == {"created": 1, "changed": 0, "corrected": 0, "unchanged": 3, "skipped": 4,
                              "errors": 0, "saved": True}
    entry = kpi.rate.values.get()
    assert (entry.period, entry.value, entry.note) == ("2023-Q1", Decimal("93.5"), "半日办结 187/200")
    assert entry.revisions.get().kind == ValueRevision.Kind.IMPORTED


def test_a_dry_run_reports_and_saves_nothing(kpi, scjg_reporter):
    result = import_values(xlsx([row(kpi.rate, "2023-Q1", 90), row(kpi.days, "2023年第三季度", "0.5")]),
                           scjg_reporter, dry_run=True)
    assert (result.errors, result.saved) == ([], False)
    assert [(c.row, c.period.label, c.action) for c in result.changes] == [(2, "2023-Q1", "created"),
                                                                           (3, "2023-Q3", "created")]
    assert not kpi.rate.values.exists()
    assert not kpi.days.values.filter(period="2023-Q3").exists()


def test_every_problem_is_named_by_row_and_column_and_nothing_is_saved(kpi, scjg_reporter):
    rows = [
        row(kpi.rate, "2023-Q2", "95%"),  # fine: saved only if every row is
        row(kpi.rate, "2023-05", 95),  # a month for a quarterly metric
        row(kpi.rate, "2023-Q3", "九十"),  # not a number
        ["x", "", "", "", "2023-Q3", 1, "", ""],  # not an ID
        [999999, "", "", "", "2023-Q3", 1, "", ""],  # no such metric
        row(kpi.hours, "2023-Q2", 75),  # 区税务局's metric
        row(kpi.rate, "2023-Q4", 96, name="纳税时间"),  # shifted row: ID and name disagree
        row(kpi.rate, "2023-Q2", 94),  # the same period twice
        [None] * 8,  # blank: ignored
        row(kpi.days, "2023-Q4", None),  # no value: a form row left empty
    ]
    result = import_values(xlsx(rows), scjg_reporter)
    assert messages(result) == [
        "Row 3, column E (期间): “2023-05” is a monthly period; this metric is reported quarterly (for example 2023-Q2).",
        "Row 4, column F (数值): “九十” is not a number.",
        "Row 5, column A (指标编号): “x” is not the ID of a metric.",
        "Row 6, column A (指标编号): Metric 999999: not found.",
        f"Row 7, column A (指标编号): you may not report values for metric {kpi.hours.pk} (纳税时间): it belongs to 区税务局.",
        f"Row 8, column B (指标): metric {kpi.rate.pk} is “半日办结率”, not “纳税时间”; check that the row is not shifted.",
        f"Row 9, column E (期间): metric {kpi.rate.pk} already has a value for 2023-Q2 in row 2.",
    ]
    assert result.saved is False
    assert not kpi.rate.values.exists()
    assert kpi.hours.values.count() == 1


def test_it_is_all_or_nothing_even_when_saving_fails_half_way(kpi, office, monkeypatch):
    from duban.kpi import spreadsheet

    calls = []

    def failing_report(*args, **kwargs):
        calls.append(args)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real_report(*args, **kwargs)

    real_report = spreadsheet.report_value
    monkeypatch.setattr(spreadsheet, "report_value", failing_report)
    with pytest.raises(RuntimeError):
        import_values(xlsx([row(kpi.rate, "2023-Q1", 90), row(kpi.rate, "2023-Q2", 91)]), office)
    assert not kpi.rate.values.exists()


def test_a_unit_changes_its_own_value_until_the_office_corrects_it(kpi, scjg_reporter, office):
    result = import_values(xlsx([row(kpi.days, "2023-Q1", "0.9", note="重新核算")]), scjg_reporter)
    assert [c.action for c in result.changes] == ["changed"]
    correct_value(kpi.days.values.get(period="2023-Q1"), office, Decimal("0.8"), "以省平台为准")
    result = import_values(xlsx([row(kpi.days, "2023-Q1", "0.7")]), scjg_reporter)
    assert messages(result) == [
        "Row 2, column F (数值): the office has corrected this value (0.8000); ask the office to change it."]
    assert kpi.days.values.get(period="2023-Q1").value == Decimal("0.8")


def test_the_office_changing_a_reported_value_needs_a_reason(kpi, office):
    result = import_values(xlsx([row(kpi.days, "2023-Q1", "0.9")]), office)
    assert messages(result) == ["Row 2, column H (更正原因): changing 1.0000 to 0.9 needs a reason."]
    result = import_values(xlsx([row(kpi.days, "2023-Q1", "0.9", reason="复核")]), office)
    assert [c.action for c in result.changes] == ["corrected"]
    entry = kpi.days.values.get(period="2023-Q1")
    assert (entry.value, entry.correction_reason) == (Decimal("0.9"), "复核")
    result = import_values(xlsx([row(kpi.days, "2023-Q2", "0.6")]), office, reason="季度核对")  # reason for the file
    assert [c.action for c in result.changes] == ["corrected"]
    assert kpi.days.values.get(period="2023-Q2").correction_reason == "季度核对"


def test_english_headers_and_any_column_order(kpi, office):
    header = ["Value", "Period", "Metric ID"]
    result = import_values(xlsx([[88, "2023-Q1", kpi.rate.pk]], header=header), office)
    assert result.errors == []
    assert kpi.rate.values.get().value == 88


@pytest.mark.parametrize("content, message", [
    (b"not a workbook", "The file is not a readable .xlsx workbook"),
    (None, "Row 1 must name the columns; missing: Metric ID、Value."),
])
def test_files_that_cannot_be_read(kpi, office, content, message):
    upload = io.BytesIO(content) if content else xlsx([], header=["期间", "说明"])
    with pytest.raises(SpreadsheetError) as error:
        import_values(upload, office)
    assert str(error.value).startswith(message)


def test_a_leader_may_not_import(kpi, leader_user):
    with pytest.raises(PermissionDenied):
        import_values(xlsx([]), leader_user)


def test_the_exported_sheet_is_named_in_chinese(kpi):
    from django.utils import translation

    with translation.override("zh-hans"):
        book = load_workbook(io.BytesIO(export_values(metrics_for(kpi.plan))))
    assert book.sheetnames == ["指标数值"]
