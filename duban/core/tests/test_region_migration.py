"""Region moved from `plans` to `core` (core 0003 … plans 0004) without touching the data: a database
migrated before the move keeps its regions, the rows that point at them, and the permissions granted on them."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from duban.plans import models as plans_models

BEFORE = [("core", "0002_robot_channel_region"), ("plans", "0003_regions"), ("accounts", "0002_user_region"),
          ("api", "0004_webhook_endpoint_region"), ("hotline", "0005_complaint_region")]
AFTER = [("core", "0003_region"), ("plans", "0004_region_to_core"), ("accounts", "0003_region_in_core"),
         ("api", "0005_region_in_core"), ("hotline", "0006_region_in_core")]


@pytest.mark.django_db(transaction=True)
def test_a_database_from_before_the_move_keeps_its_regions_and_what_points_at_them():
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate(BEFORE)
        old = executor.loader.project_state(BEFORE).apps
        Region, Unit = old.get_model("plans", "Region"), old.get_model("plans", "Unit")
        ContentType, Permission = old.get_model("contenttypes", "ContentType"), old.get_model("auth", "Permission")
        Group = old.get_model("auth", "Group")
        region = Region.objects.create(code="360104", name="青云谱区")
        unit = Unit.objects.create(name="区市场监管局", region_id=region.pk)
        content_type, _ = ContentType.objects.get_or_create(app_label="plans", model="region")
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type, codename="change_region", defaults={"name": "Can change region"})
        group = Group.objects.create(name="区域管理")
        group.permissions.add(permission)

        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
        new = executor.loader.project_state(AFTER).apps
        NewRegion, NewUnit = new.get_model("core", "Region"), new.get_model("plans", "Unit")
        assert NewRegion._meta.db_table == "plans_region"
        assert NewRegion.objects.get(pk=region.pk).name == "青云谱区"
        assert NewUnit.objects.get(pk=unit.pk).region.code == "360104"
        assert NewUnit._meta.get_field("region").related_model is NewRegion
        assert list(new.get_model("auth", "Group").objects.get(pk=group.pk).permissions.values_list(
            "content_type__app_label", "codename")) == [("core", "change_region")]
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(latest)


@pytest.mark.django_db(transaction=True)
def test_the_rate_limiters_counters_stay_where_they_were():
    """core 0004 / hotline 0010: the hotline's counters become core.Throttle on the same table."""
    before = [("hotline", "0009_personal_data_reason_and_retention")]
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    # core's later migrations depend on 0004_throttle: forward to core's newest, so the plan only goes forward.
    after = [node for node in latest if node[0] == "core"] + [("hotline", "0010_throttle_to_core")]
    try:
        executor.migrate(before)
        old = executor.loader.project_state(before).apps.get_model("hotline", "Throttle")
        old.objects.create(scope="intake-ip", key="203.0.113.9", window_start="2023-10-20T01:00:00Z", count=7)
        executor = MigrationExecutor(connection)
        executor.migrate(after)
        new = executor.loader.project_state(after).apps.get_model("core", "Throttle")
        assert list(new.objects.values_list("scope", "key", "count")) == [("intake-ip", "203.0.113.9", 7)]
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(latest)


@pytest.mark.django_db
def test_the_models_need_no_migration_the_repository_lacks():
    """The old migrations take the region default from duban.core.models, and plans.models re-exports none of
    it: the migration state still matches the models."""
    out = io.StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit:
        pytest.fail(f"makemigrations finds changes without a migration:\n{out.getvalue()}")
    for name in ("ensure_default_region", "in_region", "DEFAULT_REGION_PK", "DEFAULT_REGION_CODE"):
        assert not hasattr(plans_models, name), name
