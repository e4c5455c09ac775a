"""`duban backup` then `duban restore` gives back every row of every table."""

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

from duban.audit.backup import BackupError, detect_format
from duban.audit.models import Entry
from duban.plans.models import Area, Measure, MeasureLeadUnit, Plan, Unit
from duban.conftest import HOME


def every_table():
    tables = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            rows = list(model._base_manager.order_by("pk").values())
            if model._meta.auto_created:
                # A many-to-many link table's own id means nothing; a JSON restore renumbers it.
                rows = sorted((tuple(sorted((k, v) for k, v in row.items() if k != "id")) for row in rows))
            tables[model._meta.db_table] = rows
    return tables


def some_data(units, scjg_reporter):
    plan = Plan.objects.create(region_id=HOME, year=2026, title="行动方案", document_number="测办发〔2026〕9号")
    area = Area.objects.create(plan=plan, kind=Area.Kind.INDICATOR, name="纳税")
    area.lead_units.add(units["tax"])
    measure = Measure.objects.create(plan=plan, area=area, text="压缩办税时间", deadline="2026-06-30")
    MeasureLeadUnit.objects.create(measure=measure, unit=units["tax"])
    return plan


def round_trip(tmp_path, fmt):
    path = tmp_path / f"duban.{fmt}"
    before = every_table()
    call_command("backup", str(path), format=fmt, stdout=open("/dev/null", "w"))
    assert detect_format(path) == fmt
    # Change things after the backup: all of it must be undone by the restore.
    Plan.objects.all().delete()
    Unit.objects.create(region_id=HOME, name="区数据局")
    call_command("restore", str(path), no_input=True, interactive=False, stdout=open("/dev/null", "w"))
    after = every_table()
    # The restore itself is recorded in the audit trail: the only new row.
    old_entries = before.pop(Entry._meta.db_table)
    new_entries = [row for row in after.pop(Entry._meta.db_table) if row not in old_entries]
    old = {e["id"]: e for e in old_entries}
    assert [e["detail"].split(" ")[0] for e in new_entries] == ["restore"], [(e, old.get(e["id"])) for e in new_entries]
    assert after == before
    assert any(after.values())


@pytest.mark.django_db(transaction=True)
def test_json_round_trip_on_any_database(tmp_path, units, scjg_reporter):
    some_data(units, scjg_reporter)
    round_trip(tmp_path, "json")


@pytest.mark.django_db(transaction=True)
def test_native_round_trip(tmp_path, units, scjg_reporter):
    """SQLite's online backup API, or pg_dump/pg_restore on PostgreSQL (tools/run-tests runs both)."""
    some_data(units, scjg_reporter)
    if connection.vendor == "sqlite":
        round_trip(tmp_path, "sqlite")
    elif connection.vendor == "postgresql":
        round_trip(tmp_path, "pg_dump")
    else:
        pytest.skip(f"no native backup for {connection.vendor}; the JSON round trip covers it")


def test_refuses_what_is_not_a_backup(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("hello")
    with pytest.raises(BackupError, match="not a Duban backup"):
        detect_format(path)
