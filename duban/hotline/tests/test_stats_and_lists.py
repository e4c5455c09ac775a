"""Statistics per unit and month, the complaint list's filters and sorting, and stored deadlines after a calendar change."""

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from duban.calendar import deadlines as stored_deadlines
from duban.calendar.models import Holiday, Notice
from duban.hotline import flow
from duban.hotline.models import Complaint
from duban.hotline.stats import ComplaintFigures, ReviewFigures, complaint_figures, review_figures, summed

from .conftest import client_for, moment

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(file_complaint, office, scjg_reporter, units, clock_at):
    """Three September complaints for 市场监管局 and one October complaint not yet assigned, seen on 20 October."""
    def through(complaint, contact_at, reply_at, satisfied=True, reopen=False):
        clock_at(contact_at)
        flow.contact(complaint, office, note="ok")
        flow.classify(complaint, office, difficulty="general")
        flow.assign(complaint, office, lead_unit=units["scjg"])
        flow.start(complaint, scjg_reporter)
        clock_at(reply_at)
        flow.reply(complaint, scjg_reporter, text="ok", resolution="resolved")
        flow.callback(complaint, office, satisfied=satisfied, reopen=reopen)
        return complaint

    # On time everywhere, satisfied.
    a = through(file_complaint(received_at="2026-09-01T09:00"), "2026-09-01T10:00", "2026-09-03T10:00")
    # Contacted late (due 1 Sep 17:30), replied late (due 7 Sep 17:30), unsatisfied and reopened.
    b = through(file_complaint(received_at="2026-09-01T09:00"), "2026-09-02T10:00", "2026-09-09T10:00",
                satisfied=False, reopen=True)
    # Contacted on time, never replied: overdue by 20 October.
    c = file_complaint(received_at="2026-09-14T09:00")
    clock_at("2026-09-14T10:00")
    flow.contact(c, office, note="ok")
    flow.classify(c, office, difficulty="general")
    flow.assign(c, office, lead_unit=units["scjg"])
    d = file_complaint(received_at="2026-10-19T09:00")
    clock_at("2026-10-20T09:00")
    return {"a": a, "b": b, "c": c, "d": d}


def test_figures_per_unit_and_month(history, units):
    rows = {(f.unit.name if f.unit else None, f"{f.month:%Y-%m}"): f for f in complaint_figures(now=moment("2026-10-20T09:00"))}
    september = rows[("区市场监管局", "2026-09")]
    assert september.received == 3
    assert (september.contact_on_time, september.contact_counted) == (2, 3)
    assert (september.reply_on_time, september.reply_counted) == (1, 3)
    assert (september.satisfied, september.called_back) == (1, 2)
    assert (september.reopened, september.replied) == (1, 2)
    assert (september.late, september.supervised) == (2, 0)
    assert round(september.contact_rate, 3) == 0.667 and september.satisfaction == 0.5
    october = rows[(None, "2026-10")]
    assert october.received == 1 and october.contact_counted == 1 and october.contact_rate == 0.0


def test_the_pages_totals_are_what_counting_every_row_at_once_gives(history, units):
    """The statistics page sums its month rows for the total (no query of its own): the same as by=()."""
    now = moment("2026-10-20T09:00")
    for figures, cls in ((complaint_figures, ComplaintFigures), (review_figures, ReviewFigures)):
        assert summed(figures(by=("month",), now=now), cls) == figures(by=(), now=now)[0]
        assert summed(figures(by=("unit",), now=now), cls) == figures(by=(), now=now)[0]
    assert summed(complaint_figures(by=("month",), now=now), ComplaintFigures).received == 4


def test_review_figures_asked_for_some_counts_count_them_alike(units):
    from duban.hotline.models import Review

    for n, level in enumerate((5, 4, 1)):
        Review.objects.create(unit=units["scjg"], matter="营业执照变更", level=level,
                              reviewed_at=moment(f"2026-09-0{n + 1}T10:00"))
    now = moment("2026-10-20T09:00")
    whole = review_figures(by=(), now=now)[0]
    some = review_figures(by=(), now=now, only=("positive", "reviews"))[0]
    assert (some.positive, some.reviews) == (whole.positive, whole.reviews) == (2, 3)
    assert some.bad == 0 and whole.bad == 1


def test_a_complaint_counts_in_its_local_month_by_the_databases_own_function(file_complaint):
    """MonthStart (strftime on SQLite, to_char on PostgreSQL) puts a complaint in the month of Beijing time,
    as TruncMonth does: 30 September 23:30 is September, 1 October 00:30 (30 September in UTC) is October."""
    from django.db.models.functions import TruncMonth

    from duban.hotline.stats import MonthStart

    file_complaint(received_at="2026-09-30T23:30")
    file_complaint(received_at="2026-10-01T00:30")
    file_complaint(received_at="2026-10-31T23:59")
    ours = list(Complaint.objects.annotate(m=MonthStart("received_at")).order_by("received_at")
                .values_list("m", flat=True))
    django = [f"{m:%Y-%m-%d}" for m in Complaint.objects.annotate(m=TruncMonth("received_at"))
              .order_by("received_at").values_list("m", flat=True)]
    assert ours == django == ["2026-09-01", "2026-10-01", "2026-10-01"]
    assert [f"{f.month:%Y-%m}" for f in complaint_figures(by=("month",))] == ["2026-09", "2026-10"]


def test_stats_page_has_tables_and_chart_data(history, office, scjg_reporter, tax_reporter):
    page = client_for(office).get("/hotline/stats/?year=2026").content.decode()
    assert "echarts.min.js" in page and "hotline/stats.js" in page and "<script>" not in page
    charts = json.loads(re.search(r'<script id="hotline-charts" type="application/json">(.*?)</script>', page, re.S)[1])
    assert charts["complaintsByMonth"]["labels"] == ["2026-09", "2026-10"]
    assert charts["complaintsByMonth"]["received"] == [3, 1]
    assert charts["complaintsByMonth"]["contact_rate"] == [66.7, 0.0]
    assert "66.7%" in page and "not assigned" in page
    # A unit sees its own row only; another unit sees none of it.
    own = client_for(scjg_reporter).get("/hotline/stats/?year=2026").content.decode()
    assert "区市场监管局" in own and "not assigned" not in own
    other = client_for(tax_reporter).get("/hotline/stats/?year=2026").content.decode()
    assert "No complaints in this period." in other


def test_list_filters_sorts_and_scopes(history, office, scjg_reporter, units):
    client = client_for(office)
    codes = lambda response: re.findall(r'<a href="/hotline/\d+/">([A-Z0-9-]+)</a>', response.content.decode())  # noqa: E731
    a, b, c, d = (history[k].formatted_code for k in "abcd")
    assert codes(client.get("/hotline/")) == [d, c, b, a], "newest first; the same minute: the later filed first"
    # d's contact, c's reply and b's reply after reopening are all overdue on 20 October.
    assert codes(client.get("/hotline/?light=red")) == [d, c, b]
    assert codes(client.get("/hotline/?state=received")) == [d]
    assert set(codes(client.get("/hotline/?state=open"))) == {b, c, d}
    assert codes(client.get(f"/hotline/?unit={units['scjg'].pk}&sort=due")) == [b, c, a], "no deadline last"
    assert codes(client.get("/hotline/?month=2026-10")) == [d]
    assert codes(client.get(f"/hotline/?q={history['c'].tracking_code.lower()}")) == [c]
    assert set(codes(client.get("/hotline/?q=青云电子"))) == {a, b, c, d}
    bad = client.get("/hotline/?month=2026-13&sort=nonsense").content.decode()
    assert "These filters were left out." in bad
    partial = client.get("/hotline/?state=received", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results")
    assert "<html" not in partial.content.decode() and d in partial.content.decode()
    assert set(codes(client_for(scjg_reporter).get("/hotline/"))) == {a, b, c}


def test_list_queries_do_not_grow_with_rows(history, office, file_complaint):
    client = client_for(office)
    client.get("/hotline/")
    with CaptureQueriesContext(connection) as few:
        client.get("/hotline/")
    for _ in range(5):
        file_complaint()
    with CaptureQueriesContext(connection) as more:
        client.get("/hotline/")
    assert len(more) == len(few)


def test_recompute_moves_stored_deadlines_when_a_notice_arrives(file_complaint, office, clock_at):
    # Received Thursday 2027-01-28: no 2027 notice yet, so the deadlines are provisional.
    clock_at("2027-01-28T09:00")
    complaint = file_complaint(received_at="2027-01-28T09:00")
    flow.contact(complaint, office, note="ok")
    flow.classify(complaint, office, difficulty="general")
    complaint.refresh_from_db()
    assert complaint.next_due == moment("2027-02-03T17:30") and complaint.next_due_provisional
    # The notice makes Monday 1 February a holiday (an invented arrangement, for the test).
    notice = Notice.objects.create(region="CN", year=2027, title="国务院办公厅关于2027年部分节假日安排的通知")
    Holiday.objects.create(notice=notice, date=moment("2027-02-01T00:00").date(), kind="holiday", name="测试")
    changes = stored_deadlines.recompute(reason="2027 notice")
    complaint.refresh_from_db()
    assert complaint.next_due == moment("2027-02-04T17:30") and not complaint.next_due_provisional
    assert complaint.reply_due == moment("2027-02-04T17:30")
    assert {(c.entry.label, str(c.new)) for c in changes} >= {("hotline.Complaint.next_due", "2027-02-04 17:30:00+08:00")}
    assert complaint.contact_due == moment("2027-01-28T17:30"), "a step already done is not recomputed"


def test_every_hotline_deadline_is_registered():
    labels = {entry.label for entry in stored_deadlines.registered()}
    assert {"hotline.Complaint.contact_due", "hotline.Complaint.reply_due", "hotline.Complaint.next_due",
            "hotline.Extension.old_due", "hotline.Extension.new_due", "hotline.Rectification.due_at"} <= labels


def test_complaint_state_is_never_closed_without_a_time(history):
    assert not Complaint.objects.filter(state=Complaint.State.CLOSED, closed_at__isnull=True).exists()


def test_list_beyond_its_bound_says_more_than_and_pages_on(history, office, settings, monkeypatch):
    """Past the paginator's bound the list stops counting: "more than N", "Page 2" without a total, a next link."""
    from duban.core import paging
    monkeypatch.setattr(paging, "BOUND", 2)
    monkeypatch.setattr(paging.BoundedPaginator.__init__, "__defaults__", (2,))
    monkeypatch.setattr("duban.hotline.views.complaints.PER_PAGE", 1)
    client = client_for(office)
    page = client.get("/hotline/").content.decode()
    assert "more than 2 complaints" in page and "Page 1 of" not in page and 'rel="next"' in page
    second = client.get("/hotline/?page=4").content.decode()
    assert "Page 4" in second and 'rel="next"' not in second and history["a"].formatted_code in second
