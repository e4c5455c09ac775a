"""Quarterly circulars: figures checked by hand, equal to the dashboard's for the same date."""

import datetime
import io
from io import StringIO

import docx
import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from duban.plans.tests import factories
from duban.supervision.circulars import (
    CircularRefused,
    create_circular,
    current_circulars,
    issue_circular,
    issued_on,
    libreoffice,
    to_docx,
    to_pdf,
    to_xlsx,
)
from duban.supervision.models import Circular
from duban.supervision.statistics import Period, totals, unit_table

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def quarter(units):
    """Q3 2023: 区市场监管局 has 3 measures due (2 on time, 1 late), 区税务局 2 due (1 on time, 1 overdue),
    区发改委 1 due and overdue; one 区税务局 measure is due in Q4 and does not count."""
    plan = factories.plan()
    area = factories.area(plan, "开办企业", chief="胡海")
    scjg, tax = units["scjg"], units["tax"]
    ndrc = factories.unit("区发改委")
    factories.measure(area, "甲", lead=[scjg], deadline="2023-07-31", completed_on=D(2023, 7, 20))
    factories.measure(area, "乙", lead=[scjg], deadline="2023-08-31", completed_on=D(2023, 8, 31))
    factories.measure(area, "丙", lead=[scjg], deadline="2023-09-15", completed_on=D(2023, 9, 20))
    factories.measure(area, "丁", lead=[tax], deadline="2023-09-30", completed_on=D(2023, 9, 1))
    factories.measure(area, "戊", lead=[tax], deadline="2023-08-15")
    factories.measure(area, "己", lead=[tax], deadline="2023-11-30")
    factories.measure(area, "庚", lead=[ndrc], deadline="2023-07-10", completed_on=D(2023, 10, 9))  # after the quarter
    return plan


def row_values(rows):
    return {r.unit.name: (r.rank, r.values["measures_due"], r.values["measures_on_time"], r.values["measures_late"],
                          r.values["measures_overdue"], r.values["on_time_rate"]) for r in rows}


def test_hand_computed_figures_and_ranking(quarter):
    period = Period.quarter("2023Q3", D(2023, 10, 20))
    assert (period.start, period.end, period.as_of) == (D(2023, 7, 1), D(2023, 9, 30), D(2023, 9, 30))
    columns, rows = unit_table(quarter, period)
    assert row_values(rows) == {
        "区市场监管局": (1, 3, 2, 1, 0, 66.7),
        "区税务局": (2, 2, 1, 0, 1, 50.0),
        "区发改委": (3, 1, 0, 0, 1, 0.0),  # completed on 10-09, after the quarter: overdue as of 09-30
    }
    keys = ("measures_due", "measures_on_time", "measures_late", "measures_overdue", "on_time_rate")
    assert {k: totals(columns, rows)[k] for k in keys} == {
        "measures_due": 6, "measures_on_time": 3, "measures_late": 1, "measures_overdue": 2, "on_time_rate": 50.0}


def test_circular_equals_dashboard_for_the_same_date(client, quarter, office):
    circular = create_circular(quarter, "2023q3", today=D(2023, 10, 20))
    client.force_login(office)
    with override_settings(DUBAN_TODAY="2023-10-20"):
        response = client.get(f"/supervision/?plan={quarter.pk}&quarter=2023Q3")
    dashboard = {r.unit.name: r.values for r in response.context["rows"]}
    circulated = {r["unit"]: r["values"] for r in circular.snapshot["rows"]}
    assert dashboard == circulated
    # Three ranked units: one praised, one criticised, none both (区发改委 did nothing on time: never praised).
    assert (circular.snapshot["top"], circular.snapshot["bottom"]) == (["区市场监管局"], ["区发改委"])
    overdue = [(p["unit"], p["item"].split()[-1]) for p in circular.snapshot["problems"]
               if p["kind"] == "measures_overdue"]
    assert overdue == [("区税务局", "戊"), ("区发改委", "庚")]


def test_docx_and_xlsx(quarter):
    circular = create_circular(quarter, "2023Q3", today=D(2023, 10, 20), document_number="西营商办〔2023〕12号")
    document = docx.Document(io.BytesIO(to_docx(circular)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "关于2023年第三季度优化营商环境工作督查情况的通报" in text
    assert "西营商办〔2023〕12号" in text
    assert "本季度到期工作举措6项，按时完成3项，逾期完成1项，逾期未完成2项，按时完成率50.0%" in text
    assert "四、下步要求" in text
    # Its points are level-2 under 四、: （一）（二）（三）, never a second 一、二、三.
    after = text.split("四、下步要求", 1)[1].splitlines()
    assert [line[:3] for line in after if line.startswith("（")][:3] == ["（一）", "（二）", "（三）"]
    assert not any(line.startswith(("一、", "二、")) for line in after)
    table = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert table[1][:7] == ["1", "区市场监管局", "3", "2", "1", "0", "66.7%"]
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(circular)))
    assert [c.value for c in book["统计表"][3]][:7] == [1, "区市场监管局", 3, 2, 1, 0, 66.7]
    assert book["存在问题"].max_row == 4  # header + 2 overdue + 1 late


@pytest.mark.skipif(not libreoffice(), reason="LibreOffice is not installed here: the PDF of a circular needs it")
def test_pdf_through_libreoffice(quarter):
    circular = create_circular(quarter, "2023Q3", today=D(2023, 10, 20))
    assert to_pdf(circular).startswith(b"%PDF")


def test_command(quarter, tmp_path):
    out = tmp_path / "circular.docx"
    with override_settings(DUBAN_TODAY="2023-10-20"):
        call_command("circular", "--quarter", "2023Q3", "--output", str(out), stdout=StringIO())
    assert docx.Document(str(out)).paragraphs
    with pytest.raises(CommandError, match="not a quarter"):
        call_command("circular", "--quarter", "2023Q5", "--output", str(out))
    with pytest.raises(CommandError, match="must end in"):
        call_command("circular", "--quarter", "2023Q3", "--output", str(tmp_path / "x.odt"))


def test_permissions(client, quarter, office, scjg_reporter, leader_user):
    circular = create_circular(quarter, "2023Q3", today=D(2023, 10, 20))
    client.force_login(scjg_reporter)
    assert client.get("/supervision/").status_code == 403
    assert client.get(f"/supervision/circulars/{circular.pk}/circular.docx").status_code == 403
    client.force_login(leader_user)
    assert client.get(f"/supervision/circulars/{circular.pk}/").status_code == 200
    assert client.post(f"/supervision/circulars/{circular.pk}/", {"next_steps": "x"}).status_code == 403
    assert client.post("/supervision/circulars/new/", {"quarter": "2023Q3", "plan": quarter.pk}).status_code == 403
    client.force_login(office)
    assert client.post(f"/supervision/circulars/{circular.pk}/", {"next_steps": "按期整改", "document_number": ""}
                       ).status_code == 302
    circular.refresh_from_db()
    assert circular.next_steps == "按期整改"
    response = client.get(f"/supervision/circulars/{circular.pk}/circular.xlsx")
    assert response.status_code == 200 and response["Content-Type"].endswith("spreadsheetml.sheet")


# Versions: drafting a quarter's circular again makes the next version; an issued one is frozen.

def test_drafting_again_makes_v2_superseding_v1_and_lists_what_changed(quarter):
    v1 = create_circular(quarter, "2023Q3", today=D(2023, 9, 10), document_number="西营商办〔2023〕12号")
    v2 = create_circular(quarter, "2023q3", today=D(2023, 10, 20))
    v1.refresh_from_db()
    assert (v1.version, v2.version, v2.supersedes, v1.superseded_by) == (1, 2, v1, v2)
    assert (v1.is_current, v2.is_current) == (False, True)
    assert v2.document_number == "西营商办〔2023〕12号"  # carried over from v1
    # On 10 Sep 区市场监管局's 丙 (due 15 Sep) was not due yet; by the quarter's end it was done, late.
    assert v2.changes[:2] == ["数据截至日期：2023-09-10 → 2023-09-30", "合计 到期举措：5 → 6"]
    assert "区市场监管局 到期举措：2 → 3" in v2.changes and "区市场监管局 逾期完成：0 → 1" in v2.changes
    assert list(current_circulars(quarter)) == [v2]
    assert Circular.objects.filter(plan=quarter, quarter="2023Q3").count() == 2  # both kept


def test_an_issued_circular_is_frozen_and_superseded_only_with_a_reason(client, quarter, office):
    v1 = create_circular(quarter, "2023Q3", today=D(2023, 10, 20))
    with override_settings(DUBAN_TODAY="2023-10-21"):
        issue_circular(v1, office)
    v1.refresh_from_db()
    assert v1.issued_at.date() == D(2023, 10, 21) and v1.issued_by == office  # on the office's clock
    assert issued_on(v1) == D(2023, 10, 21)
    with pytest.raises(CircularRefused, match="only with a reason"):
        create_circular(quarter, "2023Q3", today=D(2023, 10, 25))
    with pytest.raises(CircularRefused, match="issued already"):
        issue_circular(v1, office)

    client.force_login(office)
    # The page refuses to edit it, and to draft a new version without a reason: nothing is created.
    with override_settings(DUBAN_TODAY="2023-10-25"):
        response = client.post(f"/supervision/circulars/{v1.pk}/", {"next_steps": "改", "document_number": ""})
        assert response.status_code == 302
        v1.refresh_from_db()
        assert v1.next_steps != "改"
        response = client.post("/supervision/circulars/new/", {"plan": quarter.pk, "quarter": "2023Q3"}, follow=True)
        assert "only with a reason" in response.content.decode()
        assert Circular.objects.filter(plan=quarter).count() == 1
        response = client.post("/supervision/circulars/new/", {"plan": quarter.pk, "quarter": "2023Q3",
                                                               "reason": "区发改委对庚项提出异议，经核实更正"})
    v2 = Circular.objects.get(plan=quarter, version=2)
    assert response.status_code == 302 and response["Location"] == v2.get_absolute_url()
    assert v2.supersede_reason == "区发改委对庚项提出异议，经核实更正" and v2.supersedes == v1
    page = client.get(v1.get_absolute_url()).content.decode()
    assert "superseded by" in page and v2.get_absolute_url() in page
    assert "区发改委对庚项提出异议" in client.get(v2.get_absolute_url()).content.decode()
    # Only the current version can be issued.
    assert client.post(f"/supervision/circulars/{v1.pk}/issue/").status_code == 302
    v1.refresh_from_db()
    assert v1.issued_at.date() == D(2023, 10, 21)


def test_the_command_and_the_page_make_versions_alike(client, quarter, office, tmp_path):
    out = tmp_path / "circular.xlsx"
    with override_settings(DUBAN_TODAY="2023-10-20"):
        call_command("circular", "--quarter", "2023Q3", "--output", str(out), stdout=StringIO())
        stdout = StringIO()
        call_command("circular", "--quarter", "2023Q3", "--output", str(out), stdout=stdout)
    assert "第2版，代替第1版" in stdout.getvalue()
    v2 = Circular.objects.get(plan=quarter, quarter="2023Q3", version=2)
    assert openpyxl.load_workbook(str(out))["统计表"]["A1"].value.endswith("第2版）")
    issue_circular(v2, office)
    with override_settings(DUBAN_TODAY="2023-10-20"), pytest.raises(CommandError, match="only with a reason"):
        call_command("circular", "--quarter", "2023Q3", "--output", str(out))
    with override_settings(DUBAN_TODAY="2023-10-20"):
        call_command("circular", "--quarter", "2023Q3", "--output", str(out), "--reason", "更正", stdout=StringIO())
    assert list(current_circulars(quarter).values_list("version", flat=True)) == [3]
    client.force_login(office)
    with override_settings(DUBAN_TODAY="2023-10-20"):
        response = client.get(f"/supervision/?plan={quarter.pk}&quarter=2023Q3")
    assert [c.version for c in response.context["circulars"]] == [3]


def test_the_command_issues_as_the_page_does(quarter, tmp_path):
    """`--issue` marks the new version issued (印发): dated that day, frozen, superseded only with a reason."""
    out = tmp_path / "circular.docx"
    with override_settings(DUBAN_TODAY="2023-10-20"):
        stdout = StringIO()
        call_command("circular", "--quarter", "2023Q3", "--output", str(out), "--issue", stdout=stdout)
    assert "第1版，已印发" in stdout.getvalue()
    v1 = Circular.objects.get(plan=quarter, quarter="2023Q3")
    assert v1.is_issued and v1.issued_at.date() == D(2023, 10, 20) and issued_on(v1) == D(2023, 10, 20)
    assert "2023年10月20日" in "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    with override_settings(DUBAN_TODAY="2023-10-21"), pytest.raises(CommandError, match="only with a reason"):
        call_command("circular", "--quarter", "2023Q3", "--output", str(out), "--issue")
    assert Circular.objects.filter(plan=quarter).count() == 1  # nothing made
    with override_settings(DUBAN_TODAY="2023-10-21"):
        call_command("circular", "--quarter", "2023Q3", "--output", str(out), "--reason", "更正", "--issue",
                     stdout=StringIO())
    v2 = Circular.objects.get(plan=quarter, version=2)
    assert v2.is_issued and v2.supersedes == v1 and v2.supersede_reason == "更正"


def test_the_circular_says_what_each_figure_counts(quarter):
    circular = create_circular(quarter, "2023Q3", today=D(2023, 10, 20))
    definitions = dict(circular.snapshot["definitions"])
    assert definitions["应报送进展报告"].startswith(
        "应报送进展报告：报送截止日在2023年7月1日至2023年9月30日之间、截至2023年9月30日已到期的轮次中应报送的进展报告")
    assert "仅联系超时的计入督办件、不计入逾期" in definitions["督办件"]
    document = docx.Document(io.BytesIO(to_docx(circular)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "口径说明：" in text and "1. 到期举措：截止日期在2023年7月1日至2023年9月30日之间" in text
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(circular)))
    assert [c.value for c in book["口径说明"][2]][0] == "到期举措"


def test_a_measure_two_units_lead_counts_once_in_the_district_total(quarter, units):
    area = quarter.areas.get()
    factories.measure(area, "辛", lead=[units["scjg"], units["tax"]], deadline="2023-09-01",
                      completed_on=D(2023, 8, 1))
    columns, rows = unit_table(quarter, Period.quarter("2023Q3", D(2023, 10, 20)))
    assert sum(r.values["measures_due"] for r in rows) == 8  # in both units' rows
    assert totals(columns, rows)["measures_due"] == 7  # once in the district's
    assert totals(columns, rows)["on_time_rate"] == round(100 * 4 / 7, 1)


def test_next_steps_typed_with_any_numbering_are_numbered_as_points():
    from duban.supervision.circulars import next_step_points

    typed = "一、按期整改\n\n2. 补充材料\n（3）持续督办\n① 纳入考核\n不带编号的一条"
    assert next_step_points(typed) == ["（一）按期整改", "（二）补充材料", "（三）持续督办", "（四）纳入考核",
                                       "（五）不带编号的一条"]


def test_the_pdf_button_is_offered_only_where_it_works(client, quarter, office, monkeypatch):
    """Without LibreOffice the button is disabled with the reason beside it; with it, it downloads the PDF."""
    from duban.supervision import circulars

    circular = create_circular(quarter, "2023Q3", today=D(2023, 10, 20))
    client.force_login(office)
    pdf_url = f"/supervision/circulars/{circular.pk}/circular.pdf"
    monkeypatch.setattr(circulars.shutil, "which", lambda name: None)
    page = client.get(circular.get_absolute_url()).content.decode()
    assert pdf_url not in page
    assert 'disabled aria-describedby="pdf-unavailable"' in page
    assert "PDF needs LibreOffice on the server" in page
    monkeypatch.undo()
    page = client.get(circular.get_absolute_url()).content.decode()
    if libreoffice():
        assert f'href="{pdf_url}"' in page and "disabled" not in page
        response = client.get(pdf_url)
        assert response.status_code == 200 and b"".join(response).startswith(b"%PDF")


def test_every_figure_of_the_circular_and_the_assessment_has_its_koujing_in_the_circular_and_the_docs(quarter):
    """Every column the circular prints (the visits' too) is defined in its 口径说明, and docs/supervision.md's
    口径 table names it; the assessment scores the same figures."""
    from pathlib import Path

    from duban.supervision import figures
    from duban.supervision.models import default_weights

    circular = create_circular(quarter, "2023Q3", today=D(2023, 10, 20))
    defined = dict(circular.snapshot["definitions"])
    labels = {column["key"]: column["label"] for column in circular.snapshot["columns"]}
    docs = (Path(__file__).resolve().parents[3] / "docs" / "supervision.md").read_text(encoding="utf-8")
    table = docs.split("### 口径 of the circular's figures")[1].split("## The annual assessment")[0]
    for key, label in labels.items():
        definition = figures.definition(key)
        assert definition is not None, key
        assert definition.label in defined, key
        assert definition.label in table, f"docs/supervision.md has no 口径 of {label}"
    assert set(default_weights()) <= set(labels)
