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
from duban.core.models import Region
from duban.plans.importers.base import PlanImportError
from duban.plans.models import Leader, Plan, Unit
from duban.plans.services import import_plan_file
from duban.plans.units import import_unit_directory
from duban.simulation.simulate import DEFAULT_SEED, AlreadySimulated, simulate_plan

DEMO_DIR = Path(__file__).resolve().parents[3] / "demo"
DEMO_PLAN = DEMO_DIR / "xihu-2023-action-plan.txt"
DEMO_UNITS = DEMO_DIR / "xihu-units.csv"
DEMO_PASSWORD = "duban-demo-2023"
DEMO_OFFICE = "西湖区营商环境优化升级工作领导小组办公室"
DEMO_OFFICE_SHORT = "西湖区营商办"

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


def count_labels():
    """What the simulation counts (its keys), in the reader's language."""
    return {
        "rounds": _("reporting rounds"), "reports": _("progress reports"), "submitted": _("reports submitted"),
        "returned": _("reports returned"), "complaints": _("complaints"),
        "returned to the office": _("complaints returned to the office"), "transfers": _("transfers"),
        "extensions": _("extensions"), "reopened": _("complaints reopened"), "reviews": _("service reviews"),
        "bad reviews": _("bad reviews"), "appeals": _("appeals"), "meetings": _("dispatch meetings"),
        "action items": _("action items"), "metrics": _("indicators"), "metric values": _("indicator values"),
        "circulars": _("circulars"), "companies assigned": _("companies assigned to cadres"),
        "visits": _("enterprise visits"), "visit problems routed": _("problems from visits routed"),
        "policies": _("policies"), "payouts": _("payouts"), "explanations": _("weekly policy explanations"),
        "districts": _("districts"),
    }


class Command(BaseCommand):
    help = ("Load the demo plan, create demo accounts and simulate the year up to DUBAN_TODAY "
            "(development only: refuses when DEBUG is off).")

    def add_arguments(self, parser):
        parser.add_argument("--no-simulate", action="store_true", help="load the plan and accounts only")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"simulation seed (default {DEFAULT_SEED})")

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(_("Demo accounts have well-known passwords; refusing to create them with DEBUG off."))
        try:
            # The demo is a one-region site's first set-up: its one region, named once and passed on.
            region = Region.objects.sole()
        except LookupError as exc:
            raise CommandError(str(exc)) from exc
        with transaction.atomic():
            # The demo's plan is Xihu's: its circulars, minutes and pages name Xihu's office (names an
            # administrator has given the region already are kept).
            if not (region.office_name or region.office_short):
                region.office_name, region.office_short = DEMO_OFFICE, DEMO_OFFICE_SHORT
                region.save(update_fields=["office_name", "office_short"])
            import_unit_directory(DEMO_UNITS.read_text(encoding="utf-8"), source=DEMO_UNITS.name, region_id=region.pk)
            if not Plan.objects.filter(region=region, document_number="西办发〔2023〕20号").exists():
                try:
                    summary = import_plan_file(DEMO_PLAN, region_id=region.pk)
                except PlanImportError as exc:
                    raise CommandError(str(exc)) from exc
                self.stdout.write(_("Imported the demo plan: %(areas)d areas, %(tasks)d tasks, %(measures)d "
                                    "measures, %(units)d units.") % summary)
            else:
                self.stdout.write(_("The demo plan is already imported."))
            self._accounts(region)
        plan = Plan.objects.get(region=region, document_number="西办发〔2023〕20号")
        if not options["no_simulate"]:
            self._simulate(plan, options["seed"])
        self._guide(plan)

    def _simulate(self, plan, seed):
        if not settings.DUBAN_TODAY:
            self.stdout.write(self.style.WARNING(
                _("DUBAN_TODAY is not set: simulating the whole plan year. `make demo` stands on 2023-10-20.")))
        today = min(clock.today(), datetime.date(plan.year, 12, 31))
        self.stdout.write(_("Simulating the plan's year up to %(today)s 09:00 (seed %(seed)s); this takes a minute …")
                          % {"today": today, "seed": seed})
        try:
            counts = simulate_plan(plan, today=today, seed=seed)
        except AlreadySimulated:
            self.stdout.write(_("The demo plan's year is simulated already."))
            return
        labels = count_labels()
        self.stdout.write("  " + "，".join(f"{labels.get(name, name)} {count:,}" for name, count in counts.items()))

    def _guide(self, plan):
        """What to look at first, with the links that show it."""
        from duban.supervision.models import Circular, DispatchMeeting

        site = settings.DUBAN_SITE_URL.rstrip("/")
        scjg = Unit.objects.get(region=plan.region_id, name="区市场监管局")
        huhai = Leader.objects.filter(region=plan.region_id, name="胡海").first()
        meeting = DispatchMeeting.objects.filter(plan=plan).order_by("-held_on").first()
        circular = Circular.objects.filter(plan=plan).order_by("-quarter").first()
        lines = [
            _("Open %(site)s/login/ and log in as (password %(password)s); each lands on its to-do page (我的待办):")
            % {"site": site, "password": DEMO_PASSWORD},
            "  office     " + _("the office's reporting matrix %(url)s (who reported on time, who was returned),")
            % {"url": f"{site}/progress/matrix/?plan={plan.pk}"},
        ]
        if circular:
            lines.append("             " + _("the %(quarter)s circular %(url)s,")
                         % {"quarter": circular.quarter, "url": site + circular.get_absolute_url()})
        if meeting:
            lines.append("             " + _("the last dispatch meeting and its action items %(url)s,")
                         % {"url": site + meeting.get_absolute_url()})
        lines += [
            "             " + _("complaints %(complaints)s (supervised cases, overdue replies) and bad reviews being "
                                "rectified %(reviews)s;") % {"complaints": f"{site}/hotline/",
                                                             "reviews": f"{site}/hotline/reviews/"},
            "  scjg       " + _("区市场监管局's ledger %(url)s (this round's reports, one returned to correct);")
            % {"url": f"{site}/progress/units/{scjg.pk}/"},
            "  scjg_head  " + _("the same ledger, with the reports waiting for the head to submit;"),
        ]
        if huhai:
            lines.append("  huhai      " + _("the leader's page %(url)s (the areas 胡海 leads, red measures, open action "
                                             "items).") % {"url": f"{site}/supervision/leaders/{huhai.pk}/"})
        lines.append("  ganbu      " + _("a cadre's visits on the phone %(visits)s (his companies, a visit to record, "
                                         "the units' answers to tell); the office's policy publication table "
                                         "%(policies)s.") % {"visits": f"{site}/visits/",
                                                             "policies": f"{site}/policies/publication/"})
        if settings.DUBAN_TODAY:
            lines.append(_("The site stands on %(today)s (DUBAN_TODAY); lights, deadlines and reminders count from "
                           "that day.") % {"today": clock.today()})
        self.stdout.write("\n".join(lines) + "\n")

    def _accounts(self, region):
        self.stdout.write("\n" + _("Demo accounts (password for all: %(password)s):") % {"password": DEMO_PASSWORD})
        for username, name, role, unit_name, leader_name in DEMO_ACCOUNTS:
            user = User.objects.filter(username=username).first() or User(username=username)
            user.first_name = name
            user.role = role
            user.region = region
            user.unit = Unit.objects.get(region=region, name=unit_name) if unit_name else None
            user.leader = Leader.objects.filter(region=region, name=leader_name).first() if leader_name else None
            user.is_staff = user.is_superuser = role == Role.ADMIN
            user.set_password(DEMO_PASSWORD)
            user.save()
            self.stdout.write(f"  {username:<10} {role.label}  {name}")
        self.stdout.write("")
