"""`duban kpi …` on a small plan: propose, list, attainment, export and import."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from .test_spreadsheet import row, xlsx

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("kpi", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_propose_and_list(kpi):
    kpi.startup.narrative = "企业开办压缩至0.5个工作日，“半日办结率”达到96%以上。"
    kpi.startup.save()
    out, _ = run("propose", "--plan", str(kpi.plan.pk))
    assert out.strip().endswith("2 targets found, 2 new, 0 already proposed, 0 removed, 0 conflicting pairs")
    out, _ = run("propose")  # the latest plan by default, and nothing new
    assert "0 new, 2 already proposed" in out
    out, _ = run("proposals")
    assert "开办企业 | 企业开办 at_most 0.5 工作日" in out
    rows = json.loads(run("proposals", "--format", "json", "--status", "proposed")[0])
    assert [(r["subject"], r["value"], r["unit"], r["direction"], r["status"]) for r in rows] == [
        ("企业开办", 0.5, "工作日", "at_most", "proposed"), ("“半日办结率”", 96, "%", "at_least", "proposed")]
    assert rows[0]["text"] == "企业开办压缩至0.5个工作日，“半日办结率”达到96%以上。"
    assert json.loads(run("proposals", "--format", "json", "--status", "discarded")[0]) == []


def test_attainment_as_json(kpi):
    rows = json.loads(run("attainment", "--date", "2023-08-10", "--format", "json")[0])
    by_name = {r["name"]: r for r in rows}
    assert (by_name["企业开办时间"]["status"], by_name["企业开办时间"]["latest"]) == ("met", 0.5)
    assert by_name["纳税时间"] == {"metric": kpi.hours.pk, "name": "纳税时间", "area": "纳税", "status": "on_track",
                                  "rate": 87.5, "latest": 80, "period": "2023-Q1"}
    assert by_name["全省营商环境评价排名"]["area"] is None
    assert "no_data" in run("attainment", "--date", "2023-08-10")[0]


def test_export_then_import(kpi, scjg_reporter, tmp_path):
    path = tmp_path / "values.xlsx"
    run("export", str(path), "--unit", "区市场监管局")
    assert path.stat().st_size > 0
    good = tmp_path / "good.xlsx"
    good.write_bytes(xlsx([row(kpi.rate, "2023-Q1", 91)]).getvalue())
    out, _ = run("import", str(good), "--user", "scjg_reporter", "--dry-run")
    assert out.startswith("Dry run, nothing saved: 1 new")
    assert not kpi.rate.values.exists()
    out, _ = run("import", str(good), "--user", "scjg_reporter")
    assert out.startswith("Imported: 1 new")
    assert kpi.rate.values.get().value == 91


def test_import_errors_go_to_stderr_and_fail(kpi, scjg_reporter, tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(xlsx([row(kpi.hours, "2023-Q2", 75)]).getvalue())
    err = StringIO()
    with pytest.raises(CommandError, match="1 problems; nothing was saved"):
        call_command("kpi", "import", str(bad), "--user", "scjg_reporter", stdout=StringIO(), stderr=err)
    assert "bad.xlsx: Row 2, column A (指标编号): you may not report values" in err.getvalue()
    with pytest.raises(CommandError, match="There is no user named nobody"):
        run("import", str(bad), "--user", "nobody")
    with pytest.raises(CommandError, match="missing.xlsx"):
        run("import", str(tmp_path / "missing.xlsx"), "--user", "scjg_reporter")


def test_without_a_plan(db):
    with pytest.raises(CommandError, match="No plan has been imported yet"):
        run("propose")
    with pytest.raises(CommandError, match="There is no plan with id 42"):
        run("proposals", "--plan", "42")
