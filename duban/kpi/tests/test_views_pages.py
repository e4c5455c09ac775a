"""What the KPI pages show and what their forms do."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from duban.kpi.spreadsheet import SHEET_TITLE
from duban.kpi.models import Metric, Proposal
from duban.plans.models import Plan

from . import factories
from .test_spreadsheet import row, xlsx
from duban.conftest import HOME

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_2023(settings):
    """The clock on 10 August 2023, in the middle of the plan year."""
    settings.DUBAN_TODAY = "2023-08-10"


def test_dashboard_ranks_the_indicators_and_shows_the_plan_targets(client, office, kpi, in_2023):
    client.force_login(office)
    response = client.get(reverse("kpi:dashboard"))
    assert response.status_code == 200
    ranking = response.context["ranking_chart"]
    # 开办企业: days met, rate not reported → 100%; 纳税: 80 h against 70, its first value → 87.5%, on track;
    # 获得电力: nothing reported, last.
    assert [(i["name"], i["value"], i["status"]) for i in ranking["items"]] == [
        ("1. 开办企业", 100.0, "met"), ("5. 纳税", 87.5, "on_track"), ("3. 获得电力", None, "no_data")]
    html = response.content.decode()
    assert 'data-chart="bar"' in html and 'id="ranking-chart-data"' in html and 'id="ranking-table"' in html
    assert "全省营商环境评价排名" in html  # the plan's own target, in its own table
    assert [a.metric for a in response.context["plan_wide"]] == [kpi.rank]
    assert dict((s, n) for s, _, n in response.context["totals"]) == {"met": 1, "on_track": 1, "no_data": 3}
    assert "Review proposed targets (0 waiting)" in html


def test_a_unit_sees_its_metrics_and_a_leader_the_metrics_of_areas_they_lead(client, scjg_reporter, leader_user, kpi):
    client.force_login(scjg_reporter)
    response = client.get(reverse("kpi:dashboard"))
    assert [a.metric for a in response.context["mine"]] == [kpi.days, kpi.rate]
    assert response.context["waiting"] is None  # proposals are the office's
    assert f"unit={kpi.scjg.pk}" in response.content.decode()  # their unit's form to fill in
    client.force_login(leader_user)  # 胡海 leads 开办企业 and 纳税, not 获得电力
    assert [a.metric for a in client.get(reverse("kpi:dashboard")).context["mine"]] == [kpi.days, kpi.rate, kpi.hours]


def test_dashboard_without_plan_or_metrics(client, office, db):
    client.force_login(office)
    assert "No plan has been imported yet." in client.get(reverse("kpi:dashboard")).content.decode()
    factories.plans.plan()
    assert "No metric has been confirmed" in client.get(reverse("kpi:dashboard")).content.decode()


def test_area_page_has_a_gauge_and_a_bar_per_metric(client, leader_user, kpi, in_2023):
    client.force_login(leader_user)
    response = client.get(reverse("kpi:area_detail", args=[kpi.startup.pk]))
    assert response.context["gauge_chart"]["value"] == 100.0
    assert [i["name"] for i in response.context["bars_chart"]["items"]] == ["企业开办时间", "半日办结率"]
    html = response.content.decode()
    assert 'data-chart="gauge"' in html and "Attainment of this area" in html
    assert "Add a metric" not in html  # the office's


def test_metric_page_draws_values_against_the_target_line(client, tax_reporter, kpi, in_2023):
    client.force_login(tax_reporter)
    response = client.get(reverse("kpi:metric_detail", args=[kpi.days.pk]))
    line = response.context["line_chart"]
    assert line["periods"] == ["2023-Q1", "2023-Q2", "2023-Q3", "2023-Q4"]
    assert line["values"] == [1.0, 0.5, None, None]
    assert (line["target"], line["targetLabel"], line["unit"]) == (0.5, "Target ≤ 0.5 工作日", "工作日")
    html = response.content.decode()
    assert 'id="values-table"' in html and "Reported values (Target ≤ 0.5 工作日)" in html
    assert response.context["report_form"] is None  # 区税务局 does not report 开办企业
    assert "Correct</a>" not in html


def test_a_reduction_chart_shows_the_level_to_reach_and_the_baseline(client, office, kpi):
    client.force_login(office)
    line = client.get(reverse("kpi:metric_detail", args=[kpi.outage.pk])).context["line_chart"]
    assert (line["target"], line["baseline"], line["targetLabel"]) == (5.1, 6.0, "Target ≤ 5.1 小时")


def test_a_unit_reports_a_value(client, scjg_reporter, kpi):
    client.force_login(scjg_reporter)
    url = reverse("kpi:metric_report", args=[kpi.rate.pk])
    evidence = SimpleUploadedFile("台账.pdf", b"%PDF-1.4", content_type="application/pdf")
    response = client.post(url, {"period": "2023年第三季度", "value": "94.5", "note": "半日办结", "evidence": evidence})
    assert response.status_code == 302
    entry = kpi.rate.values.get()
    assert (entry.period, entry.value, entry.note, entry.reported_by) == ("2023-Q3", Decimal("94.5"), "半日办结",
                                                                           scjg_reporter)
    download = client.get(reverse("kpi:value_evidence", args=[entry.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4"


def test_a_wrong_report_is_shown_again_with_the_error(client, scjg_reporter, kpi):
    client.force_login(scjg_reporter)
    response = client.post(reverse("kpi:metric_report", args=[kpi.rate.pk]), {"period": "2023-07", "value": "9"})
    assert response.status_code == 400
    assert "is a monthly period; this metric is reported quarterly" in response.content.decode()
    bad_file = SimpleUploadedFile("x.exe", b"MZ")
    response = client.post(reverse("kpi:metric_report", args=[kpi.rate.pk]),
                           {"period": "2023-Q3", "value": "9", "evidence": bad_file})
    assert "This kind of file is not accepted" in response.content.decode()
    assert not kpi.rate.values.exists()


def test_after_a_correction_the_unit_cannot_report_that_period_again(client, office, scjg_reporter, kpi):
    client.force_login(office)
    url = reverse("kpi:value_correct", args=[kpi.days_q1.pk])
    assert client.post(url, {"value": "0.9", "reason": ""}).status_code == 400
    assert client.post(url, {"value": "0.9", "reason": "与省平台核对"}).status_code == 302
    page = client.get(reverse("kpi:metric_detail", args=[kpi.days.pk])).content.decode()
    assert "与省平台核对" in page and "corrected" in page
    client.force_login(scjg_reporter)
    response = client.post(reverse("kpi:metric_report", args=[kpi.days.pk]), {"period": "2023-Q1", "value": "0.7"})
    assert response.status_code == 400
    assert "The office has corrected this value" in response.content.decode()
    assert kpi.days.values.get(period="2023-Q1").value == Decimal("0.9")


def test_the_office_reviews_proposals(client, office, kpi):
    kept = factories.proposal(kpi.startup, subject="半日办结率", value="96")
    other = factories.proposal(kpi.startup, subject="政务服务好评率", value="95")
    conflict = factories.proposal(kpi.startup, subject="政务服务好评率", value="99", source_field="task")
    other.conflicts.add(conflict)
    client.force_login(office)
    page = client.get(reverse("kpi:proposal_list") + f"?plan={kpi.plan.pk}")
    assert [p.pk for p in page.context["proposals"]] == [kept.pk, other.pk, conflict.pk]
    assert page.content.decode().count("conflicting targets") == 2

    form = client.get(reverse("kpi:proposal_confirm", args=[kept.pk]))
    assert form.context["form"].initial["owner"] == kpi.scjg.pk
    response = client.post(reverse("kpi:proposal_confirm", args=[kept.pk]), {
        "name": "半日办结率（开办企业）", "area": kpi.startup.pk, "unit": "%", "direction": "at_least", "target": "96",
        "tolerance": "0", "owner": kpi.scjg.pk, "frequency": "monthly", "due": "2023-12-31", "source_note": "e窗通",
    })
    metric = Metric.objects.get(name="半日办结率（开办企业）")
    assert response.status_code == 302 and response["Location"] == metric.get_absolute_url()
    kept.refresh_from_db()
    assert (kept.status, metric.proposal, metric.frequency) == (Proposal.Status.CONFIRMED, kept, "monthly")
    assert client.get(reverse("kpi:proposal_confirm", args=[kept.pk])).status_code == 302  # already a metric

    client.post(reverse("kpi:proposal_discard", args=[conflict.pk]))
    conflict.refresh_from_db()
    assert (conflict.status, conflict.decided_by) == (Proposal.Status.DISCARDED, office)
    client.post(reverse("kpi:proposal_reopen", args=[conflict.pk]), {"next": "https://evil.example/"})
    conflict.refresh_from_db()
    assert (conflict.status, conflict.decided_by) == (Proposal.Status.PROPOSED, None)
    waiting = client.get(reverse("kpi:proposal_list") + f"?plan={kpi.plan.pk}&status=proposed").context["proposals"]
    assert [p.pk for p in waiting] == [other.pk, conflict.pk]


def test_a_confirmed_conflicting_target_shows_both_statements(client, office, kpi):
    ninety_five = factories.proposal(kpi.startup, subject="政务服务好评率", value="95")
    ninety_nine = factories.proposal(kpi.startup, subject="政务服务好评率", value="99", source_field="task")
    ninety_five.conflicts.add(ninety_nine)
    metric = factories.metric(kpi.startup, name="政务服务好评率", unit="%", direction="at_least", target="95",
                              proposal=ninety_five)
    client.force_login(office)
    html = client.get(metric.get_absolute_url()).content.decode()
    assert "The plan contradicts itself here." in html
    assert "≥ 95%" in html and "≥ 99%" in html


def test_a_reduction_cannot_be_confirmed_without_baseline(client, office, kpi):
    proposal = factories.proposal(kpi.electricity, subject="停电时间", value="15", direction="reduce_by")
    client.force_login(office)
    response = client.post(reverse("kpi:proposal_confirm", args=[proposal.pk]), {
        "name": "停电时间", "area": kpi.electricity.pk, "unit": "", "direction": "reduce_by", "target": "15",
        "tolerance": "0", "frequency": "quarterly", "due": "2023-12-31",
    })
    assert response.status_code == 400
    assert "A reduction is measured from a baseline" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.PROPOSED


def test_the_office_reads_the_plan_again(client, office, kpi):
    kpi.taxes.narrative = "压缩全年纳税时间至70个小时以内。"
    kpi.taxes.save()
    client.force_login(office)
    response = client.post(reverse("kpi:proposal_list"), {"plan": kpi.plan.pk}, follow=True)
    assert "1 targets found, 1 new" in response.content.decode()
    assert kpi.plan.metric_proposals.get().subject == "纳税时间"


def test_metrics_are_created_edited_and_deleted_by_the_office(client, office, kpi):
    client.force_login(office)
    data = {"name": "首贷户数量", "area": kpi.startup.pk, "unit": "家", "direction": "at_least", "target": "300",
            "tolerance": "0", "owner": kpi.scjg.pk, "frequency": "quarterly", "due": "2023-12-31"}
    client.post(reverse("kpi:metric_new") + f"?plan={kpi.plan.pk}", data)
    metric = Metric.objects.get(name="首贷户数量")
    assert metric.plan == kpi.plan
    client.post(reverse("kpi:metric_edit", args=[metric.pk]), data | {"target": "350"})
    metric.refresh_from_db()
    assert metric.target == 350
    client.post(reverse("kpi:metric_delete", args=[kpi.days.pk]))  # has values: refused
    assert Metric.objects.filter(pk=kpi.days.pk).exists()
    proposal = factories.proposal(kpi.startup)
    metric.proposal = proposal
    metric.save()
    proposal.status = Proposal.Status.CONFIRMED
    proposal.save()
    client.post(reverse("kpi:metric_delete", args=[metric.pk]))
    assert not Metric.objects.filter(pk=metric.pk).exists()
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.PROPOSED  # back on the review list


def test_export_for_one_unit(client, scjg_reporter, kpi):
    client.force_login(scjg_reporter)
    response = client.get(reverse("kpi:values_export") + f"?plan={kpi.plan.pk}&unit={kpi.scjg.pk}")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content))[str(SHEET_TITLE)]
    assert {r[0] for r in sheet.iter_rows(min_row=2, values_only=True)} == {kpi.days.pk, kpi.rate.pk}


def test_import_page_dry_run_then_save(client, scjg_reporter, kpi):
    client.force_login(scjg_reporter)
    url = reverse("kpi:values_import")
    upload = SimpleUploadedFile("values.xlsx", xlsx([row(kpi.rate, "2023-Q1", 92)]).getvalue())
    response = client.post(url, {"file": upload, "dry_run": "on"})
    assert response.status_code == 200 and "Dry run: the file is correct." in response.content.decode()
    assert not kpi.rate.values.exists()
    upload = SimpleUploadedFile("values.xlsx", xlsx([row(kpi.rate, "2023-Q1", 92)]).getvalue())
    response = client.post(url, {"file": upload})
    assert "Imported: 1 new" in response.content.decode()
    assert kpi.rate.values.get().value == 92


def test_import_page_lists_every_error(client, scjg_reporter, kpi):
    client.force_login(scjg_reporter)
    upload = SimpleUploadedFile("values.xlsx", xlsx([row(kpi.rate, "2023-Q1", "n/a"), row(kpi.hours, "2023-Q2", 1)])
                                .getvalue())
    response = client.post(reverse("kpi:values_import"), {"file": upload})
    html = response.content.decode()
    assert response.status_code == 400
    assert "2 problems found; nothing was saved." in html
    assert "Row 2, column F (数值): “n/a” is not a number." in html
    assert "Row 3, column A (指标编号)" in html
    response = client.post(reverse("kpi:values_import"), {"file": SimpleUploadedFile("values.xls", b"old")})
    assert "Upload an .xlsx file" in response.content.decode()


def test_the_latest_plan_is_the_default_and_another_can_be_chosen(client, office, kpi):
    older = Plan.objects.create(region_id=HOME, title="2022年行动方案", year=2022)
    client.force_login(office)
    assert client.get(reverse("kpi:dashboard")).context["plan"] == kpi.plan
    assert client.get(reverse("kpi:dashboard") + f"?plan={older.pk}").context["plan"] == older
