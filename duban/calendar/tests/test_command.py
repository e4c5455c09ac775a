"""`duban calendar …` as an operator or a script uses it."""

import io
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from duban.calendar import deadlines
from duban.calendar.models import Notice

DATA = Path(__file__).parent / "data"

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    with translation.override("zh-hans"):
        call_command("calendar", *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue().strip()


def test_add_workdays_prints_an_iso_date():
    assert run("add-workdays", "2025-09-30", "3") == ("2025-10-11", "")


def test_add_workdays_backwards():
    assert run("add-workdays", "2026-02-24", "-1")[0] == "2026-02-14"


def test_add_workdays_into_2027_is_provisional():
    out, err = run("add-workdays", "2026-12-25", "5")
    assert out == "2027-01-04 暂定"
    assert err == "2027年节假日安排尚未录入，期限为暂定"


def test_between():
    assert run("between", "2026-09-18", "2026-10-12") == ("12", "")


def test_is_workday_gives_the_reason():
    assert run("is-workday", "2026-02-17")[0] == "否 春节"
    assert run("is-workday", "2026-02-14")[0] == "是 调休上班（春节）"
    assert run("is-workday", "2026-03-07")[0] == "否 周末"
    assert run("is-workday", "2026-03-09")[0] == "是 工作日"
    assert run("is-workday", "2027-01-01")[0] == "否 元旦 暂定"


def test_bad_date():
    with pytest.raises(CommandError, match="2026-02-30"):
        run("is-workday", "2026-02-30")


def test_beyond_the_calendar():
    with pytest.raises(CommandError, match="2300"):
        run("is-workday", "2300-01-01")


def test_import_a_notice():
    out, _err = run("import", str(DATA / "notice-2025.txt"))
    assert "国务院办公厅关于2025年部分节假日安排的通知" in out
    # 1 + 8 + 3 + 5 + 3 + 8 days off; 2 + 1 + 2 worked weekend days.
    assert "28" in out and "5" in out
    assert Notice.objects.get(year=2025).source == "notice-2025.txt"


def test_import_dry_run_stores_nothing():
    before = Notice.objects.get(year=2026).pk
    out, _err = run("import", "--dry-run", str(DATA / "notice-2026.txt"))
    assert "2026-02-14 workday 春节" in out.splitlines()
    assert Notice.objects.get(year=2026).pk == before


def test_import_a_gb18030_file(tmp_path):
    path = tmp_path / "notice.txt"
    path.write_bytes((DATA / "notice-2026.txt").read_text(encoding="utf-8").encode("gb18030"))
    out, _err = run("import", str(path))
    assert "2026" in out


def test_a_bad_notice_names_file_and_line(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_text("关于2026年部分节假日安排的通知\n\n一、元旦：1月1日（周五）放假，共1天。\n", encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        run("import", str(path))
    assert str(caught.value).startswith(f"{path}:3: ")


def test_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="missing.txt"):
        run("import", str(tmp_path / "missing.txt"))


def test_recompute_without_registrations(monkeypatch):
    monkeypatch.setattr(deadlines, "_registry", {})
    assert run("recompute")[0] == "没有登记需要重算的期限，无需重算。"


@pytest.mark.django_db(transaction=False)
def test_the_shell_command_exits_non_zero_on_a_bad_file(tmp_path):
    # The real `duban` entry point, as cron or an operator runs it.
    path = tmp_path / "bad.txt"
    path.write_text("关于2026年部分节假日安排的通知\n一、元旦：1月1日（周四）放假，共2天。\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "duban", "calendar", "import", "--dry-run", str(path)],
        capture_output=True, text=True, env={"DUBAN_VAR_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode != 0
    assert f"{path}:2:" in result.stderr
