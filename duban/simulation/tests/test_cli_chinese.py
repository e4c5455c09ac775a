"""`duban tick` and `duban simulate` speak Chinese to a Chinese operator: every line they print on success,
with each count named in words (issue 18: no English reaches a zh-Hans user, CLI output included)."""

from io import StringIO

import pytest
from django.core.management import call_command

from duban.core import tick
from duban.plans.models import Plan
from duban.plans.services import import_plan_file
from duban.plans.units import import_unit_directory
from duban.simulation.management.commands.simulate import timing_labels
from duban.tests_security.test_chinese_pages import english_words

from .test_simulation import DEMO_DIR

pytestmark = [pytest.mark.django_db, pytest.mark.zh_hans]


def assert_chinese(output):
    lines = [line for line in output.splitlines() if line.strip()]
    assert lines
    for line in lines:
        assert not english_words(line), f"English in “{line}”: {english_words(line)}"


def test_tick_prints_each_job_and_its_counts_in_chinese(office):
    out = StringIO()
    call_command("tick", "--now", "2026-02-12T09:00:00", stdout=out)
    assert_chinese(out.getvalue())
    lines = out.getvalue().splitlines()
    assert len(lines) == len(tick.JOBS)  # one line a job, none left out
    assert "进展报送提醒：即将到期提醒 0 条，逾期提醒 0 条，久未更新提醒 0 条，未开启轮次提醒 0 条" in lines
    assert "热线办理期限：到期提醒 0 条，逾期通知 0 条，督办通知 0 条" in lines
    assert "每日待办汇总：已发汇总 0，群机器人消息 0" in lines
    out = StringIO()
    call_command("tick", "--now", "2026-02-12T20:00:00", "--job", "progress-reminders", stdout=out)
    assert out.getvalue().strip() == "进展报送提醒：非工作时间，未发送"


def test_a_failed_or_skipped_job_is_told_in_chinese(monkeypatch):
    monkeypatch.setattr(tick, "run_jobs", lambda *a, **k: {"progress-reminders": "error: database is locked",
                                                         "hotline-escalations": tick.SKIPPED})
    out = StringIO()
    call_command("tick", stdout=out)
    assert out.getvalue().splitlines() == ["进展报送提醒：失败：database is locked",
                                           "热线办理期限：已跳过：另一台服务器正在运行"]


def test_simulate_prints_chinese(settings, tmp_path):
    settings.DEBUG = True
    settings.MEDIA_ROOT = tmp_path
    import_unit_directory((DEMO_DIR / "xihu-units.csv").read_text(encoding="utf-8"))
    plan = Plan.objects.get(pk=import_plan_file(DEMO_DIR / "xihu-2023-action-plan.txt", keep_source=False)["plan"])
    plan.areas.exclude(pk__in=list(plan.areas.order_by("position").values_list("pk", flat=True)[:2])).delete()
    out = StringIO()
    call_command("simulate", "--plan", str(plan.pk), "--today", "2023-02-20", "--check", "--fingerprint",
                 stdout=out)
    assert_chinese(out.getvalue())
    assert "业务规则检查全部通过" in out.getvalue() and "数据指纹" in out.getvalue()
    assert "随机种子" in out.getvalue()


def test_every_part_of_a_provinces_cpu_time_has_its_words():
    """The parts `simulate --districts` times (districts.py, bulk.py, indexes.py) are all named in Chinese."""
    import inspect
    import re

    from duban.simulation import bulk, districts, indexes

    named = set()
    for module in (bulk, districts, indexes):
        source = inspect.getsource(module)
        named |= set(re.findall(r'timings\["([^"]+)"\]', source)) | set(re.findall(r'_time\("([^"]+)"', source))
    labels = timing_labels()
    assert named and named <= set(labels), named - set(labels)
    for words in labels.values():
        assert not english_words(str(words))
