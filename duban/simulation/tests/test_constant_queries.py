"""Every list the office pages through and every dashboard costs the same queries as the data grows (issue 22).

One simulated district, played to 2023-10-20 twice: once quiet, once with three times the complaints and
reviews (and the rectifications, appeals, agenda items and visits problems those bring). Each page is
asked for once to warm what a process caches (the working-day engine, the region's settings), then its
queries are counted; no query may come more often with more data (a query per row). The message names
the page, its two counts and the queries repeated.

Pages answered with 200 by the district's own office (the leader's page by a district leader, the
unit ledger by a reporter); the same pages `make bench` times (tools/bench_simulated.py).
"""

import datetime
from collections import Counter

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from duban.accounts.models import Role, User
from duban.hotline.models import Complaint, Review
from duban.plans.models import Plan
from duban.progress.models import ReportingRound
from duban.simulation.districts import simulate_districts
from duban.simulation.engine import Volumes
from duban.supervision.models import Circular, DispatchMeeting

TODAY = datetime.date(2023, 10, 20)
SMALL = Volumes(complaints_per_week=4, reviews_per_week=15)
LARGE = Volumes(complaints_per_week=12, reviews_per_week=45)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # evidence files the reports attach
    settings.DUBAN_CALENDAR_RECHECK_SECONDS = 10**9  # the engine rereads the calendar once a minute, not mid-count


def pages(plan):
    """(who, label, url): the lists and dashboards of the district's plan."""
    round_ = ReportingRound.objects.filter(plan=plan).order_by("-opened_on").first()
    meeting = DispatchMeeting.objects.filter(plan=plan).order_by("-held_on").first()
    circular = Circular.objects.filter(plan=plan).order_by("-quarter").first()
    complaints = reverse("hotline:complaint_list")
    return [
        ("office", "my to-do list", reverse("home")),
        ("office", "plans overview", reverse("plans:overview")),
        ("office", "plan page", plan.get_absolute_url()),
        ("office", "measure list", f"{reverse('plans:measure_list')}?plan={plan.pk}"),
        ("office", "measure list, page 2", f"{reverse('plans:measure_list')}?plan={plan.pk}&page=2"),
        ("office", "reporting matrix", f"{reverse('progress:matrix')}?plan={plan.pk}"),
        ("office", "a round's reports", round_.get_absolute_url()),
        ("office", "a round's reports awaiting review", round_.get_absolute_url() + "?state=review"),
        ("reporter", "a unit's ledger", "ledger"),
        ("office", "complaints, newest first", complaints),
        ("office", "complaints, open, deadline first", f"{complaints}?state=open&sort=due"),
        ("office", "complaints, page 2", f"{complaints}?page=2"),
        ("office", "complaints, overdue", f"{complaints}?light=red&sort=due"),
        ("office", "service reviews", reverse("hotline:review_list")),
        ("office", "service reviews, page 2", reverse("hotline:review_list") + "?page=2"),
        ("office", "hotline statistics", reverse("hotline:stats")),
        ("office", "supervision dashboard", f"{reverse('supervision:dashboard')}?plan={plan.pk}"),
        ("office", "a circular", circular.get_absolute_url()),
        ("office", "dispatch meetings", reverse("supervision:meetings")),
        ("office", "a dispatch meeting", meeting.get_absolute_url()),
        ("office", "annual assessment", reverse("supervision:assessment", args=[plan.pk])),
        ("leader", "a district leader's page", "leader"),
        ("office", "lights by area", reverse("calendar:lights")),
        ("office", "lights by leader", reverse("calendar:lights") + "?by=leader"),
        ("office", "due this week", reverse("calendar:due_week")),
        ("office", "overdue", reverse("calendar:overdue")),
        ("office", "KPI dashboard", f"{reverse('kpi:dashboard')}?plan={plan.pk}"),
        ("office", "indicator proposals", reverse("kpi:proposal_list")),
        ("office", "visits", reverse("visits:home")),
        ("office", "visits problems", reverse("visits:problem_list")),
        ("office", "visits coverage", reverse("visits:coverage")),
        ("office", "policies", reverse("policies:policy_list")),
        ("office", "policy payouts", reverse("policies:payouts")),
        ("office", "policy schedule", reverse("policies:schedule")),
        ("office", "audit trail", reverse("audit:search")),
    ]


def district_costs(volumes):
    """Simulate one district with these volumes; {page: (queries, their SQL)}, and the data's size."""
    simulate_districts(1, today=TODAY, seed=11, volumes=volumes, progress=None)
    plan = Plan.objects.order_by("-pk").first()
    office = User.objects.get(username=f"sim-office-p{plan.pk}")
    reporter = User.objects.filter(role=Role.REPORTER, region=plan.region, unit__led_measures__plan=plan).first()
    chief = plan.areas.exclude(chief=None).first().chief
    leader = User.objects.create(username="query-count-leader", role=Role.LEADER, leader=chief, region=plan.region)
    users = {"office": office, "reporter": reporter, "leader": leader}
    clients = {}
    costs = {}
    for who, label, url in pages(plan):
        url = {"ledger": reverse("progress:unit_ledger", args=[reporter.unit_id]),
               "leader": reverse("supervision:leader", args=[chief.pk])}.get(url, url)
        if who not in clients:
            clients[who] = Client()
            clients[who].force_login(users[who])
        client = clients[who]
        assert client.get(url).status_code == 200, (label, url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, (label, url)
        costs[label] = [q["sql"] for q in queries.captured_queries]
    size = {"complaints": Complaint.objects.filter(region=plan.region).count(),
            "reviews": Review.objects.count()}
    return costs, size


def shapes(queries):
    """The queries without their literals, counted: what differs between two runs of a page."""
    import re

    return Counter(re.sub(r"\bIN \([^)]*\)", "IN (…)", re.sub(r"\b\d+\b|'[^']*'|\"s\d+_x\d+\"", "?", sql))[:300]
                   for sql in queries)


@pytest.mark.django_db
@override_settings(DUBAN_TODAY=TODAY.isoformat())
def test_lists_and_dashboards_cost_the_same_queries_with_three_times_the_data():
    with transaction.atomic():
        small, small_size = district_costs(SMALL)
        transaction.set_rollback(True)
    large, large_size = district_costs(LARGE)
    assert large_size["complaints"] >= 2.5 * small_size["complaints"], (small_size, large_size)
    assert large_size["reviews"] >= 2.5 * small_size["reviews"], (small_size, large_size)
    # A query repeated more often with more data is a query per row. A query that appears once in the larger
    # district only is a section that was empty in the smaller one (a to-do task with nothing to do costs its
    # count; with something to do, its count and its first rows): not growth.
    grown = {}
    for label in small:
        before, after = shapes(small[label]), shapes(large[label])
        repeated = {sql: n for sql, n in after.items() if n > max(before[sql], 1)}
        if repeated and len(large[label]) > len(small[label]):
            grown[label] = (len(small[label]), len(large[label]), repeated)
    assert grown == {}
