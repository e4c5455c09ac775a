"""`duban createsuperuser` names the account's region: unasked on a one-region site, by --region (or asked in a
terminal) on a site with several, and bad input is one line in Chinese (duban/core/cli.py)."""

import pytest
from django.core.management import call_command
from django.db import connections

from duban.accounts.models import User
from duban.conftest import HOME
from duban.core.models import Region
from duban.core.tests.test_cli_bad_input import duban

pytestmark = [pytest.mark.django_db, pytest.mark.zh_hans]


@pytest.fixture(autouse=True)
def _password(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a-long-enough-password")
    # A command run as from the shell closes every connection when it ends; on PostgreSQL that would end the
    # test's own, inside its transaction (SQLite's in-memory database is never closed).
    monkeypatch.setattr(connections, "close_all", lambda: None)


def create(capsys, *options):
    return duban(capsys, "createsuperuser", "--no-input", "--username", "root", "--email", "root@example.invalid",
                 *options)


def test_a_one_region_site_needs_no_region(capsys):
    status, _out, err = create(capsys)
    assert (status, err) == (0, "")
    user = User.objects.get(username="root")
    assert user.is_superuser and user.region_id == HOME


def test_several_regions_without_one_named_are_refused_in_one_line(capsys):
    Region.objects.create(code="360104", name="邻区")
    status, _out, err = create(capsys)
    assert status != 0
    assert err.strip().splitlines() == [
        "duban createsuperuser: 本站有多个辖区，请用 --region 代码 指明账号所属辖区（辖区代码：360104, default）"]
    assert not User.objects.filter(username="root").exists()


def test_region_names_the_accounts_region(capsys):
    neighbour = Region.objects.create(code="360104", name="邻区")
    status, _out, err = create(capsys, "--region", "360104")
    assert (status, err) == (0, "")
    assert User.objects.get(username="root").region == neighbour


def test_an_unknown_region_is_one_line(capsys):
    Region.objects.create(code="360104", name="邻区")
    status, _out, err = create(capsys, "--region", "360199")
    assert status != 0
    assert err.strip().splitlines() == ["duban createsuperuser: 没有代码为“360199”的辖区（辖区代码：360104, default）"]
    assert not User.objects.exists()


def test_in_a_terminal_it_asks_for_the_region(monkeypatch, capsys):
    import io

    neighbour = Region.objects.create(code="360104", name="邻区")
    answers = iter(["360199", "360104"])
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    # Django's own questions (username, e-mail, password) are answered by the options and the environment.
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "a-long-enough-password")
    call_command("createsuperuser", "--username", "root", "--email", "root@example.invalid", stdin=Terminal())
    assert User.objects.get(username="root").region == neighbour
    assert "没有代码为“360199”的辖区" in capsys.readouterr().err
