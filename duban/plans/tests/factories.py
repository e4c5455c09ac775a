"""Plain functions that build plan-ledger data for tests.

Each takes only what a test cares about and fills in the rest. Units and
leaders are looked up by name first, so they share rows with the cast in
duban/conftest.py (区市场监管局, 区税务局, 胡海 …).
"""

import datetime
import itertools
from pathlib import Path
from types import SimpleNamespace

from duban.conftest import HOME
from duban.plans.models import (
    Area, Campaign, Leader, Measure, MeasureCooperatingUnit, MeasureLeadUnit, Milestone, Plan, Task, Unit, UnitAlias,
)

_positions = itertools.count(1)


def unit(name, kind=Unit.Kind.DEPARTMENT, aliases=(), region=HOME):
    obj = Unit.objects.get_or_create(name=name, region_id=region, defaults={"kind": kind})[0]
    for alias in aliases:
        UnitAlias.objects.get_or_create(alias=alias, defaults={"unit": obj})
    return obj


def leader(name, region=HOME):
    return Leader.objects.get_or_create(name=name, region_id=region)[0]


def plan(title="测试区2023年营商环境行动方案", year=2023, **fields):
    fields.setdefault("document_number", f"测办发〔{year}〕{next(_positions)}号")
    if "region" not in fields:
        fields.setdefault("region_id", HOME)
    return Plan.objects.create(title=title, year=year, **fields)


def area(plan, name="开办企业", kind=Area.Kind.INDICATOR, chief=None, lead=(), cooperating=(), **fields):
    obj = Area.objects.create(
        plan=plan, name=name, kind=kind, chief=leader(chief, plan.region_id) if isinstance(chief, str) else chief,
        position=fields.pop("position", next(_positions)), **fields,
    )
    obj.lead_units.set([_unit(u, plan.region_id) for u in lead])
    obj.cooperating_units.set([_unit(u, plan.region_id) for u in cooperating])
    return obj


def campaign(area, name, lead=()):
    obj = Campaign.objects.create(area=area, name=name, position=next(_positions))
    obj.lead_units.set([_unit(u, area.plan.region_id) for u in lead])
    return obj


def task(area, text="优化涉企服务", number=None, **fields):
    return Task.objects.create(area=area, text=text, number=number, position=next(_positions), **fields)


def measure(area, text="推行企业开办全程网办", lead=(), cooperating=(), task=None, deadline=None, **fields):
    """A measure of `area` (and `task`), with lead and cooperating units in the given order.

    `deadline` may be a date or an ISO string; units may be Unit objects or names.
    """
    if isinstance(deadline, str):
        deadline = datetime.date.fromisoformat(deadline)
    obj = Measure.objects.create(
        plan=area.plan, area=area, task=task, text=text, deadline=deadline,
        position=fields.pop("position", next(_positions)), **fields,
    )
    for position, name in enumerate(lead):
        MeasureLeadUnit.objects.create(measure=obj, unit=_unit(name, area.plan.region_id), position=position)
    for position, name in enumerate(cooperating):
        MeasureCooperatingUnit.objects.create(measure=obj, unit=_unit(name, area.plan.region_id), position=position)
    return obj


def milestone(measure, date, text):
    if isinstance(date, str):
        date = datetime.date.fromisoformat(date)
    return Milestone.objects.create(measure=measure, date=date, text=text, position=next(_positions))


def _unit(value, region=HOME):
    return value if isinstance(value, Unit) else unit(value, region=region)


def small_plan():
    """A plan shaped like the Xihu 2023 plan, in miniature.

    - indicator 1 开办企业 (chief 胡海): measures 2-1 (区市场监管局, 2023-06-30) and 2-2
      (区市场监管局 then 区政数局, cooperating 区税务局, 2023-10-30)
    - indicator 5 纳税 (chief 胡海): measure 2-3 (区税务局, year-only 2023)
    - special action 降低企业成本专项行动 (chief 万勇), task 1 with measures 1-1 (区发改委, 2023-10-31)
      and 1-2 (区市场监管局, 2023-11-30, three milestones), task 2 (number inferred) with 1-3 (区财政局)
    - governance 四大专项治理 (chief 陈韬) with two campaigns
    - highlight 南站街道党建赋能 (no measures)
    """
    p = plan(issuing_bodies="中共测试区委办公室 测试区人民政府办公室", issue_date=datetime.date(2023, 8, 7),
             missing_annexes=["附件3：2023年全省营商环境评价测试区监测事项责任分解表"])
    scjg = unit("区市场监管局", aliases=["区市场监督管理局"])
    tax = unit("区税务局", kind=Unit.Kind.BRANCH)
    street = unit("南站街道", kind=Unit.Kind.STREET)
    startup = area(p, "开办企业", Area.Kind.INDICATOR, chief="胡海", number=1, lead=[scjg], cooperating=["区政数局", tax],
                   benchmarks="广州越秀区、杭州西湖区", target_text="全省第一方阵", pilots="企业开办全程网办",
                   narrative="保持全省营商环境评价优先水平。", scope_text="各街道",
                   attribution_text="指标长：胡海；牵头单位：区市场监管局", source="plan.txt", source_line=36)
    taxes = area(p, "纳税", Area.Kind.INDICATOR, chief="胡海", number=5, lead=[tax])
    costs = area(p, "降低企业成本专项行动", Area.Kind.SPECIAL_ACTION, chief="万勇", number=1, lead=["区发改委"],
                 responsible_unit=unit("区发改委"))
    governance = area(p, "四大专项治理", Area.Kind.GOVERNANCE, chief="陈韬", number=6)
    campaign(governance, "“新官不理旧账”专项治理", lead=["区发改委"])
    campaign(governance, "招标投标领域专项治理", lead=["区住建局", "区财政局"])
    highlight = area(p, "南站街道依托党建赋能数字经济", Area.Kind.HIGHLIGHT, number=1, lead=[street])
    t1 = task(costs, "进一步破除隐性门槛,推动降低市场主体准入成本。", number=1, source="plan.txt", source_line=150)
    t2 = task(costs, "进一步优化涉企服务,推动降低市场主体办事成本。", number=2, number_inferred=True)
    m = SimpleNamespace(plan=p, startup=startup, taxes=taxes, costs=costs, governance=governance, highlight=highlight,
                        task1=t1, task2=t2, scjg=scjg, tax=tax, street=street)
    m.a2_1 = measure(startup, "推进歇业备案制度，降低市场主体维持成本。", lead=[scjg], annex=2, number=1,
                     deadline="2023-06-30", deadline_text="2023年6月30日", source="plan.txt", source_line=225)
    m.a2_2 = measure(startup, "优化破产企业变更流程，推动破产重整企业登记便利化。", lead=[scjg, "区政数局"],
                     cooperating=[tax, "区人民法院"], annex=2, number=2, deadline="2023-10-30",
                     deadline_text="2023年10月30日", scope_text="各街道", source="plan.txt", source_line=229,
                     notes={"备注": "与附件1第50条相关", "原表列": ["创新试点项目", "对标城市"]})
    m.a2_3 = measure(taxes, "压缩全年纳税时间至70个小时以内。", lead=[tax], annex=2, number=3,
                     deadline="2023-12-31", deadline_text="2023年", deadline_year_only=True)
    m.a1_1 = measure(costs, "开展妨碍市场准入显性和隐性壁垒专项清理行动。", lead=["区发改委"], task=t1, annex=1,
                     number=1, deadline="2023-10-31", deadline_text="2023年10月31日", source="plan.txt", source_line=151)
    m.a1_2 = measure(costs, "优化涉企经营许可事项办理，探索实施“一业一证”改革。", lead=[scjg], task=t1, annex=1,
                     number=2, deadline="2023-11-30", deadline_text="2023年11月30日")
    milestone(m.a1_2, "2023-07-31", "7月31日前，印发实施方案")
    milestone(m.a1_2, "2023-08-31", "8月31日前，完成系统改造")
    milestone(m.a1_2, "2023-11-30", "11月30日前，全面推行")
    m.a1_3 = measure(costs, "推广政府采购贷业务，为中小企业提供融资支持。", lead=["区财政局", "区金融服务中心"], task=t2,
                     annex=1, number=3, number_inferred=True, deadline="2023-11-30", completed_on=datetime.date(2023, 9, 1))
    return m


QINGHE_PLAN = Path(__file__).resolve().parent / "data" / "qinghe-2024-key-tasks.txt"


def pending_import(user, path=QINGHE_PLAN, name=None, data=None):
    """A plan file uploaded by `user` and waiting for review (duban/plans/imports.py)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from duban.plans import imports

    content = data if data is not None else Path(path).read_bytes()
    return imports.upload(SimpleUploadedFile(name or Path(path).name, content), user)


def url_matrix_plan_import(world):
    """The office's pending import of the Qinghe plan, for the URL matrix (made once per world)."""
    if getattr(world, "plan_import", None) is None:
        world.plan_import = pending_import(world.cast["office"])
    return world.plan_import
