from io import StringIO
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command

from duban.core import tick
from duban.core.models import Notification, RobotChannel, RobotMessage
from duban.core.notify import notify, post_to_robots
from duban.conftest import HOME

pytestmark = pytest.mark.django_db


def test_notify_once_per_key(scjg_reporter):
    scjg_reporter.email = "li@example.org"
    scjg_reporter.save()
    assert len(notify([scjg_reporter], "report-due:1", "请填报")) == 1
    assert notify([scjg_reporter], "report-due:1", "请填报") == []
    assert Notification.objects.filter(user=scjg_reporter).count() == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["li@example.org"]


def test_asking_again_costs_one_query_whoever_was_told(scjg_reporter, tax_reporter, office,
                                                     django_assert_num_queries):
    people = [scjg_reporter, tax_reporter, office]
    assert len(notify(people[:2], "overdue:round1", "逾期")) == 2
    with django_assert_num_queries(4):  # the look-up, then the newcomer's savepoint, insert and release
        assert [n.user for n in notify(people, "overdue:round1", "逾期")] == [office]
    with django_assert_num_queries(1):  # a tick's usual case: everybody has it
        assert notify(people, "overdue:round1", "逾期") == []
    assert Notification.objects.filter(key="overdue:round1").count() == 3


def test_inactive_users_get_nothing(scjg_reporter):
    scjg_reporter.is_active = False
    scjg_reporter.save()
    assert notify([scjg_reporter], "k", "s") == []


def test_robot_posts_once_and_records_failures(units):
    RobotChannel.objects.create(region_id=HOME, name="市场监管局群", kind="wecom", url="http://127.0.0.1:9/robot", unit=units["scjg"])
    with mock.patch("urllib.request.urlopen", side_effect=OSError("refused")):
        sent = post_to_robots(units["scjg"], "overdue:7", "举措7已逾期")
        assert post_to_robots(units["scjg"], "overdue:7", "举措7已逾期") == []
    assert len(sent) == 1 and RobotMessage.objects.get().status.startswith("error")


def test_tick_runs_registered_jobs_and_isolates_failures(monkeypatch):
    calls = []
    monkeypatch.setattr(tick, "JOBS", {})
    monkeypatch.setattr(tick, "TITLES", {})
    tick.job("ok")(lambda now: calls.append(now) or "1 sent")
    tick.job("broken")(lambda now: 1 / 0)
    out = StringIO()
    call_command("tick", "--now", "2026-02-13T17:45:00", stdout=out)
    assert "ok: 1 sent" in out.getvalue() and "broken: failed: division by zero" in out.getvalue()
    assert calls[0].isoformat().startswith("2026-02-13T17:45:00")
