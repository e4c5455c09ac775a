"""`duban tick` chases a visit's problem as it chases a complaint: yellow, red, supervised case — once each.

Visit on Wednesday 2026-09-30 17:45: the general problem is due Tuesday 13 October 17:30.
"""

from io import StringIO

import pytest
from django.core.management import call_command

from duban.api.models import WebhookDelivery, WebhookEndpoint
from duban.visits.models import Problem, ProblemEvent
from duban.conftest import HOME
from duban.hotline.tests.conftest import moment

pytestmark = pytest.mark.django_db


def tick(at):
    out = StringIO()
    call_command("tick", "--job", "visit-problem-escalations", "--now", at, stdout=out)
    return out.getvalue()


def subjects(user):
    """What the user was told (not the summaries of a kind, "fold:…", which count these: test_inbox.py)."""
    return sorted(user.notifications.exclude(key__startswith="fold:").values_list("subject", flat=True))


def test_yellow_red_then_supervised_each_once(record, scjg_reporter, scjg_head, office, cadre):
    WebhookEndpoint.objects.create(region_id=HOME, name="督办平台", url="https://example.invalid/hook", secret="s" * 32,
                                   events=["visit_problem.escalated"])
    problem = record().problems.get()
    scjg_reporter.notifications.all().delete()
    scjg_head.notifications.all().delete()

    assert "0 reminders" in tick("2026-10-09T09:00"), "due Tuesday 13 October: not yet"
    assert "2 reminders" in tick("2026-10-12T09:00"), "due by the next working day: the unit's two people"
    assert subjects(scjg_reporter) == ["Visit problem of 南昌市青云电子科技有限公司: answer by 2026-10-13 17:30"]
    assert "0 reminders" in tick("2026-10-12T10:00"), "nothing twice"

    out = tick("2026-10-14T09:00")
    assert "1 overdue notices" in out, "the unit head"
    problem.refresh_from_db()
    assert problem.overdue_at is not None and problem.supervised_at is None
    assert not office.notifications.exists()

    out = tick("2026-10-14T18:00")  # one working day after the deadline, at close of business
    assert "1 supervised-case notices" in out
    problem.refresh_from_db()
    assert problem.supervised_at is not None
    assert subjects(office)[0].startswith("Supervised case (督办件)")
    assert WebhookDelivery.objects.filter(event="visit_problem.escalated").count() == 1

    out = tick("2026-10-15T09:00")
    assert "0 reminders, 0 overdue notices, 0 supervised-case notices" in out
    assert WebhookDelivery.objects.filter(event="visit_problem.escalated").count() == 1
    kinds = list(ProblemEvent.objects.filter(problem=problem).values_list("kind", flat=True))
    assert kinds == ["routed", "reminded", "overdue", "supervised"]


def test_answered_and_on_spot_problems_are_left_alone(record, scjg_reporter):
    from duban.visits import services

    visit = record(problems=[("scjg", False, "general"), ("scjg", True, "general")])
    routed = visit.problems.get(state=Problem.State.ROUTED)
    services.answer(routed, scjg_reporter, "已办理。")
    assert "0 reminders, 0 overdue notices, 0 supervised-case notices" in tick("2026-10-20T09:00")


def test_the_units_and_the_offices_robots_hear_of_each_step_once(record, units):
    """docs/visits.md promises the unit's group robot when a problem is routed to it; the tick's yellow and red
    go to it too, the supervised case to the office's robot — each once (WeCom and DingTalk alike)."""
    from unittest import mock

    from duban.core.models import DEFAULT_REGION_PK, RobotChannel, RobotMessage

    RobotChannel.objects.create(region_id=HOME, name="市场监管局工作群", kind="wecom", url="http://127.0.0.1:9/robot", unit=units["scjg"])
    RobotChannel.objects.create(name="营商办群", kind="dingtalk", url="http://127.0.0.1:9/office", unit=None,
                                region_id=DEFAULT_REGION_PK)
    with mock.patch("urllib.request.urlopen", side_effect=OSError("refused")):
        problem = record().problems.get()
        for at in ("2026-10-12T09:00", "2026-10-12T10:00", "2026-10-14T09:00", "2026-10-14T18:00",
                   "2026-10-15T09:00"):
            tick(at)
    sent = list(RobotMessage.objects.order_by("pk").values_list("channel__name", "key"))
    assert [name for name, _key in sent] == ["市场监管局工作群"] * 3 + ["营商办群"]
    assert all(str(problem.pk) in key for _name, key in sent)
    assert [key.rsplit(":", 1)[-1] for _name, key in sent][1:] == ["yellow", "red", "supervised"]


def test_one_regions_run_leaves_the_others_problems_alone(record, scjg_reporter):
    """A province's districts are simulated side by side, each running this job for its own region at the end of
    its day: run for another region, it neither reminds of nor settles this region's problems."""
    import datetime

    from duban.core.models import Region
    from duban.visits import escalation

    problem = record().problems.get()
    elsewhere = Region.objects.create(code="360999", name="青山县")
    scjg_reporter.notifications.all().delete()
    at = datetime.datetime.fromisoformat("2026-10-12T09:00+08:00")  # due by the next working day
    assert "0 reminders" in escalation.escalate(at, region_id=elsewhere.pk)
    assert not scjg_reporter.notifications.exists()
    assert ProblemEvent.objects.filter(problem=problem).count() == 1  # routed, nothing since
    assert "1 reminders" in escalation.escalate(at, region_id=HOME)
    assert subjects(scjg_reporter) == ["Visit problem of 南昌市青云电子科技有限公司: answer by 2026-10-13 17:30"]


def test_the_offices_summary_links_to_the_supervised_problems_it_counts(record, scjg_reporter, office):
    """The inbox's "N visit problems supervised" counts the open ones; its link lists those and not the answered."""
    from django.test import Client

    from duban.visits import services

    problems = list(record(problems=[("scjg", False, "general")] * 3).problems.order_by("pk"))
    tick("2026-10-14T18:00")
    services.answer(problems[0], scjg_reporter, "已协调办结。", at=moment("2026-10-15T09:00"))
    summary = office.notifications.get(key="fold:visits-supervised")
    assert summary.subject == "2 visit problems supervised"
    client = Client()
    client.force_login(office)
    page = client.get(summary.url)
    assert page.status_code == 200
    listed = set(page.context["page"].object_list)
    assert listed == set(problems[1:]), "the two still unanswered, as the summary says"
