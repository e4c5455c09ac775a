#!/usr/bin/env python
"""`make loadtest USERS=50 SECONDS=180`: the load test of issue 22 as one command, written into BENCHMARKS.md.

    tools/loadtest_bench.py --users 50 --seconds 180              # the province on PostgreSQL (default)
    tools/loadtest_bench.py --users 200 --seconds 180
    tools/loadtest_bench.py --users 10 --seconds 20 --dataset demo --no-report   # a smoke run

What it does, in order:
1. starts the throwaway PostgreSQL cluster of `make bench` (tools/bench_pg.py, var/bench/pg) unless it runs;
2. copies the data set's database (the province of `make bench`, built first if missing — that takes long)
   to a database `loadtest` (CREATE DATABASE … TEMPLATE), so the run's writes never touch the bench's data;
3. `collectstatic` and `tools/loadtest.py setup` (accounts) on it, with production settings
   (DUBAN_DEBUG=0: Argon2, manifest static files), DUBAN_TODAY=2023-10-20 as the data set stands;
4. starts gunicorn as deployed (deploy/gunicorn.conf.py: 2 × cores + 1 sync workers) on 127.0.0.1:PORT and
   warms its workers with WARM_UP seconds of users, not counted;
5. runs `tools/loadtest.py run` for N users, sampling every second the load average, the CPU of the
   gunicorn workers, of PostgreSQL's processes, of the load generator itself and of everything else
   (from /proc), and every two seconds PostgreSQL's active connections and what they wait for;
6. stops gunicorn and runs `tools/loadtest.py verify` (lost writes);
7. prints the report (per page p50/p95, errors, lost writes, load average, resources and which one
   saturates first) and writes it into BENCHMARKS.md between its "make loadtest USERS=N" markers
   (and var/loadtest/<time>-<N>-users.md); stops the cluster if it started it.

Exit status 1 on any server error, unanswered request or lost write.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import secrets
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import bench  # noqa: E402 — beside this file
import bench_pg  # noqa: E402
import bench_simulated  # noqa: E402
import loadtest  # noqa: E402

DATABASE = "loadtest"
WARM_UP = 20  # seconds of users before the measured run, uncounted
REPORT = ROOT / "BENCHMARKS.md"
TICK = os.sysconf("SC_CLK_TCK")


def children_of(parent):
    """Pids whose parent is `parent` (one level: gunicorn's workers, the postmaster's backends)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == parent:
                pids.append(int(entry.name))
    return pids


def cpu_ticks(pid):
    """utime + stime of a process (all its threads), in clock ticks; 0 once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])


def machine_ticks():
    """(busy, total) ticks of all cores from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


class Sampler(threading.Thread):
    """Once a second: load average and CPU (in cores) of gunicorn, PostgreSQL, the load generator, the rest."""

    def __init__(self, gunicorn_pid, postmaster_pid, database_url):
        super().__init__(daemon=True)
        self.gunicorn, self.postmaster, self.url = gunicorn_pid, postmaster_pid, database_url
        self.stop = threading.Event()
        self.samples = []  # dicts per second
        self.pg = []  # dicts per two seconds: active, waiting by type

    def groups(self):
        gunicorn = [self.gunicorn, *children_of(self.gunicorn)]
        postgres = [self.postmaster, *children_of(self.postmaster)]
        return {"gunicorn": gunicorn, "postgres": postgres, "generator": [os.getpid()]}

    def run(self):
        import psycopg

        connection = None
        with contextlib.suppress(Exception):
            connection = psycopg.connect(self.url.replace("postgres://", "postgresql://"), autocommit=True)
        previous, busy_before, total_before, moment = None, *machine_ticks(), time.perf_counter()
        tick = 0
        while not self.stop.wait(1.0):
            groups = self.groups()
            now = {pid: cpu_ticks(pid) for pids in groups.values() for pid in pids}
            busy, total = machine_ticks()
            elapsed = time.perf_counter() - moment
            if previous is not None and elapsed > 0:
                cores = {name: sum(max(0, now.get(pid, 0) - previous.get(pid, now.get(pid, 0))) for pid in pids)
                         / TICK / elapsed for name, pids in groups.items()}
                workers = [max(0, now[pid] - previous.get(pid, now[pid])) / TICK / elapsed
                           for pid in groups["gunicorn"][1:] if pid in now]
                machine = (busy - busy_before) / max(1, total - total_before) * os.cpu_count()
                cores["other"] = max(0.0, machine - sum(cores.values()))
                self.samples.append({"load": os.getloadavg()[0], "machine": machine, **cores,
                                     "busiest worker": max(workers, default=0.0)})
            previous, busy_before, total_before, moment = now, busy, total, time.perf_counter()
            tick += 1
            if connection is not None and tick % 2 == 0:
                with contextlib.suppress(Exception):
                    rows = connection.execute(
                        "SELECT state, coalesce(wait_event_type, ''), count(*) FROM pg_stat_activity "
                        "WHERE datname = %s AND pid <> pg_backend_pid() GROUP BY 1, 2", [DATABASE]).fetchall()
                    active = sum(n for state, _, n in rows if state == "active")
                    waiting = {}
                    for state, kind, n in rows:
                        if state == "active" and kind:
                            waiting[kind] = waiting.get(kind, 0) + n
                    self.pg.append({"connections": sum(n for _, _, n in rows), "active": active, "waiting": waiting})
        if connection is not None:
            connection.close()

    def summary(self, workers):
        """Markdown lines: the load average and each resource during the run, and which saturated first."""
        if not self.samples:
            return ["(no samples)"]
        cores = os.cpu_count()

        def spread(key, data=None):
            values = sorted(s[key] for s in (data or self.samples))
            p90 = values[min(len(values) - 1, int(len(values) * 0.9))]
            return statistics.mean(values), p90, values[-1]

        lines = [f"Sampled every second during the run ({len(self.samples)} samples); CPU in cores of the "
                 f"machine's {cores} (1.00 = one core busy all the time):", "",
                 "| resource | mean | p90 | max |", "|---|---:|---:|---:|"]
        labels = {"load": "load average (1 min)", "machine": "CPU, whole machine",
                  "gunicorn": f"CPU, gunicorn (master + {workers} workers)",
                  "busiest worker": "CPU, the busiest gunicorn worker", "postgres": "CPU, PostgreSQL (all backends)",
                  "generator": "CPU, the load generator (this process)", "other": "CPU, every other process"}
        for key, label in labels.items():
            mean, p90, top = spread(key)
            lines.append(f"| {label} | {mean:.2f} | {p90:.2f} | {top:.2f} |")
        waits = {}
        if self.pg:
            for key in ("connections", "active"):
                values = sorted(s[key] for s in self.pg)
                lines.append(f"| PostgreSQL {key} (every 2 s) | {statistics.mean(values):.1f} | "
                             f"{values[min(len(values) - 1, int(len(values) * 0.9))]} | {values[-1]} |")
            for sample in self.pg:
                for kind, n in sample["waiting"].items():
                    waits[kind] = waits.get(kind, 0) + n
            for kind, n in sorted(waits.items()):
                lines.append(f"| PostgreSQL active and waiting on {kind} (mean per sample) | "
                             f"{n / len(self.pg):.2f} | | |")
        lines += ["", "**Saturated first: " + self.verdict(workers, waits) + "**"]
        return lines

    def verdict(self, workers, waits):
        cores = os.cpu_count()
        mean = {key: statistics.mean(s[key] for s in self.samples)
                for key in ("machine", "gunicorn", "postgres", "generator", "other", "busiest worker")}
        lock_waits = waits.get("Lock", 0) / max(1, len(self.pg))
        consumers = sorted([("gunicorn workers", mean["gunicorn"]), ("PostgreSQL", mean["postgres"]),
                            ("the load generator", mean["generator"]),
                            ("other processes on the machine", mean["other"])], key=lambda c: -c[1])
        share = ", ".join(f"{name} {value:.2f}" for name, value in consumers)
        if mean["generator"] >= 0.85:
            return (f"the load generator itself (one Python process, {mean['generator']:.2f} of one core; its GIL "
                    f"caps it at 1): the server was not pushed to its limit — run the generator elsewhere or in "
                    f"several processes. Cores used: {share}.")
        if mean["machine"] >= 0.9 * cores:
            return (f"CPU: the {cores} cores were {100 * mean['machine'] / cores:.0f} % busy on average; the largest "
                    f"consumer is {consumers[0][0]}. Cores used: {share}.")
        if lock_waits >= 1:
            return (f"PostgreSQL row/table locks: {lock_waits:.1f} backends waiting on a lock at a time on average, "
                    f"with CPU to spare ({100 * mean['machine'] / cores:.0f} % busy). Cores used: {share}.")
        if mean["busiest worker"] >= 0.9:
            return (f"one gunicorn worker at a time (the busiest at {mean['busiest worker']:.2f} of a core) while the "
                    f"machine had CPU to spare. Cores used: {share}.")
        return (f"nothing: the machine was {100 * mean['machine'] / cores:.0f} % busy on average and no process at "
                f"its limit. Cores used: {share}.")


def wait_for(url, seconds=120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        time.sleep(0.5)
    raise RuntimeError(f"gunicorn did not answer {url} within {seconds} s")


def write_block(users, text):
    start, end = f"<!-- make loadtest USERS={users}: start -->", f"<!-- make loadtest USERS={users}: end -->"
    bench.replace_block(start, end, f"{start}\n{text.rstrip()}\n{end}")


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=180)
    parser.add_argument("--dataset", choices=("province", "demo"), default="province")
    parser.add_argument("--districts", type=int, default=int(os.environ.get("BENCH_DISTRICTS", 100)))
    parser.add_argument("--port", type=int, default=int(os.environ.get("LOADTEST_PORT", 8765)))
    parser.add_argument("--workers", type=int, default=os.cpu_count() * 2 + 1,
                        help="gunicorn sync workers (deploy/gunicorn.conf.py: 2 × cores + 1)")
    parser.add_argument("--no-report", action="store_true", help="do not write into BENCHMARKS.md")
    args = parser.parse_args(argv)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    folder = ROOT / "var" / "loadtest" / f"{stamp}-{args.users}-users"
    folder.mkdir(parents=True)
    record = folder / "writes.jsonl"
    started_pg = bench_pg.ensure()
    gunicorn = None
    try:
        data, info = bench_simulated.build(args.dataset, args.districts, 2, "postgresql")
        template = bench_simulated.pg_name(data)
        print(f"copying {template} to {DATABASE} …", flush=True)
        bench_pg.psql(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        bench_pg.psql(f'CREATE DATABASE "{DATABASE}" TEMPLATE "{template}"')
        url = bench_pg.database_url(DATABASE)
        env = dict(os.environ, DATABASE_URL=url, DUBAN_VAR_DIR=str(folder), DUBAN_TODAY=bench_simulated.TODAY,
                   DUBAN_DEBUG="0", DUBAN_SECRET_KEY=secrets.token_urlsafe(50), DUBAN_SSL_REDIRECT="0",
                   DUBAN_PROXY_COUNT="0", DUBAN_HOTLINE_INTAKE_PER_HOUR="1000000",
                   DUBAN_BIND=f"127.0.0.1:{args.port}", DUBAN_WORKERS=str(args.workers),
                   DJANGO_SETTINGS_MODULE="duban.settings",
                   PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
        subprocess.run([sys.executable, "-m", "duban", "collectstatic", "--no-input", "-v0"], env=env, cwd=ROOT,
                       check=True)
        setup = subprocess.run([sys.executable, str(ROOT / "tools" / "loadtest.py"), "setup"], env=env, cwd=ROOT,
                               check=True, capture_output=True, text=True).stdout.strip()
        print(setup, flush=True)
        units = int(setup.rsplit("loadtest-head-1…", 1)[1].split(";")[0])
        region = setup.rsplit("; region ", 1)[1].split()[0]
        log = open(folder / "gunicorn.log", "w")  # noqa: SIM115 — closed after gunicorn stops
        gunicorn = subprocess.Popen([sys.executable, "-m", "gunicorn", "--config", str(ROOT / "deploy" /
                                                                                         "gunicorn.conf.py"),
                                     "duban.wsgi"], env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{args.port}"
        wait_for(base + "/login/")
        # A server is warm when the working day starts: each worker has compiled the templates, read the URL
        # patterns and the catalogs, and built the working-day engine. WARM_UP seconds of users (their requests
        # not counted, their writes not verified) do that before the measured run.
        warm_users = min(args.users, 2 * args.workers)
        with contextlib.redirect_stdout(io.StringIO()):
            loadtest.run(base, warm_users, WARM_UP, None, units, region)
        postmaster = int((bench_pg.data_dir() / "postmaster.pid").read_text().split()[0])
        sampler = Sampler(gunicorn.pid, postmaster, url)
        load_before = " ".join(f"{x:.2f}" for x in os.getloadavg())
        sampler.start()
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            status = loadtest.run(base, args.users, args.seconds, str(record), units, region)
        sampler.stop.set()
        sampler.join()
        gunicorn.send_signal(signal.SIGTERM)
        gunicorn.wait(60)
        log.close()
        gunicorn = None
        check = subprocess.run([sys.executable, str(ROOT / "tools" / "loadtest.py"), "verify", "--record",
                                str(record)], env=env, cwd=ROOT, capture_output=True, text=True)
        counts = subprocess.run([sys.executable, "-m", "duban", "shell", "-c",
                                 "from duban.hotline.models import Complaint; from duban.plans.models import Plan, "
                                 "Measure; print(f'{Plan.objects.count()} plans, {Measure.objects.count():,} "
                                 "measures, {Complaint.objects.count():,} complaints')"],
                                env=env, cwd=ROOT, capture_output=True, text=True).stdout.strip().splitlines()[-1]
        lines = [
            f"## Load test: {args.users} simulated users for {args.seconds} s on gunicorn + PostgreSQL, "
            f"the {args.dataset} data set ({time.strftime('%Y-%m-%d %H:%M')})", "",
            f"`make loadtest USERS={args.users} SECONDS={args.seconds}` (tools/loadtest_bench.py) on commit "
            f"{subprocess.run(['git', 'rev-parse', '--short', 'HEAD'], cwd=ROOT, capture_output=True, text=True).stdout.strip()}: "
            f"PostgreSQL {bench_pg.version()} (throwaway cluster, fsync off) holding a copy of the {args.dataset} "
            f"({counts}, standing on {bench_simulated.TODAY}); gunicorn {args.workers} sync workers "
            f"(deploy/gunicorn.conf.py) with production settings (DUBAN_DEBUG=0); the load generator "
            f"(tools/loadtest.py, one Python process) on the same {os.cpu_count()}-core machine. The workers were "
            f"warmed first by {warm_users} users for {WARM_UP} s (not counted). "
            f"Load average before the run: {load_before}.", "",
            "```", setup, "```", "",
            *out.getvalue().rstrip().splitlines()[:1], "",
            "Lost writes (`tools/loadtest.py verify` after the run):", "", "```", check.stdout.strip(), "```", "",
            *out.getvalue().rstrip().splitlines()[1:], "",
            *sampler.summary(args.workers),
        ]
        text = "\n".join(lines) + "\n"
        (folder / "report.md").write_text(text)
        print(text)
        if not args.no_report:
            write_block(args.users, text)
            print(f"Wrote {REPORT.name} (and {folder.relative_to(ROOT)}/report.md).")
        return 1 if status or check.returncode else 0
    finally:
        if gunicorn is not None:
            gunicorn.send_signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                gunicorn.wait(30)
        if started_pg:
            bench_pg.stop()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
