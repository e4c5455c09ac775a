"""A plan's year as a timeline: what happens when, decided from the seed.

The engine keeps a queue of moments. Fixed appointments come from the plan's
rhythm (reporting rounds in February, April, June, August and October,
dispatch meetings after each round, a circular after each quarter, the
periodic `duban tick` twice a working day); each complaint, review and report
is a short story (a generator) that says what its people do next and when.
The engine moves the clock to each moment in turn and asks a *writer* to do
it: `played.PlayedWriter` calls the domain's own services, `bulk.BulkWriter`
writes the same rows in batches. The engine decides; writers only write.
"""

from __future__ import annotations

import collections
import datetime
import heapq
import itertools
from dataclasses import dataclass
from decimal import Decimal

from duban.calendar.workdays import add_workdays, is_workday
from duban.hotline.models import Category, Complaint, Review
from duban.kpi import periods
from duban.kpi.models import Direction, Frequency, Proposal
from duban.kpi.services import metric_from_proposal
from duban.plans.models import Area, Measure, MeasureCooperatingUnit, MeasureLeadUnit, Unit
from duban.progress.models import ProgressReport, ReportingRound
from duban.supervision.models import AgendaItem

from . import names, texts
from .cast import Cast
from .deadlines import Deadlines
from .randomness import Temperament, rng
from .worktime import WorkTime, at, local, poisson

ROUND_MONTHS = (2, 4, 6, 8, 10, 12)


@dataclass(frozen=True)
class Place:
    """The district a plan belongs to: its index in a province run, its names, its region code."""

    index: int
    short: str
    name: str
    city: str
    region_code: str


XIHU = Place(0, "西湖", "西湖区", "南昌", "360103")


@dataclass(frozen=True)
class Volumes:
    """How busy a district is. The demo's district is quiet; a province's districts are busy."""

    complaints_per_week: float
    reviews_per_week: float


DEMO = Volumes(complaints_per_week=6, reviews_per_week=45)
# 100 districts × ~42 weeks: about 500,000 complaints and 1,000,000 reviews by late October.
PROVINCE = Volumes(complaints_per_week=120, reviews_per_week=240)

# Which units usually answer a category of complaint (names as in the Xihu plan; districts map them).
CATEGORY_UNITS = {
    "企业开办与注销": ("区市场监管局", "区政数局"),
    "工程建设项目审批": ("区住建局", "区工改办", "西湖自然资源和规划分局"),
    "水电气暖接入": ("西湖供电公司", "市水业集团", "市燃气集团"),
    "纳税服务": ("区税务局",),
    "政府采购与招标投标": ("区财政局", "区发改委"),
    "执法检查": ("区城管执法局", "区市场监管局", "区应急管理局"),
    "新官不理旧账": ("区发改委", "区财政局"),
    "拖欠中小企业账款": ("区财政局", "区中小企业局"),
    "中介服务收费": ("区发改委", "区市场监管局"),
    "政务服务": ("区政数局", "区人社局", "区社保局"),
    "融资信贷": ("区金融服务中心",),
    "其他营商环境问题": ("区商务局", "区城管执法局", "区服务业发展局"),
}
CATEGORY_WEIGHTS = {"政务服务": 5, "企业开办与注销": 4, "执法检查": 3, "水电气暖接入": 3, "工程建设项目审批": 2,
                    "纳税服务": 2, "拖欠中小企业账款": 2}
# The plan area each category belongs to (the office links them once the plan is imported).
CATEGORY_AREAS = {
    "企业开办与注销": "开办企业", "工程建设项目审批": "办理建筑许可", "水电气暖接入": "获得电力", "纳税服务": "纳税",
    "政府采购与招标投标": "政府采购", "执法检查": "市场监管", "新官不理旧账": "企业家权益保护",
    "拖欠中小企业账款": "降低企业成本", "中介服务收费": "涉企服务优化", "政务服务": "政务服务", "融资信贷": "获得信贷",
}
# Units with service windows, and how many of the reviews they get.
REVIEW_UNITS = {
    "区政数局": 5, "区市场监管局": 4, "区税务局": 4, "区人社局": 3, "区社保局": 2, "区医保局": 2, "区住建局": 1,
    "西湖公安分局": 2, "西湖供电公司": 1, "市水业集团": 1, "市燃气集团": 1, "南站街道": 1, "桃花街道": 1, "绳金塔街道": 1,
}
EVIDENCE_PDF = (
    b"%%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>endobj\n"
    b"4 0 obj<</Length 60>>stream\nBT /F1 14 Tf 72 770 Td (%s) Tj ET\nendstream endobj\n"
    b"5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\ntrailer<</Root 1 0 R>>\n%%%%EOF\n"
)


def evidence_pdf(label):
    return EVIDENCE_PDF % f"Evidence: measure {label}".encode("ascii", "replace")


class Year:
    """One plan's year of activity up to `end`, decided by `seed`, written by `writer`."""

    def __init__(self, plan, *, seed, today, writer, clock, volumes=DEMO, place=None, unit_names=None,
                 scoped_meetings=False, deadlines=None):
        self.plan, self.seed, self.writer, self.clock, self.volumes = plan, seed, writer, clock, volumes
        self.place = place or XIHU
        self.district = self.place.index
        # Complaints have no region: a district's meeting is scoped to its plan's areas so that its agenda
        # does not list every district's supervised complaints.
        self.scoped_meetings = scoped_meetings
        self.today = today
        # The demo's "now": DUBAN_TODAY as a date stands at 09:00 (duban.core.clock).
        self.end = at(today, 9)
        self.start = at(datetime.date(plan.year, 1, 1), 0)
        self.work = WorkTime()
        self.deadlines = deadlines or Deadlines()
        self.queue = []
        self.sequence = itertools.count()
        self.ticks = 0
        # Xihu's unit names ↔ this plan's units, so a district maps 区市场监管局 to its own.
        self.unit_names = unit_names or {}
        self.units = self._units()
        self.by_base = {self.base_name(u): u for u in self.units.values()}
        self.cast = Cast(plan, sorted(self.units.values(), key=lambda u: u.pk), seed)
        self.temperaments = {}
        self.fates = {}
        self.percents = {}
        self.review_seq = itertools.count(1)
        self.categories = list(Category.objects.filter(region=plan.region_id, active=True).order_by("position", "pk"))
        # Weights summed once (choices() would sum them at every draw, and draw the same).
        self.category_weights = list(itertools.accumulate(CATEGORY_WEIGHTS.get(c.name, 1) for c in self.categories))
        pool = [(self.unit(name), weight) for name, weight in REVIEW_UNITS.items()]
        pool = [(u, weight) for u, weight in pool if u is not None] or [(u, 1) for u in self.units.values()]
        self.review_units = [u for u, _ in pool]
        self.review_weights = list(itertools.accumulate(weight for _, weight in pool))
        self.counts = collections.Counter()

    # ----------------------------------------------------------------- setup

    def _units(self):
        ids = set(MeasureLeadUnit.objects.filter(measure__plan=self.plan).values_list("unit", flat=True))
        ids |= set(MeasureCooperatingUnit.objects.filter(measure__plan=self.plan).values_list("unit", flat=True))
        wanted = set(REVIEW_UNITS) | {n for names_ in CATEGORY_UNITS.values() for n in names_} | {
            "区营商环境服务中心"}
        mapped = [self.unit_names.get(name, name) for name in wanted]
        ids |= set(Unit.objects.filter(name__in=mapped).values_list("pk", flat=True))
        # Areas' units own the KPI targets the plan states for the area.
        ids |= set(Area.lead_units.through.objects.filter(area__plan=self.plan).values_list("unit", flat=True))
        ids |= {pk for pk in Area.objects.filter(plan=self.plan).values_list("responsible_unit", flat=True) if pk}
        return Unit.objects.in_bulk(ids)

    def base_name(self, unit):
        """The Xihu name this unit stands for (its own name in the Xihu plan)."""
        return self.reverse_names.get(unit.name, unit.name)

    @property
    def reverse_names(self):
        if not hasattr(self, "_reverse"):
            self._reverse = {v: k for k, v in self.unit_names.items()}
        return self._reverse

    def unit(self, base_name):
        return self.by_base.get(base_name)

    def temperament(self, unit_id):
        if unit_id not in self.temperaments:
            unit = self.units.get(unit_id) or Unit.objects.get(pk=unit_id)
            self.temperaments[unit_id] = Temperament.draw(rng(self.seed, "unit", self.district, self.base_name(unit)))
        return self.temperaments[unit_id]

    # -------------------------------------------------------------- the queue

    def at(self, moment, story):
        """Run the generator `story` from `moment`; each value it yields is when it continues."""
        heapq.heappush(self.queue, (moment, next(self.sequence), story))

    def run(self):
        self.schedule()
        while self.queue:
            moment, _, story = heapq.heappop(self.queue)
            if moment > self.end:
                break
            self.clock.moment = max(moment, self.clock.moment)
            try:
                following = next(story)
            except StopIteration:
                continue
            self.at(max(following, self.clock.moment), story)
        self.clock.moment = self.end
        self.writer.flush()
        return self.counts

    def once(self, func, *args):
        """A one-step story."""
        func(*args)
        return
        yield  # pragma: no cover — makes this a generator

    def schedule(self):
        year = self.plan.year
        day = self.start.date()
        while day <= self.today:
            self.at(at(day, 0), self.once(self.arrivals, day))
            if is_workday(day):
                for hour, minute in ((9, 5), (17, 35)):
                    self.at(at(day, hour, minute), self.once(self.tick))
            day += datetime.timedelta(days=1)
        self.busy_days = set()
        for number, month in enumerate(ROUND_MONTHS, start=1):
            opened = self.first_workday(datetime.date(year, month, 1))
            day = opened
            while day <= add_workdays(self.due_date(opened), 2):
                self.busy_days.add(day)
                day = add_workdays(day, 1)
            self.at(at(opened, 9, 30), self.once(self.open_round, datetime.date(year, month, 1), opened))
            # Dispatch meetings: once the round's reports are in and read.
            held = add_workdays(self.due_date(opened), 3)
            self.at(at(held, 15), self.once(self.meeting, held, number))
        for quarter in (1, 2, 3, 4):
            end = datetime.date(year + quarter // 4, quarter * 3 % 12 + 1, 1) - datetime.timedelta(days=1)
            issued = add_workdays(end, 8)
            self.at(at(issued, 10), self.once(self.circular, quarter, issued))
            self.at(at(end, 23, 59), self.once(self.kpi_values, quarter))
        # The office turns the targets found in the plan into metrics in its first weeks.
        self.at(at(add_workdays(datetime.date(year, 1, 1), 10), 10), self.once(self.kpi_targets))

    @staticmethod
    def first_workday(day):
        return day if is_workday(day) else add_workdays(day, 1)

    def due_date(self, opened):
        return add_workdays(opened, ReportingRound.default_due_workdays())

    def tick(self):
        # `duban tick` runs every few minutes in production; its checks are idempotent, so two runs a
        # working day give the same escalations. Progress reminders (notifications only, and the costliest
        # job) run daily while a round is open and on Mondays otherwise.
        day = local(self.clock.moment).date()
        self.ticks += 1
        self.writer.tick(self.clock.moment, reminders=day in self.busy_days or day.weekday() == 0)

    # --------------------------------------------------------------- reports

    def open_round(self, period, opened):
        reports = self.writer.open_round(self.plan, period, opened, self.cast.office)
        self.counts["rounds"] += 1
        measures = self.measure_info([r.measure_id for r in reports])
        for report in reports:
            self.counts["reports"] += 1
            info = measures[report.measure_id]
            generator = rng(self.seed, "report", self.district, period, info.key)
            start = self.work.after_workdays(self.clock.moment, generator, 0, 3)
            self.at(start, self.report_story(report, info, period, generator))

    def measure_info(self, ids):
        leads, cooperating = collections.defaultdict(list), collections.defaultdict(list)
        for measure_id, unit_id in MeasureLeadUnit.objects.filter(measure__in=ids).order_by("position").values_list(
                "measure", "unit"):
            leads[measure_id].append(unit_id)
        for measure_id, unit_id in MeasureCooperatingUnit.objects.filter(measure__in=ids).order_by(
                "position").values_list("measure", "unit"):
            cooperating[measure_id].append(unit_id)
        return {m.pk: MeasureInfo(m, leads[m.pk], cooperating[m.pk])
                for m in Measure.objects.filter(pk__in=ids).select_related("area")}

    def fate(self, info):
        """The month of the round in which the measure is reported completed, or None (not this year)."""
        if info.key not in self.fates:
            self.fates[info.key] = self._fate(info)
        return self.fates[info.key]

    def _fate(self, info):
        deadline = info.measure.deadline
        if deadline is None or info.measure.ongoing:
            return None
        generator = rng(self.seed, "fate", self.district, info.key)
        temperament = self.temperament(info.lead)
        year = self.plan.year
        before = [m for m in ROUND_MONTHS if datetime.date(year, m, 12) <= deadline]
        after = [m for m in ROUND_MONTHS if datetime.date(year, m, 12) > deadline]
        r = generator.random()
        if r < temperament.measures_on_time and before:
            last = before[-1]
            if (deadline - datetime.date(year, last, 12)).days <= 62:
                return before[-2] if len(before) > 1 and generator.random() < 0.25 else last
            # Months ahead of the deadline: most units finish near it, and report it in the round after.
            return last if generator.random() < 0.35 else (after[0] if after else None)
        if r < temperament.measures_on_time + (1 - temperament.measures_on_time) * 0.7 and after:
            return after[0] if len(after) == 1 or generator.random() < 0.65 else after[1]
        return None

    def content(self, info, period, generator, completes):
        measure = info.measure
        if completes:
            return {"progress": ProgressReport.Progress.COMPLETED, "percent": 100,
                    "done_text": texts.completed_text(generator, measure.text), "problems": "",
                    "needs_coordination": False, "reason": "", "next_steps": ""}
        temperament = self.temperament(info.lead)
        deadline = measure.deadline or datetime.date(self.plan.year, 12, 31)
        begin = datetime.date(self.plan.year, 1, 1)
        reported = period + datetime.timedelta(days=10)
        expected = 100 * max(0, (reported - begin).days) / max(1, (deadline - begin).days)
        factor = {"diligent": 1.1, "steady": 1.0, "slow": 0.8, "late": 0.6}[temperament.kind]
        percent = int(min(95, max(5, expected * factor + generator.randint(-8, 8))))
        percent = max(percent, self.percents.get(info.key, 0))
        self.percents[info.key] = percent
        content = {"progress": ProgressReport.Progress.IN_PROGRESS, "percent": percent,
                   "done_text": texts.done_text(generator, measure.text, percent), "problems": "",
                   "needs_coordination": False, "reason": "", "next_steps": generator.choice(texts.NEXT_STEPS)}
        if measure.deadline and measure.deadline < reported or percent < expected - 25:
            content["progress"] = ProgressReport.Progress.BEHIND
            content["reason"] = generator.choice(texts.BEHIND_REASONS)
        elif period.month == 2 and generator.random() < 0.15:
            content.update(progress=ProgressReport.Progress.NOT_STARTED, percent=0, done_text="",
                           reason=generator.choice(texts.NOT_STARTED_REASONS))
        if generator.random() < (0.04 if temperament.kind in ("diligent", "steady") else 0.12):
            content["needs_coordination"] = True
            content["problems"] = generator.choice(texts.PROBLEMS)
        return content

    def report_story(self, report, info, period, generator):
        """Drafted by the lead unit's reporter, submitted by its head, read by the office."""
        w, work = self.writer, self.work
        unit = info.lead
        temperament = self.temperament(unit)
        reporter, head, office = self.cast.reporter(unit), self.cast.head(unit), self.cast.office
        fate = self.fate(info)
        completes = fate is not None and period.month >= fate
        due = at(report.round.due_on, 17, 30)
        w.save_draft(report, reporter, self.content(info, period, generator, completes))
        if completes:
            yield work.later(self.clock.moment, generator, 5, 60)
            w.add_evidence(report, reporter, f"{info.measure.label}完成佐证材料.pdf", evidence_pdf(info.measure.label))
        if info.cooperating and generator.random() < 0.3:
            yield work.later(self.clock.moment, generator, 30, 600)
            helper = info.cooperating[0]
            w.contribute(report, self.cast.reporter(helper), generator.choice(texts.CONTRIBUTIONS).format(
                n=generator.randint(2, 30), m=generator.randint(1, 5)))
        on_time = generator.random() < temperament.reports_on_time
        if not on_time and generator.random() < 0.25:
            return  # never submitted this round: "missing" in the office's matrix
        if on_time:
            yield work.between(self.clock.moment, due, generator)
        else:
            yield work.after_workdays(due, generator, 1, 6)
        w.request_approval(report, reporter)
        yield work.later(self.clock.moment, generator, 30, 900)
        w.submit(report, head)
        self.counts["submitted"] += 1
        for attempt in range(3):
            yield work.after_workdays(self.clock.moment, generator, 0, 3)
            if attempt < 2 and generator.random() < temperament.returned / (attempt + 1):
                w.return_for_correction(report, office, generator.choice(texts.RETURN_COMMENTS))
                self.counts["returned"] += 1
                yield work.after_workdays(self.clock.moment, generator, 1, 4)
                content = self.content(info, period, generator, completes)
                content["done_text"] += "（已按营商办意见补充完善）"
                w.save_draft(report, reporter, content)
                yield work.later(self.clock.moment, generator, 30, 600)
                w.submit(report, head)
            else:
                w.accept(report, office, "")
                return

    # ------------------------------------------------------------ complaints

    def arrivals(self, day):
        """Today's complaints and reviews: a few a week, more in the weeks before many measures fall due."""
        generator = rng(self.seed, "arrivals", self.district, day)
        workday = is_workday(day)
        per_day = self.volumes.complaints_per_week / 5 * self.deadline_pressure(day) * (1 if workday else 0.25)
        for _ in range(poisson(generator, per_day)):
            if workday:
                channel = generator.choice((Complaint.Channel.WEB, Complaint.Channel.WEB, Complaint.Channel.PHONE,
                                            Complaint.Channel.PHONE, Complaint.Channel.PLATFORM_12345,
                                            Complaint.Channel.VISIT))
            else:
                channel = Complaint.Channel.WEB
            if channel == Complaint.Channel.WEB:
                moment = at(day, 7) + datetime.timedelta(minutes=generator.randrange(16 * 60))
            else:
                moment = self.work.random_on(day, generator)
            self.at(moment, self.complaint_story(channel, generator.random()))
        reviews = self.volumes.reviews_per_week / 5 * (1 if workday else 0.2)
        for _ in range(poisson(generator, reviews)):
            moment = self.work.random_on(day if workday else add_workdays(day, 1), generator)
            self.at(moment, self.review_story(generator.random(), workday))

    def deadline_pressure(self, day):
        if not hasattr(self, "_pressure"):
            deadlines = collections.Counter(Measure.objects.filter(plan=self.plan, deadline__isnull=False)
                                            .values_list("deadline", flat=True))
            self._pressure = deadlines
            self._pressure_max = max(
                (sum(n for d, n in deadlines.items() if 0 <= (d - day_).days <= 14) for day_ in deadlines), default=1)
        near = sum(n for d, n in self._pressure.items() if 0 <= (d - day).days <= 14)
        return 1 + near / max(1, self._pressure_max)

    def category_for(self, generator):
        return generator.choices(self.categories, cum_weights=self.category_weights)[0]

    def unit_for(self, category, generator, other_than=None):
        candidates = [self.unit(name) for name in CATEGORY_UNITS.get(category.name, ())]
        candidates = [u for u in candidates if u is not None and u.pk != other_than]
        if not candidates:
            pool = sorted((u for u in self.units.values() if u.pk != other_than), key=lambda u: u.pk)
            candidates = pool
        return generator.choice(candidates)

    def complaint_story(self, channel, key):
        """受理 → 联系 → 分类 → 派单 → 办理 → 答复 → 回访 → 办结, within or beyond the working-day limits."""
        generator = rng(self.seed, "complaint", self.district, key)
        w, work, office = self.writer, self.work, self.cast.office
        received = self.clock.moment
        category = self.category_for(generator)
        complaint = w.receive(
            category=category, company_name=names.company(generator, self.place.city),
            credit_code=names.credit_code(generator, self.place.region_code) if generator.random() < 0.8 else "",
            contact_name=names.person(generator), mobile=names.mobile(generator),
            description=generator.choice(texts.COMPLAINTS.get(category.name, texts.COMPLAINTS["其他营商环境问题"])),
            channel=channel, received_at=received, region=self.plan.region,
            recorded_by=None if channel == Complaint.Channel.WEB else office,
            external_ref=f"12345-{received:%Y%m%d}-{generator.randrange(10**6):06d}"
            if channel == Complaint.Channel.PLATFORM_12345 else "",
        )
        self.counts["complaints"] += 1
        contact_due = self.deadlines.contact(received).due_at
        if generator.random() < 0.98:
            yield work.between(received, contact_due, generator)
        else:
            yield work.later(contact_due, generator, 30, 300)
        w.contact(complaint, office, generator.choice(texts.CONTACT_NOTES))
        yield work.later(self.clock.moment, generator, 5, 40)
        difficulty = Complaint.Difficulty.DIFFICULT if generator.random() < 0.2 else Complaint.Difficulty.GENERAL
        w.classify(complaint, office, difficulty)
        yield work.later(self.clock.moment, generator, 5, 60)
        unit = self.unit_for(category, generator)
        cooperating = [self.unit_for(category, generator, other_than=unit.pk)] if generator.random() < 0.15 else []
        w.assign(complaint, office, unit, cooperating)
        if generator.random() < 0.03:
            yield work.later(self.clock.moment, generator, 30, 300)
            w.return_to_office(complaint, self.cast.reporter(unit.pk), generator.choice(texts.RETURN_REASONS))
            self.counts["returned to the office"] += 1
            yield work.later(self.clock.moment, generator, 30, 240)
            unit = self.unit_for(category, generator, other_than=unit.pk)
            w.assign(complaint, office, unit, cooperating)
        yield work.later(self.clock.moment, generator, 20, 400)
        w.start(complaint, self.cast.reporter(unit.pk))
        if generator.random() < 0.04:
            yield work.later(self.clock.moment, generator, 60, 600)
            unit = self.unit_for(category, generator, other_than=unit.pk)
            w.transfer(complaint, office, unit, generator.choice(texts.TRANSFER_REASONS))
            self.counts["transfers"] += 1
            yield work.later(self.clock.moment, generator, 20, 300)
            w.start(complaint, self.cast.reporter(unit.pk))
        temperament = self.temperament(unit.pk)
        due = self.deadlines.reply(received, difficulty).due_at
        if difficulty == Complaint.Difficulty.DIFFICULT and generator.random() < 0.2:
            yield work.between(self.clock.moment, due, generator)
            workdays = generator.choice((3, 5, 5, 10))
            extension = w.request_extension(complaint, self.cast.reporter(unit.pk), workdays,
                                            generator.choice(texts.EXTENSION_REASONS))
            yield work.later(self.clock.moment, generator, 30, 240)
            approve = generator.random() < 0.85
            self.counts["extensions"] += 1
            w.decide_extension(extension, office, approve, "同意延期。" if approve else "不同意延期，请按期办结。")
            if approve:
                due = self.deadlines.extended(due, workdays).due_at
        yield from self.reply(complaint, unit, due, temperament, generator)
        for reopened in range(2):
            yield work.after_workdays(self.clock.moment, generator, 0, 2)
            satisfied = generator.random() < (0.92 if not reopened else 0.7)
            if satisfied:
                w.callback(complaint, office, True, generator.choice(texts.CALLBACK_SATISFIED))
                return
            note = generator.choice(texts.CALLBACK_UNSATISFIED)
            if reopened:
                w.callback(complaint, office, False, note, reopen=False)  # the office closes it anyway
                return
            w.callback(complaint, office, False, note)
            self.counts["reopened"] += 1
            due = self.deadlines.reply(self.clock.moment, difficulty).due_at
            yield from self.reply(complaint, unit, due, temperament, generator)

    def reply(self, complaint, unit, due, temperament, generator):
        if generator.random() < temperament.replies_on_time:
            yield self.work.between(self.clock.moment, due, generator)
        else:
            yield self.work.after_workdays(due, generator, 1, 4)
        resolution = Complaint.Resolution.RESOLVED if generator.random() < 0.75 else Complaint.Resolution.ANSWERED
        self.writer.reply(complaint, self.cast.reporter(unit.pk), generator.choice(texts.REPLIES), resolution)

    # --------------------------------------------------------------- reviews

    def review_story(self, key, workday):
        """A rating from the service platform; a bad one is rectified, checked and called back."""
        generator = rng(self.seed, "review", self.district, key)
        w, work, office = self.writer, self.work, self.cast.office
        unit = generator.choices(self.review_units, cum_weights=self.review_weights)[0]
        temperament = self.temperament(unit.pk)
        bad = generator.random() < temperament.bad_reviews
        if bad:
            level = Review.Level.DISSATISFIED if generator.random() < 0.7 else Review.Level.VERY_DISSATISFIED
        else:
            level = generator.choices((5, 4, 3), (75, 20, 5))[0]
        real_name = generator.random() < 0.7
        matters = texts.MATTERS.get(texts.matter_key(self.base_name(unit)), texts.GENERIC_MATTERS)
        channel = generator.choice((Review.Channel.WINDOW, Review.Channel.WINDOW, Review.Channel.WINDOW,
                                    Review.Channel.ONLINE, Review.Channel.MOBILE, Review.Channel.SMS))
        reviewed = self.clock.moment
        yield work.later(reviewed, generator, 10, 90)  # the platform's feed reaches Duban
        review = w.review(
            unit=unit, window=generator.choice(texts.WINDOWS) if channel == Review.Channel.WINDOW else "",
            matter=generator.choice(matters), level=level,
            comment=generator.choice(texts.BAD_COMMENTS if bad else texts.GOOD_COMMENTS),
            reviewer_name=names.person(generator) if real_name else "",
            reviewer_mobile=names.mobile(generator) if real_name else "", channel=channel, reviewed_at=reviewed,
            external_ref=f"{review_prefix(self.plan)}{next(self.review_seq):08d}",
        )
        self.counts["reviews"] += 1
        if not bad:
            return
        self.counts["bad reviews"] += 1
        staff, head = self.cast.reporter(unit.pk), self.cast.head(unit.pk)
        due = self.deadlines.rectify(self.clock.moment).due_at
        if generator.random() < 0.05:
            yield work.later(self.clock.moment, generator, 30, 180)
            appeal = w.appeal(review, head, generator.choice(texts.APPEAL_REASONS))
            self.counts["appeals"] += 1
            yield work.after_workdays(self.clock.moment, generator, 0, 1)
            uphold = generator.random() < 0.5
            w.decide_appeal(appeal, office, uphold, "经核实，评价确属误评，予以撤销。" if uphold else "评价属实，驳回申诉。")
            if uphold:
                return
        if generator.random() < temperament.rectified_on_time:
            yield work.between(self.clock.moment, due, generator)
        else:
            yield work.after_workdays(due, generator, 0, 3)
        w.rectify(review, staff, generator.choice(texts.RECTIFICATIONS))
        yield work.later(self.clock.moment, generator, 30, 300)
        if generator.random() < 0.1:
            w.send_back(review, office, generator.choice(texts.SEND_BACK_NOTES))
            yield work.later(self.clock.moment, generator, 60, 480)
            w.rectify(review, staff, generator.choice(texts.RECTIFICATIONS) + "已补充整改佐证。")
            yield work.later(self.clock.moment, generator, 30, 300)
        w.accept_rectification(review, office)
        if real_name:
            yield work.after_workdays(self.clock.moment, generator, 0, 1)
            satisfied = generator.random() < 0.85
            w.rectification_callback(review, office, satisfied, "回访评价人，对整改结果表示认可。" if satisfied else
                                     "回访评价人，仍有意见，已做好解释。")

    # ----------------------------------------------------------- supervision

    def meeting(self, held_on, number):
        """A bimonthly dispatch meeting: agenda drafted from the ledger, decisions with action items."""
        generator = rng(self.seed, "meeting", self.district, held_on)
        chairs = [a.chief for a in self.plan.areas.select_related("chief").order_by("position") if a.chief]
        chair = collections.Counter(chairs).most_common(1)[0][0] if chairs else None
        title = f"{self.plan.year}年第{number}次优化营商环境工作双月调度会"
        attendees = "区营商办，各指标牵头单位、责任单位主要负责同志"
        areas = list(self.plan.areas.all()) if self.scoped_meetings else []
        meeting, items = self.writer.meeting(self.plan, title, held_on, chair, attendees, self.cast.office, areas)
        self.counts["meetings"] += 1
        decided = 0
        for item in items:
            if item.kind == AgendaItem.Kind.CARRIED_OVER:
                self.writer.decide(item, texts.CARRIED_OVER, [])
                continue
            if decided >= 6 or item.kind == AgendaItem.Kind.YELLOW or generator.random() < 0.3:
                continue
            owner = item.unit or (item.area.responsible_unit if item.area else None)
            days = generator.choice((5, 10, 10, 15, 20))
            unit_name = owner.name if owner else "责任单位"
            decision = generator.choice(texts.DECISIONS).format(unit=unit_name, days=days)
            actions = []
            if owner is not None and (item.area or item.measure):
                subject = item.measure.text if item.measure else item.title
                actions.append({"text": generator.choice(texts.ACTION_TEXTS).format(
                    unit=unit_name, topic=texts.topic(subject, 30)), "owner_unit": owner, "workdays": days})
            self.writer.decide(item, decision, actions)
            self.counts["action items"] += len(actions)
            decided += 1

    # ------------------------------------------------------------------- KPI

    def kpi_targets(self):
        """Confirm the plan's targets as metrics: each with its owner, a baseline and a path for its values.

        Where the plan states a target twice with different numbers, the office keeps the first and discards
        the other (the page showed both).
        """
        self.metrics = []
        discarded = set()
        office_unit = self.cast.office.unit
        proposals = Proposal.objects.filter(plan=self.plan, status=Proposal.Status.PROPOSED).select_related(
            "area", "measure", "plan").prefetch_related("conflicts").order_by("position", "pk")
        for proposal in proposals:
            if proposal.pk in discarded:
                self.writer.discard_proposal(proposal, self.cast.office)
                continue
            discarded |= {c.pk for c in proposal.conflicts.all()}
            generator = rng(self.seed, "metric", self.district, proposal.position, proposal.subject)
            metric = metric_from_proposal(proposal)
            metric.owner = metric.owner or office_unit
            if metric.owner is None or metric.owner.pk not in self.cast.reporters:
                continue
            metric.frequency = Frequency.QUARTERLY
            metric.baseline = self.baseline(metric, generator)
            if metric.direction == Direction.REDUCE_BY:
                metric.unit = "小时"
            if metric.direction == Direction.EQUAL:
                metric.tolerance = Decimal("0.5")
            metric = self.writer.confirm_metric(proposal, metric, self.cast.office)
            self.counts["metrics"] += 1
            temperament = self.temperament(metric.owner_id)
            # How fast the values move toward the target; a few drift away from it.
            pace = {"diligent": 1.3, "steady": 1.12, "slow": 0.85, "late": 0.55}[temperament.kind]
            r = generator.random()
            pace = -0.3 if r < 0.08 else pace * 1.6 if r > 0.7 else pace * generator.uniform(0.9, 1.1)
            self.metrics.append((metric, pace, generator))

    @staticmethod
    def baseline(metric, generator):
        target = metric.target
        if metric.direction == Direction.REDUCE_BY:
            return Decimal(str(round(generator.uniform(1.5, 6.0), 2)))  # e.g. hours of outage a year
        if metric.unit == "名":
            return Decimal(generator.randint(int(target) + 10, int(target) * 2 + 10))
        if metric.direction == Direction.AT_MOST:
            return (target * Decimal(str(round(generator.uniform(1.3, 2.0), 2)))).quantize(Decimal("0.01"))
        if metric.unit == "%":
            return Decimal(str(round(float(target) * generator.uniform(0.6, 0.92), 1)))
        return Decimal(0)  # counts start the year at nothing: 新增就业, 项, 件, 场

    def kpi_values(self, quarter):
        """Each metric's owner reports the quarter's value a few working days after it ends."""
        period = periods.Period(self.plan.year, quarter, Frequency.QUARTERLY)
        for metric, pace, generator in getattr(self, "metrics", []):
            when = self.work.random_on(add_workdays(period.end, generator.randint(2, 8)), generator)
            self.at(when, self.once(self.report_value, metric, pace, generator, period))

    def report_value(self, metric, pace, generator, period):
        begin = datetime.date(self.plan.year, 1, 1)
        fraction = (period.end - begin).days / max(1, (metric.due - begin).days)
        level = metric.target_level
        value = metric.baseline + (level - metric.baseline) * Decimal(str(fraction * pace))
        value *= Decimal(str(round(generator.uniform(0.99, 1.01), 3)))
        if metric.unit == "%":
            value = min(value, Decimal(100))
        if metric.unit in ("名", "人", "项", "件", "次", "场"):
            value = value.quantize(Decimal("1"))
        value = max(value, Decimal(0)).quantize(Decimal("0.01"))
        self.writer.report_value(metric, self.cast.reporter(metric.owner_id), period, value,
                                 f"{period.label}数据，来源于业务系统统计。")
        self.counts["metric values"] += 1

    def circular(self, quarter, issued):
        number = 10 + quarter
        self.writer.circular(self.plan, f"{self.plan.year}Q{quarter}", self.cast.office,
                             f"{self.place.short[0]}营商办〔{self.plan.year}〕{number}号", issued)
        self.counts["circulars"] += 1


def review_prefix(plan):
    """Simulated reviews' platform numbers: HCP-<plan>-<sequence>."""
    return f"HCP-{plan.pk}-"


class MeasureInfo:
    def __init__(self, measure, leads, cooperating):
        self.measure = measure
        self.lead = leads[0]
        self.cooperating = cooperating
        # Stable across runs and slices: where the measure sits, not its id.
        self.key = f"{measure.area.position}:{measure.position}:{measure.text[:40]}"
