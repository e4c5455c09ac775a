"""Complaints and reviews in supervision: supervised cases on the agenda, figures per unit."""

import datetime

import pytest
from django.test import override_settings
from django.utils import timezone

from duban.hotline import flow, reviews
from duban.hotline.models import Category, Complaint, Review
from duban.plans.tests import factories
from duban.supervision.agenda import draft_agenda
from duban.supervision.models import DispatchMeeting
from duban.supervision.statistics import Period, unit_table

pytestmark = pytest.mark.django_db
D = datetime.date


def T(*args):
    return timezone.make_aware(datetime.datetime(*args))


@pytest.fixture
def activity(units, office, settings):
    plan = factories.plan()
    area = factories.area(plan, "开办企业", chief="胡海")
    factories.measure(area, "全程网办", lead=[units["scjg"]], deadline="2023-12-31")
    category = Category.objects.create(name="开办企业", area=area)
    # Two complaints for 区市场监管局 in July: one replied on time and satisfied, one supervised and open.
    done = flow.receive(category=category, company_name="甲公司", contact_name="张三", mobile="13800138000",
                        description="营业执照办理慢", received_at=T(2023, 7, 3, 9))
    flow.contact(done, office, note="已电话联系", at=T(2023, 7, 3, 10))
    settings.DUBAN_TODAY = "2023-07-04T10:00"  # the steps below happen on the office's clock
    flow.classify(done, office, difficulty="general")
    flow.assign(done, office, lead_unit=units["scjg"])
    flow.start(done, office)
    flow.reply(done, office, text="已办结", resolution="resolved")
    flow.callback(done, office, satisfied=True)
    late = flow.receive(category=category, company_name="乙公司", contact_name="李四", mobile="13900139000",
                        description="窗口推诿", received_at=T(2023, 7, 10, 9))
    flow.contact(late, office, note="已联系", at=T(2023, 7, 10, 10))
    flow.classify(late, office, difficulty="general")
    flow.assign(late, office, lead_unit=units["scjg"])
    Complaint.objects.filter(pk=late.pk).update(supervised_at=T(2023, 7, 20, 9))
    # Reviews: 3 for 区市场监管局 in August, one bad and not rectified.
    for level in (5, 4, 2):
        reviews.record(unit=units["scjg"], matter="营业执照", level=level, reviewed_at=T(2023, 8, 1, 10))
    return plan


@override_settings(DUBAN_TODAY="2023-10-20")
def test_supervised_complaint_on_the_agenda_without_personal_data(activity):
    meeting = DispatchMeeting.objects.create(plan=activity, title="第五次双月调度会", held_on=D(2023, 10, 20))
    draft_agenda(meeting)
    [item] = meeting.agenda.filter(kind="supervised_complaint")
    assert "窗口推诿" in item.detail and "李四" not in item.detail + item.title and "139" not in item.detail


def test_complaint_and_review_figures(activity):
    _, rows = unit_table(activity, Period.quarter("2023Q3", D(2023, 10, 20)))
    [row] = [r for r in rows if r.unit.name == "区市场监管局"]
    values = {k: row.values[k] for k in ("complaints", "satisfaction_rate", "escalations", "positive_review_rate")}
    assert values == {"complaints": 2, "satisfaction_rate": 100.0, "escalations": 1, "positive_review_rate": 66.7}
    assert row.values["rectification_on_time_rate"] == 0.0
    assert Review.objects.count() == 3
