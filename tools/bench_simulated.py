"""`make bench` on simulated data (issue 11): the demo district and a province, as `duban simulate` makes them.

Two data sets, each on both databases: a SQLite file under var/bench/<set>-<key>/, and a database
of the throwaway PostgreSQL cluster in var/bench/pg (tools/bench_pg.py) noted in var/bench/<set>-pg-<key>/:

- demo: the Xihu plan played through the services up to 2023-10-20 (what `make demo` shows);
- province: N districts (100 by default, BENCH_DISTRICTS or --districts to change) written in bulk.

Building one is itself a benchmark (how long `duban demo` / `duban simulate --districts N` take);
it is done once per version of the simulation code (<key> = code_key()) and reused afterwards —
delete the folder to rebuild. DUBAN_BENCH_CACHE names another folder than var/bench (e.g. another
worktree's, whose data sets were built by the same simulation code). The pages and operations are
then timed in a child process standing on that database (DUBAN_TODAY=2023-10-20), inside a
transaction that is rolled back, so the data set stays as built.

    python tools/bench_simulated.py build province --database postgresql   # build (or keep) one set
    python tools/bench_simulated.py folder province --database postgresql  # its folder; its DATABASE_URL
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import bench_pg  # noqa: E402 — beside this file

CACHE = bench_pg.cache()
DATABASES = ("sqlite", "postgresql")
TODAY = "2023-10-20"
MARK = "BENCH-JSON "


def code_key():
    """A hash of what decides the data: the simulation, the demo command and the demo files.

    DUBAN_BENCH_KEY=<key> takes the data sets of that key instead (built by other simulation code: say so)."""
    if os.environ.get("DUBAN_BENCH_KEY"):
        return os.environ["DUBAN_BENCH_KEY"]
    digest = hashlib.sha256()
    paths = sorted((ROOT / "duban" / "simulation").glob("*.py")) + [
        ROOT / "duban" / "simulation" / "management" / "commands" / "demo.py",
        ROOT / "duban" / "demo" / "xihu-2023-action-plan.txt", ROOT / "duban" / "demo" / "xihu-units.csv"]
    for path in paths:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


def pg_name(folder):
    """The PostgreSQL database of a data set's folder (province-100-pg-f123ab62ea → bench_province_100_f123ab62ea)."""
    return "bench_" + folder.name.replace("-pg", "").replace("-", "_")


def _env(folder):
    env = dict(os.environ, DUBAN_VAR_DIR=str(folder), DUBAN_TODAY=TODAY, DJANGO_SETTINGS_MODULE="duban.settings")
    env.pop("DATABASE_URL", None)
    if "-pg-" in folder.name:
        env["DATABASE_URL"] = bench_pg.database_url(pg_name(folder))
    return env


def folder_for(name, districts=100, database="sqlite"):
    size = f"-{districts}" if name == "province" else ""
    return CACHE / f"{name}{size}{'-pg' if database == 'postgresql' else ''}-{code_key()}"


def _run(args, folder):
    """Run a duban command on the data set's database; (wall, CPU of the children) seconds."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "duban", *args], env=_env(folder), cwd=ROOT,
                            capture_output=True, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode:
        raise RuntimeError(f"duban {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), result.stdout


def build(name, districts=100, jobs=2, database="sqlite"):
    """The data set's folder, building it first if this version of the code has not."""
    folder = folder_for(name, districts, database)
    built = folder / "built.json"
    if database == "postgresql":
        bench_pg.ensure()
    if built.exists():
        # Built by an earlier commit: bring its schema up to this one's (new columns, indexes) before it is used.
        wall, _cpu, out = _run(["migrate", "--no-input"], folder)
        applied = [line.strip() for line in out.splitlines() if line.strip().startswith("Applying")]
        if applied:
            print(f"{folder.name}: {len(applied)} migration(s) applied in {wall:.0f} s", file=sys.stderr, flush=True)
        return folder, json.loads(built.read_text())
    folder.mkdir(parents=True, exist_ok=True)
    building = folder / "building.pid"  # another process building this set: wait for it, never start over
    if building.exists():
        pid = int(building.read_text().split()[0])
        if pid != os.getpid() and Path(f"/proc/{pid}").exists():
            raise RuntimeError(f"{folder.name} is being built by process {pid} (started "
                               f"{datetime.datetime.fromtimestamp(building.stat().st_mtime):%H:%M}); wait for it to "
                               f"write {built.name}, or stop it and delete {building}")
    building.write_text(f"{os.getpid()}\n")
    print(f"building the {name} data set on {database} in {folder} (once per version of the simulation code)",
          file=sys.stderr, flush=True)
    for stale in folder.glob("duban.sqlite3*"):
        stale.unlink()
    if database == "postgresql":
        bench_pg.recreate(pg_name(folder))
    steps = {"migrate": _run(["migrate", "--no-input", "-v0"], folder)}
    if name == "demo":
        steps["duban demo (import, accounts, the year played through the services)"] = _run(["demo"], folder)
    else:
        steps[f"duban simulate --districts {districts} --jobs {jobs}"] = _run(
            ["simulate", "--districts", str(districts), "--jobs", str(jobs), "--today", TODAY], folder)
    info = {
        "built": datetime.datetime.now().isoformat(timespec="seconds"), "database": database,
        "steps": {label: {"wall": wall, "cpu": cpu, "output": out.strip().splitlines()[-12:]}
                  for label, (wall, cpu, out) in steps.items()},
    }
    built.write_text(json.dumps(info, ensure_ascii=False, indent=1))
    building.unlink()
    return folder, info


def measure(name, folder):
    """Time the pages and operations in a child process on the data set; a list of row dicts."""
    # The child's stderr (a line a step, with its memory) goes to ours as it runs.
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "bench.py"), "--dataset", name],
                            env=_env(folder), cwd=ROOT, stdout=subprocess.PIPE, text=True)
    if result.returncode:
        raise RuntimeError(f"measuring {name} failed (exit {result.returncode}; its last steps are above):\n"
                           f"{result.stdout[-3000:]}")
    line = next(line for line in result.stdout.splitlines() if line.startswith(MARK))
    return json.loads(line[len(MARK):])


def rows_for(name, districts=100, jobs=2, database="sqlite"):
    """Rows for bench.py: how the data set was built (or when), then its pages and operations."""
    folder, info = build(name, districts, jobs, database)
    rows = []
    for label, step in info["steps"].items():
        rows.append({"label": f"{label} (built {info['built']})", "wall": step["wall"], "cpu": step["cpu"]})
    rows += measure(name, folder)
    return rows


# --------------------------------------------------------------- in the child


def _stats(samples):
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]
    return statistics.median(ordered), p95


def _page(client, url, budget=20.0, runs=20):
    """Median and p95 wall ms of a page (after two warm-up requests), its queries and size."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    samples, cpu, started = [], [], time.perf_counter()
    while len(samples) < runs and (len(samples) < 5 or time.perf_counter() - started < budget):
        wall, process = time.perf_counter(), time.process_time()
        client.get(url)
        samples.append(time.perf_counter() - wall)
        cpu.append(time.process_time() - process)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    median, p95 = _stats(samples)
    return {"median": median, "p95": p95, "cpu": statistics.median(cpu), "runs": len(samples),
            "queries": len(queries), "kib": len(response.content) // 1024}


def _operation(func, runs=5, budget=60.0):
    """Median and p95 of an operation, each run rolled back."""
    from django.db import transaction

    class Undo(Exception):
        pass

    samples, cpu, started = [], [], time.perf_counter()
    while len(samples) < runs and (len(samples) < 2 or time.perf_counter() - started < budget):
        try:
            with transaction.atomic():
                wall, process = time.perf_counter(), time.process_time()
                func()
                samples.append(time.perf_counter() - wall)
                cpu.append(time.process_time() - process)
                raise Undo
        except Undo:
            pass
    median, p95 = _stats(samples)
    return {"median": median, "p95": p95, "cpu": statistics.median(cpu), "runs": len(samples)}


def _resident_mib():
    """The child's resident memory now (peak memory never comes down, so it cannot tell which step grew)."""
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 2**20


def _logged(row):
    """Say on stderr what was timed and the memory after it: when the child is killed, the log names the step."""
    print(f"{row['label']}: median {row['median'] * 1000:,.0f} ms, {row.get('queries', '-')} queries, "
          f"{_resident_mib():,} MiB resident", file=sys.stderr, flush=True)
    return row


def _hasher_parameters(encoded):
    """What a hash's parameters are, as its hasher reads them (Argon2: memory, iterations, lanes)."""
    from django.contrib.auth.hashers import identify_hasher

    decoded = identify_hasher(encoded).decode(encoded)
    if "memory_cost" in decoded:
        return (f"{decoded['variety']}, {decoded['memory_cost'] // 1024} MiB, t={decoded['time_cost']}, "
                f"p={decoded['parallelism']}")
    return f"{decoded.get('iterations', '?')} iterations"


def dataset_rows(name):
    """Every page and operation the issues name, on the data set this process stands on."""
    from bench import client_environment
    from django.contrib.auth.hashers import check_password, identify_hasher
    from django.db import connection, transaction
    from django.test import Client
    from django.urls import reverse

    from duban.accounts.models import Role, User
    from duban.core import clock
    from duban.core.tick import run_jobs
    from duban.hotline.models import Category, Complaint, Review
    from duban.plans.models import Plan, Unit
    from duban.progress.models import ReportingRound
    from duban.simulation.invariants import check
    from duban.supervision import assessment
    from duban.supervision.agenda import draft_agenda
    from duban.supervision.circulars import create_circular
    from duban.supervision.models import Circular, DispatchMeeting

    client_environment()
    connection.force_debug_cursor = False
    rows = []
    counts = {"plans": Plan.objects.count(), "complaints": Complaint.objects.count(),
              "reviews": Review.objects.count()}
    with transaction.atomic():
        plan = Plan.objects.order_by("pk").first()
        if name == "demo":
            office, reporter = User.objects.get(username="office"), User.objects.get(username="scjg")
            leader = User.objects.get(username="huhai")
        else:
            office = User.objects.get(username=f"sim-office-p{plan.pk}")
            reporter = User.objects.filter(role=Role.REPORTER, unit__name__endswith="市场监管局",
                                           unit__led_measures__plan=plan).first()
            chief = plan.areas.exclude(chief=None).first().chief
            leader = User.objects.create(username="bench-leader", role=Role.LEADER, leader=chief, region=plan.region)
        unit = reporter.unit
        round_ = ReportingRound.objects.filter(plan=plan).order_by("-opened_on").first()
        meeting = DispatchMeeting.objects.filter(plan=plan).order_by("-held_on").first()
        circular = Circular.objects.filter(plan=plan).order_by("-quarter").first()
        complaint = Complaint.objects.filter(lead_unit__in=Unit.objects.filter(led_measures__plan=plan)).first()
        category = Category.objects.order_by("position").first()
        if connection.vendor == "postgresql":
            database = f"PostgreSQL {connection.pg_version // 10000}.{connection.pg_version % 100}"
        else:
            database = f"SQLite {connection.Database.sqlite_version}"
        scale = (f"{database}; {counts['plans']} plan(s), {counts['complaints']:,} complaints, {counts['reviews']:,} reviews, "
                 f"standing on {clock.today()}")
        pages = [
            (office, "plans overview", reverse("plans:overview")),
            (office, "plan page", plan.get_absolute_url()),
            (office, "measures of a unit", f"{reverse('plans:measure_list')}?plan={plan.pk}&unit={unit.pk}"),
            (office, "office reporting matrix (issue 4: < 150 ms)", f"{reverse('progress:matrix')}?plan={plan.pk}"),
            (reporter, "a unit's ledger, as its reporter (issue 4: < 150 ms)",
             reverse("progress:unit_ledger", args=[unit.pk])),
            (office, "a round's page", round_.get_absolute_url()),
            (office, "complaints: newest first (issue 6: < 150 ms)", reverse("hotline:complaint_list")),
            (office, "complaints: open, deadline first", f"{reverse('hotline:complaint_list')}?state=open&sort=due"),
            (office, "complaints: one category, one month",
             f"{reverse('hotline:complaint_list')}?category={category.pk}&month=2023-09"),
            (office, "a complaint", complaint.get_absolute_url()),
            (office, "service reviews", reverse("hotline:review_list")),
            (office, "hotline statistics", reverse("hotline:stats")),
            (office, "supervision dashboard (circular figures)", f"{reverse('supervision:dashboard')}?plan={plan.pk}"),
            (office, "the Q3 circular", circular.get_absolute_url()),
            (office, "a dispatch meeting", meeting.get_absolute_url()),
            (office, "annual assessment", reverse("supervision:assessment", args=[plan.pk])),
            (leader, "a district leader's page", reverse("supervision:leader", args=[leader.leader_id])),
            (office, "lights by area", reverse("calendar:lights")),
            (office, "due this week", reverse("calendar:due_week")),
            (office, "the first page after log-in: the office's to-do page (issue 22: < 150 ms)", reverse("home")),
            (reporter, "the first page after log-in: a unit reporter's to-do page", reverse("home")),
            (office, "notifications", reverse("notifications")),
            (office, "visit problems", reverse("visits:problem_list")),
            (office, "policies", reverse("policies:policy_list")),
        ]
        try:
            pages.append((office, "indicator targets (KPI dashboard)", f"{reverse('kpi:dashboard')}?plan={plan.pk}"))
        except Exception:  # noqa: BLE001 — the kpi app's pages, when it has them
            pass
        clients = {}
        for user, label, url in pages:
            if user.pk not in clients:
                clients[user.pk] = Client()
                clients[user.pk].force_login(user)
            row = _page(clients[user.pk], url)
            row["label"] = f"page: {label}"
            rows.append(_logged(row))
        now = clock.now()
        password = "bench-password-2026"
        reporter.set_password(password)  # Argon2id as settings.PASSWORD_HASHERS has it (rolled back at the end)
        reporter.save(update_fields=["password"])
        login_url = reverse("login")

        def log_in():
            response = Client().post(login_url, {"username": reporter.username, "password": password})
            assert response.status_code == 302, response.status_code

        def hash_check():
            assert check_password(password, reporter.password)

        operations = [
            ("log in (POST /login/: session, django-axes, the password check)", log_in),
            (f"the password check alone ({identify_hasher(reporter.password).algorithm}: "
             f"{_hasher_parameters(reporter.password)})", hash_check),
            ("`duban tick` hotline escalations over every open complaint",
             lambda: run_jobs(now=now, only=["hotline-escalations"])),
            ("`duban tick` progress reminders", lambda: run_jobs(now=now, only=["progress-reminders"])),
            ("draft a dispatch meeting's agenda", lambda: draft_agenda(
                DispatchMeeting.objects.create(plan=plan, title="bench", held_on=clock.today()))),
            ("compute a Q3 circular (create_circular)", lambda: create_circular(plan, "2023Q3")),
            ("compute the annual assessment", lambda: assessment.compute(plan)),
            ("check every invariant over the whole database", check),
        ]
        for label, func in operations:
            row = _operation(func)
            row["label"] = f"operation: {label}"
            rows.append(_logged(row))
        transaction.set_rollback(True)
    for row in rows:
        row["scale"] = scale
    return rows


def child_main(name):
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    print(MARK + json.dumps(dataset_rows(name), ensure_ascii=False))
    return 0


def main(argv):
    """`build NAME [--database D] [--districts N] [--jobs J]`: build (or keep) a data set and print its folder;
    `folder NAME …`: print its folder and DATABASE_URL without building."""
    import argparse

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("command", choices=("build", "folder"))
    parser.add_argument("name", choices=("demo", "province"))
    parser.add_argument("--database", choices=DATABASES, default="sqlite")
    parser.add_argument("--districts", type=int, default=int(os.environ.get("BENCH_DISTRICTS", 100)))
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    if args.command == "build":
        started = time.perf_counter()
        folder, info = build(args.name, args.districts, args.jobs, args.database)
        print(f"{folder} (built {info['built']}; this call {time.perf_counter() - started:.0f} s)")
        for label, step in info["steps"].items():
            print(f"  {label}: {step['wall']:.0f} s wall, {step['cpu']:.0f} s CPU")
        return 0
    folder = folder_for(args.name, args.districts, args.database)
    print(folder)
    print(_env(folder).get("DATABASE_URL", f"sqlite:///{folder / 'duban.sqlite3'}"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
