"""The pages cost the same number of queries for 5 measures as for 50 (and 5 units as for 50)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from duban.plans.models import Area, Measure, MeasureCooperatingUnit, MeasureLeadUnit, Plan, Unit
from duban.progress import services
from duban.progress.models import Contribution, Evidence, ProgressReport, ReportingRound
from duban.conftest import HOME

pytestmark = pytest.mark.django_db


def build(n_measures, n_units, scjg, tax):
    """A plan of n measures spread over scjg and n_units - 1 more units, two rounds, reports in every state."""
    plan = Plan.objects.create(region_id=HOME, year=2023, title=f"规模测试{n_measures}", document_number=f"测{n_measures}号")
    area = Area.objects.create(plan=plan, kind=Area.Kind.INDICATOR, name="开办企业", position=1)
    units = [scjg] + [Unit.objects.create(region_id=HOME, name=f"测试单位{n_measures}-{i}") for i in range(n_units - 1)]
    measures = Measure.objects.bulk_create(
        Measure(plan=plan, area=area, annex=2, number=i + 1, text=f"举措{i + 1}", position=i,
                deadline=datetime.date(2023, 12, 31)) for i in range(n_measures))
    MeasureLeadUnit.objects.bulk_create(
        MeasureLeadUnit(measure=m, unit=units[i % len(units)] if i % 2 else scjg) for i, m in enumerate(measures))
    MeasureCooperatingUnit.objects.bulk_create(MeasureCooperatingUnit(measure=m, unit=tax) for m in measures)
    for month in (4, 6):
        round_ = services.open_round(plan, ReportingRound.Kind.BIMONTHLY, datetime.date(2023, month, 1),
                                     opened_on=datetime.date(2023, month, 3))
    reports = list(round_.reports.all())
    statuses = [ProgressReport.Status.DRAFT, ProgressReport.Status.SUBMITTED, ProgressReport.Status.RETURNED,
                ProgressReport.Status.ACCEPTED]
    for i, report in enumerate(reports):
        report.status = statuses[i % 4]
        report.progress, report.percent, report.version = "in_progress", 50, 1
        report.first_submitted_on = datetime.date(2023, 6, 8) if report.status != "draft" else None
    ProgressReport.objects.bulk_update(reports, ["status", "progress", "percent", "version", "first_submitted_on"])
    services.rebuild_tallies(plan)  # the states were written around the services
    Evidence.objects.bulk_create(
        Evidence(report=r, file=f"progress/evidence/x{r.pk}.pdf", original_name="a.pdf", kind="pdf",
                 content_type="application/pdf", size=1, sha256="0") for r in reports)
    Contribution.objects.bulk_create(Contribution(report=r, unit=tax, text="配合") for r in reports)
    return plan, round_


def count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("page", ["unit_ledger", "cooperating_ledger", "matrix", "round", "export_unit", "export_district"])
def test_queries_do_not_grow_with_rows(client, office, units, page, settings, django_assert_max_num_queries):
    # The working-day engine checks the calendar tables for changes once a minute; not during a count.
    settings.DUBAN_CALENDAR_RECHECK_SECONDS = 10**9
    client.force_login(office)
    client.get(reverse("progress:unit_ledger", args=[units["scjg"].pk]))  # warm the engine
    costs = []
    for n_measures, n_units in ((5, 5), (50, 50)):
        plan, round_ = build(n_measures, n_units, units["scjg"], units["tax"])
        url = {
            "unit_ledger": reverse("progress:unit_ledger", args=[units["scjg"].pk]),
            "cooperating_ledger": reverse("progress:unit_ledger", args=[units["tax"].pk]),
            "matrix": reverse("progress:matrix") + f"?plan={plan.pk}",
            "round": round_.get_absolute_url(),
            "export_unit": reverse("progress:export_unit", args=[units["scjg"].pk]),
            "export_district": reverse("progress:export_district") + f"?plan={plan.pk}",
        }[page]
        costs.append(count(client, url))
        if n_measures == 5:
            plan.delete()  # the unit ledgers span plans: count the big one alone
    assert costs[0] == costs[1], costs
    with django_assert_max_num_queries(20):
        client.get(url)


def test_the_reminders_read_outstanding_reports_in_two_queries_however_many(units):
    """The daily reminders list each unit's outstanding reports in two queries: the reports with their round,
    plan and measure, then the measures' lead units — not a query per report."""
    from duban.progress.reminders import _owed_by_unit

    for n_measures in (5, 50):
        plan, round_ = build(n_measures, 5, units["scjg"], units["tax"])
        with CaptureQueriesContext(connection) as queries:
            owed = _owed_by_unit(ProgressReport.objects.outstanding().filter(round=round_))
        assert len(queries) == 2, [q["sql"] for q in queries]
        outstanding = ProgressReport.objects.outstanding().filter(round=round_).count()
        assert outstanding and sum(len(labels) for labels in owed.values()) == outstanding  # one lead unit each
        plan.delete()
