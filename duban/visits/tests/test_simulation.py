"""The visits' and policies' parts of a simulated year: what they add to the demo, and the same seed giving
the same year. The simulation's Year is stood in for by a small queue with the same interface (the
generators are hooked into `duban simulate`'s played path by the simulation itself)."""

import collections
import datetime
import heapq
import itertools
import random
import types
import zoneinfo

import pytest
from django.conf import settings

from duban.accounts.models import Role, User
from duban.calendar.workdays import add_workdays, is_workday
from duban.plans.models import Area, Plan, Unit
from duban.policies import publication
from duban.policies import simulation as policy_simulation
from duban.policies.models import Explanation, Material, Payout, Policy
from duban.visits import simulation as visit_simulation
from duban.visits.models import Company, Problem, ProblemEvent, Visit, VisitAssignment
from duban.conftest import HOME

pytestmark = pytest.mark.django_db
TZ = zoneinfo.ZoneInfo(settings.TIME_ZONE)
UNITS = ["区市场监管局", "区税务局", "区人社局", "区政数局", "区商务局", "区工信局", "区住建局", "区营商环境服务中心"]


class Work:
    """Office moments on working days (09:00–17:00), as the simulation's WorkTime gives them."""

    def random_on(self, day, generator):
        return datetime.datetime.combine(day, datetime.time(9 + generator.randrange(8), generator.randrange(60)),
                                         tzinfo=TZ)

    def after_workdays(self, moment, generator, low, high):
        day = moment.astimezone(TZ).date()
        if not is_workday(day):
            day = add_workdays(day, 1)
        return self.random_on(add_workdays(day, generator.randint(max(low, 1), max(high, 1))), generator)


class Year:
    def __init__(self, plan, today, seed=2026):
        self.plan, self.today, self.seed, self.district = plan, today, seed, 0
        self.place = types.SimpleNamespace(name="西湖区", city="南昌")
        self.units = {u.pk: u for u in Unit.objects.filter(name__in=UNITS)}
        self.work, self.counts, self.queue, self.sequence = Work(), collections.Counter(), [], itertools.count()
        self.clock = types.SimpleNamespace(moment=datetime.datetime(plan.year, 1, 1, tzinfo=TZ))
        self.cast = types.SimpleNamespace(reporters={
            pk: User.objects.get_or_create(region_id=HOME, username=f"r{pk}", role=Role.REPORTER, unit_id=pk)[0]
            for pk in self.units})

    def unit(self, name):
        return next((u for u in self.units.values() if u.name == name), None)

    def temperament(self, unit_id):
        return types.SimpleNamespace(replies_on_time=random.Random(f"{self.seed}|{unit_id}").choice([0.97, 0.85, 0.7]))

    def at(self, moment, story):
        heapq.heappush(self.queue, (moment, next(self.sequence), story))

    def run(self):
        policy_simulation.schedule(self)
        visit_simulation.schedule(self)
        end = datetime.datetime.combine(self.today, datetime.time(9), tzinfo=TZ)
        while self.queue:
            moment, _n, story = heapq.heappop(self.queue)
            if moment > end:
                break
            self.clock.moment = max(moment, self.clock.moment)
            try:
                following = next(story)
            except StopIteration:
                continue
            self.at(max(following, self.clock.moment), story)
        return self.counts


@pytest.fixture
def plan(db):
    for name in UNITS:
        Unit.objects.get_or_create(region_id=HOME, name=name)
    for name in ("南站街道", "桃花街道"):
        Unit.objects.get_or_create(region_id=HOME, name=name, defaults={"kind": Unit.Kind.STREET})
    plan = Plan.objects.create(region_id=HOME, year=2023, title="西湖区2023年营商环境优化升级行动方案")
    Area.objects.create(plan=plan, kind=Area.Kind.FORWARD, name="前瞻探索宜商环境工作", position=15)
    return plan


def signature():
    return tuple(sorted(rows, key=repr) for rows in (
        (Visit.objects.values_list("company__name", "visited_on", "cadre__username")),
        (Problem.objects.values_list("visit__company__name", "category", "state", "reply_due",
                                           "supervised_at")),
        (Material.objects.values_list("policy__title", "kind")),
        (Explanation.objects.values_list("week", "policy__title", "held_on")),
        (Payout.objects.values_list("policy__title", "amount", "applied_on", "paid_on")),
    ))


def wipe():
    ProblemEvent.objects.all().delete()
    Problem.objects.all().delete()
    Visit.objects.all().delete()
    VisitAssignment.objects.all().delete()
    Company.objects.all().delete()
    User.objects.filter(role=Role.CADRE).delete()
    Explanation.objects.all().delete()
    Payout.objects.all().delete()
    Policy.objects.all().delete()


def test_the_demo_year_has_visits_problems_and_policies_and_the_same_seed_gives_the_same(plan):
    counts = Year(plan, datetime.date(2023, 10, 20)).run()
    assert 200 <= counts["visits"] <= 450, counts
    assert Visit.objects.filter(policies__isnull=False).distinct().count() > 100
    assert Problem.objects.filter(state=Problem.State.SOLVED_ON_SPOT).exists()
    assert Problem.objects.filter(state=Problem.State.TOLD).count() > 20
    assert Problem.objects.filter(answered_on_time=False).exists(), "some answered late"
    supervised = Problem.objects.filter(supervised_at__isnull=False)
    assert supervised.exists() and supervised.filter(state=Problem.State.ROUTED).exists(), "some escalated, open"
    rows = publication.policy_rows(Policy.objects.all(), datetime.date(2023, 10, 20))
    lacking = [r for r in rows if any(c.kind == "interpretation" for c in r.missing)]
    assert 1 <= len(lacking) <= 4, "a few reforms without their 解读"
    weeks = publication.weekly_schedule(plan.region_id, 2023, datetime.date(2023, 10, 20))
    assert any(w.status == "missed" for w in weeks) and sum(w.status == "done" for w in weeks) > 30
    assert Payout.objects.filter(paid_on__isnull=False).count() > 20
    first = signature()
    wipe()
    Year(plan, datetime.date(2023, 10, 20)).run()
    assert signature() == first
