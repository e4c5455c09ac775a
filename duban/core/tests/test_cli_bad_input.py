"""Every `duban` command answers bad input with one line in Chinese and a failing exit status — never a
traceback, never argparse's English usage (duban/core/cli.py)."""

import re

import pytest
from django.core.management import get_commands

from duban.core import cli

pytestmark = [pytest.mark.django_db, pytest.mark.zh_hans]

# Each of Duban's own commands with bad input, and what its one line must say.
BAD_INPUT = {
    "api_token": (["api-token", "nobody", "--name", "脚本"], "没有名为“nobody”的有效用户"),
    "backup": (["backup"], "缺少参数：path"),
    "calendar": (["calendar", "add-workdays", "2023-02-30", "1"], "“2023-02-30”不是YYYY-MM-DD格式的日期"),
    "circular": (["circular", "--quarter", "2023Q3", "--output", "通报.txt"], "--output 的文件名须以"),
    "createsuperuser": (["createsuperuser", "--no-input", "--username", "root", "--region", "nope"],
                        "没有代码为“nope”的辖区"),
    "demo": (["demo", "--seed", "x"], "--seed：'x' 不是整数"),
    "export_ledger": (["export-ledger", "--plan", "999"], "没有编号为999的方案"),
    "import_plan": (["import-plan", "/nonexistent/方案.txt"], "/nonexistent/方案.txt"),
    "import_reviews": (["import-reviews", "/nonexistent/评价.xlsx", "--user", "office"], "文件不存在"),
    "import_units": (["import-units", "/nonexistent/单位.csv"], "无法读取"),
    "kpi": (["kpi", "nope"], "不在可选范围内"),
    "progress": (["progress", "tallies", "--plan", "999"], "没有编号为999的方案"),
    "region": (["region", "add"], "缺少参数：code, name"),
    "restore": (["restore", "/nonexistent/备份.sqlite3", "--no-input"], "/nonexistent/备份.sqlite3"),
    "simulate": (["simulate", "--plan", "x"], "--plan：'x' 不是整数"),
    "tick": (["tick", "--job", "nope"], "没有这个任务：nope"),
}


def duban(capsys, *args):
    status = cli.run(["duban", *[a.replace("-", "_", 1) if i == 0 else a for i, a in enumerate(args)]])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_every_command_of_duban_has_its_bad_input_case():
    ours = {name for name, app in get_commands().items() if app.startswith("duban.")}
    assert ours == set(BAD_INPUT)


@pytest.mark.parametrize("command", sorted(BAD_INPUT))
def test_bad_input_gets_one_line(command, capsys, settings, office):
    args, expected = BAD_INPUT[command]
    status, out, err = duban(capsys, *args)
    assert status != 0
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err and "usage:" not in err and "error:" not in err
    assert lines[0].startswith(f"duban {args[0]}: ")
    assert expected in lines[0]


def test_an_unexpected_failure_is_one_line_too(capsys, monkeypatch):
    from duban.core import tick

    def broken(*args, **kwargs):
        raise RuntimeError("数据库连接中断\n第二行")

    monkeypatch.setattr(tick, "run_jobs", broken)
    status, _out, err = duban(capsys, "tick")
    assert status == 1
    assert err.strip() == "duban tick: 执行失败：数据库连接中断（加 --traceback 重新运行可查看详情）"


def test_traceback_on_request(capsys, monkeypatch):
    from duban.core import tick

    monkeypatch.setattr(tick, "run_jobs", lambda *a, **k: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        duban(capsys, "tick", "--traceback")


def test_is_workday_in_a_year_without_a_notice_says_so_on_its_own_line(capsys):
    status, out, err = duban(capsys, "calendar", "is-workday", "2027-05-01")
    assert status == 0
    assert out.strip() == "否 劳动节 暂定"
    assert re.fullmatch(r"2027年节假日安排尚未录入，期限为暂定", err.strip())


def test_a_good_answer_is_left_alone(capsys):
    assert duban(capsys, "calendar", "add-workdays", "2023-09-28", "1")[:2] == (0, "2023-10-07\n")
