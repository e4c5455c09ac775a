"""A deterministic year of activity on imported plans (`duban simulate`, docs/demo.md).

- engine.py decides what happens when, from the seed alone;
- played.py does it through the domain's services (the demo: one district);
- bulk.py writes the same rows in batches (a province: `--districts N`);
- districts.py derives each district's plan from the Xihu plan, names varied;
- fingerprint.py hashes the data (same seed → same hash); invariants.py checks it.
"""

from __future__ import annotations

import datetime

from django.db import transaction

from duban.hotline.models import Category, Review
from duban.plans.models import Area

from .clockwork import simulated_time
from .engine import CATEGORY_AREAS, CATEGORY_UNITS, DEMO, Year, review_prefix
from .played import PlayedWriter
from .worktime import at

# The demo's seed: its 2023-10-20 shows a bit of everything (a returned report in 区市场监管局's ledger,
# a bad review being rectified, an open supervised complaint, red and yellow measures).
DEFAULT_SEED = 2026


class AlreadySimulated(Exception):
    pass


def simulate_plan(plan, *, today, seed=DEFAULT_SEED, volumes=DEMO, writer=None):
    """Play `plan`'s year up to `today` (09:00, as DUBAN_TODAY stands) through the domain's services.

    Returns the counts of what happened. Refuses a plan simulated before.
    """
    if plan.rounds.exists() or Review.objects.filter(external_ref__startswith=review_prefix(plan)).exists():
        raise AlreadySimulated(f"plan {plan.pk} has been simulated already (it has reporting rounds or simulated "
                               "reviews); simulate a freshly imported plan")
    today = min(today, datetime.date(plan.year, 12, 31))
    with transaction.atomic(), simulated_time(at(datetime.date(plan.year, 1, 1), 0), seed,
                                              plan.document_number or plan.title) as clock:
        link_categories(plan)
        year = Year(plan, seed=seed, today=today, writer=writer or PlayedWriter(), clock=clock, volumes=volumes)
        return year.run()


def link_categories(plan):
    """What the office does in the admin once the year's plan is imported: each complaint category gets
    its plan area (whose chief hears of supervised cases) and its usual lead unit."""
    areas = list(Area.objects.filter(plan=plan).select_related("chief"))
    for category in Category.objects.filter(region=plan.region_id, area__isnull=True):
        words = CATEGORY_AREAS.get(category.name)
        area = next((a for a in areas if words and words in a.name), None)
        if area is None:
            continue
        category.area = area
        unit_name = next(iter(CATEGORY_UNITS.get(category.name, ())), None)
        if category.default_unit_id is None and unit_name:
            from duban.plans.models import Unit

            category.default_unit = Unit.objects.filter(region=plan.region_id, name=unit_name).first()
        category.save()
