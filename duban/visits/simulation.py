"""Enterprise visits in a simulated year (the simulation calls `schedule(year)` after the policy library's;
docs/demo.md).

`year` is the simulation's Year (plan, seed, district, today, units, cast, work, at(), counts, clock).
Decided by rng(seed, what, key) alone:

- CADRES cadres of the district's departments, each assigned COMPANIES_PER_CADRE companies (on the
  streets of the plan's region, when it has street offices);
- each company visited once or twice in the year, on a working day, the policies of the library issued
  by then delivered; about half of the visits raise a problem, a third of those solved on the spot;
- each routed problem is answered by the unit's reporter — on time as often as the unit's temperament
  says, late otherwise, and now and then not at all, so that `duban tick`'s job (run here at 17:40 each
  working day) makes it overdue and then a supervised case; the cadre tells the company after the answer.
"""

from __future__ import annotations

import datetime
import random
import zoneinfo

from django.conf import settings
from django.contrib.auth.hashers import make_password

from duban.accounts.models import Role, User
from duban.calendar.workdays import add_workdays, is_workday
from duban.plans.models import Unit
from duban.policies.models import Policy

from . import escalation, services
from .models import Company, Problem, VisitAssignment

TZ = zoneinfo.ZoneInfo(settings.TIME_ZONE)
CADRES = 30
COMPANIES_PER_CADRE = 10
NEVER_ANSWERED = 0.06
# What companies raise, and the unit (Xihu's name) each kind of problem goes to.
PROBLEMS = [
    ("permits", "区市场监管局", "食品经营许可证变更材料反复补正，希望一次告知到位。"),
    ("market_access", "区市场监管局", "分支机构登记需往返多次，希望推行全程网办。"),
    ("tax", "区税务局", "留抵退税进度不清楚，希望明确办理时限。"),
    ("finance", "区金融服务中心", "流动资金贷款续贷难，希望对接银行开展无还本续贷。"),
    ("labour", "区人社局", "技术工人招聘难，希望组织专场招聘会。"),
    ("policy", "区政数局", "惠企政策申报材料多，希望实现免申即享。"),
    ("utilities", "区城管执法局", "新厂房用水报装时间长，希望联合报装。"),
    ("land", "区住建局", "厂房改扩建施工许可办理慢，希望并联审批。"),
    ("enforcement", "区市场监管局", "同一周内多个部门上门检查，希望“综合查一次”。"),
    ("other", "区营商环境服务中心", "周边道路施工影响物流车辆进出，希望协调。"),
]
INDUSTRIES = ["电子科技", "食品", "物流", "建材", "医药", "文化传媒", "商贸", "信息技术", "餐饮管理", "机械设备",
              "服装", "新能源", "环保科技", "建筑工程", "酒店管理", "教育咨询"]
PREFIXES = ["青云", "洪城", "赣江", "滕王", "豫章", "八一", "绳金", "桃花", "南浦", "朝阳", "广润", "象湖", "万寿",
            "孺子", "西山", "梅岭", "瑶湖", "艾溪", "抚河", "湾里"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁任沈姚卢"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华建国志红文斌宇浩凯鹏飞燕玲婷雪梅兰琳晨"
TYPES = ["小微企业", "小微企业", "个体工商户", "规上工业企业", "限上商贸企业", "科技型中小企业"]


def rng(seed, *key):
    """As the simulation draws: a generator that depends only on the seed and what is decided."""
    return random.Random("|".join(map(str, (seed, *key))))


def _at(day, hour, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=TZ)


def _person(generator):
    return generator.choice(SURNAMES) + "".join(generator.choice(GIVEN) for _ in range(generator.randint(1, 2)))


def schedule(year):
    """Put the visits' stories on the year's queue: the plan in January, visits through the year, the ticks."""
    plan_year = year.plan.year
    start = add_workdays(datetime.date(plan_year, 1, 1), 15)
    year.at(_at(start, 9, 10), _plan_story(year))
    day = datetime.date(plan_year, 1, 1)
    while day <= year.today:
        if is_workday(day):
            year.at(_at(day, 17, 40), _tick(year))
        day += datetime.timedelta(days=1)


def _tick(year):
    # The "visit-problem-escalations" job of `duban tick`, for this district's region only: in a province the
    # districts are played side by side, and each must leave the others' problems (and their notes) alone.
    escalation.escalate(year.clock.moment, region_id=year.plan.region_id)
    return
    yield  # pragma: no cover — a generator


def _departments(year):
    units = sorted(year.units.values(), key=lambda u: u.pk)
    return [u for u in units if u.kind == Unit.Kind.DEPARTMENT] or units


def _plan_story(year):
    """The office assigns companies to cadres; then each company's visits are put on the queue."""
    generator = rng(year.seed, "visits", year.district, "plan")
    departments = _departments(year)
    streets = list(Unit.objects.filter(region=year.plan.region_id, kind=Unit.Kind.STREET).order_by("pk"))
    # Cadres with an account already (the demo's `ganbu`) come first; the rest are made, with no password.
    existing = list(User.objects.filter(role=Role.CADRE, is_active=True, region=year.plan.region_id)
                    .exclude(username__startswith="sim-").order_by("username")[:CADRES])
    cadres = []
    for n in range(len(existing), CADRES):
        unit = departments[n % len(departments)]
        cadres.append(User(username=f"sim-p{year.plan.pk}-cadre{n + 1:02d}", first_name=_person(generator),
                           role=Role.CADRE, unit=unit, region_id=year.plan.region_id,
                           password=make_password(None), date_joined=year.clock.moment))
    User.objects.bulk_create(cadres)
    cadres = existing + list(User.objects.filter(username__startswith=f"sim-p{year.plan.pk}-cadre")
                             .order_by("username"))
    names = set()
    for n, cadre in enumerate(cadres):
        for k in range(COMPANIES_PER_CADRE):
            name = f"{year.place.city}市{generator.choice(PREFIXES)}{generator.choice(INDUSTRIES)}有限公司"
            while name in names:
                name = name.replace("有限公司", "") + f"{len(names) % 9 + 1}号有限公司"
            names.add(name)
            company = Company.objects.create(region_id=year.plan.region_id, name=name,
                                             street=streets[(n + k) % len(streets)] if streets else None,
                                             company_type=generator.choice(TYPES))
            VisitAssignment.objects.create(region_id=year.plan.region_id, year=year.plan.year, cadre=cadre,
                                           company=company, visit_by=datetime.date(year.plan.year, 6 + k % 2 * 6, 30))
            year.counts["companies assigned"] += 1
            year.at(year.clock.moment, _company_story(year, cadre, company))
    return
    yield  # pragma: no cover — a generator


def _company_story(year, cadre, company):
    generator = rng(year.seed, "visit", year.district, company.name)
    visits = 1 + (generator.random() < 0.4)
    months = sorted(generator.sample(range(2, 13), visits))
    for month in months:
        day = datetime.date(year.plan.year, month, generator.randint(1, 25))
        while not is_workday(day):
            day += datetime.timedelta(days=1)
        if day > year.today:
            return
        moment = year.work.random_on(day, generator)
        yield moment
        yield from _visit(year, cadre, company, day, moment, generator)


def _visit(year, cadre, company, day, moment, generator):
    policies = list(Policy.objects.filter(region=year.plan.region_id, issued_on__lte=day).order_by("pk")
                    .values_list("pk", flat=True))
    delivered = generator.sample(policies, min(len(policies), generator.randint(1, 3))) if policies else []
    problems = []
    for _ in range(generator.choice([0, 0, 0, 1, 1, 2])):
        category, unit_name, text = generator.choice(PROBLEMS)
        unit = year.unit(unit_name) or generator.choice(_departments(year))
        problems.append(services.ProblemInput(
            category=category, description=text, unit=unit, solved_on_spot=generator.random() < 0.3,
            difficulty=Problem.Difficulty.DIFFICULT if generator.random() < 0.15 else Problem.Difficulty.GENERAL))
    post = generator.choice(["总经理", "法人代表", "财务负责人", "办公室主任"])
    visit = services.record_visit(cadre=cadre, company=company, visited_on=day,
                                  people_met=f"{_person(generator)}（{post}）", policies=delivered,
                                  problems=problems, at=moment)
    year.counts["visits"] += 1
    for number, problem in enumerate(visit.problems.filter(state=Problem.State.ROUTED).order_by("pk")):
        year.counts["visit problems routed"] += 1
        year.at(moment, _answer_story(year, problem, (company.name, day, number)))
    return
    yield  # pragma: no cover — a generator


def _answer_story(year, problem, key):
    generator = rng(year.seed, "visit problem", year.district, *key)
    if generator.random() < NEVER_ANSWERED:
        return
    temperament = year.temperament(problem.unit_id)
    limit = 5 if problem.difficulty == Problem.Difficulty.GENERAL else 10
    late = generator.random() >= temperament.replies_on_time
    moment = year.work.after_workdays(problem.raised_at, generator, limit + 1, limit + 6) if late else \
        year.work.after_workdays(problem.raised_at, generator, 1, limit - 1)
    yield moment
    reporter = year.cast.reporters.get(problem.unit_id)
    if reporter is None:
        return
    services.answer(problem, reporter, "已研究办理：" + generator.choice(
        ["已安排专人对接，问题已解决。", "已按规定办结，并向企业说明政策依据。", "已纳入部门工作清单，限期解决。"]),
        at=moment)
    moment = year.work.after_workdays(moment, generator, 0, 3)
    yield moment
    services.tell_company(problem, problem.visit.cadre, "已电话告知企业答复内容，企业表示认可。", at=moment)
