"""Names for simulated people, companies and districts, drawn from the seed.

Nothing here is meant to be a real person or business: names are put together from
common surnames and given-name characters, companies from a brand, a trade and
a legal form, credit codes and mobile numbers from their formats (the credit
code's check character is computed, so the hotline's validator accepts it).
"""

from __future__ import annotations

from duban.hotline.credit_code import ALPHABET, check_character

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范"
    "金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉建国红云飞斌宇浩凯晨欣怡佳琳瑶婷雪慧颖文博思远"
    "子涵梓轩宏志海波林峰俊彬晓鑫亮宁春燕小龙家豪振华诗雨梦琪成康德福荣清源和顺安"
)
BRANDS = (
    "恒昌", "洪都", "赣江", "滕王", "豫章", "青云", "瑞鑫", "金桥", "华旭", "鸿泰", "万象", "盛和", "嘉禾", "天佑", "同创",
    "博远", "正和", "凯越", "宏达", "信诚", "德邦", "润泽", "锦程", "新元", "汇通", "丰源", "裕隆", "星火", "卓越", "九洲",
    "百川", "合力", "启明", "中恒", "三和", "瑞丰", "景泰", "东升", "银河", "绿源", "长青", "永安", "福瑞", "广厦", "明德",
)
TRADES = (
    "科技", "商贸", "餐饮管理", "建筑工程", "物流", "医药", "文化传媒", "电子商务", "物业服务", "食品", "装饰工程",
    "教育咨询", "新能源", "信息技术", "汽车销售", "服装", "酒店管理", "广告", "环保科技", "家居", "印务", "农业发展",
    "健康管理", "旅行社", "人力资源", "建材", "机电设备", "生物科技", "供应链管理", "园林绿化",
)
FORMS = ("有限公司", "有限公司", "有限公司", "有限责任公司", "股份有限公司", "个体工商户")

# Two-character district names that read like real ones without being any real district in Jiangxi.
DISTRICT_FIRST = "青云东南北湘赣瑞安永新长丰宁泰兴华昌德广明景清文武金玉"
DISTRICT_SECOND = "湖山江河川阳城源溪林州台桥泽丘岭湾浦宁平田"
# Pairs that are real places in Jiangxi: left out, so no simulated district passes for one.
REAL_NAMES = {"东湖", "安源", "昌江", "南城", "金溪", "玉山", "武宁", "丰城", "清江", "永丰", "瑞金", "宁都", "德兴"}
CITIES = ("洪都", "豫章", "庐陵", "临川", "浔阳", "袁州", "章贡", "信江", "昌江", "抚州", "饶州")
STREET_NAMES = (
    "朝阳", "桃源", "滨江", "南浦", "丁公", "松柏", "广润", "十字街", "系马桩", "翠竹", "文教", "青山", "沿江", "中山",
    "八一", "东湖", "百花", "孺子", "站前", "湾里", "梅岭", "象山", "杏花", "灌婴", "云锦", "彭家桥", "建设", "岱山",
)


def person(rng, used=None):
    """A two- or three-character Chinese name; unique within `used` when given."""
    for _ in range(1000):
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
        if used is None or name not in used:
            if used is not None:
                used.add(name)
            return name
    raise RuntimeError("ran out of names")


def company(rng, city="南昌"):
    return f"{city}{rng.choice(BRANDS)}{rng.choice(TRADES)}{rng.choice(FORMS)}"


def credit_code(rng, region="360103"):
    """A valid unified social credit code: 91 (a company), the region code, an organization code, the check."""
    n, organization = rng.randrange(100 * 31 ** 7), ""
    for _ in range(7):
        n, digit = divmod(n, 31)
        organization += ALPHABET[digit]
    body = f"91{region}{n:02d}{organization}"
    return body + check_character(body)


def mobile(rng):
    return f"1{rng.choice('3456789')}{rng.randrange(10 ** 9):09d}"


def district_names(rng, count):
    """`count` distinct district names (two characters and 区) and a city for each."""
    pairs = [a + b for a in DISTRICT_FIRST for b in DISTRICT_SECOND if a != b and a + b not in REAL_NAMES]
    rng.shuffle(pairs)
    if count > len(pairs):
        raise ValueError(f"at most {len(pairs)} districts")
    return [(short, f"{short}区", CITIES[i % len(CITIES)]) for i, short in enumerate(pairs[:count])]
