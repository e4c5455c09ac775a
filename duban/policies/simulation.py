"""The policy library's part of a simulated year (the simulation calls `schedule(year)`; docs/demo.md).

`year` is the simulation's Year: its plan, seed, district, today, units (`year.unit(xihu_name)`), work
time (`year.work`), queue (`year.at(moment, story)`) and counts. Everything is decided by
rng(seed, what, key), so the same seed gives the same library:

- POLICIES are issued on their dates, each with its companion materials published a few working days
  later on the lead unit's website and in the media — except that a few reform policies never get their
  解读 (and one its 流程图 in the media), so the publication table has something to show;
- one policy is explained each week, a few weeks missed;
- payouts (兑现) under the policies that pay, by mode, with the working days from application to payout.
"""

from __future__ import annotations

import datetime
import random
import zoneinfo
from decimal import Decimal

from django.conf import settings

from duban.calendar.workdays import add_workdays, is_workday

from .models import Explanation, Material, Payout, Policy, Publication

TZ = zoneinfo.ZoneInfo(settings.TIME_ZONE)

# (title, document number, level, issuer, topic, company types, lead unit (Xihu name), month, day, payout mode)
POLICIES = [
    ("关于进一步优化营商环境降低市场主体制度性交易成本的意见", "国办发〔2022〕30号", "national", "国务院办公厅",
     "综合", "", "区发改委", 1, 10, ""),
    ("关于进一步加大对小微企业和个体工商户纾困帮扶力度的若干措施", "赣府厅发〔2023〕2号", "provincial",
     "江西省人民政府办公厅", "纾困", "小微企业、个体工商户", "区工信局", 1, 16, "automatic"),
    ("南昌市支持企业稳岗扩岗若干措施", "洪府办发〔2023〕5号", "city", "南昌市人民政府办公室", "用工",
     "", "区人社局", 2, 8, "automatic"),
    ("南昌市中小微企业融资担保降费奖补办法", "洪府办发〔2023〕11号", "city", "南昌市人民政府办公室", "融资",
     "中小微企业", "区金融服务中心", 2, 20, "on_application"),
    ("西湖区促进商贸消费提质升级若干措施", "西府办发〔2023〕8号", "district", "西湖区人民政府办公室", "商贸",
     "限上商贸企业", "区商务局", 3, 6, "on_commitment"),
    ("西湖区企业开办“一件事一次办”实施方案", "西府办发〔2023〕12号", "district", "西湖区人民政府办公室",
     "准入", "", "区市场监管局", 3, 20, ""),
    ("西湖区惠企政策“免申即享”工作实施方案", "西府办发〔2023〕15号", "district", "西湖区人民政府办公室",
     "政策兑现", "", "区政数局", 4, 3, "automatic"),
    ("西湖区支持楼宇经济高质量发展若干措施", "西府办发〔2023〕18号", "district", "西湖区人民政府办公室",
     "楼宇经济", "入驻楼宇企业", "区商务局", 4, 24, "on_application"),
    ("西湖区工程建设项目审批制度改革实施方案", "西府办发〔2023〕21号", "district", "西湖区人民政府办公室",
     "建设", "", "区住建局", 5, 15, ""),
    ("西湖区纳税缴费便利化十条措施", "西税发〔2023〕3号", "district", "国家税务总局南昌市西湖区税务局",
     "税费", "", "区税务局", 5, 29, ""),
    ("西湖区促进科技型中小企业创新发展若干措施", "西府办发〔2023〕26号", "district", "西湖区人民政府办公室",
     "科技创新", "科技型中小企业", "区科技局", 6, 19, "on_application"),
    ("西湖区规上工业企业技术改造奖补办法", "西府办发〔2023〕30号", "district", "西湖区人民政府办公室",
     "技改", "规上工业企业", "区工信局", 7, 10, "on_commitment"),
    ("西湖区水电气网联合报装实施细则", "西府办发〔2023〕33号", "district", "西湖区人民政府办公室",
     "市政接入", "", "区城管执法局", 8, 7, ""),
    ("西湖区包容审慎监管“免罚清单”", "西市监发〔2023〕9号", "district", "区市场监管局", "执法",
     "", "区市场监管局", 9, 4, ""),
    ("西湖区创业担保贷款贴息实施办法", "西府办发〔2023〕38号", "district", "西湖区人民政府办公室", "融资",
     "个体工商户、小微企业", "区人社局", 10, 9, "on_application"),
    ("西湖区招商引资项目服务专员制度", "西府办发〔2023〕41号", "district", "西湖区人民政府办公室", "招商",
     "新落户企业", "区商务局", 11, 13, ""),
]
KINDS = [k for k, _label in Material.Kind.choices]
OUTLETS = {"website": "{district}人民政府网", "media": "{district}发布"}
# Reform policies whose 解读 is never published; one whose 流程图 never reaches the media.
NO_INTERPRETATION_SHARE = 0.25


def rng(seed, *key):
    """As the simulation draws: a generator that depends only on the seed and what is decided."""
    return random.Random("|".join(map(str, (seed, *key))))


def _at(day, hour, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=TZ)


def _workday(day):
    return day if is_workday(day) else add_workdays(day, 1)


def schedule(year):
    """Put the library's stories on the year's queue."""
    district = year.place.name if hasattr(year, "place") and getattr(year.place, "name", "") else "西湖区"
    plan_year = year.plan.year
    issued = []
    skip_interpretation = set()
    reform = [i for i, p in enumerate(POLICIES) if p[2] == "district"]
    chooser = rng(year.seed, "policies", year.district, "missing")
    skip_interpretation.update(chooser.sample(reform, max(1, round(len(reform) * NO_INTERPRETATION_SHARE))))
    media_gap = chooser.choice([i for i in reform if i not in skip_interpretation])
    for index, spec in enumerate(POLICIES):
        day = _workday(datetime.date(plan_year, spec[7], spec[8]))
        if day > year.today:
            continue
        year.at(_at(day, 10), _policy_story(year, index, spec, day, district, index in skip_interpretation,
                                            index == media_gap, issued))
    year.at(_at(datetime.date(plan_year, 1, 1), 0), _explanations(year, issued))


def _lead_unit(year, name):
    unit = year.unit(name)
    if unit is None:
        unit = year.unit("区营商环境服务中心") or sorted(year.units.values(), key=lambda u: u.pk)[0]
    return unit


def _measures(plan, topic):
    from duban.plans.models import Measure

    words = {"政策兑现": "惠企政策", "准入": "企业开办", "税费": "纳税", "建设": "工程建设", "市政接入": "水电气",
             "融资": "融资", "用工": "就业", "执法": "包容审慎"}.get(topic, topic)
    return list(Measure.objects.filter(plan=plan, text__contains=words).order_by("position")[:3])


def _policy_story(year, index, spec, day, district, no_interpretation, media_gap, issued):
    title, number, level, issuer, topic, types, unit_name, _m, _d, payout_mode = spec
    generator = rng(year.seed, "policy", year.district, index)
    unit = _lead_unit(year, unit_name)
    policy = Policy.objects.create(region_id=year.plan.region_id, title=title, document_number=number, level=level,
                                   issuer=issuer, issued_on=day, lead_unit=unit, topic=topic, company_types=types,
                                   reform=level == "district",
                                   summary=f"{title}：面向{types or '各类市场主体'}，围绕{topic}出台支持措施。")
    policy.measures.set(_measures(year.plan, topic))
    issued.append(policy)
    year.counts["policies"] += 1
    for kind in KINDS if policy.reform else ["summary"]:
        if kind == "interpretation" and no_interpretation:
            continue
        moment = year.work.after_workdays(year.clock.moment, generator, 0, 4)
        yield moment
        material = Material.objects.create(policy=policy, kind=kind, added_at=moment,
                                           text=f"《{title}》{dict(Material.Kind.choices)[kind]}")
        for channel in ("website", "media"):
            if media_gap and kind == "flowchart" and channel == "media":
                continue
            published = add_workdays(moment.date(), generator.randint(0, 2))
            if published > year.today:
                continue
            Publication.objects.create(material=material, channel=channel,
                                       outlet=OUTLETS[channel].format(district=district), published_on=published)
    if payout_mode:
        yield from _payouts(year, policy, payout_mode, generator)


def _payouts(year, policy, mode, generator):
    start = add_workdays(policy.issued_on, 10)
    for n in range(generator.randint(6, 24)):
        applied = add_workdays(start, generator.randint(0, 120))
        if applied > year.today:
            continue
        fast = {"automatic": (1, 4), "on_application": (2, 10), "on_commitment": (3, 15)}[mode]
        paid = add_workdays(applied, generator.randint(*fast))
        Payout.objects.create(policy=policy, mode=mode, company_name=f"{policy.topic}受益企业{n + 1:02d}",
                              amount=Decimal(generator.randrange(5, 300) * 1000),
                              applied_on=applied, paid_on=paid if paid <= year.today else None)
        year.counts["payouts"] += 1
    return
    yield  # pragma: no cover — a generator


def _explanations(year, issued):
    """Each Monday: the week's policy, explained on a working day of the week; about one week in eight missed."""
    monday = datetime.date(year.plan.year, 1, 1)
    monday += datetime.timedelta(days=(7 - monday.weekday()) % 7)
    sequence = 0
    while monday <= year.today:
        generator = rng(year.seed, "explanation", year.district, monday)
        day = monday + datetime.timedelta(days=generator.randint(0, 4))
        yield _at(day, 15)
        if issued and generator.random() >= 0.12:
            policy = issued[sequence % len(issued)]
            sequence += 1
            Explanation.objects.create(region_id=year.plan.region_id, week=monday, policy=policy,
                                       held_on=day if day <= year.today else None,
                                       where=generator.choice(["西湖发布公众号", "区政务服务中心", "街道企业服务站"]))
            year.counts["explanations"] += 1
        monday += datetime.timedelta(days=7)
