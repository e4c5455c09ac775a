#!/usr/bin/env python
"""`make bench`: timed runs of Duban's hot paths, on a throwaway SQLite database.

    .venv/bin/python tools/bench.py            # every benchmark
    .venv/bin/python tools/bench.py calendar   # those whose name contains "calendar"
    .venv/bin/python tools/bench.py --list

A benchmark is a function decorated with @benchmark("section: what it does").
It may prepare data untimed and returns a list of (measurement, seconds, count)
rows, seconds being (wall, cpu) as timed() gives them; CPU time is the figure
to compare when the machine is busy with other work. What it prints is what
BENCHMARKS.md records. Add a section by adding functions here.
"""

import os
import random
import sys
import tempfile
import time
from pathlib import Path

BENCHMARKS = []


def benchmark(name):
    def register(func):
        BENCHMARKS.append((name, func))
        return func

    return register


def setup_django():
    """Django on a fresh SQLite database in a temporary directory, never the configured one."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.pop("DATABASE_URL", None)
    os.environ["DUBAN_VAR_DIR"] = tempfile.mkdtemp(prefix="duban-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duban.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


def timed(func, *args):
    """(result, (wall seconds, CPU seconds of this process))."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = func(*args)
    return result, (time.perf_counter() - wall, time.process_time() - cpu)


@benchmark("calendar: add_workdays for 1,000,000 random (date, n) pairs")
def bench_add_workdays():
    import datetime

    from duban.calendar import workdays

    rng = random.Random(20261125)
    first = datetime.date(2004, 1, 1).toordinal()
    last = datetime.date(2027, 12, 31).toordinal()
    pairs = [(datetime.date.fromordinal(rng.randint(first, last)), rng.randint(-60, 60)) for _ in range(1_000_000)]

    workdays.clear_cache()
    _, build = timed(workdays.add_workdays, datetime.date(2004, 1, 1), 1)
    # The first call reads the database and builds 2004..2027 and a margin.
    workdays.add_workdays(datetime.date(2027, 12, 31), 60)

    add = workdays.add_workdays

    def run():
        for day, n in pairs:
            add(day, n)

    _, seconds = timed(run)
    return [("first call (reads the calendar, builds the arrays)", build, 1), ("1,000,000 calls", seconds, len(pairs))]


def _measure_rows(count, rng):
    import datetime

    start = datetime.date(2026, 1, 1).toordinal()
    rows = []
    for _ in range(count):
        deadline = datetime.date.fromordinal(start + rng.randint(0, 364))
        completed = None
        if rng.random() < 0.4:
            completed = deadline + datetime.timedelta(days=rng.randint(-30, 20))
        rows.append((deadline, completed, rng.choice((3, 5, 10))))
    return rows


@benchmark("calendar: lights for 200,000 measures in memory")
def bench_lights_in_memory():
    import datetime

    from duban.calendar.lights import LightRule, light

    rng = random.Random(1)
    rows = _measure_rows(200_000, rng)
    today = datetime.date(2026, 9, 30)

    def per_item():
        for deadline, completed, warn in rows:
            light(deadline, completed, today, warn)

    def one_rule_per_threshold():
        rules = {warn: LightRule(today, warn) for warn in (3, 5, 10)}
        for deadline, completed, warn in rows:
            rules[warn].light(deadline, completed)

    _, slow = timed(per_item)
    _, fast = timed(one_rule_per_threshold)
    return [("light() per measure", slow, len(rows)), ("one LightRule per plan threshold", fast, len(rows))]


@benchmark("calendar: lights counted per unit for 200,000 measures in SQLite")
def bench_lights_in_database():
    import datetime

    from django.db import transaction

    from duban.calendar.lights import measure_light_counts
    from duban.plans.models import Area, Measure, MeasureLeadUnit, Plan, Unit

    rng = random.Random(2)
    rows = _measure_rows(200_000, rng)
    with transaction.atomic():
        plans = {warn: Plan.objects.create(year=2026, title=f"基准方案{warn}", warning_workdays=warn) for warn in (3, 5, 10)}
        areas = {warn: Area.objects.create(plan=plan, kind=Area.Kind.INDICATOR, name=f"领域{warn}")
                 for warn, plan in plans.items()}
        units = Unit.objects.bulk_create(Unit(name=f"基准单位{i}") for i in range(60))
        measures = Measure.objects.bulk_create(
            (Measure(plan=plans[warn], area=areas[warn], text="举措", deadline=deadline, completed_on=completed)
             for deadline, completed, warn in rows),
            batch_size=5000,
        )
        MeasureLeadUnit.objects.bulk_create(
            (MeasureLeadUnit(measure=m, unit=units[i % len(units)]) for i, m in enumerate(measures)), batch_size=5000
        )
    counts, seconds = timed(measure_light_counts, "unit", None, datetime.date(2026, 9, 30))
    assert sum(c.total for c in counts.values()) == len(rows)
    return [("measure_light_counts('unit')", seconds, len(rows))]


def main(argv):
    if "--list" in argv:
        for name, _func in BENCHMARKS:
            print(name)
        return 0
    chosen = [(name, func) for name, func in BENCHMARKS if not argv or any(word in name for word in argv)]
    setup_django()
    print(f"{'benchmark':<62} {'wall s':>8} {'CPU s':>8} {'CPU per item':>13}")
    for name, func in chosen:
        print(name)
        for label, seconds, count in func():
            # A section may report wall time alone (a float) or timed()'s (wall, cpu).
            wall, cpu = seconds if isinstance(seconds, tuple) else (seconds, None)
            per = f"{cpu / count * 1e6:.2f} µs" if count > 1 and cpu is not None else ""
            cpu_text = f"{cpu:>8.3f}" if cpu is not None else f"{'':>8}"
            print(f"  {label:<60} {wall:>8.3f} {cpu_text} {per:>13}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
