from pathlib import Path

import pytest

from duban.plans.models import Plan, Unit, UnitAlias
from duban.plans.services import import_plan_file
from duban.plans.units import import_unit_directory

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"
SEED = DEMO_DIR / "xihu-2023-action-plan.txt"
UNITS = DEMO_DIR / "xihu-units.csv"
# The seed's measures: 157 rows of its annexes, and 10 drawn from the body text of the five areas no
# annex row reaches (15.前瞻探索宜商环境工作: 3 themes; 四大专项治理: 4 campaigns; 3 street highlights).
SEED_ANNEX_MEASURES = 157
SEED_BODY_MEASURES = 10
SEED_MEASURES = SEED_ANNEX_MEASURES + SEED_BODY_MEASURES


@pytest.fixture(scope="module")
def seed_plan(django_db_setup, django_db_blocker):
    """The Xihu 2023 plan imported once per module (with its unit directory), removed afterwards."""
    with django_db_blocker.unblock():
        import_unit_directory(UNITS.read_text(encoding="utf-8"), source=UNITS.name)
        summary = import_plan_file(SEED, keep_source=False)
        plan = Plan.objects.get(pk=summary["plan"])
        plan.summary = summary
    yield plan
    with django_db_blocker.unblock():
        Plan.objects.all().delete()
        UnitAlias.objects.all().delete()
        Unit.objects.filter(users__isnull=True).delete()
