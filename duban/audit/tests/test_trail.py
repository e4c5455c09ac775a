"""Every change to business data is recorded with who, when, from where, and before/after values."""

import pytest
from django.apps import apps
from django.contrib.auth.hashers import make_password

from duban.audit import trail
from duban.audit.models import Entry, ReadOnlyError
from duban.plans.models import Area, Plan, Unit
from duban.conftest import HOME

pytestmark = pytest.mark.django_db

# Models of the apps that name their audited models in their AppConfig (`audited`), deliberately not audited.
NOT_AUDITED = {
    "calendar.DeadlineChange": "itself the record of every deadline `duban calendar recompute` moved",
    "plans.PlanImport": "an upload waiting for the office's review; confirming it writes the plan, which is audited",
}


def entries(obj):
    return Entry.objects.filter(model=obj._meta.label_lower, object_id=str(obj.pk)).order_by("id")


def test_business_models_are_audited():
    missing = [
        model._meta.label for app in ("plans", "accounts", "calendar")
        for model in apps.get_app_config(app).get_models()
        if not trail.is_registered(model) and model._meta.label not in NOT_AUDITED
    ]
    assert not missing, f"name these in their AppConfig's `audited` (or say why not in NOT_AUDITED): {missing}"
    declared = [name for config in apps.get_app_configs() for name in getattr(config, "audited", {})]
    assert {"core.Region", "core.RobotChannel", "accounts.User", "otp_totp.TOTPDevice", "plans.Plan"} <= set(declared)
    assert all(trail.is_registered(apps.get_model(name)) for name in declared)


def test_admin_create_change_delete_are_recorded_with_user_and_address(client, admin_user):
    client.force_login(admin_user)
    # A superuser works across regions, so says which one the unit belongs to.
    response = client.post("/admin/plans/unit/add/", {"name": "区数据局", "kind": "department", "region": 1,
                                                      "aliases-TOTAL_FORMS": 0, "aliases-INITIAL_FORMS": 0},
                           REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 302, response.content
    unit = Unit.objects.get(name="区数据局")
    created = entries(unit).get()
    assert (created.action, created.username, created.user_pk, created.ip) == ("create", "admin", admin_user.pk, "10.1.2.3")
    assert created.after["name"] == "区数据局" and created.before is None
    assert created.source.startswith("POST /admin/plans/unit/add/")

    unit.name = "区数据管理局"
    with trail_context(admin_user, "10.1.2.4"):
        unit.save()
    changed = entries(unit).last()
    assert changed.action == "update"
    assert changed.before == {"name": "区数据局"} and changed.after == {"name": "区数据管理局"}

    pk = unit.pk
    with trail_context(admin_user, "10.1.2.5"):
        unit.delete()
    deleted = Entry.objects.filter(model="plans.unit", object_id=str(pk)).order_by("id").last()
    assert deleted.action == "delete" and deleted.before["name"] == "区数据管理局" and deleted.ip == "10.1.2.5"


def test_saving_without_changes_records_nothing(units):
    unit = units["scjg"]
    before = entries(unit).count()
    unit.save()
    assert entries(unit).count() == before


def test_many_to_many_changes_are_recorded(units):
    plan = Plan.objects.create(region_id=HOME, year=2026, title="行动方案")
    area = Area.objects.create(plan=plan, kind=Area.Kind.INDICATOR, name="纳税")
    area.lead_units.add(units["tax"])
    area.lead_units.clear()
    units["scjg"].led_areas.add(area)  # from the other side
    changes = [e.after for e in entries(area).filter(action="update")]
    assert changes == [
        {"lead_units": {"added": [units["tax"].pk]}},
        {"lead_units": {"removed": [units["tax"].pk]}},
        {"lead_units": {"added": [units["scjg"].pk]}},
    ]


def test_passwords_are_recorded_as_changed_never_with_their_value(scjg_reporter):
    old_hash = scjg_reporter.password
    scjg_reporter.password = make_password("another-long-password")
    scjg_reporter.save()
    entry = entries(scjg_reporter).last()
    assert entry.before == {"password": "***"} and entry.after == {"password": "***"}
    recorded = str(list(Entry.objects.filter(model="accounts.user").values_list("before", "after")))
    assert old_hash not in recorded and scjg_reporter.password not in recorded


def test_outside_a_request_the_command_is_the_source(units):
    unit = Unit.objects.create(region_id=HOME, name="区人社局")
    entry = entries(unit).get()
    assert entry.username == "" and entry.ip is None and entry.source


def test_the_trail_cannot_be_changed_or_deleted(units):
    entry = Entry.objects.filter(model="plans.unit").first()
    entry.detail = "tampered"
    with pytest.raises(ReadOnlyError):
        entry.save()
    with pytest.raises(ReadOnlyError):
        entry.delete()
    with pytest.raises(ReadOnlyError):
        Entry.objects.filter(pk=entry.pk).update(detail="tampered")
    with pytest.raises(ReadOnlyError):
        Entry.objects.all().delete()
    assert Entry.objects.get(pk=entry.pk).detail == ""


def test_the_admin_shows_the_trail_read_only(client, admin_user, units):
    entry = Entry.objects.filter(model="plans.unit").first()
    client.force_login(admin_user)
    assert client.get("/admin/audit/entry/").status_code == 200
    page = client.get(f"/admin/audit/entry/{entry.pk}/change/")
    assert page.status_code == 200 and b'name="_save"' not in page.content
    assert client.post(f"/admin/audit/entry/{entry.pk}/change/", {"detail": "x"}).status_code == 403
    assert client.post(f"/admin/audit/entry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.get("/admin/audit/entry/add/").status_code == 403
    assert Entry.objects.filter(pk=entry.pk).exists()


class trail_context:
    """Act as `user` from `ip`, as the middleware would during a request."""

    def __init__(self, user, ip):
        from django.test import RequestFactory

        self.request = RequestFactory().post("/somewhere/", REMOTE_ADDR=ip)
        self.request.user = user

    def __enter__(self):
        from duban.audit import context

        self.token = context.enter(self.request)
        self.ctx = context.current()

    def __exit__(self, *exc):
        from duban.audit import context

        context.leave(self.token)
        trail.flush(self.ctx.pending)


@pytest.mark.django_db
def test_an_entry_is_dated_by_the_clock_of_the_moment_it_is_written():
    """A simulated year (duban demo) stands Django's clock at its moments: its trail says when, not today."""
    import datetime

    from django.utils import timezone

    from duban.simulation.clockwork import simulated_time

    moment = timezone.make_aware(datetime.datetime(2023, 6, 12, 10, 30))
    with simulated_time(moment, seed=1):
        entry = trail.write("update", model="plans.plan", object_id="1", object_repr="方案")
    assert Entry.objects.get(pk=entry.pk).at == moment


@pytest.mark.django_db
@pytest.mark.zh_hans
def test_entries_name_objects_and_fields_in_words():
    from duban.audit.models import Entry

    entry = Entry(model="plans.measure", object_id="278", object_repr="2-1 推行企业开办全程网办",
                  detail="view: text, deadline", before={"deadline": "2023-06-30"}, after={"deadline": "2023-07-31"})
    assert entry.kind_label() == "工作举措"
    assert entry.detail_in_words() == "查看：内容、完成时限"
    assert entry.changes() == [("完成时限", "2023-06-30", "2023-07-31")]
    assert Entry(model="gone.model", detail="backup (sqlite) to /x").kind_label() == "gone.model"
