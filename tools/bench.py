#!/usr/bin/env python
"""`make bench`: timed runs of Duban's hot paths, on a throwaway SQLite database.

    .venv/bin/python tools/bench.py            # every benchmark
    .venv/bin/python tools/bench.py calendar   # those whose name contains "calendar"
    .venv/bin/python tools/bench.py --list
    .venv/bin/python tools/bench.py --districts 10 simulated   # a scaled-down province (default 100)

A benchmark is a function decorated with @benchmark("section: what it does").
It may prepare data untimed and returns a list of (measurement, seconds, count)
rows, seconds being (wall, cpu) as timed() gives them; CPU time is the figure
to compare when the machine is busy with other work. What it prints is what
BENCHMARKS.md records. Add a section by adding functions here.

A row may also be a dict (label, wall, cpu, and for repeated measurements
median, p95, runs, queries): the sections on simulated data
(tools/bench_simulated.py) report pages and operations that way. A run of
every benchmark writes its table into BENCHMARKS.md (between the "make bench"
markers; the rest of the file is left alone) and keeps the figures in
benchmarks/last.json, which the next run compares against.
"""

import json
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
    os.environ.pop("DUBAN_TODAY", None)
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

    from duban.core.models import Region

    rng = random.Random(2)
    rows = _measure_rows(200_000, rng)
    region = Region.objects.sole()  # the throwaway database's one region, named like every caller must
    with transaction.atomic():
        plans = {warn: Plan.objects.create(region=region, year=2026, title=f"基准方案{warn}", warning_workdays=warn)
                 for warn in (3, 5, 10)}
        areas = {warn: Area.objects.create(plan=plan, kind=Area.Kind.INDICATOR, name=f"领域{warn}")
                 for warn, plan in plans.items()}
        units = Unit.objects.bulk_create(Unit(region=region, name=f"基准单位{i}") for i in range(60))
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


# ---------------------------------------------------------------- hotline


def _hotline_complaints(count=500_000, n_units=60, seed=6):
    """`count` complaints over two years, 60 units, every state, in the proportions of a busy district."""
    import datetime

    from django.db import transaction
    from django.utils import timezone

    from duban.accounts.models import Role, User
    from duban.core.models import Region
    from duban.hotline.models import Category, Complaint, new_tracking_code
    from duban.plans.models import Unit

    rng = random.Random(seed)
    region = Region.objects.sole()  # the throwaway database's one region, named like every caller must
    categories = list(Category.objects.filter(region=region))
    states = [("closed", 80), ("replied", 5), ("in_progress", 6), ("assigned", 3), ("classified", 1),
              ("contacted", 1), ("received", 2), ("returned", 2)]
    population = [state for state, weight in states for _ in range(weight)]
    start = timezone.make_aware(datetime.datetime(2024, 12, 1, 8, 30))
    span = 2 * 365 * 24 * 3600
    with transaction.atomic():
        units = Unit.objects.bulk_create(Unit(region=region, name=f"热线基准单位{i:02d}") for i in range(n_units))

        def rows():
            for i in range(count):
                received = start + datetime.timedelta(seconds=span * i // count + rng.randint(0, 3600))
                state = rng.choice(population)
                waiting = state not in ("closed", "replied")
                yield Complaint(
                    region=region, tracking_code=new_tracking_code(), channel="web", company_name=f"基准企业{rng.randint(1, 40000)}有限公司",
                    credit_code="91350100M000100Y43", contact_name="王小明", mobile=f"138{rng.randint(0, 99999999):08d}",
                    category=rng.choice(categories), description="拖欠货款，多次催要无果。" * 4, state=state,
                    difficulty="" if state in ("received", "contacted") else rng.choice(("general", "general", "difficult")),
                    lead_unit=None if state in ("received", "contacted", "classified", "returned") else rng.choice(units),
                    received_at=received, contact_due=received + datetime.timedelta(days=1),
                    contacted_at=None if state == "received" else received + datetime.timedelta(hours=5),
                    reply_due=received + datetime.timedelta(days=7),
                    next_due=received + datetime.timedelta(days=rng.choice((1, 7, 14))) if waiting else None,
                    replied_at=None if waiting else received + datetime.timedelta(days=rng.randint(1, 12)),
                    closed_at=received + datetime.timedelta(days=14) if state == "closed" else None,
                    satisfied=rng.random() < 0.93 if state == "closed" else None,
                    supervised_at=received + datetime.timedelta(days=9) if rng.random() < 0.02 else None,
                )

        Complaint.objects.bulk_create(rows(), batch_size=2000)
        office = User.objects.create(region=region, username="bench-hotline-office", role=Role.OFFICE)
    return units, office


def _median_of(client, url, runs=21):
    """The median request's timing (as timed() gives it), the query count and the page size."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(2):  # warm: templates compiled, the working-day engine built
        assert client.get(url).status_code == 200, url
    runs_timed = sorted(timed(client.get, url)[1] for _ in range(runs))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return runs_timed[runs // 2], len(queries), len(response.content)


def client_environment():
    """What the test client needs, without setup_test_environment(): that one also wraps every template
    render to keep a copy of its context, which doubles a big page's time and keeps its memory."""
    from django.conf import settings

    if "testserver" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"  # a benchmark mails nobody


@benchmark("hotline: the office's complaint list (filter + sort + 50 rows) over 500,000 complaints")
def bench_hotline_list():
    from django.test import Client
    from django.urls import reverse

    from duban.hotline.models import Category

    client_environment()
    (units, office), build = timed(_hotline_complaints)
    client = Client()
    client.force_login(office)
    base = reverse("hotline:complaint_list")
    category = Category.objects.get(name="拖欠中小企业账款")
    rows = [("build 500,000 complaints with bulk_create (untimed pages)", build, 1)]
    medians = {}
    for label, query in (
        ("newest first, no filter", ""),
        ("open complaints, deadline first", "?state=open&sort=due"),
        ("overdue (red), deadline first", "?light=red&sort=due"),
        ("one unit, in progress, deadline first", f"?unit={units[7].pk}&state=in_progress&sort=due"),
        ("one category, one month, newest first", f"?category={category.pk}&month=2026-03"),
        ("supervised cases, oldest first", "?light=supervised&sort=received"),
        ("tracking code search", "?q=ABCDE-FGHJK"),
        ("company name search within a month", "?q=基准企业123&month=2026-03"),
        ("company name search over everything (reads every row)", "?q=基准企业123"),
    ):
        median, queries, size = _median_of(client, base + query)
        medians[label] = median[0]
        rows.append((f"{label}: {queries} queries, {size // 1024} KiB, median of 21", median, 1))
    return rows + peer_rows(500_000, medians)


PEER_LOCK = Path(__file__).resolve().parent / "peer" / "requirements.lock"  # django-helpdesk 2.6.1 and its deps
TARGET_RATIO, TARGET_MS = 20, 50  # issue 22: the complaint list at 500k ≥ 20× django-helpdesk's, under 50 ms


def peer_folder():
    """var/bench/peer (or DUBAN_BENCH_CACHE/peer): the peer's venv and its databases, kept between runs."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import bench_pg

    return bench_pg.cache() / "peer"


def peer_python():
    """The peer's venv, built (or rebuilt when tools/peer/requirements.lock changed) with exactly the lock."""
    import hashlib
    import subprocess

    venv = peer_folder() / "venv"
    python, stamp = venv / "bin" / "python", venv / ".requirements-sha256"
    wanted = hashlib.sha256(PEER_LOCK.read_bytes()).hexdigest()
    if not python.exists() or not stamp.exists() or stamp.read_text() != wanted:
        print(f"building the peer's venv in {venv} from {PEER_LOCK.name}", file=sys.stderr, flush=True)
        subprocess.run([os.environ.get("PYTHON", "python3.11"), "-m", "venv", "--clear", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--no-deps", "-r", str(PEER_LOCK)], check=True)
        stamp.write_text(wanted)
    return python


def peer_rows(tickets, duban):
    """django-helpdesk's staff ticket list on as many tickets, in its own venv, in this run: its median
    beside Duban's, the ratio, and issue 22's targets met or not (tools/peer/helpdesk_list.py)."""
    import subprocess

    python = peer_python()
    out = subprocess.run([str(python), str(Path(__file__).resolve().parent / "peer" / "helpdesk_list.py"),
                          "--tickets", str(tickets), "--db", str(peer_folder() / f"helpdesk-{tickets}.sqlite3")],
                         check=True, capture_output=True, text=True).stdout
    peer = json.loads(out.strip().splitlines()[-1])
    rows = [(f"peer: django-helpdesk 2.6.1 staff ticket list, {tickets:,} tickets ({peer['open']:,} open): "
             "page + its first 25 rows (DataTables JSON), median of 21", (peer["list_s"], None), 1)]
    for label in ("newest first, no filter", "open complaints, deadline first"):
        ratio = peer["list_s"] / duban[label]
        rows.append((f"ratio: django-helpdesk's list ÷ Duban's \"{label}\" = {ratio:.1f}×",
                     (duban[label], None), 1))
        rows.append({"label": f"target: complaint list \"{label}\" at {tickets:,} ≥ {TARGET_RATIO}× "
                              f"django-helpdesk's list: {ratio:.1f}× — {'MET' if ratio >= TARGET_RATIO else 'NOT MET'}",
                     "wall": duban[label], "cpu": None, "target": True})
        ms = duban[label] * 1000
        rows.append({"label": f"target: complaint list \"{label}\" at {tickets:,} under {TARGET_MS} ms median: "
                              f"{ms:.0f} ms — {'MET' if ms < TARGET_MS else 'NOT MET'}",
                     "wall": duban[label], "cpu": None, "target": True})
    return rows


# ---------------------------------------------------------------- progress


def _progress_district(n_units, n_measures, lead, n_rounds=6):
    """A plan of n_measures over n_units, lead(i) giving measure i's lead unit indexes, six bimonthly rounds
    of reports in every state (a seventh draft, a seventh returned, a seventh awaiting review, the rest accepted)."""
    import datetime

    from django.db import transaction
    from django.db.models.functions import Mod

    from duban.accounts.models import Role, User
    from duban.core.models import Region
    from duban.plans.models import Area, Measure, MeasureCooperatingUnit, MeasureLeadUnit, Plan, Unit
    from duban.progress import services
    from duban.progress.models import Contribution, Evidence, ProgressReport, ReportingRound

    region = Region.objects.sole()  # the throwaway database's one region, named like every caller must
    with transaction.atomic():
        plan = Plan.objects.create(region=region, year=2023, title=f"进展基准方案{n_measures}", document_number=f"基准〔2023〕{n_measures}号")
        areas = Area.objects.bulk_create(
            Area(plan=plan, kind=Area.Kind.INDICATOR, name=f"指标{i}", number=i, position=i) for i in range(16))
        units = Unit.objects.bulk_create(Unit(region=region, name=f"基准单位{n_measures}-{i:03d}") for i in range(n_units))
        measures = Measure.objects.bulk_create(
            (Measure(plan=plan, area=areas[i % len(areas)], annex=2, number=i + 1, text=f"举措{i + 1}：推进改革事项。" * 3,
                     position=i, deadline=datetime.date(2023, 6 + i % 7, 28)) for i in range(n_measures)),
            batch_size=2000,
        )
        MeasureLeadUnit.objects.bulk_create(
            (MeasureLeadUnit(measure=m, unit=units[u], position=k)
             for i, m in enumerate(measures) for k, u in enumerate(lead(i))), batch_size=5000)
        MeasureCooperatingUnit.objects.bulk_create(
            (MeasureCooperatingUnit(measure=m, unit=units[(lead(i)[-1] + 1) % n_units]) for i, m in enumerate(measures)),
            batch_size=5000)
        rounds = [
            services.open_round(plan, ReportingRound.Kind.BIMONTHLY, datetime.date(2023, 2 * (k + 1), 1),
                                opened_on=datetime.date(2023, 2 * (k + 1), 3))
            for k in range(n_rounds)
        ]
        reports = ProgressReport.objects.filter(round__plan=plan).annotate(mod=Mod("pk", 7))
        common = {"progress": "in_progress", "percent": 50, "done_text": "已完成阶段性工作。" * 5, "version": 1}
        for mod, status in ((0, "draft"), (1, "returned"), (2, "submitted")):
            reports.filter(mod=mod).update(status=status, **common)
        reports.filter(mod__gte=3).update(status="accepted", **common)
        for r in rounds:
            r.reports.exclude(status="draft").update(first_submitted_on=r.due_on)
        services.rebuild_tallies(plan)  # the states were written around the services
        latest = list(rounds[-1].reports.values_list("pk", flat=True))
        Evidence.objects.bulk_create(
            (Evidence(report_id=pk, file=f"progress/evidence/b{pk}.pdf", original_name="佐证.pdf", kind="pdf",
                      content_type="application/pdf", size=1000, sha256="0") for pk in latest), batch_size=5000)
        Contribution.objects.bulk_create(
            (Contribution(report_id=pk, unit=units[1], text="配合推进。") for pk in latest[::10]), batch_size=5000)
        office = User.objects.get_or_create(username="bench-office", defaults={"role": Role.OFFICE, "region": region})[0]
    return plan, units, office


def _progress_pages(plan, office, ledger_unit):
    from django.test import Client
    from django.urls import reverse

    client_environment()
    client = Client()
    client.force_login(office)
    rows = []
    for label, url in (
        ("office matrix (units × rounds)", f"{reverse('progress:matrix')}?plan={plan.pk}"),
        ("unit ledger", reverse("progress:unit_ledger", args=[ledger_unit.pk])),
        ("round page (100 reports a page)", reverse("progress:round_detail", args=[plan.rounds.last().pk])),
    ):
        median, queries, size = _median_of(client, url)
        rows.append((f"{label}: {queries} queries, {size // 1024} KiB, median of 21", median, 1))
    return rows


@benchmark("progress: a district — 100 units, 160 measures, 6 rounds (960 reports); one unit co-leads all 160")
def bench_progress_district():
    # Measure i is led by unit i % 100, and co-led by unit 0 (the ledger measured: 160 rows).
    (plan, units, office), build = timed(_progress_district, 100, 160, lambda i: [0] if i % 100 == 0 else [0, i % 100])
    return [("build (untimed pages)", build, 1), *_progress_pages(plan, office, units[0])]


@benchmark("progress: stress — 100 units each leading 160 measures, 6 rounds (96,000 reports)")
def bench_progress_stress():
    (plan, units, office), build = timed(_progress_district, 100, 16_000, lambda i: [i // 160])
    return [("build (untimed pages)", build, 1), *_progress_pages(plan, office, units[50])]

# ------------------------------------------------------------- plan import (issue 16)

PLAN_PDF_PAGES = 40


def seed_plan_html(font_pt=13):
    """The seed plan's text as a printed plan: its paragraphs, and each run of tab-separated lines a ruled
    table whose header repeats on every page (thead), the cells broken off by the text extraction
    printed as rows of one cell. A page header and page numbers as published plans carry them."""
    import html

    text = (Path(__file__).resolve().parent.parent / "duban" / "demo" / "xihu-2023-action-plan.txt").read_text()
    css = (f"@page {{ size: A4; margin: 20mm 16mm; @top-center {{ content: '西湖区优化营商环境'; font-size: 9pt; }}"
           f" @bottom-center {{ content: '— ' counter(page) ' —'; }} }}"
           f" body {{ font-family: 'Noto Serif CJK SC'; font-size: {font_pt}pt; line-height: 1.6; }}"
           f" p {{ margin: 0; text-indent: 2em; }} table {{ border-collapse: collapse; font-size: {font_pt - 5}pt; }}"
           f" td, th {{ border: 0.8pt solid #000; padding: 2pt; }} thead {{ display: table-header-group; }}")
    out, table = [f"<!doctype html><html><head><meta charset='utf-8'><style>{css}</style></head><body>"], None
    for line in text.split("\n"):
        if "\t" in line:
            cells = [html.escape(c) for c in line.rstrip("\t").split("\t")]
            if table is None:
                table = len(cells)
                out.append("<table><thead><tr>" + "".join(f"<th>{c}</th>" for c in cells) + "</tr></thead><tbody>")
            elif cells[0] == "序号":
                continue  # the header printed again on each page of the text: the thead repeats it
            else:
                out.append("<tr>" + "".join(f"<td>{c}</td>" for c in _printed_row(cells, table)) + "</tr>")
            continue
        stripped = line.strip().lstrip("#").strip().replace("**", "")
        if table is not None and stripped and not stripped.startswith("附件"):
            continue  # a cell the extraction broke off: the table holds it already
        if table is not None and stripped.startswith("附件"):
            out.append("</tbody></table>")
            table = None
        if stripped:
            out.append(f"<p>{html.escape(stripped)}</p>")
    if table is not None:
        out.append("</tbody></table>")
    out.append("</body></html>")
    return "".join(out)


def _printed_row(cells, width):
    """A text row as the printed table holds it, `width` cells. The seed's text has rows its extraction
    shifted right by one blank cell ('38 | | | | | 简化… | | | 区法院 | 区司法局 | 2023年11月30日' under ten
    columns): the blank after the measure's text goes, so that each cell stands under its column and no
    cell is cut off."""
    cells = list(cells)
    while len(cells) > width:
        filled = next((i for i, c in enumerate(cells) if i and c), None)
        blank = next((i for i, c in enumerate(cells) if filled is not None and i > filled and not c), None)
        if blank is None:
            cells[width - 1:] = [" ".join(c for c in cells[width - 1:] if c)]
            break
        del cells[blank]
    return cells + [""] * (width - len(cells))


def print_plan_pdf(folder):
    """The seed printed by Chromium to about PLAN_PDF_PAGES pages (the font grows until it fills them)."""
    import subprocess

    import pdfplumber

    page, pdf = Path(folder) / "plan.html", Path(folder) / "西湖区方案.pdf"
    for font in (13, 14, 15, 17, 19):
        page.write_text(seed_plan_html(font), encoding="utf-8")
        subprocess.run(["/usr/bin/chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                        f"--print-to-pdf={pdf}", page.as_uri()], check=True, capture_output=True, timeout=300)
        with pdfplumber.open(pdf) as opened:
            pages = len(opened.pages)
        if pages >= PLAN_PDF_PAGES:
            break
    return pdf, pages


@benchmark("plan import: reading a 40-page PDF plan (the seed printed by Chromium; target < 5 s)")
def bench_plan_pdf():
    from duban.plans.importers import read_plan_file
    from duban.plans.importers.formats import read_document

    with tempfile.TemporaryDirectory() as folder:
        pdf, pages = print_plan_pdf(folder)
        _, document = timed(read_document, pdf)
        plan, whole = timed(read_plan_file, pdf)
    measures = sum(1 for _ in plan.all_measures())
    return [(f"PDF → Document ({pages} pages)", document, pages),
            (f"PDF → ParsedPlan ({pages} pages, {measures} measures)", whole, measures)]


# ------------------------------------------------------- simulated data (issue 11)

SIMULATED = {"districts": int(os.environ.get("BENCH_DISTRICTS", 100)), "jobs": 2}


@benchmark("simulated: the demo district — Xihu played through the services to 2023-10-20; its pages and operations")
def bench_simulated_demo():
    import bench_simulated

    return bench_simulated.rows_for("demo")


@benchmark("simulated: a province — N districts written in bulk to 2023-10-20; its pages and operations")
def bench_simulated_province():
    import bench_simulated

    return bench_simulated.rows_for("province", SIMULATED["districts"], SIMULATED["jobs"])


# The same data sets and the same timings on PostgreSQL: a throwaway cluster in var/bench/pg (tools/bench_pg.py),
# started by the first of these sections when it is not running, and stopped at the end of the run if it started it.

@benchmark("simulated on PostgreSQL: the demo district — as above; its pages and operations")
def bench_simulated_demo_pg():
    import bench_simulated

    return bench_simulated.rows_for("demo", database="postgresql")


@benchmark("simulated on PostgreSQL: a province — N districts, as above; its pages and operations")
def bench_simulated_province_pg():
    import bench_simulated

    return bench_simulated.rows_for("province", SIMULATED["districts"], SIMULATED["jobs"], database="postgresql")


# ---------------------------------------------------------------------- report

REPORT = Path(__file__).resolve().parent.parent / "BENCHMARKS.md"
LAST = Path(__file__).resolve().parent.parent / "benchmarks" / "last.json"
START, END = "<!-- make bench: start -->", "<!-- make bench: end -->"


def as_row(section, row):
    """One result as a dict, whatever shape the section gave it."""
    if isinstance(row, dict):
        return {"section": section, **row}
    label, seconds, count = row
    wall, cpu = seconds if isinstance(seconds, tuple) else (seconds, None)
    return {"section": section, "label": label, "wall": wall, "cpu": cpu, "count": count}


def machine():
    import platform
    import subprocess

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory = next((int(line.split()[1]) // 1024 // 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), 0)
    root = Path(__file__).resolve().parent.parent
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True,
                            text=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=root, capture_output=True,
                           text=True).stdout.strip()
    import sqlite3

    import django

    return {
        "date": time.strftime("%Y-%m-%d %H:%M"), "commit": commit + (" (with uncommitted changes)" if dirty else ""),
        "cpu": f"{os.cpu_count()} × {cpu}", "memory": f"{memory} GiB", "python": platform.python_version(),
        "django": django.get_version(), "sqlite": sqlite3.sqlite_version, "load": " ".join(
            f"{x:.1f}" for x in os.getloadavg()),
    }


def _ms(seconds):
    return "" if seconds is None else f"{seconds * 1000:,.0f}" if seconds < 100 else f"{seconds:,.0f} s"


def side_by_side(results):
    """Each page of the simulated sections in one row: median / p95 ms and queries per data set and database."""
    columns, pages = [], {}
    for row in results:
        if not row["section"].startswith("simulated") or not row["label"].startswith("page: "):
            continue
        column = (("PostgreSQL" if "PostgreSQL" in row["section"] else "SQLite") + ", "
                  + ("demo" if "demo district" in row["section"] else "province"))
        if column not in columns:
            columns.append(column)
        pages.setdefault(row["label"][len("page: "):], {})[column] = row
    if not pages:
        return []
    lines = ["### Pages side by side: median / p95 ms (queries) per data set and database", "",
             "| page | " + " | ".join(columns) + " |", "|---|" + "---:|" * len(columns)]
    for page, cells in pages.items():
        lines.append(f"| {page} | " + " | ".join(
            f"{_ms(cells[c]['median'])} / {_ms(cells[c]['p95'])} ({cells[c]['queries']})" if c in cells else ""
            for c in columns) + " |")
    return lines + [""]


def write_report(results, info, previous):
    lines = [
        START,
        f"## `make bench` — every benchmark, generated {info['date']}",
        "",
        f"Commit {info['commit']}; {info['cpu']}, {info['memory']}; Python {info['python']}, Django "
        f"{info['django']}, SQLite {info['sqlite']}. Load average at the start {info['load']} (the machine is "
        "shared: CPU time is the figure to compare when it is busy). Pages are timed with Django's test client "
        "after two warm-up requests; operations are rolled back after each run. \"vs last\" compares the median "
        "(or the single time) with benchmarks/last.json, the previous run's figures.",
        "",
    ]
    targets = [row for row in results if row.get("target")]
    if targets:
        lines += ["Issue 22's targets, from this run:", ""] + [f"- {row['label']}" for row in targets] + [""]
    lines += side_by_side(results)
    section = None
    for row in results:
        if row.get("target"):
            continue
        if row["section"] != section:
            section = row["section"]
            lines += ["", f"### {section}", ""]
            if row.get("scale"):
                lines += [f"Data: {row['scale']}.", ""]
            lines += ["| measurement | median ms | p95 ms | CPU ms | runs | queries | vs last |",
                      "|---|---:|---:|---:|---:|---:|---:|"]
        median = row.get("median", row.get("wall"))
        key = f"{row['section']} | {row['label']}"
        before = previous.get(key)
        change = f"{100 * (median - before) / before:+.0f} %" if before and median is not None else ""
        lines.append(f"| {row['label']} | {_ms(median)} | {_ms(row.get('p95'))} | {_ms(row.get('cpu'))} | "
                     f"{row.get('runs', 1)} | {row.get('queries', '')} | {change} |")
    lines += ["", END]
    replace_block(START, END, "\n".join(lines))


def replace_block(start, end, block):
    """Put `block` (from the `start` marker to the `end` marker) into BENCHMARKS.md where the same markers stand,
    or at its end the first time; what lies outside the markers stays as written."""
    text = REPORT.read_text() if REPORT.exists() else "# Benchmarks\n"
    if start in text and end in text:
        text = text[:text.index(start)] + block + text[text.index(end) + len(end):]
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    REPORT.write_text(text)


def main(argv):
    if "--dataset" in argv:  # the child process of a simulated-data section
        import bench_simulated

        return bench_simulated.child_main(argv[argv.index("--dataset") + 1])
    if "--list" in argv:
        for name, _func in BENCHMARKS:
            print(name)
        return 0
    for option in ("--districts", "--jobs"):
        if option in argv:
            i = argv.index(option)
            SIMULATED[option[2:]] = int(argv[i + 1])
            del argv[i:i + 2]
    chosen = [(name, func) for name, func in BENCHMARKS if not argv or any(word in name for word in argv)]
    info = machine()
    setup_django()
    previous = json.loads(LAST.read_text()) if LAST.exists() else {}
    results = []
    try:
        run_chosen(chosen, results)
    finally:
        import bench_pg

        if bench_pg.STARTED:  # the cluster this run started (a running one is left running)
            bench_pg.stop()
    figures = {f"{r['section']} | {r['label']}": r.get("median", r.get("wall")) for r in results}
    if not argv:  # the whole set: BENCHMARKS.md and last.json describe one complete run
        write_report(results, info, previous)
        LAST.parent.mkdir(exist_ok=True)
        LAST.write_text(json.dumps({**previous, **figures}, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
        print(f"Wrote {REPORT.name} and {LAST.relative_to(LAST.parent.parent)}.")
    return 0


def run_chosen(chosen, results):
    print(f"{'benchmark':<62} {'wall s':>8} {'CPU s':>8} {'CPU per item':>13}")
    for name, func in chosen:
        print(name, flush=True)
        section = name.replace("a province — N districts", f"a province — {SIMULATED['districts']} districts")
        for raw in func():
            row = as_row(section, raw)
            results.append(row)
            wall = row.get("median", row["wall"] if "wall" in row else None)
            cpu, count = row.get("cpu"), row.get("count", 1)
            per = f"{cpu / count * 1e6:.2f} µs" if count > 1 and cpu is not None else ""
            cpu_text = f"{cpu:>8.3f}" if cpu is not None else f"{'':>8}"
            extra = f"  p95 {row['p95']:.3f}" if "p95" in row else ""
            extra += f", {row['queries']} queries" if "queries" in row else ""
            if row.get("target"):  # issue 22's targets: said in full, not cut to the column
                print(f"  {row['label']}", flush=True)
                continue
            print(f"  {row['label'][:60]:<60} {wall:>8.3f} {cpu_text} {per:>13}{extra}", flush=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
