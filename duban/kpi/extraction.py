"""Finding measurable targets in a plan's Chinese prose.

`find_targets(text)` returns every quantity in the text that reads as a target:
a number, its unit (个工作日, %, 小时, 万人, 项 …) and the direction the plan
wants it to go (以上 / 以内 / 不少于 / 压缩至 / 下降 …), with the sentence it
came from and a short subject ("政务服务好评率") to name the metric by.

It works on plain strings and knows nothing about the database, so it can be
tested on sentences of any plan. The rules, in order of strength:

- a reduction verb right before a percentage (下降 15%, 压缩15%以上) → reduce by;
- a word right after the quantity (以上, 以内, 内, 以下, 左右) → at least / at most / equal;
- a word right before it (不少于, 达到, 压缩至, 控制在, 为 …) → its direction;
- a bare 至/到 takes the direction of the verb earlier in the clause (压缩…至 → at most);
- otherwise a verb earlier in the clause (新增, 实现, 确保 …), or the unit's nature:
  less time is better, more of anything else is better; a rank (前50名) is at most.

Percentages are always candidates. Other quantities must stand next to a
direction word, or follow a target verb in their clause, or (for durations) be
followed by the action that must finish in that time (5个工作日办结), so that
"24小时服务" or "14个省评指标" are not mistaken for targets. Numbers inside
short quotation marks are names (“15分钟便民服务圈”, “58条”), not targets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from duban.core.chinese import chinese_number

AT_MOST, AT_LEAST, EQUAL, REDUCE_BY = "at_most", "at_least", "equal", "reduce_by"

# Printed unit → (canonical unit, multiplier). Longest spellings first, so that
# 个工作日 wins over 个 and 万人次 over 万人.
UNITS = [
    ("个百分点", "百分点", 1), ("百分点", "百分点", 1),
    ("个工作日", "工作日", 1), ("工作日", "工作日", 1),
    ("个小时", "小时", 1), ("小时", "小时", 1), ("分钟", "分钟", 1),
    ("个月", "月", 1), ("天", "天", 1),
    ("万人次", "人次", 10000), ("人次", "人次", 1), ("万人", "人", 10000), ("人", "人", 1),
    ("万户", "户", 10000), ("户", "户", 1), ("万家", "家", 10000), ("家", "家", 1),
    ("亿元", "亿元", 1), ("万元", "万元", 1), ("元", "元", 1),
    ("%", "%", 1),
    ("项", "项", 1), ("件", "件", 1), ("次", "次", 1), ("场", "场", 1), ("条", "条", 1),
    ("名", "名", 1), ("位", "位", 1), ("个", "个", 1),
]
DURATIONS = {"工作日", "小时", "分钟", "天", "月"}

NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
UNIT_RE = "|".join(re.escape(printed) for printed, _, _ in UNITS)
# 5个、7个、10个工作日: several numbers sharing one unit (with 分别 before them).
QUANTITY = re.compile(
    rf"(?P<numbers>(?:(?:{NUMBER})\s*个?\s*[、和及与]\s*)*)(?P<number>{NUMBER})\s*(?P<unit>{UNIT_RE})"
)
# Durations written in Chinese numerals: 三个工作日, 两个小时.
CHINESE_DURATION = re.compile(r"(?P<number>十[一二三四五六七八九]?|[一二两三四五六七八九]十?[一二三四五六七八九]?)(?P<unit>个工作日|个小时|个月)")
# A rank: 前50名, 进入前30位, 前10强 (前期50名 is a misprint of 前50名 seen in real plans).
RANK = re.compile(rf"(?<![目提此之以事当眼超])前[^\d\s，。；、：“”]?\s*(?P<number>{NUMBER})\s*(?P<unit>名|位|强)")

CLAUSE_END = "，。；！？：\n,;!?:"
SENTENCE_END = "。；！？\n;!?"
OPEN_QUOTES, CLOSE_QUOTES = "“‘「『\"", "”’」』\""
SHORT_QUOTE = 12  # characters: a quoted number within this is a name (“15分钟便民服务圈”)

REDUCTION_VERBS = ("压减", "压缩", "缩减", "缩短", "下降", "降低", "减少", "减低", "降")
INCREASE_VERBS = ("增长", "提升", "提高", "增加", "上升")
BEFORE_WORDS = [
    # (word right before the quantity, direction); BEFORE tries the longest first.
    *[(w, AT_MOST) for w in (
        "压缩至", "压缩到", "压缩在", "压减至", "压减到", "压减在", "缩短至", "缩短到", "缩短在", "缩减至", "缩减到",
        "降至", "降到", "降低至", "降低到", "减少至", "减少到", "下降至", "下降到", "控制在", "不超过", "不高于",
        "不多于", "不大于", "少于", "低于", "至多", "最多", "最长", "最短",
    )],
    *[(w, AT_LEAST) for w in (
        "不少于", "不低于", "不小于", "至少", "达到", "达", "提升至", "提升到", "提高至", "提高到", "增加至", "增加到",
        "增长至", "增长到", "上升至", "上升到", "超过", "高于", "多于", "大于", "突破", "稳定在", "保持在", "占比达",
        "占比", "占", "实现", "新增", "推出", "完成",
    )],
    *[(w, EQUAL) for w in ("为", "是", "约", "约为")],
]
BEFORE = sorted(BEFORE_WORDS, key=lambda pair: -len(pair[0]))
AFTER_WORDS = [
    ("及以上", AT_LEAST), ("以上", AT_LEAST), ("及以下", AT_MOST), ("以下", AT_MOST), ("以内", AT_MOST),
    ("之内", AT_MOST), ("内", AT_MOST), ("左右", EQUAL), ("上下", EQUAL),
]
# Verbs earlier in a clause that make a bare quantity a target, and the direction they imply.
CLAUSE_VERBS = [
    *[(w, AT_MOST) for w in ("压缩", "压减", "缩短", "缩减", "控制", "降低", "减少", "下降")],
    *[(w, AT_LEAST) for w in (
        "不少于", "达到", "达", "新增", "实现", "确保", "力争", "完成", "推出", "提升", "提高", "增加", "培育",
        "培训", "引进", "发放", "办理", "开展", "举办", "组织",
    )],
]
# What a duration limits: "5个工作日办结", "1个工作日电话联系".
DEADLINE_VERBS = re.compile(r"^.{0,3}?(办结|完成|答复|回复|反馈|办理|整改|联系|退付|退还|到位|出具|审结|受理|处置)")
LEADING_NOISE = re.compile(
    r"^(?:[、，,\s]|同时|并且|进一步|全面|持续|力争|确保|努力|争取|力求|要|将|使|推动|推行|助力|实现|推出|落实|"
    r"压缩|压减|缩短|缩减|"
    r"(?:至|到|截至)?\s*\d{4}\s*年(?:底|末|内|前)?|全年|年内|年底前|年底)+"
)
TRAILING_NOISE = re.compile(
    r"(?:[、，,\s的]|分别|同比|比上年|较上年|进入|"
    + "|".join(sorted({w for w, _ in BEFORE_WORDS} | {*REDUCTION_VERBS, *INCREASE_VERBS, "至", "到", "在"}, key=len, reverse=True))
    + r")+$"
)


@dataclass
class Target:
    value: Decimal
    unit: str  # canonical: %, 工作日, 小时, 人 …
    direction: str
    quantity_text: str  # as printed: "0.6 万人", "96%以上"
    subject: str  # what is measured, for the metric's name
    sentence: str  # the sentence it came from
    start: int  # offset of the quantity in the text
    rank: bool = False

    @property
    def key(self):
        return subject_key(self.subject)


def normalize(text):
    """Full-width digits, percent sign and brackets as ASCII, one character for one, so offsets still line up."""
    table = {ord("０") + i: ord("0") + i for i in range(10)}
    table.update({ord("％"): "%", ord("（"): "(", ord("）"): ")", ord("．"): ".", ord("\u3000"): " "})
    return text.translate(table)


def subject_key(subject):
    """The subject without quotes, brackets and spaces, for comparing two mentions of one target."""
    return re.sub(r"[\s“”‘’「」『』\"'()（）《》]", "", subject)


def to_decimal(number):
    return Decimal(number.replace(",", ""))


def unit_of(printed):
    for spelling, canonical, multiplier in UNITS:
        if printed == spelling:
            return canonical, multiplier
    raise KeyError(printed)


def quoted_spans(text):
    """(start, end) of each short quotation: a number inside one is part of a name."""
    spans, opened = [], None
    for i, char in enumerate(text):
        if char in OPEN_QUOTES and opened is None:
            opened = i
        elif char in CLOSE_QUOTES and opened is not None:
            if i - opened - 1 <= SHORT_QUOTE:
                spans.append((opened, i))
            opened = None
    return spans


def _inside_quote(text):
    """Whether the end of `text` lies inside a quotation opened earlier in it."""
    depth = 0
    for char in text:
        if char in "“‘「『":
            depth += 1
        elif char in "”’」』" and depth:
            depth -= 1
    return depth > 0


def bounds(text, start, end, stops):
    left = max((text.rfind(c, 0, start) for c in stops), default=-1) + 1
    rights = [i for i in (text.find(c, end) for c in stops) if i != -1]
    return left, min(rights) if rights else len(text)


def _quantities(text):
    """Every (start, end, [numbers], printed unit, rank) in text, in order."""
    found = [(m.start(), m.end(), [to_decimal(m["number"])], "名", True) for m in RANK.finditer(text)]
    for match in QUANTITY.finditer(text):
        start, end = match.start(), match.end()
        if any(s <= start < e for s, e, *_ in found):
            continue
        if start > 0 and (text[start - 1].isdigit() or text[start - 1] in ".+-/"):
            continue  # part of a longer token: 1+6, 12368
        if match["unit"] in ("名", "位") and start > 0 and text[start - 1] == "第":
            continue  # 第3名 is a placing, not a quantity
        numbers = [to_decimal(n) for n in re.findall(NUMBER, match["numbers"])] + [to_decimal(match["number"])]
        found.append((start, end, numbers, match["unit"], False))
    for match in CHINESE_DURATION.finditer(text):
        if not any(s <= match.start() < e for s, e, *_ in found):
            found.append((match.start(), match.end(), [Decimal(chinese_number(match["number"]))], match["unit"], False))
    # Dates never match: 年 is not a unit and 日 is left out on purpose (6月30日).
    return sorted(found, key=lambda item: item[0])


def _direction_before(clause_before):
    stripped = clause_before.rstrip(" “”\"'了")
    return next((direction for word, direction in BEFORE if stripped.endswith(word)), None)


def _clause_verb(clause_before):
    """The direction implied by the last target verb in the clause before the quantity, if any."""
    best, best_at = None, -1
    for word, direction in CLAUSE_VERBS:
        at = clause_before.rfind(word)
        if at > best_at:
            best, best_at = direction, at
    return best


def _clean_subject(before, after=""):
    subject = before.strip()
    for _ in range(2):  # noise can wrap noise: "力争至2023年底实现"
        subject = TRAILING_NOISE.sub("", LEADING_NOISE.sub("", subject))
    after = after.strip(" ，、")
    if after:
        subject = f"{subject}{after}" if subject else after
    return subject.strip(" ，、：:")[:60]


def _previous_clause(text, clause_start, sentence_start):
    """The clause before this one in the same sentence, without its numbers: the subject of "同比下降30%"."""
    if clause_start - 1 <= sentence_start:
        return ""
    left, _ = bounds(text, clause_start - 1, clause_start - 1, CLAUSE_END)
    words = QUANTITY.sub("", RANK.sub("", text[left:clause_start - 1]))
    return _clean_subject(words)


def as_value(number, multiplier):
    """0.6 万人 → 6000: exact, and without an exponent when the result is whole."""
    value = number * multiplier
    return Decimal(int(value)) if value == value.to_integral_value() else value


def find_targets(text):
    """Every target in `text`, in the order printed."""
    if not text:
        return []
    plain = normalize(text)
    quotes = quoted_spans(plain)
    quantities = _quantities(plain)
    targets = []
    previous_end = {}  # clause start → end of the last quantity seen in that clause
    for index, (start, end, numbers, printed_unit, rank) in enumerate(quantities):
        if any(s < start < e for s, e in quotes):
            continue
        clause_start, clause_end = bounds(plain, start, end, CLAUSE_END)
        sentence_start, sentence_end = bounds(plain, start, end, SENTENCE_END)
        # This quantity's own words: after the previous quantity of its clause, and inside
        # the quotation it stands in (“1个工作日电话联系、一般问题5个工作日办结”).
        own_start = previous_end.get(clause_start, clause_start)
        previous_end[clause_start] = end
        before = plain[own_start:start]
        if own_start != clause_start and "、" in before:
            before = before[before.rfind("、") + 1:]
        quoted = _inside_quote(plain[clause_start:start])
        if quoted:
            before = before[max(before.rfind(q) for q in OPEN_QUOTES) + 1:]
        after = plain[end:clause_end]
        next_start = next((q[0] for q in quantities[index + 1:] if q[0] >= end), clause_end)
        after_own = re.split("[、”’」』]" if quoted else "、", plain[end:min(next_start, clause_end)], maxsplit=1)[0]

        unit, multiplier = ("名", 1) if rank else unit_of(printed_unit)
        after_word, after_direction = next(((w, d) for w, d in AFTER_WORDS if after.lstrip().startswith(w)), (None, None))
        before_direction = _direction_before(before)
        clause_direction = _clause_verb(plain[clause_start:start])
        bare_before = before.rstrip(" “”\"'了")

        if rank:
            direction = AT_MOST
        elif unit == "%" and bare_before.endswith(REDUCTION_VERBS) and after_direction != AT_MOST:
            direction = REDUCE_BY
        elif unit == "%" and bare_before.endswith(INCREASE_VERBS):
            direction = AT_LEAST  # 增长10%: the growth rate is at least 10%
        elif after_direction:
            direction = after_direction
        elif before_direction:
            direction = before_direction
        elif bare_before.endswith(("至", "到")):
            direction = clause_direction or (AT_MOST if unit in DURATIONS else AT_LEAST)
        else:
            direction = None
        is_target = (
            rank or unit == "%" or direction is not None or clause_direction is not None
            or (unit in DURATIONS and DEADLINE_VERBS.match(after.lstrip()))
        )
        if not is_target:
            continue
        if direction is None:
            direction = AT_MOST if unit in DURATIONS else AT_LEAST

        trailing = after_own.lstrip()
        if after_word and trailing.startswith(after_word):
            trailing = trailing[len(after_word):]
        subject = _clean_subject(before, trailing)
        if len(subject_key(subject)) < 2:
            subject = _previous_clause(plain, clause_start, sentence_start) or subject
        if rank and not subject.endswith(("排名", "名次", "排位")):
            subject = f"{subject.removesuffix('目标')}排名"
        quantity_end = end + (len(after) - len(after.lstrip()) + len(after_word) if after_word else 0)

        parts = _split_enumeration(subject, len(numbers)) if len(numbers) > 1 else [subject]
        for number, part in zip(numbers, parts):
            targets.append(Target(
                value=as_value(number, multiplier), unit=unit, direction=direction,
                quantity_text=text[start:quantity_end].strip(), subject=part,
                sentence=text[sentence_start:sentence_end + 1].strip(), start=start, rank=rank,
            ))
    return targets


def _split_enumeration(subject, count):
    """One subject per number for "低压、10千伏、35千伏及以上…时间分别压减到5个、7个、10个工作日".

    The leading 、-list names the cases; what follows its last item is the shared noun.
    Without a list of the same length, the subjects are numbered instead.
    """
    items = subject.split("、")
    if len(items) == count:
        last = items[-1]
        cut = re.search(r"及以[上下]", last)
        length = cut.end() if cut else max(len(item) for item in items[:-1])
        if 0 < length < len(last):
            shared = last[length:]
            cases = [*items[:-1], last[:length]]
            return [f"{shared}（{case}）" for case in cases]
    return [f"{subject}（{i + 1}/{count}）" for i in range(count)]
