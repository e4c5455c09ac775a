#!/usr/bin/env python
"""A bounded load test of a running Duban on this machine (127.0.0.1 only).

    tools/loadtest.py setup                       # once, with the server's DATABASE_URL etc. in the environment
    tools/loadtest.py run --users 50 --seconds 180 --url http://127.0.0.1:8000

`setup` creates the load-test accounts (loadtest-office, loadtest-leader and one
reporter per unit that leads measures, all with password LOADTEST_PASSWORD) and
imports the demo plan if there is none. `run` starts N simulated users, each
logging in through the form and then browsing as its role would: the office the
plan, measure lists (filtered, paged), units, calendar due lists and light counts;
reporters their unit's page and measures; the leader the plan and lights. It stops
after --seconds (at most 600) and prints requests, errors and latencies per page.
Exit status 1 if any request got a 5xx or no answer.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import statistics
import sys
import threading
import time
import urllib.parse
from collections import defaultdict

PASSWORD = "loadtest-password-2026"
REPORTERS = 40  # reporter accounts, spread over the units that lead measures
MAX_SECONDS = 600
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


def setup():
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duban.settings")
    import django

    django.setup()
    from pathlib import Path

    from duban.accounts.models import Role, User
    from duban.plans.models import Leader, Measure, Plan, Unit
    from duban.plans.services import import_plan_file
    from duban.plans.units import import_unit_directory

    demo = Path(__file__).resolve().parents[1] / "duban" / "demo"
    if not Plan.objects.exists():
        import_unit_directory((demo / "xihu-units.csv").read_text(encoding="utf-8"), source="xihu-units.csv")
        import_plan_file(demo / "xihu-2023-action-plan.txt", keep_source=False)

    def account(username, role, **fields):
        user, _ = User.objects.update_or_create(username=username, defaults={"role": role, **fields})
        user.set_password(PASSWORD)
        user.save()

    account("loadtest-office", Role.OFFICE)
    leader = Leader.objects.filter(areas__isnull=False).first()
    account("loadtest-leader", Role.LEADER, leader=leader)
    units = list(Unit.objects.filter(pk__in=Measure.objects.values("lead_units")).order_by("pk"))
    for number in range(1, REPORTERS + 1):
        account(f"loadtest-reporter-{number}", Role.REPORTER, unit=units[number % len(units)])
    print(f"accounts ready: loadtest-office, loadtest-leader, loadtest-reporter-1…{REPORTERS}; password {PASSWORD}")


class Browser:
    """One simulated user: a keep-alive connection, its own cookies, and timings per page kind."""

    def __init__(self, host, port, stats):
        self.host, self.port, self.stats = host, port, stats
        self.cookies = {}
        self.conn = None

    def request(self, kind, method, path, form=None):
        path = urllib.parse.quote(path, safe="/?=&%")
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), "User-Agent": "duban-loadtest"}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{self.host}:{self.port}{path}"
        start = time.perf_counter()
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            text = response.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException) as exc:
            self.conn = None
            self.stats.record(kind, time.perf_counter() - start, None, str(exc))
            return None, ""
        self.stats.record(kind, time.perf_counter() - start, response.status)
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response, text

    def log_in(self, username):
        _, page = self.request("login form", "GET", "/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if not token:
            return False
        response, _ = self.request("log in", "POST", "/login/",
                                   {"csrfmiddlewaretoken": token.group(1), "username": username, "password": PASSWORD})
        return response is not None and response.status == 302

    def links(self, text, pattern):
        return sorted(set(re.findall(pattern, text)))


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.times = defaultdict(list)
        self.statuses = defaultdict(lambda: defaultdict(int))
        self.failures = []

    def record(self, kind, seconds, status, error=None):
        with self.lock:
            self.times[kind].append(seconds)
            self.statuses[kind][status or "no answer"] += 1
            if status is None or status >= 500:
                self.failures.append(f"{kind}: {status or error}")

    def report(self, elapsed):
        total = sum(len(v) for v in self.times.values())
        lines = [f"{total} requests in {elapsed:.0f} s = {total / elapsed:.1f} requests/s; "
                 f"{len(self.failures)} server errors or no answer", "",
                 "| page | requests | median ms | p95 ms | max ms | statuses |", "|---|---:|---:|---:|---:|---|"]
        for kind in sorted(self.times):
            times = sorted(self.times[kind])
            p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
            statuses = ", ".join(f"{s}×{n}" for s, n in sorted(self.statuses[kind].items(), key=str))
            lines.append(f"| {kind} | {len(times)} | {statistics.median(times) * 1000:.0f} | {p95 * 1000:.0f} | "
                         f"{times[-1] * 1000:.0f} | {statuses} |")
        return "\n".join(lines)


def office(browser, stop):
    _, overview = browser.request("plans overview", "GET", "/plans/")
    plans = browser.links(overview, r'href="(/plans/\d+/)"')
    while not stop.is_set():
        choice = random.random()
        if choice < 0.25 and plans:
            _, plan = browser.request("plan page", "GET", random.choice(plans))
            areas = browser.links(plan, r'href="(/plans/areas/\d+/)"')
            if areas:
                browser.request("area page", "GET", random.choice(areas))
        elif choice < 0.55:
            query = random.choice(["", "?q=企业", "?q=审批&page=2", "?page=3", "?status=overdue"])
            _, listing = browser.request("measure list", "GET", f"/plans/measures/{query}")
            measures = browser.links(listing, r'href="(/plans/measures/\d+/)"')
            if measures:
                browser.request("measure page", "GET", random.choice(measures))
        elif choice < 0.7:
            browser.request("unit list", "GET", "/plans/units/")
        elif choice < 0.85:
            browser.request("due lists", "GET", random.choice(["/calendar/due/week/", "/calendar/due/soon/",
                                                                "/calendar/due/overdue/"]))
        else:
            browser.request("light counts", "GET", random.choice(["/calendar/lights/", "/calendar/lights/?by=leader"]))
        stop.wait(random.uniform(0.5, 2.0))  # a person reads the page


def reporter(browser, stop):
    # The header links the reporter's own unit.
    _, home = browser.request("plans overview", "GET", "/plans/")
    own = re.search(r'site-user__role">[^<]*<a href="(/plans/units/\d+/)"', home)
    unit_page = own.group(1) if own else "/plans/units/"
    while not stop.is_set():
        _, page = browser.request("own unit page", "GET", unit_page)
        measures = browser.links(page, r'href="(/plans/measures/\d+/)"')
        if measures:
            browser.request("measure page", "GET", random.choice(measures))
        browser.request("due lists", "GET", "/calendar/due/soon/")
        stop.wait(random.uniform(1.0, 3.0))


def leader(browser, stop):
    while not stop.is_set():
        browser.request("light counts", "GET", "/calendar/lights/?by=area")
        browser.request("plans overview", "GET", "/plans/")
        stop.wait(random.uniform(1.0, 3.0))


def run(url, users, seconds):
    parsed = urllib.parse.urlparse(url)
    if parsed.hostname not in LOCAL_HOSTS:
        sys.exit(f"refusing {url}: the load test only targets this machine (127.0.0.1)")
    seconds = min(seconds, MAX_SECONDS)
    stats, stop = Stats(), threading.Event()

    def user(index):
        browser = Browser(parsed.hostname, parsed.port or 80, stats)
        # One in five is the office, one in ten the leader, the rest reporters of different units.
        if index % 5 == 0:
            role, name = office, "loadtest-office"
        elif index % 10 == 1:
            role, name = leader, "loadtest-leader"
        else:
            role, name = reporter, f"loadtest-reporter-{1 + index % REPORTERS}"
        stop.wait(random.uniform(0, 5))  # users arrive over the first seconds, not all at once
        try:
            if not browser.log_in(name):
                stats.failures.append(f"log-in failed for {name}")
                return
            role(browser, stop)
        except Exception as exc:  # noqa: BLE001 — a broken simulated user is a failure of the run, not a crash
            stats.failures.append(f"{name}: {exc!r}")

    threads = [threading.Thread(target=user, args=(i,), daemon=True) for i in range(users)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    stop.wait(seconds)
    stop.set()
    for thread in threads:
        thread.join(35)
    elapsed = time.perf_counter() - started
    print(f"{users} simulated users for {seconds} s against {url}")
    print(stats.report(elapsed))
    for failure in stats.failures[:20]:
        print("failure:", failure)
    return 1 if stats.failures else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("setup")
    go = sub.add_parser("run")
    go.add_argument("--url", default="http://127.0.0.1:8000")
    go.add_argument("--users", type=int, default=50)
    go.add_argument("--seconds", type=int, default=180)
    args = parser.parse_args()
    if args.command == "setup":
        setup()
        return 0
    return run(args.url, args.users, args.seconds)


if __name__ == "__main__":
    sys.exit(main())
