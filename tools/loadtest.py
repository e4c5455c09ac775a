#!/usr/bin/env python
"""A bounded load test of a running Duban on this machine (127.0.0.1 only), and a check that nothing was lost.

    tools/loadtest.py setup                        # once, with the server's DATABASE_URL etc. in the environment
    tools/loadtest.py run --users 50 --seconds 180 --url http://127.0.0.1:8000 --record var/loadtest.jsonl
    tools/loadtest.py verify --record var/loadtest.jsonl     # same DATABASE_URL as the server

`setup` imports the demo plan if there is none, opens an ad-hoc reporting round
if the plan has none, and creates the accounts (loadtest-office,
loadtest-leader, and loadtest-reporter-N / loadtest-head-N for N units that
lead measures), all with the password below.

`run` starts N simulated users for --seconds (at most 600), each pausing like a
person between pages. One in ten is the office: the progress matrix, the
supervision dashboard, the complaint list, the KPI dashboard, measure lists,
and the review queue, where it accepts or returns submitted reports. Three in
ten are reporters: they open a report of their unit, autosave it, save the
form, and ask the unit head. Two in ten are unit heads: they write a report
when it is not ready and submit it. Three in ten are businesses filing
complaints through the public form and looking up their status; one in ten
is a district leader reading lights and plans.

Every write the server accepted is appended to --record with a unique token
that went into the submitted text: a draft (autosave or form, by the report's
new text), a submission (the tokens the head saw, which the submitted version
must hold), a review (its comment) and a complaint (its tracking code from the
receipt page and its description). `verify` looks each one up in the
database and prints "accepted N, found N, lost 0".

Exit status: `run` 1 on any 5xx or unanswered request; `verify` 1 on any loss.
The server must allow many complaints per address for the run:
DUBAN_HOTLINE_INTAKE_PER_HOUR (see docs/deploy.md).
"""

from __future__ import annotations

import argparse
import html
import http.client
import json
import os
import random
import re
import secrets
import statistics
import sys
import threading
import time
import urllib.parse
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from duban.hotline.credit_code import ALPHABET, check_character  # noqa: E402 — after the path is set

PASSWORD = "loadtest-password-2026"
UNITS = 40  # units with a reporter and a head account
MAX_SECONDS = 600
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
# Who the simulated users are, by their number modulo 10.
ROLES = ["office", "reporter", "business", "head", "reporter", "business", "reporter", "head", "business", "leader"]
DRAFT_TOKEN = re.compile(r"ltd-[0-9a-f]{12}")


def token(kind):
    return f"lt{kind}-{secrets.token_hex(6)}"


def django_setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duban.settings")
    import django

    django.setup()


def setup(units=UNITS):
    django_setup()
    from duban.accounts.models import Role, User
    from duban.core.models import Region
    from duban.plans.models import Leader, Plan, Unit
    from duban.plans.services import import_plan_file
    from duban.plans.units import import_unit_directory
    from duban.progress import services
    from duban.progress.models import ReportingRound

    demo = ROOT / "duban" / "demo"
    if not Plan.objects.exists():  # an empty site: the demo plan, in its one region
        region = Region.objects.sole()
        import_unit_directory((demo / "xihu-units.csv").read_text(encoding="utf-8"), source="xihu-units.csv",
                              region_id=region.pk)
        import_plan_file(demo / "xihu-2023-action-plan.txt", keep_source=False, region_id=region.pk)

    # On a province (many regions), the accounts work in the region of the plan they use.
    plan = Plan.objects.order_by("-year", "-pk").first()

    def account(username, role, **fields):
        user, _ = User.objects.update_or_create(username=username, defaults={
            "role": role, "region_id": plan.region_id, **fields})
        user.set_password(PASSWORD)
        user.save()
        return user

    office = account("loadtest-office", Role.OFFICE)
    account("loadtest-leader", Role.LEADER, leader=Leader.objects.filter(areas__plan=plan).first())
    round_ = plan.rounds.order_by("-opened_at", "-pk").first()
    if round_ is None:
        round_ = services.open_round(plan, ReportingRound.Kind.AD_HOC, opened_by=office, title="Load test")
    # Units with something to report in the round, so that every reporter and head has work.
    chosen = list(Unit.objects.filter(led_measures__progress_reports__round=round_).distinct().order_by("pk")[:units])
    for number, unit in enumerate(chosen, 1):
        account(f"loadtest-reporter-{number}", Role.REPORTER, unit=unit)
        account(f"loadtest-head-{number}", Role.UNIT_HEAD, unit=unit)
    print(f"round “{round_.title}” with {round_.reports.count()} reports; accounts ready: loadtest-office, "
          f"loadtest-leader, loadtest-reporter-1…{len(chosen)}, loadtest-head-1…{len(chosen)}; password {PASSWORD}; "
          f"region {plan.region.code}")
    return len(chosen)


# ------------------------------------------------------------------ the client


class Browser:
    """One simulated user: a keep-alive connection, its own cookies, and timings per page kind."""

    def __init__(self, host, port, stats):
        self.host, self.port, self.stats = host, port, stats
        self.cookies = {}
        self.conn = None

    def request(self, kind, method, path, form=None):
        """(response, text); response is None when the server did not answer."""
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

    def get(self, kind, path):
        return self.request(kind, "GET", path)[1]

    def post(self, kind, path, page, fields):
        """POST a form with the CSRF token of `page`; returns (status or None, Location or "", text)."""
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if not csrf:
            return None, "", ""
        response, text = self.request(kind, "POST", path, {"csrfmiddlewaretoken": csrf.group(1), **fields})
        if response is None:
            return None, "", ""
        return response.status, response.getheader("Location") or "", text

    def log_in(self, username):
        page = self.get("login form", "/login/")
        status, _, _ = self.post("log in", "/login/", page, {"username": username, "password": PASSWORD})
        return status == 302

    def home(self, path):
        """Where `path` redirects to (the progress home leads unit staff to their ledger)."""
        response, _ = self.request("progress home", "GET", path)
        return response.getheader("Location") if response is not None and response.status == 302 else None

    @staticmethod
    def links(text, pattern):
        return sorted(set(re.findall(pattern, text)))


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.times = defaultdict(list)
        self.statuses = defaultdict(Counter)
        self.failures = []

    def record(self, kind, seconds, status, error=None):
        with self.lock:
            self.times[kind].append(seconds)
            self.statuses[kind][status or "no answer"] += 1
            if status is None or status >= 500:
                self.failures.append(f"{kind}: {status or error}")

    def fail(self, message):
        with self.lock:
            self.failures.append(message)

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


class Record:
    """The writes the server accepted, one JSON line each, written as they happen (a crash keeps them)."""

    def __init__(self, path=None):
        self.lock = threading.Lock()
        self.counts = Counter()
        self.file = open(path, "a", encoding="utf-8") if path else None  # noqa: SIM115 — closed by close()
        self.items = []

    def add(self, kind, **fields):
        item = {"kind": kind, **fields}
        with self.lock:
            self.counts[kind] += 1
            self.items.append(item)
            if self.file:
                self.file.write(json.dumps(item, ensure_ascii=False) + "\n")
                self.file.flush()

    def close(self):
        if self.file:
            self.file.close()


class User:
    """What every simulated user has: a browser, the stop signal, the record and a reading pace."""

    def __init__(self, browser, stop, record, name="", pace=1.0, region=""):
        self.browser, self.stop, self.record, self.name, self.pace = browser, stop, record, name, pace
        self.region = region  # the public's region code on a site of several regions ("": the site's only one)

    def pause(self, low, high):
        self.stop.wait(random.uniform(low, high) * self.pace)  # a person reads the page


# ------------------------------------------------------------------ progress reports

REPORT_ROW = re.compile(r'<a href="/progress/reports/(\d+)/">[^<]*</a><br><span class="status status--(\w+)">')


def editable_reports(ledger_page):
    """The unit's reports it can still write: in the ledger's first section, the measures it leads."""
    led = ledger_page.partition("<section>")[2].partition("</section>")[0]
    return sorted({int(pk) for pk, status in REPORT_ROW.findall(led) if status in ("draft", "returned")})


def textarea(page, name):
    found = re.search(rf'<textarea name="{name}"[^>]*>(.*?)</textarea>', page, re.S)
    return html.unescape(found.group(1)).lstrip("\r\n") if found else ""


def write_draft(user, pk):
    """Open the report form, autosave, then save the form; each accepted save appends a token to the text."""
    b = user.browser
    response, page = b.request("report form", "GET", f"/progress/reports/{pk}/edit/")
    version = re.search(r'name="version" value="(\d+)"', page)
    if response is None or response.status != 200 or not version:
        return False  # submitted or accepted meanwhile: the form redirects to the report
    first = token("d")
    fields = {
        "version": version.group(1), "progress": "in_progress", "percent": random.randint(10, 90),
        "done_text": (textarea(page, "done_text") + "\n" + first).strip(),
        "problems": "", "reason": "", "next_steps": "Continue as planned.",
    }
    status, _, answer = b.post("autosave", f"/progress/reports/{pk}/autosave/", page, fields)
    if status != 200 or "autosave--ok" not in answer:
        return False  # someone else saved first: the conflict is shown, nothing is overwritten
    user.record.add("draft", report=pk, token=first, user=user.name)
    user.pause(1, 4)
    second = token("d")
    fields["version"] = re.search(r'name="version" value="(\d+)"', answer).group(1)
    fields["done_text"] += "\n" + second
    status, location, _ = b.post("save draft", f"/progress/reports/{pk}/edit/", page, fields)
    # Saved: back to the form. A conflict answers 409; a report submitted meanwhile redirects to the report.
    if status == 302 and location.endswith(f"/progress/reports/{pk}/edit/"):
        user.record.add("draft", report=pk, token=second, user=user.name)
        b.get("report form", location)
        return True
    return False


def unit_reports(user):
    """Visit the unit's ledger again and again until the stop; each time one report it can write, or None."""
    ledger = user.browser.home("/progress/")
    if not ledger:
        user.browser.stats.fail(f"{user.name}: the progress home did not lead to a unit ledger")
        return
    while not user.stop.is_set():
        reports = editable_reports(user.browser.get("unit ledger", ledger))
        yield random.choice(reports) if reports else None
        user.pause(1, 3)


def reporter(user):
    b = user.browser
    for pk in unit_reports(user):
        if pk and write_draft(user, pk) and random.random() < 0.5:
            page = b.get("report page", f"/progress/reports/{pk}/")
            b.post("ask the head", f"/progress/reports/{pk}/ask-head/", page, {})
        b.get("due lists", "/calendar/due/soon/")


def head(user):
    """A unit head submits the unit's reports, writing one first when it is not ready."""
    b = user.browser
    for pk in unit_reports(user):
        if pk:
            detail = f"/progress/reports/{pk}/"
            page = b.get("report page", detail)
            if 'id="submit-problems"' in page and write_draft(user, pk):
                page = b.get("report page", detail)
            if f'action="/progress/reports/{pk}/submit/"' in page and 'id="submit-problems"' not in page:
                seen = DRAFT_TOKEN.findall(page)
                status, _, _ = b.post("submit", f"/progress/reports/{pk}/submit/", page, {})
                if status == 302 and "message--success" in b.get("report page", detail):
                    user.record.add("submission", report=pk, tokens=seen, user=user.name)


def review(user):
    """The office's review queue: accept or return one submitted report."""
    b = user.browser
    rounds = b.links(b.get("progress matrix", "/progress/matrix/"), r'href="(/progress/rounds/\d+/)')
    if not rounds:
        return
    queue = b.links(b.get("review queue", random.choice(rounds) + "?state=review"), r'href="/progress/reports/(\d+)/"')
    if not queue:
        return
    detail = f"/progress/reports/{random.choice(queue)}/"
    page = b.get("report page", detail)
    if 'name="decision"' not in page:
        return  # reviewed by another office user meanwhile
    decision, comment = random.choice(["accept", "return"]), token("r")
    status, _, _ = b.post("review", detail + "review/", page, {"decision": decision, "comment": f"Load test: {comment}"})
    if status == 302 and "message--success" in b.get("report page", detail):
        outcome = "accepted" if decision == "accept" else "returned"
        user.record.add("review", report=int(detail.split("/")[3]), outcome=outcome, token=comment)


# ------------------------------------------------------------------ the other roles


def office(user):
    b = user.browser
    first = True
    while not user.stop.is_set():
        choice = random.random()
        if first or choice < 0.3:
            review(user)  # every office user starts at the review queue
            first = False
        elif choice < 0.45:
            b.get("supervision dashboard", "/supervision/")
        elif choice < 0.6:
            query = random.choice(["", "?state=open&sort=deadline", "?light=red", "?q=有限公司", "?page=2"])
            listing = b.get("complaint list", f"/hotline/{query}")
            complaints = b.links(listing, r'href="(/hotline/\d+/)"')
            if complaints:
                b.get("complaint page", random.choice(complaints))
        elif choice < 0.75:
            b.get("KPI dashboard", "/kpi/")
        elif choice < 0.9:
            query = random.choice(["", "?q=企业", "?q=审批&page=2", "?page=3", "?status=overdue"])
            measures = b.links(b.get("measure list", f"/plans/measures/{query}"), r'href="(/plans/measures/\d+/)"')
            if measures:
                b.get("measure page", random.choice(measures))
        else:
            b.get("light counts", random.choice(["/calendar/lights/", "/calendar/lights/?by=leader"]))
        user.pause(0.5, 2.0)


def credit_code():
    """A valid unified social credit code (GB 32100-2015) for a made-up company."""
    first = "91" + "360102" + "".join(random.choice(ALPHABET) for _ in range(9))
    return first + check_character(first)


def business(user):
    """A business files a complaint through the public form, then sometimes looks up its status."""
    b = user.browser
    while not user.stop.is_set():
        # A site of several regions: the public page of the plan's region (?region=), as its link gives it.
        where = f"?region={urllib.parse.quote(user.region)}" if user.region else ""
        page = b.get("complaint form", f"/hotline/public/complain/{where}")
        form_token = re.search(r'name="token" value="([^"]+)"', page)
        categories = re.findall(r'<option value="(\d+)"', page)
        if form_token and categories:
            mark, mobile = token("c"), f"13{random.randint(100000000, 999999999)}"
            fields = {
                "company_name": f"南昌负载测试{random.randint(1, 999)}有限公司", "credit_code": credit_code(),
                "contact_name": "李先生", "mobile": mobile, "category": random.choice(categories),
                "description": f"办理营业执照变更时窗口要求重复提交材料，多次往返。编号 {mark}",
                "token": form_token.group(1), "consent": "on", **({"region": user.region} if user.region else {}),
            }
            status, _, receipt = b.post("file a complaint", f"/hotline/public/complain/{where}", page, fields)
            code = re.search(r'id="tracking-code">([^<]+)<', receipt)
            if status == 200 and code:
                user.record.add("complaint", code=code.group(1).strip(), token=mark)
                if random.random() < 0.5:
                    user.pause(1, 3)
                    lookup = b.get("status form", "/hotline/public/status/")
                    b.post("status look-up", "/hotline/public/status/", lookup,
                           {"tracking_code": code.group(1).strip(), "mobile": mobile})
        user.pause(2, 6)


def leader(user):
    b = user.browser
    while not user.stop.is_set():
        b.get("light counts", "/calendar/lights/?by=area")
        b.get("plans overview", "/plans/")
        user.pause(1.0, 3.0)


BEHAVIOUR = {"office": office, "reporter": reporter, "head": head, "business": business, "leader": leader}


def account(role, number, units=UNITS):
    """The account the `number`-th simulated user of `role` logs in with (None: the public)."""
    if role == "business":
        return None
    if role in ("reporter", "head"):
        return f"loadtest-{role}-{1 + number % units}"
    return f"loadtest-{role}"


def simulate(role, number, host, port, stats, stop, record, pace=1.0, units=UNITS, region=""):
    """One simulated user from log-in to the stop signal; a crash counts as a failure, not a lost run."""
    name = account(role, number, units)
    user = User(Browser(host, port, stats), stop, record, name or f"business-{number}", pace, region)
    try:
        if name and not user.browser.log_in(name):
            stats.fail(f"log-in failed for {name}")
            return
        BEHAVIOUR[role](user)
    except Exception as exc:  # noqa: BLE001 — a broken simulated user is a failure of the run
        stats.fail(f"{user.name}: {exc!r}")


def run(url, users, seconds, record_path=None, units=UNITS, region=""):
    parsed = urllib.parse.urlparse(url)
    if parsed.hostname not in LOCAL_HOSTS:
        sys.exit(f"refusing {url}: the load test only targets this machine (127.0.0.1)")
    seconds = min(seconds, MAX_SECONDS)
    stats, stop, record = Stats(), threading.Event(), Record(record_path)
    seen = Counter()
    threads = []
    for index in range(users):
        role = ROLES[index % len(ROLES)]

        def start(role=role, number=seen[role]):
            stop.wait(random.uniform(0, 5))  # users arrive over the first seconds, not all at once
            simulate(role, number, parsed.hostname, parsed.port or 80, stats, stop, record, units=units, region=region)

        seen[role] += 1
        threads.append(threading.Thread(target=start, daemon=True))
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    stop.wait(seconds)
    stop.set()
    for thread in threads:
        thread.join(35)
    elapsed = time.perf_counter() - started
    record.close()
    print(f"{users} simulated users ({', '.join(f'{n} {r}' for r, n in seen.items())}) for {seconds} s against {url}")
    print(stats.report(elapsed))
    print("accepted writes: " + ", ".join(f"{kind} {n}" for kind, n in sorted(record.counts.items())))
    for failure in stats.failures[:20]:
        print("failure:", failure)
    return 1 if stats.failures else 0


# ------------------------------------------------------------------ verify


def find(item):
    """Whether an accepted write is in the database with what was sent."""
    from duban.hotline.models import Complaint, normalize_tracking_code
    from duban.progress.models import ProgressReport, ReportVersion

    kind = item["kind"]
    if kind == "draft":
        # Saves only ever add to the text, so every accepted save's token is still in it.
        return ProgressReport.objects.filter(pk=item["report"], done_text__contains=item["token"]).exists()
    if kind == "submission":
        versions = ReportVersion.objects.filter(report=item["report"], submitted_by__username=item["user"])
        return any(all(t in v.data.get("done_text", "") for t in item["tokens"]) for v in versions)
    if kind == "review":
        return ReportVersion.objects.filter(report=item["report"], outcome=item["outcome"],
                                            review_comment__contains=item["token"]).exists()
    if kind == "complaint":
        return Complaint.objects.filter(tracking_code=normalize_tracking_code(item["code"]),
                                        description__contains=item["token"]).exists()
    raise ValueError(f"unknown kind of write: {kind}")


def verify(items):
    """(accepted, found, lost items) for the recorded writes; prints a line per kind and the total."""
    accepted, found, lost = Counter(), Counter(), []
    for item in items:
        accepted[item["kind"]] += 1
        if find(item):
            found[item["kind"]] += 1
        else:
            lost.append(item)
    for kind in sorted(accepted):
        print(f"{kind}: accepted {accepted[kind]}, found {found[kind]}, lost {accepted[kind] - found[kind]}")
    total, total_found = sum(accepted.values()), sum(found.values())
    print(f"accepted {total}, found {total_found}, lost {len(lost)}")
    for item in lost[:20]:
        print("lost:", json.dumps(item, ensure_ascii=False))
    return total, total_found, lost


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("setup")
    go = sub.add_parser("run")
    go.add_argument("--url", default="http://127.0.0.1:8000")
    go.add_argument("--users", type=int, default=50)
    go.add_argument("--seconds", type=int, default=180)
    go.add_argument("--record", help="append the accepted writes to this file (JSON lines), for verify")
    go.add_argument("--units", type=int, default=UNITS, help="how many units setup gave accounts (it says so)")
    go.add_argument("--region", default="", help="the region code setup names (a site of several regions)")
    check = sub.add_parser("verify")
    check.add_argument("--record", required=True)
    args = parser.parse_args()
    if args.command == "setup":
        setup()
        return 0
    if args.command == "run":
        return run(args.url, args.users, args.seconds, args.record, args.units, args.region)
    django_setup()
    with open(args.record, encoding="utf-8") as lines:
        items = [json.loads(line) for line in lines if line.strip()]
    _total, _found, lost = verify(items)
    return 1 if lost else 0


if __name__ == "__main__":
    sys.exit(main())
