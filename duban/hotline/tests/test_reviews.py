"""Service reviews (好差评): a bad one opens a rectification due in 1 working day; the unit fixes, the office checks."""

import pytest

from duban.core.models import Notification
from duban.core.notify import topic
from duban.hotline import reviews
from duban.hotline.models import Appeal, PersonalDataAccess, Rectification, Review
from duban.hotline.stats import review_figures

from .conftest import client_for, moment

pytestmark = pytest.mark.django_db


def review_data(units, **overrides):
    data = {
        "unit": units["scjg"].pk, "window": "3号窗口", "matter": "食品经营许可", "level": 1,
        "comment": "材料反复退回，态度差", "reviewer_name": "赵六", "reviewer_mobile": "13700001234",
        "channel": "window", "reviewed_at": "2026-09-30T16:50", "external_ref": "",
    }
    data.update(overrides)
    return data


def test_office_records_a_bad_review_and_the_unit_is_told(units, office, scjg_reporter, clock_at):
    clock_at("2026-09-30T17:00")
    response = client_for(office).post("/hotline/reviews/new/", review_data(units))
    review = Review.objects.get()
    assert response.status_code == 302 and response.url == review.get_absolute_url()
    rectification = review.rectification
    # Opened at 17:00 on the eve of National Day: due at close of business that day.
    assert rectification.due_at == moment("2026-09-30T17:30")
    assert scjg_reporter.notifications.filter(subject__startswith="Bad review to rectify").exists()


def test_opened_after_hours_the_rectification_waits_for_the_next_working_day(units, clock_at):
    clock_at("2026-09-30T18:10")
    review = reviews.record(unit=units["scjg"], matter="营业执照变更", level=2, reviewed_at=moment("2026-09-30T18:00"))
    assert review.rectification.due_at == moment("2026-10-08T17:30")


def test_good_reviews_open_nothing(units, office, clock_at):
    clock_at("2026-09-30T17:00")
    response = client_for(office).post("/hotline/reviews/new/", review_data(units, level=3))
    assert response.status_code == 302
    assert not Rectification.objects.exists()


def test_review_form_refuses_bad_input(units, office, clock_at):
    clock_at("2026-09-30T17:00")
    response = client_for(office).post("/hotline/reviews/new/", review_data(
        units, level=7, reviewer_mobile="123", reviewed_at="2026-12-01T10:00"))
    page = response.content.decode()
    assert response.status_code == 400
    assert "Select a valid choice." in page and "Enter an 11-digit mainland mobile number" in page
    assert "This time is in the future." in page
    assert not Review.objects.exists()


def test_rectify_check_and_call_back(units, office, scjg_reporter, tax_reporter, clock_at):
    clock_at("2026-10-08T09:00")
    review = reviews.record(unit=units["scjg"], matter="食品经营许可", level=1, reviewed_at=moment("2026-10-08T08:50"),
                            reviewer_name="赵六", reviewer_mobile="13700001234")
    url = review.get_absolute_url()
    as_unit, as_office = client_for(scjg_reporter), client_for(office)
    assert client_for(tax_reporter).get(url).status_code == 404

    page = as_unit.get(url).content.decode()
    assert "137****1234" in page and 'id="step-submit"' in page and 'id="step-check"' not in page
    assert "13700001234" in as_unit.post(f"{url}reveal/", {"reason": "回访评价人"}).content.decode()
    assert as_unit.post(f"{url}step/check/", {"check-decision": "accept"}).status_code == 403

    clock_at("2026-10-08T15:00")
    assert as_unit.post(f"{url}step/submit/", {"submit-action_taken": "已约谈窗口人员并一次性告知材料清单"}).status_code == 302
    clock_at("2026-10-09T09:00")
    response = as_office.post(f"{url}step/check/", {"check-decision": "send_back"})
    assert response.status_code == 400 and "Say what is still missing." in response.content.decode()
    as_office.post(f"{url}step/check/", {"check-decision": "send_back", "check-note": "请补充整改照片"})
    rectification = Rectification.objects.get()
    assert rectification.state == Rectification.State.OPEN

    clock_at("2026-10-09T10:00")
    as_unit.post(f"{url}step/submit/", {"submit-action_taken": "已补充整改照片"})
    as_office.post(f"{url}step/check/", {"check-decision": "accept"})
    as_office.post(f"{url}step/callback/", {"callback-satisfied": "yes", "callback-note": "企业表示认可"})
    rectification.refresh_from_db()
    assert rectification.state == Rectification.State.ACCEPTED
    assert rectification.rectified_at == moment("2026-10-09T10:00")
    assert rectification.on_time is False, "due 8 October 17:30, rectified the next morning"
    assert rectification.callback_satisfied is True
    kinds = list(rectification.events.values_list("kind", "actor__username"))
    assert kinds == [("opened", None), ("submitted", "scjg_reporter"), ("sent_back", "office"),
                     ("submitted", "scjg_reporter"), ("accepted", "office"), ("callback", "office")]
    # Only the unit's reveal: pages show the reviewer masked until someone asks, with a reason.
    assert list(PersonalDataAccess.objects.filter(review=review).values_list("user__username", flat=True).order_by("pk")) == [
        "scjg_reporter"]


def test_reviewer_details_are_masked_for_a_leader(units, leader_user, clock_at):
    clock_at("2026-10-08T09:00")
    review = reviews.record(unit=units["scjg"], matter="x", level=5, reviewed_at=moment("2026-10-08T08:50"),
                            reviewer_name="赵六", reviewer_mobile="13700001234")
    page = client_for(leader_user).get(review.get_absolute_url()).content.decode()
    assert "137****1234" in page and "赵*" in page and "13700001234" not in page


def test_an_upheld_appeal_withdraws_the_rectification_and_leaves_the_rates(units, office, scjg_head, clock_at):
    clock_at("2026-10-08T09:00")
    unfair = reviews.record(unit=units["scjg"], matter="x", level=1, reviewed_at=moment("2026-10-08T08:50"))
    reviews.record(unit=units["scjg"], matter="y", level=5, reviewed_at=moment("2026-10-08T08:55"))
    url = unfair.get_absolute_url()
    assert client_for(scjg_head).post(f"{url}step/appeal/", {"appeal-reason": "评价人误点，已电话确认"}).status_code == 302
    assert client_for(office).post(f"{url}step/decide-appeal/", {"decide-appeal-decision": "uphold",
                                                               "decide-appeal-note": "经核实属误评"}).status_code == 302
    unfair.refresh_from_db()
    assert unfair.appeal.state == Appeal.State.UPHELD
    assert unfair.rectification.state == Rectification.State.WITHDRAWN
    # Nothing left to rectify: no note about it waits unread (the decision is in the list of messages).
    assert not Notification.objects.filter(about=topic(unfair.rectification), read_at=None).exists()
    assert scjg_head.notifications.filter(about=topic(unfair.rectification)).exists()
    total = review_figures(by=())[0]
    assert (total.reviews, total.positive, total.bad) == (1, 1, 0)
    assert client_for(scjg_head).post(f"{url}step/appeal/", {"appeal-reason": "again"}).status_code == 409


def test_review_rates_per_unit_and_month(units, clock_at):
    clock_at("2026-11-02T09:00")
    for level, day in [(5, "2026-09-03"), (4, "2026-09-04"), (3, "2026-09-05"), (2, "2026-09-07"), (1, "2026-10-09")]:
        reviews.record(unit=units["scjg"], matter="m", level=level, reviewed_at=moment(f"{day}T10:00"))
    reviews.record(unit=units["tax"], matter="m", level=5, reviewed_at=moment("2026-09-03T10:00"))
    september = Rectification.objects.get(review__level=2)
    reviews.submit(september, None, action_taken="已整改")
    reviews.accept(september, None)
    rows = {(f.unit.name, f"{f.month:%m}"): f for f in review_figures()}
    scjg_september = rows[("区市场监管局", "09")]
    assert (scjg_september.reviews, scjg_september.positive, scjg_september.bad) == (4, 3, 1)
    assert scjg_september.positive_rate == 0.75 and scjg_september.rectification_rate == 1.0
    # Entered on 2 November: its one working day counts from then, not from the rating in September.
    assert scjg_september.on_time_rate == 1.0
    assert rows[("区市场监管局", "10")].rectification_rate == 0.0
    assert rows[("区税务局", "09")].positive_rate == 1.0
