"""A province: N districts, each with a plan derived from the Xihu plan and a year of activity.

Each district is a Region with its own plan (its own document number and
title), its own units (the Xihu names with the district's name: 区市场监管局 →
青云区市场监管局), its own leaders and street offices. The plan's structure is Xihu's — 24 areas, 157
measures — with every name varied from the seed. Each district's year is
written by the bulk writer in its own transaction; a progress bar goes to
stderr.
"""

from __future__ import annotations

import copy
import csv
import datetime
import io
import multiprocessing
import sys
import time
import traceback
from contextlib import nullcontext
from pathlib import Path

from django.utils.translation import gettext as _
from django.db import connection, connections, transaction

from duban.core.models import Region
from duban.plans.models import Leader, Plan
from duban.plans.services import read_plan_file, save_parsed_plan
from duban.plans.units import canonical_spelling, import_unit_directory

from . import names
from .bulk import BulkWriter
from .clockwork import simulated_time
from .deadlines import Deadlines
from .engine import CATEGORY_UNITS, PROVINCE, REVIEW_UNITS, Place, Year
from .indexes import deferred_indexes
from .randomness import rng
from .worktime import at

DEMO_DIR = Path(__file__).resolve().parents[1] / "demo"
XIHU_PLAN = DEMO_DIR / "xihu-2023-action-plan.txt"
XIHU_UNITS = DEMO_DIR / "xihu-units.csv"
XIHU_STREETS = ("南站", "绳金塔", "桃花")


class District:
    """A district's names, and how Xihu's names read in it."""

    def __init__(self, place, streets, leaders):
        self.place = place
        self.streets = streets  # Xihu street name → this district's
        self.leaders = leaders  # Xihu leader name → this district's

    def text(self, value):
        value = value.replace("南昌市西湖区", f"{self.place.city}市{self.place.name}")
        value = value.replace("西湖区", self.place.name).replace("西湖", self.place.short)
        value = value.replace("南昌", self.place.city)
        for old, new in self.streets.items():
            value = value.replace(old, new)
        return value

    def unit(self, name):
        """The district's unit for a Xihu unit name: unique across districts, readable."""
        for old, new in self.streets.items():
            if old in name:
                return self.place.name + name.replace(old, new)
        if name.startswith("区"):
            return self.place.name + name[1:]
        if "西湖" in name:
            return self.text(name)
        name = name.replace("南昌", self.place.city)
        if name.endswith(("集团", "公司")):
            return f"{name}{self.place.short}分公司"
        return self.place.name + name


def make_districts(count, seed):
    generator = rng(seed, "districts")
    used_leaders = set(Leader.objects.values_list("name", flat=True))
    xihu_leaders = ("胡海", "吕东锦", "吴涛", "万勇", "刘云锋", "凌婧", "陈韬")
    districts = []
    for index, (short, name, city) in enumerate(names.district_names(generator, count), start=1):
        streets = dict(zip(XIHU_STREETS, generator.sample(names.STREET_NAMES, len(XIHU_STREETS))))
        leaders = {old: names.person(generator, used_leaders) for old in xihu_leaders}
        place = Place(index, short, name, city, f"36{index // 100 + 1:02d}{index % 100:02d}")
        districts.append(District(place, streets, leaders))
    return districts


def derived_plan(parsed, district, number):
    """A copy of the parsed Xihu plan with the district's names."""
    plan = copy.deepcopy(parsed)
    plan.title = district.text(plan.title)
    plan.issuing_bodies = district.text(plan.issuing_bodies)
    plan.document_number = f"{district.place.short}办发〔{plan.year}〕{number}号"
    plan.source_name = f"{district.place.short}-{plan.year}-action-plan.txt"
    for area in plan.areas:
        area.name = district.text(area.name)
        area.chief = district.leaders.get(area.chief, district.text(area.chief)) if area.chief else ""
        area.responsible_unit = district.unit(area.responsible_unit) if area.responsible_unit else ""
        area.lead_units = [district.unit(u) for u in area.lead_units]
        area.cooperating_units = [district.unit(u) for u in area.cooperating_units]
        for field in ("scope_text", "target_text", "pilots", "narrative", "attribution_text"):
            setattr(area, field, district.text(getattr(area, field)))
        area.other_names = [district.text(n) for n in area.other_names]
        for campaign in area.campaigns:
            campaign.name = district.text(campaign.name)
            campaign.lead_units = [district.unit(u) for u in campaign.lead_units]
        for task in area.tasks:
            task.text = district.text(task.text)
        for measure in [*area.measures, *(m for t in area.tasks for m in t.measures)]:
            measure.text = district.text(measure.text)
            measure.lead_units = [district.unit(u) for u in measure.lead_units]
            measure.cooperating_units = [district.unit(u) for u in measure.cooperating_units]
            measure.scope_text = district.text(measure.scope_text)
            for milestone in measure.milestones:
                milestone.text = district.text(milestone.text)
    return plan


def unit_directory(district):
    """Xihu's unit directory with the district's names (aliases too)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["name", "kind", "aliases"])
    with XIHU_UNITS.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            aliases = [district.unit(a) for a in (row["aliases"] or "").split("|") if a.strip()]
            writer.writerow([district.unit(row["name"]), row["kind"], "|".join(aliases)])
    return out.getvalue()


def unit_names(parsed, district):
    """Xihu name → the district's unit name, for every unit the engine may look up."""
    printed = {row["name"] for row in csv.DictReader(XIHU_UNITS.open(encoding="utf-8"))}
    printed |= set(REVIEW_UNITS) | {n for group in CATEGORY_UNITS.values() for n in group}
    for area in parsed.areas:
        printed |= set(area.lead_units) | set(area.cooperating_units)
        for measure in [*area.measures, *(m for t in area.tasks for m in t.measures)]:
            printed |= set(measure.lead_units) | set(measure.cooperating_units)
    return {canonical_spelling(n): canonical_spelling(district.unit(n)) for n in printed if n}


class ProgressBar:
    def __init__(self, stream, total):
        self.stream, self.total, self.started = stream, total, time.perf_counter()

    def show(self, done, counts):
        if self.stream is None:
            return
        elapsed = time.perf_counter() - self.started
        width = 30
        filled = int(width * done / self.total)
        eta = elapsed / done * (self.total - done) if done else 0
        words = {"reports": _("progress reports"), "complaints": _("complaints"), "reviews": _("service reviews")}
        figures = " · ".join(f"{words[k]} {counts[k]:,}" for k in words if counts.get(k))
        self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] "
                          + _("%(done)s/%(total)s districts · %(figures)s · %(elapsed).0f s, about %(eta).0f s to go ")
                          % {"done": done, "total": self.total, "figures": figures, "elapsed": elapsed, "eta": eta})
        if done == self.total:
            self.stream.write("\n")
        self.stream.flush()


def roomy_cache():
    """A bigger page cache for this connection, and no waiting for the disk at each commit.

    SQLite keeps 2 MiB of pages by default, and a province's indexes are hundreds of times that: every
    complaint adds a random tracking code to one, so most inserts would read an index page back from the
    file. A generated province is rebuilt, never recovered, so its commits need not wait until the disk
    has the data (synchronous = OFF: safe when the process dies, not when the machine does).
    """
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -262144")  # KiB: 256 MiB
            if not connection.in_atomic_block:  # SQLite refuses it inside a transaction (a test's)
                cursor.execute("PRAGMA synchronous = OFF")


def simulate_district(parsed, district, number, *, today, seed, volumes, whole=True, deadlines=None, turn=None):
    """Import one district's plan and play its year with the bulk writer. Returns (counts, timings).

    whole=True writes the district in one transaction; otherwise each flush commits on its own, so that
    another process can write its district in between (--jobs), taking `turn` (a lock) to do so.
    """
    turn = turn or nullcontext()
    timings = {}
    roomy_cache()
    derived = derived_plan(parsed, district, number)
    if Plan.objects.filter(document_number=derived.document_number).exists():
        raise ValueError(_("%(number)s is already imported: these districts exist already (use another --seed, "
                           "or a fresh database)") % {"number": derived.document_number})
    with transaction.atomic() if whole else nullcontext():
        started = time.process_time()
        with turn:
            # Each district is a region of its own: its office sees its plan, units and complaints only.
            name = f"{district.place.city}市{district.place.name}"
            if Region.objects.filter(name=name).exists():  # two districts drew the same name
                name = f"{name}（{number}）"
            region = Region.objects.create(
                code=f"{district.place.region_code}-{number}", name=name,
                office_name=f"{district.place.name}营商环境优化升级工作领导小组办公室",
                office_short=f"{district.place.name}营商办")
            import_unit_directory(unit_directory(district), source=f"{district.place.short} units",
                                  region_id=region.pk)
            plan = Plan.objects.get(pk=save_parsed_plan(derived, region_id=region.pk)["plan"])
        timings["import the derived plans"] = time.process_time() - started
        started = time.process_time()
        with simulated_time(at(datetime.date(plan.year, 1, 1), 0), seed, plan.document_number) as clock:
            writer = BulkWriter(deadlines=deadlines, turn=turn)
            year = Year(plan, seed=seed, today=today, writer=writer, clock=clock, volumes=volumes,
                        place=district.place, unit_names=unit_names(parsed, district), scoped_meetings=True,
                        deadlines=writer.deadlines)
            counts = year.run()
        # What the writer did not spend writing or in services is the engine deciding.
        timings["decide (the engine's stories)"] = time.process_time() - started - sum(writer.timings.values())
        timings.update(writer.timings)
    return dict(counts), timings


def simulate_districts(count, *, today, seed, volumes=PROVINCE, progress=sys.stderr, timings=None, jobs=1):
    """Create `count` districts with their plans and simulate each one's year up to `today`.

    jobs > 1 runs districts in that many processes (each district is decided and written by one of them):
    the engine's deciding is CPU work that the second core can do while the first writes.
    """
    parsed = read_plan_file(XIHU_PLAN)
    today = min(today, datetime.date(parsed.year, 12, 31))
    districts = make_districts(count, seed)
    bar = ProgressBar(progress, count)
    totals = {}
    timings = timings if timings is not None else {}
    bar.show(0, totals)
    work = [(i, district, 20 + i % 30) for i, district in enumerate(districts, start=1)]
    with deferred_indexes(timings):
        if jobs > 1:
            results = _in_processes(work, jobs, parsed, today, seed, volumes)
        else:
            # The hotline's deadlines are the same in every district: computed once for all of them.
            deadlines = Deadlines()
            results = (simulate_district(parsed, district, number, today=today, seed=seed, volumes=volumes,
                                         deadlines=deadlines) for _, district, number in work)
        for done, (counts, spent) in enumerate(results, start=1):
            for key, value in counts.items():
                totals[key] = totals.get(key, 0) + value
            for key, value in spent.items():
                timings[key] = timings.get(key, 0) + value
            totals["districts"] = done
            bar.show(done, totals)
    return totals


def _in_processes(work, jobs, parsed, today, seed, volumes):
    """Yield (counts, timings) as forked workers finish their districts."""
    context = multiprocessing.get_context("fork")
    queue, turn = context.Queue(), context.RLock()
    connections.close_all()  # a forked child must open its own connection
    workers = [context.Process(target=_worker, args=(work[k::jobs], parsed, today, seed, volumes, queue, turn))
               for k in range(jobs)]
    for worker in workers:
        worker.start()
    for _item in work:
        result = queue.get()
        if isinstance(result, str):
            for worker in workers:
                worker.terminate()
            raise RuntimeError(_("A simulation worker failed; what it said:\n%(error)s") % {"error": result})
        yield result
    for worker in workers:
        worker.join()


def _worker(work, parsed, today, seed, volumes, queue, turn):
    try:
        deadlines = Deadlines()
        for _, district, number in work:
            queue.put(simulate_district(parsed, district, number, today=today, seed=seed, volumes=volumes,
                                        whole=False, deadlines=deadlines, turn=turn))
    except Exception:  # noqa: BLE001 — the parent reports it and stops the others
        queue.put(traceback.format_exc())
    finally:
        connections.close_all()
