"""`duban simulate`: a deterministic year through the domain's operations (docs/demo.md).

The slices here are small (a few areas, a few months, a quiet hotline) but run
through the same code as the demo and the province: the same engine, the same
writers, the same services.
"""

import contextlib
import datetime
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test.utils import override_settings

from duban.hotline.models import Appeal, Complaint, Event, Extension, Rectification, Review
from duban.kpi.models import Metric, MetricValue, Proposal, ValueRevision
from duban.plans.models import Area, Measure, MeasureLeadUnit, Plan, Unit, UnitAlias
from duban.plans.services import import_plan_file
from duban.plans.units import import_unit_directory
from duban.plans.tests import factories
from duban.progress.models import (
    Contribution, Evidence, ProgressReport, ReportingRound, ReportVersion, RoundTally, TransitionError,
)
from duban.simulation.clockwork import simulated_time
from duban.simulation.bulk import BulkWriter
from duban.simulation.districts import simulate_districts
from duban.simulation.engine import Volumes
from duban.simulation.fingerprint import duban_models, fingerprint
from duban.simulation.invariants import check
from duban.simulation.played import PlayedWriter
from duban.simulation.simulate import AlreadySimulated, simulate_plan
from duban.supervision.models import ActionItem, AgendaItem, Circular, DispatchMeeting

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"
QUIET = Volumes(complaints_per_week=8, reviews_per_week=30)
TODAY = datetime.date(2023, 4, 20)
# What both writers write; the played writer adds notifications and the audit trail.
WRITTEN = [Complaint, Complaint.cooperating_units.through, Event, Extension, Review, Rectification, Appeal,
           ReportingRound, ProgressReport, ReportVersion, Evidence, Contribution, Measure, DispatchMeeting,
           AgendaItem, ActionItem, Circular, Proposal, Metric, MetricValue, ValueRevision]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # evidence files the reports attach


@pytest.fixture(scope="module")
def xihu(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        import_unit_directory((DEMO_DIR / "xihu-units.csv").read_text(encoding="utf-8"))
        plan = Plan.objects.get(pk=import_plan_file(DEMO_DIR / "xihu-2023-action-plan.txt", keep_source=False)["plan"])
    yield plan
    with django_db_blocker.unblock():
        # Leave the database as other modules expect it: no plan, units or aliases of this one.
        Plan.objects.all().delete()
        UnitAlias.objects.all().delete()
        Unit.objects.filter(users__isnull=True).delete()


def slice_of(plan, areas=3):
    """The plan with its first few areas only (in the test's transaction)."""
    keep = list(plan.areas.order_by("position").values_list("pk", flat=True)[:areas])
    Area.objects.filter(plan=plan).exclude(pk__in=keep).delete()
    return plan


class _Undo(Exception):
    pass


def _sequences():
    if connection.vendor != "postgresql":
        return []  # SQLite's sqlite_sequence is rolled back with everything else
    saved = []
    with connection.cursor() as cursor:
        for model in duban_models():
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [model._meta.db_table, model._meta.pk.column])
            sequence = cursor.fetchone()[0]
            if sequence:
                cursor.execute(f"SELECT last_value, is_called FROM {sequence}")
                saved.append((sequence, *cursor.fetchone()))
    return saved


@contextlib.contextmanager
def undone():
    """Run the block, then undo it entirely — ids included — so that the next run starts where it did."""
    sequences = _sequences()
    try:
        with transaction.atomic():
            yield
            raise _Undo
    except _Undo:
        pass
    with connection.cursor() as cursor:
        for sequence, value, called in sequences:
            cursor.execute("SELECT setval(%s, %s, %s)", [sequence, value, called])


def run(plan, writer, seed=2, areas=2):
    return simulate_plan(slice_of(plan, areas), today=TODAY, seed=seed, volumes=QUIET, writer=writer)


@pytest.mark.django_db
def test_same_seed_same_data_and_both_writers_write_the_same(xihu):
    hashes, written, tables = [], [], []
    for writer in (PlayedWriter, PlayedWriter, BulkWriter):
        with undone():
            counts = run(Plan.objects.get(pk=xihu.pk), writer())
            assert check(now=datetime.datetime(2023, 4, 20, 1, tzinfo=datetime.UTC)) == []
            hashes.append(fingerprint())
            written.append(fingerprint(WRITTEN))
            tables.append({m._meta.label: fingerprint([m]) for m in duban_models()})
            completed = Evidence.objects.exists() and Measure.objects.filter(completed_on__isnull=False).exists()
            kinds = set(Event.objects.values_list("kind", flat=True))
            outcomes = set(ReportVersion.objects.values_list("outcome", flat=True))
            drafts = ProgressReport.objects.filter(version__gt=0).exists()
    # Every transition the two writers share happened, so the equality below holds for each of them: a
    # report's (edit, submit, accept, return), a complaint's steps and a rectification's and an appeal's.
    assert drafts and outcomes == {"accepted", "returned"}  # each version submitted, then reviewed
    assert kinds >= {kind for kind in Event.Kind if kind != Event.Kind.NOTE}, {kind for kind in Event.Kind} - kinds
    # The slice covers every kind of step the year has (the seed is chosen so that it does).
    assert counts["rounds"] == 2 and counts["meetings"] == 2 and counts["circulars"] == 1 and completed
    assert counts["metrics"] and counts["metric values"]
    for step in ("returned", "action items", "reopened", "bad reviews", "extensions", "appeals", "transfers",
                 "returned to the office"):
        assert counts[step], step
    assert [label for label in tables[0] if tables[0][label] != tables[1][label]] == []
    assert hashes[0] == hashes[1], "the same seed must give the same database"
    assert written[0] == written[2], "the bulk writer must write what the services write"


@pytest.mark.django_db
def test_a_played_slice_keeps_every_rule_and_looks_like_a_ledger(xihu):
    counts = run(Plan.objects.get(pk=xihu.pk), PlayedWriter(), seed=2023, areas=3)
    assert check(now=datetime.datetime(2023, 4, 20, 1, tzinfo=datetime.UTC)) == []
    reports = ProgressReport.objects.filter(round__plan=xihu)
    assert {r.round.opened_on for r in reports} == {datetime.date(2023, 2, 1), datetime.date(2023, 4, 3)}
    statuses = set(reports.values_list("status", flat=True))
    assert {ProgressReport.Status.ACCEPTED, ProgressReport.Status.DRAFT} <= statuses
    assert ReportVersion.objects.filter(outcome=ProgressReport.Status.RETURNED).exists()
    # Timestamps are historical: the simulated year, not the day the test ran.
    assert all(v.submitted_at.year == 2023 for v in ReportVersion.objects.all())
    assert Complaint.objects.filter(state=Complaint.State.CLOSED).exists()
    assert Complaint.objects.exclude(state=Complaint.State.CLOSED).exists()
    assert Event.objects.filter(kind=Event.Kind.OVERDUE).exists(), "some complaints miss their working-day limits"
    assert counts["complaints"] == Complaint.objects.count()
    from duban.core.models import Notification

    assert Notification.objects.filter(created_at__year=2023).exists()
    assert not Notification.objects.exclude(created_at__year=2023).exists()


@pytest.mark.django_db
def test_a_plan_is_simulated_once(xihu):
    plan = slice_of(Plan.objects.get(pk=xihu.pk), areas=1)
    simulate_plan(plan, today=datetime.date(2023, 2, 3), volumes=QUIET)
    with pytest.raises(AlreadySimulated):
        simulate_plan(plan, today=datetime.date(2023, 2, 3), volumes=QUIET)


@pytest.mark.django_db
def test_districts_are_kept_apart_and_busy(xihu):
    counts = simulate_districts(2, today=datetime.date(2023, 4, 20), seed=5,
                                volumes=Volumes(complaints_per_week=40, reviews_per_week=400), progress=None)
    assert check(now=datetime.datetime(2023, 4, 20, 1, tzinfo=datetime.UTC)) == []
    plans = list(Plan.objects.exclude(pk=xihu.pk))
    assert len(plans) == 2 == counts["districts"]
    assert len({p.document_number for p in plans}) == 2 and len({p.title for p in plans}) == 2
    assert all(Measure.objects.filter(plan=p).count() >= 157 for p in plans)
    for plan in plans:
        district = plan.title.split("市", 1)[1][:3]  # 洪都市青云区关于… → 青云区
        units = Unit.objects.filter(led_measures__plan=plan).distinct()
        assert units and all(u.name.startswith(district) or district[:2] in u.name for u in units), district
        complaints = Complaint.objects.filter(lead_unit__in=units)
        assert complaints.exists()
        # Each district is a region of its own: its plan, units, complaints and staff.
        assert plan.region_id != xihu.region_id
        # Its office is its own on its circulars and pages: 青云区营商办, never Xihu's.
        assert plan.region.office_short_name == f"{district}营商办"
        assert plan.region.office_full_name == f"{district}营商环境优化升级工作领导小组办公室"
        assert not units.exclude(region=plan.region_id).exists()
        assert not complaints.exclude(region=plan.region_id).exists()
        assert not plan.region.users.exclude(unit__region=plan.region_id).exists() and plan.region.users.exists()
        # A complaint's units are of one district.
        assert not Complaint.cooperating_units.through.objects.filter(complaint__in=complaints).exclude(
            unit__name__contains=district[:2]).exists()
    reviews = Review.objects.all()
    positive = reviews.exclude(level__in=Review.BAD_LEVELS).count() / reviews.count()
    assert 0.97 <= positive <= 0.99, positive
    assert Rectification.objects.count() == reviews.filter(level__in=Review.BAD_LEVELS).count()


@pytest.mark.django_db
@override_settings(DEBUG=True)
def test_the_command_simulates_checks_and_prints_a_fingerprint(xihu, capsys):
    slice_of(Plan.objects.get(pk=xihu.pk), areas=1)
    call_command("simulate", "--plan", str(xihu.pk), "--today", "2023-01-20", "--seed", "3", "--check",
                 "--fingerprint")
    out = capsys.readouterr().out
    assert "up to 2023-01-20 09:00 (seed 3)" in out
    assert "invariants hold" in out
    assert "fingerprint " in out
    with pytest.raises(CommandError, match="simulated already"):
        call_command("simulate", "--plan", str(xihu.pk), "--today", "2023-02-20")


@override_settings(DEBUG=False)
def test_the_command_refuses_with_debug_off():
    with pytest.raises(CommandError, match="DEBUG off"):
        call_command("simulate")


@pytest.mark.django_db
def test_the_bulk_writer_and_the_districts_are_deterministic_and_the_seed_matters(xihu):
    def slice_hash(seed):
        with undone():
            run(Plan.objects.get(pk=xihu.pk), BulkWriter(), seed=seed)
            return fingerprint()

    def province_hash(seed):
        with undone():
            simulate_districts(2, today=datetime.date(2023, 2, 10), seed=seed, volumes=QUIET, progress=None)
            assert check(now=datetime.datetime(2023, 2, 10, 1, tzinfo=datetime.UTC)) == []
            return fingerprint()

    assert slice_hash(2) == slice_hash(2) != slice_hash(3)
    assert province_hash(5) == province_hash(5) != province_hash(6)


@pytest.mark.django_db
def test_the_played_writer_gives_another_year_for_another_seed(xihu):
    hashes = []
    for seed in (2, 3):
        with undone():
            run(Plan.objects.get(pk=xihu.pk), PlayedWriter(), seed=seed, areas=1)
            hashes.append(fingerprint())
    assert hashes[0] != hashes[1]


SUNDAY = datetime.date(2023, 4, 16)  # neither a working day nor an adjusted one
SUNDAY_MORNING = datetime.datetime(2023, 4, 16, 9, 30, tzinfo=datetime.UTC)
FUTURE = datetime.datetime(2023, 4, 21, tzinfo=datetime.UTC)


def _first(queryset, *fields):
    """The queryset's first row that has `fields` set."""
    obj = queryset.filter(**{f"{field}__isnull": False for field in fields}).order_by("pk").first()
    assert obj is not None, f"the slice has no {queryset.model.__name__} with {fields}"
    return obj


def _set(obj, **values):
    type(obj).objects.filter(pk=obj.pk).update(**values)


def _before(queryset, field, other, by=datetime.timedelta(minutes=1)):
    """Move `field` of the first row to just before its `other`."""
    obj = _first(queryset, field, other)
    _set(obj, **{field: getattr(obj, other) - by})


def _submitted():
    return ProgressReport.objects.filter(status__in=[ProgressReport.Status.SUBMITTED, ProgressReport.Status.ACCEPTED,
                                                     ProgressReport.Status.RETURNED])


def _outsider(measure_id):
    """A user of a unit that does not lead the measure."""
    from duban.accounts.models import User

    leads = MeasureLeadUnit.objects.filter(measure=measure_id).values_list("unit", flat=True)
    return User.objects.exclude(unit__in=leads).exclude(unit=None).order_by("pk").first()


def _corruptions():
    """(what check() must then report, how one row is made to break the rule)."""
    from duban.plans.tests import factories

    def report_by_outsider(person):
        report = _first(ProgressReport.objects, person)
        _set(report, **{person: _outsider(report.measure_id)})

    def contribution_from_a_lead_unit():
        contribution = _first(Contribution.objects)
        _set(contribution, unit=MeasureLeadUnit.objects.filter(measure=contribution.report.measure_id).first().unit)

    def measure_of(reports):
        return Measure.objects.get(pk=reports.order_by("pk").first().measure_id)

    done = _submitted().filter(status=ProgressReport.Status.ACCEPTED, progress=ProgressReport.Progress.COMPLETED)
    closed = Complaint.objects.filter(state=Complaint.State.CLOSED)
    still_open = Complaint.objects.exclude(state=Complaint.State.CLOSED)
    return [
        ("reports submitted by someone outside", lambda: report_by_outsider("submitted_by")),
        ("reports edited by someone outside", lambda: report_by_outsider("edited_by")),
        ("contributions from a unit that does not cooperate", contribution_from_a_lead_unit),
        ("reports in a round of another plan",
         lambda: _set(_first(ProgressReport.objects).round, plan=factories.plan(title="另一个区的方案"))),
        ("submitted reports without a first submission date",
         lambda: _set(_first(_submitted()), first_submitted_on=None)),
        ("submitted reports without a version",
         lambda: ReportVersion.objects.filter(report=_first(_submitted())).delete()),
        ("reports of completion without evidence", lambda: Evidence.objects.filter(report=_first(done)).delete()),
        ("reports submitted before their round opened",
         lambda: _set(_first(_submitted()), first_submitted_on=datetime.date(2023, 1, 3))),
        ("measures completed without an accepted report of completion", lambda: _set(
            measure_of(_submitted().exclude(measure__in=done.values("measure"))), completed_on=SUNDAY)),
        ("measures with an accepted report of completion but no completion date",
         lambda: _set(measure_of(done), completed_on=None)),
        *[(f"complaints {field} before receipt", lambda field=field: _before(closed, field, "received_at"))
          for field in ("contacted_at", "classified_at", "assigned_at", "replied_at", "closed_at")],
        ("complaints classified before contact", lambda: _before(closed, "classified_at", "contacted_at")),
        ("complaints closed before their reply", lambda: _before(closed, "closed_at", "replied_at")),
        ("closed complaints without a time", lambda: _set(_first(closed), closed_at=None)),
        ("open complaints with a closing time", lambda: _set(_first(still_open), closed_at=SUNDAY_MORNING)),
        ("replied complaints not marked on time or late", lambda: _set(_first(closed), replied_on_time=None)),
        ("complaint events before the complaint was received",
         lambda: _set(_first(Event.objects, "complaint"), at=datetime.datetime(2022, 12, 31, tzinfo=datetime.UTC))),
        ("complaints in a unit's hands without a lead unit",
         lambda: _set(_first(still_open), state=Complaint.State.IN_PROGRESS, lead_unit=None)),
        ("bad reviews without a rectification", lambda: _first(Rectification.objects).delete()),
        ("good reviews with a rectification", lambda: _set(_first(Rectification.objects).review, level=5)),
        ("rectifications reported before they were opened",
         lambda: _before(Rectification.objects, "submitted_at", "opened_at")),
        ("rectifications accepted before they were reported",
         lambda: _before(Rectification.objects, "accepted_at", "submitted_at")),
        ("rectifications opened before the review", lambda: _set(
            _first(Rectification.objects), opened_at=datetime.datetime(2022, 12, 31, tzinfo=datetime.UTC))),
        ("round tallies disagree with the reports", lambda: _first(RoundTally.objects).delete()),
        ("round due dates on non-working days", lambda: _set(_first(ReportingRound.objects), due_on=SUNDAY)),
        ("round tallies disagree with the reports", lambda: _set(  # a report's state written around the services
            _first(ProgressReport.objects.exclude(status=ProgressReport.Status.RETURNED)),
            status=ProgressReport.Status.RETURNED)),
        *[(f"complaint {field} on non-working days",
           lambda field=field: _set(_first(Complaint.objects, field), **{field: SUNDAY_MORNING}))
          for field in ("contact_due", "reply_due", "next_due")],
        ("rectification deadlines on non-working days", lambda: _set(_first(Rectification.objects), due_at=SUNDAY_MORNING)),
        *[(f"extension {field} on non-working days",
           lambda field=field: _set(_first(Extension.objects, field), **{field: SUNDAY_MORNING}))
          for field in ("old_due", "new_due")],
        ("action item deadlines on non-working days", lambda: _set(_first(ActionItem.objects).measure, deadline=SUNDAY)),
        ("events after now", lambda: _set(_first(Event.objects), at=FUTURE)),
        ("complaints received after now", lambda: _set(_first(Complaint.objects), received_at=FUTURE)),
        ("reviews given after now", lambda: _set(_first(Review.objects), reviewed_at=FUTURE)),
        ("report versions submitted after now", lambda: _set(_first(ReportVersion.objects), submitted_at=FUTURE)),
    ]


@pytest.mark.django_db
def test_every_invariant_catches_a_row_that_breaks_it(xihu):
    """The simulated data keeps every rule, and each rule says so when one row breaks it: check() is not
    vacuous. One row at a time is corrupted in the simulated slice, and put back."""
    from duban.simulation.invariants import CHECKS

    run(Plan.objects.get(pk=xihu.pk), BulkWriter(), seed=2)
    now = datetime.datetime(2023, 4, 20, 1, tzinfo=datetime.UTC)
    assert check(now=now) == []
    missed, caught_by = [], set()
    for expected, corrupt in _corruptions():
        with undone():
            corrupt()
            reported = {func.__name__: func(now) for func in CHECKS}
        by = {name for name, problems in reported.items() if any(expected in p for p in problems)}
        if not by:
            missed.append((expected, [p for problems in reported.values() for p in problems]))
        caught_by |= by
    assert missed == []
    assert caught_by == {func.__name__ for func in CHECKS}, "an invariant without a corruption test"


@pytest.mark.django_db
@pytest.mark.zh_hans
def test_both_writers_refuse_a_return_without_a_comment_in_the_users_language(office, scjg_head):
    plan = factories.plan()
    factories.measure(factories.area(plan), lead=[scjg_head.unit])
    refused = []
    for writer in (PlayedWriter(), BulkWriter()):
        with undone(), simulated_time(datetime.datetime(2023, 3, 1, 9, tzinfo=datetime.UTC), 1):
            [report] = writer.open_round(plan, datetime.date(2023, 2, 1), datetime.date(2023, 3, 1), office)
            writer.save_draft(report, scjg_head, {"progress": "in_progress", "percent": 40, "done_text": "已完成方案。"})
            writer.submit(report, scjg_head)
            with pytest.raises(TransitionError) as caught:
                writer.return_for_correction(report, office, "  ")
            refused.append(caught.value.messages)
            writer.flush()
            assert ReportVersion.objects.get().outcome == "submitted"
    assert refused == [["请说明退回理由，单位可看到此意见。"]] * 2
