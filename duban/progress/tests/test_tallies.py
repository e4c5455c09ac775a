"""The office matrix reads RoundTally rows; whatever happens to reports and measures, they must say what the
reports say. The reference below is the matrix as it was computed before the tallies: grouping the reports
themselves by lead unit and round."""

import collections
import datetime
import random

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, Q
from django.utils import timezone

from duban.accounts.permissions import scope_measures
from duban.calendar import deadlines
from duban.plans.models import Area, Measure, MeasureLeadUnit, Unit
from duban.plans.tests import factories
from duban.progress import services
from duban.progress.ledger import matrix
from duban.progress.models import ProgressReport, ReportingRound, RoundTally, Submission, submission_conditions

from .conftest import write
from duban.conftest import HOME

pytestmark = pytest.mark.django_db


def reference(plan, user, today):
    """{(unit id, or None for the totals, round id): Counter of Submission values and "accepted"}, from the reports."""
    reports = scope_measures(user, "progress.view_matrix", ProgressReport.objects.filter(round__plan=plan),
                             prefix="measure__").order_by()
    aggregates = {value: Count("pk", filter=q) for value, q in submission_conditions(today)}
    aggregates["accepted"] = Count("pk", filter=Q(status=ProgressReport.Status.ACCEPTED))
    result = {}
    for row in reports.values("round_id", "measure__lead_links__unit").annotate(**aggregates):
        if row["measure__lead_links__unit"] is not None:
            result[row["measure__lead_links__unit"], row["round_id"]] = row
    for row in reports.values("round_id").annotate(**aggregates):
        result[None, row["round_id"]] = row
    counts = {key: collections.Counter({k: row[k] for k in aggregates if row[k]}) for key, row in result.items()}
    return {key: c for key, c in counts.items() if c}


def shown(plan, user, today):
    """The same, as matrix() shows it."""
    result = matrix(plan, user, today)
    cells = [(row.unit.pk, cell) for row in result.rows for cell in row.cells] + [(None, c) for c in result.totals]
    counts = {}
    for unit_id, cell in cells:
        c = collections.Counter(cell.counts)
        if cell.accepted:
            c["accepted"] = cell.accepted
        if c:
            counts[unit_id, cell.round.pk] = c
    return counts


def aware(day, hour=10):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


class Story:
    """Random things that happen to a plan's reports and measures, each through its usual door."""

    def __init__(self, ledger, office, seed):
        self.plan, self.office, self.random = ledger.plan, office, random.Random(seed)
        self.months = [2, 4, 6, 8, 10, 12]
        self.units = list(Unit.objects.all()) + [Unit.objects.create(region_id=HOME, name=f"区测试局{i}") for i in range(3)]
        self.areas = list(Area.objects.filter(plan=self.plan))
        self.added = 0

    def reports(self, *statuses):
        return list(ProgressReport.objects.filter(round__plan=self.plan, status__in=statuses)
                    .select_related("round", "measure").order_by("pk"))

    def measures(self):
        return list(Measure.objects.filter(plan=self.plan).order_by("pk"))

    def open_round(self):
        if self.months:
            month = self.months.pop(0)
            services.open_round(self.plan, ReportingRound.Kind.BIMONTHLY, datetime.date(2023, month, 1),
                                opened_on=datetime.date(2023, month, 3), opened_by=self.office)

    def submit(self):
        reports = self.reports(ProgressReport.Status.DRAFT, ProgressReport.Status.RETURNED)
        if reports:
            report = self.random.choice(reports)
            write(report, self.office)
            day = report.round.due_on + datetime.timedelta(days=self.random.randint(-3, 3))
            services.submit(report, self.office, now=aware(day))

    def review(self):
        reports = self.reports(ProgressReport.Status.SUBMITTED)
        if reports:
            report = self.random.choice(reports)
            if self.random.random() < 0.5:
                services.accept(report, self.office)
            else:
                services.return_for_correction(report, self.office, "请补充佐证。")

    def add_lead_unit(self):
        measure = self.random.choice(self.measures())
        unit = self.random.choice([u for u in self.units if not measure.lead_links.filter(unit=u).exists()])
        if self.random.random() < 0.5:
            MeasureLeadUnit.objects.create(measure=measure, unit=unit, position=5)
        else:
            measure.lead_units.add(unit, through_defaults={"position": 5})

    def remove_lead_unit(self):
        links = list(MeasureLeadUnit.objects.filter(measure__plan=self.plan).order_by("pk"))
        if links:
            link = self.random.choice(links)
            choice = self.random.random()
            if choice < 0.4:
                link.delete()
            elif choice < 0.8:
                link.measure.lead_units.remove(link.unit)
            else:
                link.unit.led_measures.remove(link.measure)

    def change_lead_unit(self):
        links = list(MeasureLeadUnit.objects.filter(measure__plan=self.plan).order_by("pk"))
        if links:
            link = self.random.choice(links)
            taken = set(MeasureLeadUnit.objects.filter(measure=link.measure_id).values_list("unit", flat=True))
            free = [u for u in self.units if u.pk not in taken]
            link.unit = self.random.choice(free)
            link.save(update_fields=["unit"])

    def clear_lead_units(self):
        measure = self.random.choice(self.measures())
        measure.lead_units.clear()
        self.random.choice(self.units).led_measures.add(measure)

    def move_to_area(self):
        measure = self.random.choice(self.measures())
        measure.area = self.random.choice(self.areas)
        measure.save()

    def add_measure(self):
        self.added += 1
        factories.measure(self.random.choice(self.areas), f"新增举措{self.added}", lead=[self.random.choice(self.units)])
        for round_ in self.plan.rounds.all():
            services.add_missing_reports(round_)

    def delete_measure(self):
        measures = self.measures()
        if len(measures) > 3:
            self.random.choice(measures).delete()

    def move_due_dates(self):
        rounds = list(self.plan.rounds.all())
        if rounds:
            round_ = self.random.choice(rounds)
            ReportingRound.objects.filter(pk=round_.pk).update(due_workdays=self.random.randint(1, 10))
            deadlines.recompute(reason="test")

    STEPS = {"open_round": 2, "submit": 8, "review": 6, "add_lead_unit": 1, "remove_lead_unit": 1,
             "change_lead_unit": 1, "clear_lead_units": 1, "move_to_area": 1, "add_measure": 1, "delete_measure": 0.3,
             "move_due_dates": 0.5}

    def step(self):
        name = self.random.choices(list(self.STEPS), weights=list(self.STEPS.values()))[0]
        getattr(self, name)()
        return name


@pytest.mark.parametrize("seed", range(4))
def test_tallies_always_agree_with_the_reports(seed, ledger, office, leader_user):
    story = Story(ledger, office, seed)
    story.open_round()
    done = []
    for _ in range(50):
        done.append(story.step())
        for today in (datetime.date(2023, 4, 5), datetime.date(2023, 9, 1)):
            for user in (office, leader_user):
                assert shown(story.plan, user, today) == reference(story.plan, user, today), (seed, done)
    # The story did reach the interesting states, or the comparison proves little.
    counts = collections.Counter(ProgressReport.objects.filter(round__plan=story.plan).values_list("status", flat=True))
    assert counts["accepted"] and counts["returned"] and counts["draft"], counts
    assert services.rebuild_tallies(story.plan) == 0  # counting afresh finds nothing to correct


def test_a_submission_moves_one_report_in_each_of_its_units_rows_and_once_in_the_totals(ledger, round_, report, office):
    # 2-2 is led by 区市场监管局 and 区政数局.
    zsj = Unit.objects.get(name="区政数局")
    before = shown(ledger.plan, office, round_.due_on)
    write(report, office)
    services.submit(report, office, now=aware(round_.due_on + datetime.timedelta(days=1)))
    after = shown(ledger.plan, office, round_.due_on)
    for key in [(ledger.scjg.pk, round_.pk), (zsj.pk, round_.pk), (None, round_.pk)]:
        assert after[key][Submission.LATE] == before[key][Submission.LATE] + 1
        assert after[key][Submission.PENDING] == before[key][Submission.PENDING] - 1


def test_drafts_are_pending_until_the_due_date_then_missing(ledger, round_, office):
    drafts = ProgressReport.objects.filter(round=round_).count()
    assert shown(ledger.plan, office, round_.due_on)[None, round_.pk] == {Submission.PENDING: drafts}
    later = round_.due_on + datetime.timedelta(days=1)
    assert shown(ledger.plan, office, later)[None, round_.pk] == {Submission.MISSING: drafts}


def test_rebuild_corrects_tallies_written_around_the_services(ledger, round_, office, capsys):
    ProgressReport.objects.filter(round=round_).update(status=ProgressReport.Status.RETURNED)
    assert shown(ledger.plan, office, round_.due_on) != reference(ledger.plan, office, round_.due_on)
    call_command("progress", "tallies")
    assert "rows corrected" in capsys.readouterr().out
    assert shown(ledger.plan, office, round_.due_on) == reference(ledger.plan, office, round_.due_on)
    assert services.rebuild_tallies() == 0


def test_deleting_a_plan_takes_its_tallies_and_leaves_no_dangling_rows(ledger, round_, report, office):
    write(report, office)
    services.submit(report, office)
    assert RoundTally.objects.filter(round=round_).exists()
    ledger.plan.delete()
    connection.check_constraints()
    assert not RoundTally.objects.exists()
