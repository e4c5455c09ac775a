"""`duban demo`: the demo site's data — the Xihu 2023 plan, its units and demo accounts."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from duban.accounts.models import Role, User
from duban.plans.importers.base import PlanImportError
from duban.plans.models import Leader, Plan, Unit
from duban.plans.services import import_plan_file
from duban.plans.units import import_unit_directory

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
]


class Command(BaseCommand):
    help = "Load the demo plan and create demo accounts (development only: refuses when DEBUG is off)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo accounts have well-known passwords; refusing to create them with DEBUG off.")
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
