"""A unit's unsubmitted draft is its own until it submits: others read the version it last submitted
(issue 19; the compare page already hid the draft)."""

import pytest

from duban.accounts.models import Role
from duban.conftest import make_user
from duban.progress import services

from .conftest import write

pytestmark = pytest.mark.django_db

SECRET = "草稿：尚未核实的内部数字 4711"


def page(client, user, report):
    client.force_login(user)
    return client.get(report.get_absolute_url()).content.decode()


def test_a_draft_is_shown_only_to_its_unit(client, report, scjg_reporter, tax_cooperator, office, leader_user):
    write(report, scjg_reporter, done_text=SECRET)
    assert SECRET in page(client, scjg_reporter, report)
    for other in (tax_cooperator, office, leader_user):
        html = page(client, other, report)
        assert SECRET not in html, other.username
        assert "has not submitted this report yet" in html


def test_after_a_return_others_read_the_submitted_version(client, report, scjg_reporter, office, tax_cooperator):
    head = make_user("scjg_head2", Role.UNIT_HEAD, scjg_reporter.unit)
    write(report, scjg_reporter, done_text="已提交的进展")
    report.refresh_from_db()
    services.submit(report, head)
    services.return_for_correction(report, office, "请补充佐证")
    report.refresh_from_db()
    write(report, scjg_reporter, done_text=SECRET)
    for other in (tax_cooperator, office):
        html = page(client, other, report)
        assert "已提交的进展" in html and SECRET not in html
    assert SECRET in page(client, scjg_reporter, report)

