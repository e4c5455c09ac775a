"""Fixtures for the calendar tests: a fresh engine per test, a small plan, a model with a stored deadline."""

import datetime

import pytest
from django.db import connection, models
from django.test.utils import isolate_apps

from duban.calendar import workdays
from duban.plans.models import Area, Leader, Measure, MeasureLeadUnit, Milestone, Plan
from duban.conftest import HOME

with isolate_apps("duban.calendar"):

    class Ticket(models.Model):
        """A stand-in for a complaint: received at a moment, answered within N working days."""

        received_at = models.DateTimeField()
        workdays = models.PositiveSmallIntegerField()
        reply_due = models.DateTimeField(null=True)
        reply_due_provisional = models.BooleanField(default=False)
        closed = models.BooleanField(default=False)

        class Meta:
            app_label = "calendar"
            db_table = "calendar_test_ticket"


@pytest.fixture(autouse=True)
def fresh_engine():
    # Rows created by one test are rolled back without signals; never let
    # the arrays built from them leak into the next test.
    workdays.clear_cache()
    yield
    workdays.clear_cache()


@pytest.fixture(scope="session")
def ticket_table(django_db_setup, django_db_blocker):
    # Outside any transaction: SQLite cannot change its schema inside one.
    with django_db_blocker.unblock():
        with connection.schema_editor() as editor:
            editor.create_model(Ticket)
    return Ticket


@pytest.fixture
def ticket_model(ticket_table, db):
    return ticket_table


def d(text):
    return datetime.date.fromisoformat(text)


@pytest.fixture
def plan_2026(units):
    """A 2026 plan: two areas (one chaired by 胡海), measures led by 市场监管局 and 税务局."""
    plan = Plan.objects.create(region_id=HOME, year=2026, title="2026年营商环境优化升级行动方案")
    leader = Leader.objects.get_or_create(region_id=HOME, name="胡海")[0]
    credit = Area.objects.create(plan=plan, kind=Area.Kind.INDICATOR, name="获得信贷", chief=leader, position=1)
    tax = Area.objects.create(plan=plan, kind=Area.Kind.INDICATOR, name="纳税", position=2)

    def measure(area, number, deadline, unit, completed_on=None):
        m = Measure.objects.create(
            plan=plan, area=area, annex=1, number=number, text=f"举措{number}",
            deadline=d(deadline) if deadline else None, completed_on=d(completed_on) if completed_on else None,
            position=number,
        )
        MeasureLeadUnit.objects.create(measure=m, unit=unit)
        return m

    return {
        "plan": plan,
        "leader": leader,
        "areas": {"credit": credit, "tax": tax},
        # As seen on Wednesday 2026-11-25 with the default 5-day warning:
        "overdue": measure(credit, 1, "2026-11-20", units["scjg"]),
        "this_week": measure(credit, 2, "2026-11-27", units["scjg"]),
        "soon": measure(credit, 3, "2026-12-08", units["scjg"]),
        "later": measure(credit, 4, "2026-12-31", units["scjg"]),
        "done": measure(credit, 5, "2026-11-20", units["scjg"], completed_on="2026-11-19"),
        "done_late": measure(credit, 6, "2026-11-20", units["scjg"], completed_on="2026-11-24"),
        "tax_overdue": measure(tax, 7, "2026-11-23", units["tax"]),
        "milestone": Milestone.objects.create(
            measure=Measure.objects.get(plan=plan, number=4), date=d("2026-11-26"), text="印发工作方案"
        ),
    }
