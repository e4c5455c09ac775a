"""`duban demo`: the demo site's data — the Xihu 2023 plan, its units, demo accounts and a simulated year.

`make demo` runs it with DUBAN_TODAY=2023-10-20: the plan's year is played up
to that morning (duban.simulation, docs/demo.md) and the site then shows
it as the office sees it in October.
"""

import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from duban.accounts.models import Role, User
from duban.core import clock
from duban.plans.importers.base import PlanImportError
from duban.plans.models import Leader, Plan, Unit
from duban.plans.services import import_plan_file
from duban.plans.units import import_unit_directory
from duban.simulation.simulate import DEFAULT_SEED, AlreadySimulated, simulate_plan

DEMO_DIR = Path(__file__).resolve().parents[3] / "demo"
DEMO_PLAN = DEMO_DIR / "xihu-2023-action-plan.txt"
DEMO_UNITS = DEMO_DIR / "xihu-units.csv"
DEMO_PASSWORD = "duban-demo-2023"

# (username, display name, role, unit, leader)
DEMO_ACCOUNTS = [
    ("admin", "系统管理员", Role.ADMIN, None, None),
    ("office", "区营商办 王科员", Role.OFFICE, "区营商环境服务中心", None),
    ("scjg", "区市场监管局 李填报", Role.REPORTER, "区市场监管局", None),
    ("scjg_head", "区市场监管局 张局长", Role.UNIT_HEAD, "区市场监管局", None),
    ("tax", "区税务局 赵填报", Role.REPORTER, "区税务局", None),
    ("huhai", "胡海", Role.LEADER, None, "胡海"),
    ("ganbu", "区发改委 陈干部", Role.CADRE, "区发改委", None),
]


class Command(BaseCommand):
    help = ("Load the demo plan, create demo accounts and simulate the year up to DUBAN_TODAY "
            "(development only: refuses when DEBUG is off).")

    def add_arguments(self, parser):
        parser.add_argument("--no-simulate", action="store_true", help="load the plan and accounts only")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"simulation seed (default {DEFAULT_SEED})")

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(_("Demo accounts have well-known passwords; refusing to create them with DEBUG off."))
        with transaction.atomic():
            import_unit_directory(DEMO_UNITS.read_text(encoding="utf-8"), source=DEMO_UNITS.name)
            if not Plan.objects.filter(document_number="西办发〔2023〕20号").exists():
                try:
                    summary = import_plan_file(DEMO_PLAN)
                except PlanImportError as exc:
                    raise CommandError(str(exc)) from exc
                self.stdout.write(f"Imported the demo plan: {summary['areas']} areas, {summary['tasks']} tasks, "
                                  f"{summary['measures']} measures, {summary['units']} units.")
            else:
                self.stdout.write("The demo plan is already imported.")
            self._accounts()
        plan = Plan.objects.get(document_number="西办发〔2023〕20号")
        if not options["no_simulate"]:
            self._simulate(plan, options["seed"])
        self._guide(plan)

    def _simulate(self, plan, seed):
        if not settings.DUBAN_TODAY:
            self.stdout.write(self.style.WARNING(
                "DUBAN_TODAY is not set: simulating the whole plan year. `make demo` stands on 2023-10-20."))
        today = min(clock.today(), datetime.date(plan.year, 12, 31))
        self.stdout.write(f"Simulating the plan's year up to {today} 09:00 (seed {seed}); this takes a minute …")
        try:
            counts = simulate_plan(plan, today=today, seed=seed)
        except AlreadySimulated:
            self.stdout.write("The demo plan's year is simulated already.")
            return
        self.stdout.write("  " + ", ".join(f"{name} {count:,}" for name, count in counts.items()))

    def _guide(self, plan):
        """What to look at first, with the links that show it."""
        from duban.supervision.models import Circular, DispatchMeeting

        site = settings.DUBAN_SITE_URL.rstrip("/")
        scjg = Unit.objects.get(name="区市场监管局")
        huhai = Leader.objects.filter(name="胡海").first()
        meeting = DispatchMeeting.objects.filter(plan=plan).order_by("-held_on").first()
        circular = Circular.objects.filter(plan=plan).order_by("-quarter").first()
        lines = [
            f"Open {site}/login/ and log in as (password {DEMO_PASSWORD}):",
            f"  office     the office's reporting matrix {site}/progress/matrix/?plan={plan.pk} "
            "(who reported on time, who was returned),",
        ]
        if circular:
            lines.append(f"             the {circular.quarter} circular {site}{circular.get_absolute_url()},")
        if meeting:
            lines.append(f"             the last dispatch meeting and its action items {site}{meeting.get_absolute_url()},")
        lines += [
            f"             complaints {site}/hotline/ (supervised cases, overdue replies) and bad reviews being "
            f"rectified {site}/hotline/reviews/;",
            f"  scjg       区市场监管局's ledger {site}/progress/units/{scjg.pk}/ (this round's reports, one returned "
            "to correct);",
            "  scjg_head  the same ledger, with the reports waiting for the head to submit;",
        ]
        if huhai:
            lines.append(f"  huhai      the leader's page {site}/supervision/leaders/{huhai.pk}/ (the areas 胡海 leads, "
                         "red measures, open action items).")
        lines.append(f"  ganbu      a cadre's visits on the phone {site}/visits/ (his companies, a visit to record, the "
                     f"units' answers to tell); the office's policy publication table {site}/policies/publication/.")
        if settings.DUBAN_TODAY:
            lines.append(f"The site stands on {clock.today()} (DUBAN_TODAY); lights, deadlines and reminders count "
                         "from that day.")
        self.stdout.write("\n".join(lines) + "\n")

    def _accounts(self):
        self.stdout.write("\nDemo accounts (password for all: %s):" % DEMO_PASSWORD)
        for username, name, role, unit_name, leader_name in DEMO_ACCOUNTS:
            user = User.objects.filter(username=username).first() or User(username=username)
            user.first_name = name
            user.role = role
            user.unit = Unit.objects.get(name=unit_name) if unit_name else None
            user.leader = Leader.objects.filter(name=leader_name).first() if leader_name else None
            user.is_staff = user.is_superuser = role == Role.ADMIN
            user.set_password(DEMO_PASSWORD)
            user.save()
            self.stdout.write(f"  {username:<10} {role.label}  {name}")
        self.stdout.write("")
