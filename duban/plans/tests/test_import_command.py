"""`duban import-plan`: summaries, dry runs, re-imports and files it must refuse."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from duban.plans.models import Area, Measure, Plan, Unit

from .conftest import SEED, SEED_MEASURES

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command("import_plan", *map(str, args), stdout=out)
    return out.getvalue()


def table_counts():
    return Plan.objects.count(), Area.objects.count(), Measure.objects.count(), Unit.objects.count()


def test_dry_run_json_summary_changes_nothing():
    before = table_counts()
    summary = json.loads(run(SEED, "--dry-run", "--format", "json"))
    assert {k: summary[k] for k in ("areas", "tasks", "measures")} == {"areas": 24, "tasks": 19, "measures": SEED_MEASURES}
    assert summary["units"] > 40 and isinstance(summary["warnings"], list)
    assert summary["dry_run"] is True
    assert table_counts() == before


def test_real_run_json_matches_dry_run():
    dry = json.loads(run(SEED, "--dry-run", "--format", "json"))
    real = json.loads(run(SEED, "--format", "json"))
    assert {k: real[k] for k in ("areas", "tasks", "measures", "units")} == {
        k: dry[k] for k in ("areas", "tasks", "measures", "units")}
    # The same warnings, the dry run's saying what it would do with the units not in the directory.
    assert real["warnings"][:-1] == dry["warnings"][:-1]
    assert "would be added as proposals" in dry["warnings"][-1] and "were added as proposals" in real["warnings"][-1]
    assert Measure.objects.count() == SEED_MEASURES
    assert Plan.objects.get().source_file.name.endswith(".txt")


def test_text_summary_lists_warnings_with_file_and_line():
    out = run(SEED, "--dry-run")
    assert f"24 areas, 19 tasks, {SEED_MEASURES} measures" in out
    assert "warning: xihu-2023-action-plan.txt:241:" in out


def test_reimport_is_refused_then_replaced():
    run(SEED)
    with pytest.raises(CommandError, match="already imported.*--replace"):
        run(SEED)
    assert Measure.objects.count() == SEED_MEASURES
    run(SEED, "--replace")
    assert Plan.objects.count() == 1 and Measure.objects.count() == SEED_MEASURES


@pytest.mark.parametrize("content, message", [
    (b"", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a text file"),
    (b"\xff\xfe\xfa\xfb\xfc" * 10 + "附件 1".encode("utf-16"), "not a text file|cannot be read"),
    ("随便写的一段话，不是方案。\n".encode(), "no plan items and no task-list table"),
])
def test_unreadable_files_are_refused_and_change_nothing(tmp_path, content, message):
    path = tmp_path / "plan.txt"
    path.write_bytes(content)
    before = table_counts()
    with pytest.raises(CommandError, match=message):
        run(path)
    assert table_counts() == before


def test_table_without_measure_column_is_refused(tmp_path):
    text = SEED.read_text(encoding="utf-8").replace("工作举措", "工作内容")
    path = tmp_path / "plan.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError, match=r"plan.txt 第\d+行, 附件1: the task-list table has no column 工作举措"):
        run(path)
    assert table_counts() == (0, 0, 0, 0)


def test_gb18030_text_is_read(tmp_path):
    path = tmp_path / "plan-gbk.txt"
    path.write_bytes(SEED.read_text(encoding="utf-8").encode("gb18030"))
    summary = json.loads(run(path, "--dry-run", "--format", "json"))
    assert summary["measures"] == SEED_MEASURES


def test_missing_file_and_legacy_formats(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        run(tmp_path / "nope.txt")
    legacy = tmp_path / "plan.xls"
    legacy.write_bytes(b"\xd0\xcf\x11\xe0")
    # Converted by LibreOffice like any old workbook (which makes an empty sheet of these bytes): nothing to import.
    with pytest.raises(CommandError, match=r"plan\.xls: no plan items and no task-list table found"):
        run(legacy)


def test_unplaceable_row_is_a_warning_not_silence(tmp_path):
    lines = SEED.read_text(encoding="utf-8").split("\n")
    header = next(i for i, line in enumerate(lines) if line.startswith("序号\t专项行动"))
    lines.insert(header + 1, "\t\t\t\t\t\t\t\t2023年9月30日")
    path = tmp_path / "plan.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    summary = json.loads(run(path, "--dry-run", "--format", "json"))
    assert any(w.startswith(f"plan.txt:{header + 2}: row not understood") for w in summary["warnings"])


def test_import_proposes_the_plans_targets_in_the_same_transaction():
    summary = json.loads(run(SEED, "--dry-run", "--format", "json"))
    from duban.kpi.models import Proposal

    assert not Proposal.objects.exists()  # rolled back with the dry run
    run(SEED)
    assert Proposal.objects.filter(text__contains="0.5").exists()
    assert summary["dry_run"] is True
