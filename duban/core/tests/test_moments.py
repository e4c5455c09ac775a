"""One clock for every timestamp: what Duban stamps itself follows duban.core.clock, not the machine's date.

The demo stands at DUBAN_TODAY=2023-10-20; a notification, an audit entry, a circular or a report version
made that day must say 2023-10-20, not the day the machine runs (issue 17).
"""

import datetime

import pytest
from django.apps import apps
from django.db import models
from django.test import override_settings
from django.utils import timezone

from duban.audit import trail
from duban.audit.models import Entry
from duban.core.clock import StampField
from duban.core.models import Notification
from duban.core.notify import notify
from duban.plans.tests import factories
from duban.supervision.circulars import create_circular

pytestmark = pytest.mark.django_db
DEMO_DAY = "2023-10-20T09:00"


def test_every_automatic_timestamp_of_duban_asks_the_clock():
    """No model of Duban keeps a Django auto_now field or a default of timezone.now."""
    wrong = []
    for model in apps.get_models():
        if not model.__module__.startswith("duban.") or model._meta.proxy:
            continue  # a proxy (accounts.TwoFactorDevice) has the fields of its library's model, not Duban's
        for field in model._meta.concrete_fields:
            if isinstance(field, models.DateTimeField) and not isinstance(field, StampField) and (
                    field.auto_now or field.auto_now_add):
                wrong.append(f"{model._meta.label}.{field.name}")
            if getattr(field, "default", None) is timezone.now:
                wrong.append(f"{model._meta.label}.{field.name} (default)")
    assert wrong == []


def test_notifications_audit_entries_and_circulars_are_dated_by_the_clock(office, units):
    plan = factories.plan()
    area = factories.area(plan, "开办企业", chief="胡海")
    factories.measure(area, "甲", lead=[units["scjg"]], deadline="2023-09-30")
    with override_settings(DUBAN_TODAY=DEMO_DAY):
        [note] = notify([office], "test:moment", "测试")
        entry = trail.write(Entry.Action.COMMAND, detail="测试")
        circular = create_circular(plan, "2023Q3")
    # Dated the pinned day (at the real time of day, so that rows keep the order they were written in).
    stamps = [note.created_at, Notification.objects.get(pk=note.pk).created_at, Entry.objects.get(pk=entry.pk).at,
              circular.created_at]
    assert {timezone.localdate(s) for s in stamps} == {datetime.date(2023, 10, 20)}
    assert stamps[0] <= stamps[2] <= stamps[3]


def test_a_moment_field_adds_no_migration():
    """StampField deconstructs as Django's DateTimeField: swapping it in changes no migration."""
    name, path, args, kwargs = StampField(auto_now_add=True).deconstruct()
    assert path == "django.db.models.DateTimeField" and kwargs == {"auto_now_add": True}
