"""The unit ledger, the office's matrix, round pages and the .xlsx exports."""

import datetime
import io

import pytest
from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook

from duban.progress import services
from duban.progress.models import ReportingRound

from .conftest import DUE_ON, upload, write

pytestmark = pytest.mark.django_db


def at(day):
    from django.utils import timezone

    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


@pytest.fixture
def reported(round_, ledger, scjg_reporter, scjg_head, office):
    """In the April round: 2-1 submitted on time and accepted, 2-2 returned, 1-2 submitted late, 2-3 and 1-1 owed."""
    r21, r22, r12 = (round_.reports.get(measure=m) for m in (ledger.a2_1, ledger.a2_2, ledger.a1_2))
    for report in (r21, r22, r12):
        write(report, scjg_reporter)
    services.add_evidence(r21, scjg_reporter, upload())
    services.submit(r21, scjg_head, now=at(DUE_ON))
    services.accept(r21, office)
    services.submit(r22, scjg_head, now=at(DUE_ON))
    services.return_for_correction(r22, office, "补充材料")
    services.submit(r12, scjg_head, now=at(DUE_ON + datetime.timedelta(days=1)))
    return round_


class TestHome:
    def test_unit_staff_land_on_their_ledger(self, client, scjg_reporter, units):
        client.force_login(scjg_reporter)
        assert client.get(reverse("progress:home"))["Location"] == reverse("progress:unit_ledger", args=[units["scjg"].pk])

    def test_the_office_lands_on_the_matrix(self, client, office):
        client.force_login(office)
        assert client.get(reverse("progress:home"))["Location"] == reverse("progress:matrix")


class TestUnitLedger:
    def test_lists_its_measures_with_lights_latest_reports_and_evidence(self, client, scjg_reporter, reported, ledger):
        client.force_login(scjg_reporter)
        response = client.get(reverse("progress:unit_ledger", args=[ledger.scjg.pk]))
        led = response.context["led"]
        assert [row.measure.label for row in led] == ["2-1", "2-2", "1-2"]
        by_label = {row.measure.label: row for row in led}
        assert by_label["2-1"].report.status == "accepted" and by_label["2-1"].report.evidence_count == 1
        assert by_label["2-2"].report.status == "returned"
        assert by_label["1-2"].submission == "late"
        assert {row.light.value for row in led} == {"red"}  # 2023 deadlines, seen from today
        # It cooperates on nothing; 区税务局 cooperates on 2-2 and sees it in its own ledger.
        assert response.context["cooperating"] == []
        assert "补充材料" not in response.text  # the comment is on the report page, not the ledger

    def test_the_rows_say_it_on_the_page(self, client, scjg_reporter, reported, ledger):
        # The rows are drawn in Python (LedgerRow.html): they escape and say what the template did.
        ledger.a1_2.text = "<script>alert(1)</script>" + "优化涉企经营许可" * 20
        ledger.a1_2.save(update_fields=["text"])
        client.force_login(scjg_reporter)
        html = client.get(reverse("progress:unit_ledger", args=[ledger.scjg.pk])).text
        r12 = reported.reports.get(measure=ledger.a1_2)
        assert html.count('<tr class="ledger-row ledger-row--returned">') == 1  # 2-2
        assert f'<a href="{r12.get_absolute_url()}">1-2</a>' in html
        assert '<span class="submission submission--late">late</span>' in html
        assert '<td class="num" data-label="Evidence">1</td>' in html  # 2-1's file
        assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "优化涉企经营许可…" in html  # cut at 90 characters

    def test_the_latest_round_wins(self, client, scjg_reporter, reported, ledger, office):
        june = services.open_round(ledger.plan, ReportingRound.Kind.BIMONTHLY, datetime.date(2023, 6, 1),
                                   opened_on=datetime.date(2023, 6, 1))
        client.force_login(scjg_reporter)
        led = client.get(reverse("progress:unit_ledger", args=[ledger.scjg.pk])).context["led"]
        assert {row.report.round for row in led} == {june}

    def test_cooperating_measures_show_the_contributions(self, client, tax_cooperator, report, units):
        services.save_contribution(report, tax_cooperator, "已推送")
        client.force_login(tax_cooperator)
        response = client.get(reverse("progress:unit_ledger", args=[units["tax"].pk]))
        [row] = response.context["cooperating"]
        assert row.measure.label == "2-2" and row.report.contribution_count == 1
        assert '<td data-label="Lead units">区市场监管局、区政数局</td>' in response.text
        assert [row.measure.label for row in response.context["led"]] == ["2-3"]

    def test_a_leader_sees_only_the_measures_of_his_areas(self, client, leader_user, round_, ledger):
        client.force_login(leader_user)
        led = client.get(reverse("progress:unit_ledger", args=[ledger.scjg.pk])).context["led"]
        assert [row.measure.label for row in led] == ["2-1", "2-2"]  # not 1-2 (降低企业成本, 万勇)


class TestMatrix:
    def test_units_by_rounds(self, client, office, reported, ledger):
        client.force_login(office)
        with override_settings(DUBAN_TODAY="2023-04-20"):
            response = client.get(reverse("progress:matrix"))
        matrix = response.context["matrix"]
        rows = {row.unit.name: row.cells[0] for row in matrix.rows}
        scjg = rows["区市场监管局"]
        assert (scjg.get("on_time"), scjg.get("returned"), scjg.get("late"), scjg.get("missing")) == (1, 1, 1, 0)
        assert scjg.accepted == 1 and scjg.state == "returned"
        assert rows["区税务局"].get("missing") == 1  # 2-3, never submitted, past due
        assert rows["区政数局"].get("returned") == 1  # co-leads 2-2
        assert rows["区发改委"].get("missing") == 1
        assert rows["区财政局"].total == 0  # leads only 1-3, completed before the round
        totals = matrix.totals[0]
        assert (totals.get("on_time"), totals.get("returned"), totals.get("late"), totals.get("missing")) == (1, 1, 1, 2)
        assert f'href="{reported.get_absolute_url()}?unit={ledger.scjg.pk}"' in response.text
        # A symbol beside each count, the bucket's name on hover; the cell coloured by its worst news.
        assert ('<td class="matrix__cell matrix__cell--returned"><a href="'
                f'{reported.get_absolute_url()}?unit={ledger.scjg.pk}">'
                '<span class="submission submission--on_time" title="on time">✓1</span>'
                '<span class="submission submission--late" title="late">◷1</span>'
                '<span class="submission submission--returned" title="returned">↩1</span></a></td>') in response.text

    def test_totals_without_jointly_led_measures_are_the_sums_of_the_rows(self, client, office, reported, ledger):
        ledger.a2_2.lead_links.filter(unit__name="区政数局").delete()
        client.force_login(office)
        with override_settings(DUBAN_TODAY="2023-04-20"):
            matrix = client.get(reverse("progress:matrix")).context["matrix"]
        totals = matrix.totals[0]
        assert (totals.get("on_time"), totals.get("returned"), totals.get("late"), totals.get("missing")) == (1, 1, 1, 2)
        assert totals.accepted == 1 and totals.url == reported.get_absolute_url()

    def test_before_the_due_date_owed_reports_are_pending(self, client, office, round_):
        client.force_login(office)
        with override_settings(DUBAN_TODAY=DUE_ON.isoformat()):
            totals = client.get(reverse("progress:matrix")).context["matrix"].totals[0]
        assert totals.get("pending") == 5 and totals.get("missing") == 0

    def test_a_leader_sees_the_units_of_his_areas(self, client, leader_user, round_):
        client.force_login(leader_user)
        rows = client.get(reverse("progress:matrix")).context["matrix"].rows
        assert sorted(row.unit.name for row in rows) == ["区市场监管局", "区政数局", "区税务局"]


class TestRounds:
    def test_opening_a_round_from_the_form(self, client, office, ledger):
        client.force_login(office)
        page = client.get(reverse("progress:round_open"))
        assert page.context["form"].initial["kind"] == "bimonthly"
        with override_settings(DUBAN_TODAY="2023-06-05"):
            response = client.post(reverse("progress:round_open"), {
                "plan": ledger.plan.pk, "kind": "bimonthly", "month": "2023-06", "due_workdays": 5,
                "title": "", "instructions": "请于6月12日前报送。"}, follow=True)
        round_ = ReportingRound.objects.get()
        assert round_.opened_on == datetime.date(2023, 6, 5) and round_.opened_by == office
        assert round_.due_on == datetime.date(2023, 6, 12)
        assert "5 measures are due a report by 2023-06-12" in response.text

    def test_refuses_an_odd_month_and_a_second_round_for_a_month(self, client, office, ledger, round_):
        client.force_login(office)
        data = {"plan": ledger.plan.pk, "kind": "bimonthly", "month": "2023-05", "due_workdays": 5}
        assert "Bimonthly rounds fall in February" in client.post(reverse("progress:round_open"), data).text
        data["month"] = "2023-04"
        assert "round for 2023-04 is already open" in client.post(reverse("progress:round_open"), data).text

    def test_round_page_filters_by_unit_and_standing(self, client, office, reported, ledger):
        client.force_login(office)
        url = reported.get_absolute_url()
        with override_settings(DUBAN_TODAY="2023-04-20"):
            assert len(client.get(url).context["reports"]) == 5
            assert [r.measure.label for r in client.get(url, {"state": "review"}).context["reports"]] == ["1-2"]
            assert [r.measure.label for r in client.get(url, {"state": "missing"}).context["reports"]] == ["1-1", "2-3"]
            scjg = client.get(url, {"unit": ledger.scjg.pk}).context["reports"]
            assert sorted(r.measure.label for r in scjg) == ["1-2", "2-1", "2-2"]

    def test_a_unit_sees_only_its_own_reports_in_a_round(self, client, fgw_reporter, round_):
        client.force_login(fgw_reporter)
        assert [r.measure.label for r in client.get(round_.get_absolute_url()).context["reports"]] == ["1-1"]


class TestExport:
    def test_unit_ledger_in_the_annex_columns_then_progress(self, client, scjg_reporter, reported, ledger):
        client.force_login(scjg_reporter)
        response = client.get(reverse("progress:export_unit", args=[ledger.scjg.pk]))
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        assert "attachment" in response["Content-Disposition"]
        book = load_workbook(io.BytesIO(response.content))
        assert book.sheetnames == ["附件1", "附件2"]
        annex2 = [[c.value for c in row] for row in book["附件2"].iter_rows()]
        header = annex2[0]
        assert header[:10] == ["序号", "指标名称", "对标城市", "预期目标", "创新试点项目", "工作举措", "指标长", "牵头单位",
                               "配合单位", "完成时限"]
        assert header[10:14] == ["Light", "Latest round", "Report status", "Progress"]
        row = dict(zip(header, annex2[2]))  # 2-2
        assert row["工作举措"] == ledger.a2_2.text and row["牵头单位"] == "区市场监管局、区政数局"
        assert row["Report status"] == "returned for correction" and row["Work done this period"] == "已完成系统改造方案。"
        annex1 = [[c.value for c in row] for row in book["附件1"].iter_rows()]
        assert annex1[0][:9] == ["序号", "专项行动", "牵头区领导", "总责任单位", "工作任务", "工作举措", "牵头单位", "配合单位",
                                 "完成时限"]
        assert annex1[1][5].startswith("2.优化涉企经营许可事项办理")

    def test_district_ledger_has_every_measure(self, client, office, reported, ledger):
        client.force_login(office)
        response = client.get(reverse("progress:export_district"), {"plan": ledger.plan.pk})
        book = load_workbook(io.BytesIO(response.content))
        assert sum(book[name].max_row - 1 for name in book.sheetnames) == 6

    def test_formulas_are_written_as_text(self, client, scjg_reporter, report, ledger):
        write(report, scjg_reporter, done_text="=HYPERLINK(\"http://evil\")")
        client.force_login(scjg_reporter)
        book = load_workbook(io.BytesIO(client.get(reverse("progress:export_unit", args=[ledger.scjg.pk])).content))
        cells = [c for row in book["附件2"].iter_rows() for c in row if c.value == "=HYPERLINK(\"http://evil\")"]
        assert cells and all(c.data_type == "s" and c.quotePrefix for c in cells)  # text, as written


def test_a_report_returned_after_it_was_sent_to_the_head_is_back_with_the_reporter(
        client, round_, ledger, scjg_reporter, scjg_head, office):
    """Not still "sent to the unit head" (已提请单位负责人审核) once the office has returned it."""
    report = round_.reports.get(measure=ledger.a2_1)
    write(report, scjg_reporter)
    services.request_approval(report, scjg_reporter, now=at(DUE_ON))
    report.refresh_from_db()
    assert report.with_unit_head
    client.force_login(scjg_reporter)
    ledger_url = reverse("progress:unit_ledger", args=[ledger.scjg.pk])
    assert client.get(ledger_url).content.decode().count("sent to the unit head") == 1
    services.submit(report, scjg_head, now=at(DUE_ON))
    services.return_for_correction(report, office, "补充材料")
    report.refresh_from_db()
    assert not report.with_unit_head
    assert "sent to the unit head" not in client.get(ledger_url).content.decode()
