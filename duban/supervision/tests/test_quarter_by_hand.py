"""A whole quarter (2023Q3) built by hand through the domain services, and every figure of its circular and
of the annual assessment checked against numbers worked out on paper (the arithmetic is in the comments).

Four units: 区市场监管局 (scjg), 区税务局 (tax), 区发改委 (ndrc), 南站街道 (street). The circular is drawn up on
2023-10-20 for Q3 (figures as of 2023-09-30); the assessment is computed on 2023-10-20 (figures as of that
day). Several deadlines cross the 2023 Mid-Autumn/National Day break (29 Sep – 6 Oct off, Sat 7 and Sun 8
Oct working days): the sums below hold only if the working-day calendar knows it.
"""

import datetime
import io
from decimal import Decimal

import docx
import pytest
from django.utils import timezone

from duban.accounts.models import Role
from duban.calendar import workdays
from duban.conftest import make_user
from duban.hotline import escalation, flow, reviews
from duban.hotline.models import Category
from duban.kpi.models import Metric
from duban.kpi.periods import parse_period
from duban.kpi.services import report_value
from duban.plans.models import Measure, Unit
from duban.plans.tests import factories
from duban.progress import services as progress
from duban.supervision import assessment
from duban.supervision.circulars import create_circular, to_docx
from duban.supervision.models import AgendaItem, AssessmentBonus, DispatchMeeting
from duban.supervision.services import record_decision

pytestmark = pytest.mark.django_db
D = datetime.date


def T(text):
    return timezone.make_aware(datetime.datetime.fromisoformat(text))


@pytest.fixture(autouse=True)
def fresh_calendar():
    # Other apps' tests add calendar rows and roll them back without signals.
    workdays.clear_cache()
    yield
    workdays.clear_cache()


@pytest.fixture
def quarter(units, office, settings):
    """The quarter, in the order things happened; returns the plan and what the test looks up."""
    def at(text):  # the office's clock (duban.core.clock) for the steps that read it
        settings.DUBAN_TODAY = text
        return T(text)

    scjg, tax = units["scjg"], units["tax"]
    ndrc, street = factories.unit("区发改委"), factories.unit("南站街道", kind=Unit.Kind.STREET)
    heads = {u: make_user(f"head{u.pk}", Role.UNIT_HEAD, u) for u in (scjg, tax, ndrc, street)}
    plan = factories.plan()
    area = factories.area(plan, "开办企业", chief="胡海")
    m = {}
    for key, unit, text, deadline, done in [
        ("S1", scjg, "推行企业开办全程网办", "2023-07-31", D(2023, 7, 20)),
        ("S2", scjg, "推进歇业备案制度", "2023-08-31", None),
        ("S3", scjg, "优化涉企经营许可办理", "2023-09-15", None),
        ("S4", scjg, "探索实施一业一证改革", "2023-11-30", None),
        ("T1", tax, "压缩全年纳税时间", "2023-09-30", None),
        ("T2", tax, "推行出口退税无纸化", "2023-08-15", None),
        ("T3", tax, "优化税费申报流程", "2023-09-28", None),
        ("N1", ndrc, "清理市场准入隐性壁垒", "2023-07-10", D(2023, 7, 10)),
        ("N2", ndrc, "推广政府采购贷业务", "2023-09-30", None),
        ("J1", street, "建设政务服务驿站", "2023-08-20", None),
        ("J2", street, "开展惠企政策宣讲", "2023-09-10", None),
    ]:
        m[key] = factories.measure(area, text, lead=[unit], deadline=deadline, completed_on=done)

    def complete(key, day):
        Measure.objects.filter(pk=m[key].pk).update(completed_on=day)

    def file(report, head, when):
        progress.save_draft(report, head, {"progress": "in_progress", "percent": 60, "done_text": "按计划推进"},
                            report.version)
        progress.submit(report, head, now=T(when))

    # --- Round 1: opened Tue 1 Aug, 5 working days → due Tue 8 Aug; one report per open measure (9).
    r1 = progress.open_round(plan, "bimonthly", D(2023, 8, 1), opened_on=D(2023, 8, 1), due_workdays=5)
    assert r1.due_on == D(2023, 8, 8)
    rep1 = {r.measure_id: r for r in r1.reports.all()}
    assert sorted(rep1) == sorted(m[k].pk for k in ("S2", "S3", "S4", "T1", "T2", "T3", "N2", "J1", "J2"))
    R1 = {k: rep1[m[k].pk] for k in ("S2", "S3", "S4", "T1", "T2", "T3", "N2", "J1", "J2")}
    file(R1["J1"], heads[street], "2023-08-04T10:00")                       # on time
    progress.accept(R1["J1"], office, now=T("2023-08-07T10:00"))            # accepted first time
    file(R1["S2"], heads[scjg], "2023-08-07T10:00")                         # on time
    progress.accept(R1["S2"], office, now=T("2023-08-09T10:00"))            # accepted first time
    file(R1["S3"], heads[scjg], "2023-08-08T16:00")                         # on time, on the due day
    progress.return_for_correction(R1["S3"], office, "缺少佐证材料", now=T("2023-08-09T11:00"))
    file(R1["S3"], heads[scjg], "2023-08-10T10:00")                         # corrected: still on time
    progress.accept(R1["S3"], office, now=T("2023-08-11T10:00"))            # returned, then accepted
    file(R1["T3"], heads[tax], "2023-08-08T09:00")                          # on time
    progress.accept(R1["T3"], office, now=T("2023-08-09T10:00"))
    file(R1["J2"], heads[street], "2023-08-08T17:00")                       # on time, not reviewed yet
    file(R1["N2"], heads[ndrc], "2023-08-09T10:00")                         # late
    progress.return_for_correction(R1["N2"], office, "未说明资金到位情况", now=T("2023-08-10T10:00"))
    file(R1["T1"], heads[tax], "2023-08-10T10:00")                          # late
    progress.accept(R1["T1"], office, now=T("2023-08-11T10:00"))
    # S4 and T2: never submitted (missing).

    complete("J1", D(2023, 8, 18))
    complete("S2", D(2023, 8, 31))
    complete("T1", D(2023, 9, 1))
    complete("J2", D(2023, 9, 12))   # 2 days after its deadline
    complete("S3", D(2023, 9, 20))   # 5 days after its deadline

    # --- Dispatch meeting, Mon 25 Sep: an action item for 南站街道 in 5 working days. Counting 26, 27,
    # 28 Sep, then (29 Sep – 6 Oct off) Sat 7 and Sun 8 Oct → due Sun 8 Oct, an adjusted working day.
    meeting = DispatchMeeting.objects.create(plan=plan, title="第五次双月调度会", held_on=D(2023, 9, 25))
    item = AgendaItem.objects.create(meeting=meeting, kind=AgendaItem.Kind.OTHER, title="企业服务专窗建设",
                                     area=area, drafted=False)
    [action] = record_decision(item, "由南站街道牵头建成企业服务专窗",
                               [{"text": "建成南站街道企业服务专窗", "owner_unit": street, "workdays": 5}])
    m["A1"] = action.measure
    assert m["A1"].deadline == D(2023, 10, 8)

    # --- Round 3 (ad hoc): opened Wed 27 Sep, 5 working days: 28 Sep, 7, 8, 9, 10 Oct → due Tue 10 Oct.
    r3 = progress.open_round(plan, "ad_hoc", opened_on=D(2023, 9, 27), due_workdays=5)
    assert r3.due_on == D(2023, 10, 10)
    rep3 = {r.measure_id: r for r in r3.reports.all()}
    assert sorted(rep3) == sorted(m[k].pk for k in ("S4", "T2", "T3", "N2", "A1"))
    R3 = {k: rep3[m[k].pk] for k in ("S4", "T2", "T3", "N2", "A1")}
    file(R3["A1"], heads[street], "2023-10-07T10:00")    # Saturday, a working day: on time
    progress.accept(R3["A1"], office, now=T("2023-10-09T10:00"))
    file(R3["S4"], heads[scjg], "2023-10-09T10:00")      # on time (5 weekdays would have ended 4 Oct)
    progress.accept(R3["S4"], office, now=T("2023-10-10T10:00"))
    file(R3["T3"], heads[tax], "2023-10-10T15:00")       # on time, on the due day
    progress.accept(R3["T3"], office, now=T("2023-10-11T10:00"))
    file(R3["N2"], heads[ndrc], "2023-10-11T10:00")      # late, not reviewed
    # T2: missing again.
    complete("A1", D(2023, 10, 8))   # on its deadline
    complete("T3", D(2023, 10, 9))   # after the quarter and 11 days late

    # --- Complaints (category in 开办企业, chief 胡海).
    category = Category.objects.create(name="开办企业投诉", area=area)

    def complaint(received, unit, contact, difficulty="general"):
        c = flow.receive(category=category, company_name="某科技有限公司", contact_name="王先生",
                         mobile="13800138000", description="办理事项反映", received_at=T(received))
        flow.contact(c, office, note="已电话联系", at=T(contact))
        at(contact)
        flow.classify(c, office, difficulty=difficulty)
        flow.assign(c, office, lead_unit=unit)
        flow.start(c, heads[unit])
        return c

    def answer(c, unit, replied, called_back, satisfied):
        at(replied)
        flow.reply(c, heads[unit], text="已办理并答复", resolution="resolved")
        at(called_back)
        flow.callback(c, office, satisfied=satisfied, reopen=False)

    # C1 区市场监管局: received Mon 3 Jul 09:00, reply due Fri 7 Jul 17:30 (5 working days from day 1 = 3 Jul).
    c1 = complaint("2023-07-03T09:00", scjg, "2023-07-03T10:00")
    assert c1.reply_due == T("2023-07-07T17:30")
    answer(c1, scjg, "2023-07-05T10:00", "2023-07-06T10:00", True)           # on time, satisfied
    # C4 区税务局: received Mon 10 Jul, reply due Fri 14 Jul 17:30; still unanswered on Tue 18 Jul, past
    # one more working day (Mon 17 Jul 17:30): the escalation job makes it a supervised case (督办件).
    c4 = complaint("2023-07-10T09:00", tax, "2023-07-10T10:00")
    assert c4.reply_due == T("2023-07-14T17:30")
    escalation.escalate(at("2023-07-18T09:00"))
    c4.refresh_from_db()
    assert c4.supervised_at == T("2023-07-18T09:00")
    answer(c4, tax, "2023-07-20T10:00", "2023-07-21T10:00", True)            # late, satisfied
    # C2 区市场监管局: received Tue 1 Aug, due Mon 7 Aug 17:30, answered Wed 9 Aug: late; not satisfied (closed).
    c2 = complaint("2023-08-01T09:00", scjg, "2023-08-01T10:00")
    answer(c2, scjg, "2023-08-09T10:00", "2023-08-10T10:00", False)
    # C5 区税务局: difficult, received Mon 14 Aug, 10 working days → Fri 25 Aug 17:30; answered 24 Aug.
    c5 = complaint("2023-08-14T09:00", tax, "2023-08-14T10:00", difficulty="difficult")
    assert c5.reply_due == T("2023-08-25T17:30")
    answer(c5, tax, "2023-08-24T10:00", "2023-08-25T10:00", True)            # on time, satisfied
    # C3 区市场监管局: received Thu 28 Sep 18:00, after close of business: day 1 is the next working day,
    # Sat 7 Oct. Contact due 7 Oct 17:30; reply due 7, 8, 9, 10, 11 Oct → Wed 11 Oct 17:30.
    c3 = complaint("2023-09-28T18:00", scjg, "2023-10-07T09:00")
    assert (c3.contact_due, c3.reply_due) == (T("2023-10-07T17:30"), T("2023-10-11T17:30"))
    answer(c3, scjg, "2023-10-11T10:00", "2023-10-12T10:00", True)           # on time, satisfied, in Q4

    # --- Service reviews (好差评); a bad one must be rectified within 1 working day of reaching Duban.
    def review(unit, level, when, rectified=None):
        at(when)
        r = reviews.record(unit=unit, matter="窗口服务", level=level, reviewed_at=T(when))
        if rectified:
            at(rectified)
            reviews.submit(r.rectification, heads[unit], action_taken="已整改并回访")
            reviews.accept(r.rectification, office)
        return r

    review(tax, 4, "2023-07-20T10:00")
    review(tax, 3, "2023-07-21T10:00")                         # 基本满意 counts as good
    review(scjg, 5, "2023-08-01T10:00")
    v2 = review(scjg, 2, "2023-08-02T10:00", rectified="2023-08-02T15:00")   # due 2 Aug 17:30: on time
    review(tax, 5, "2023-08-03T10:00")
    v7 = review(tax, 2, "2023-08-10T18:00", rectified="2023-08-11T09:00")    # after hours: due 11 Aug 17:30
    v3 = review(scjg, 1, "2023-09-01T16:00", rectified="2023-09-04T10:00")   # due 1 Sep 17:30: late
    review(street, 5, "2023-09-05T10:00")
    v9 = review(scjg, 2, "2023-09-28T18:00", rectified="2023-10-07T11:00")   # due Sat 7 Oct 17:30: on time
    assert [v.rectification.due_at for v in (v2, v7, v3, v9)] == [
        T("2023-08-02T17:30"), T("2023-08-11T17:30"), T("2023-09-01T17:30"), T("2023-10-07T17:30")]

    # --- Indicators, reported for Q3 by the owner units.
    def metric(name, owner, direction, target, unit, value):
        obj = Metric.objects.create(plan=plan, area=area, name=name, unit=unit, direction=direction,
                                    target=Decimal(target), owner=owner, frequency="quarterly", due=D(2023, 12, 31))
        report_value(obj, heads[owner], parse_period("2023-Q3", "quarterly"), Decimal(value))

    metric("企业开办时间", scjg, "at_most", "1", "个工作日", "1.25")     # 1 ÷ 1.25 = 80.0 %
    metric("纳税时间", tax, "at_most", "70", "小时", "70")               # met: 100.0 %
    metric("网上申报率", tax, "at_least", "95", "%", "76")              # 76 ÷ 95 = 80.0 %
    metric("政府采购贷放款额", ndrc, "at_least", "10", "亿元", "4")       # 4 ÷ 10 = 40.0 %

    # --- The office's bonus for 南站街道 (3 points, under the cap of 5).
    AssessmentBonus.objects.create(scheme=assessment.scheme_for(plan), unit=street, points=3,
                                   reason="政务服务驿站获省级推广", recognised_by="江西省发改委", created_by=office)
    settings.DUBAN_TODAY = "2023-10-20"
    return plan


# Column order of the circular's rows (statistics.unit_table and its providers).
KEYS = ("measures_due", "measures_on_time", "measures_late", "measures_overdue", "on_time_rate",
        "reports_due", "reports_on_time_rate", "reports_first_time_rate", "kpi_attainment_rate",
        "complaints", "complaints_on_time_rate", "satisfaction_rate", "escalations",
        "positive_review_rate", "rectification_on_time_rate")

# Q3 as of 30 Sep.
# Measures due in Q3: a deadline in Jul–Sep; done by 30 Sep on/before the deadline = on time.
#   区市场监管局: S1 ✓, S2 ✓ (on the day), S3 late (20 > 15 Sep); S4 (30 Nov) not in Q3 → 2 of 3 = 66.7
#   区税务局: T1 ✓, T2 overdue, T3 done 9 Oct, after 30 Sep → overdue      → 1 of 3 = 33.3
#   区发改委: N1 ✓ (on the day), N2 due Sat 30 Sep, the quarter's last day, not done → overdue → 1 of 2 = 50.0
#   南站街道: J1 ✓, J2 late; the action item (due 8 Oct) is Q4            → 1 of 2 = 50.0
# Reports: round 1 only (due 8 Aug); round 3 is due 10 Oct, after the quarter.
#   区市场监管局: S2 ✓, S3 ✓, S4 missing → 2/3 = 66.7; first review: S2 accepted, S3 returned → 1/2 = 50.0
#   区税务局: T1 late, T2 missing, T3 ✓ → 1/3 = 33.3; reviewed T1, T3, both accepted → 2/2 = 100.0
#   区发改委: N2 late → 0/1 = 0.0; returned at its first review → 0/1 = 0.0
#   南站街道: J1 ✓, J2 ✓ → 2/2 = 100.0; only J1 reviewed, accepted → 1/1 = 100.0
# Indicators: 区市场监管局 80.0; 区税务局 (100.0 + 80.0) ÷ 2 = 90.0; 区发改委 40.0; 南站街道 none.
# Complaints received in Q3 (C3 on 28 Sep counts as received; its reply and callback came in October):
#   区市场监管局: C1, C2, C3 = 3; answered by 30 Sep: C1 on time, C2 late → 1/2 = 50.0;
#                 called back by 30 Sep: C1 satisfied, C2 not → 1/2 = 50.0; no supervised case
#   区税务局: C4 late, C5 on time → 1/2 = 50.0; both satisfied → 2/2 = 100.0; C4 supervised → 1
# Reviews given in Q3: 区市场监管局 5, 2, 1, 2 → 1 good of 4 = 25.0; bad: V2 on time, V3 late, V9 not due
#   until 7 Oct and not counted yet → 1/2 = 50.0. 区税务局 4, 3, 5, 2 → 3 of 4 = 75.0; V7 on time → 100.0.
#   南站街道 5 → 100.0, no bad review (—). 区发改委: none.
Q3 = {
    "区市场监管局": (3, 2, 1, 0, 66.7, 3, 66.7, 50.0, 80.0, 3, 50.0, 50.0, 0, 25.0, 50.0),
    "区税务局": (3, 1, 0, 2, 33.3, 3, 33.3, 100.0, 90.0, 2, 50.0, 100.0, 1, 75.0, 100.0),
    "区发改委": (2, 1, 0, 1, 50.0, 1, 0.0, 0.0, 40.0, 0, None, None, 0, None, None),
    "南站街道": (2, 1, 1, 0, 50.0, 2, 100.0, 100.0, None, 0, None, None, 0, 100.0, None),
}
# Ranking by on-time rate, then fewer overdue: 区市场监管局 66.7; 南站街道 50.0 with 0 overdue before
# 区发改委 50.0 with 1; 区税务局 33.3.
Q3_RANKS = {"区市场监管局": 1, "南站街道": 2, "区发改委": 3, "区税务局": 4}


def test_the_circular(quarter):
    circular = create_circular(quarter, "2023Q3", today=D(2023, 10, 20), document_number="西营商办〔2023〕18号")
    data = circular.snapshot
    assert (data["start"], data["end"], data["as_of"]) == ("2023-07-01", "2023-09-30", "2023-09-30")
    assert sorted(c["key"] for c in data["columns"]) == sorted(KEYS)
    rows = {r["unit"]: r for r in data["rows"]}
    assert {unit: tuple(r["values"][k] for k in KEYS) for unit, r in rows.items()} == Q3
    assert {unit: r["rank"] for unit, r in rows.items()} == Q3_RANKS
    assert [r["unit"] for r in data["rows"]] == ["区市场监管局", "南站街道", "区发改委", "区税务局"]

    # District totals: measures 3+3+2+2 = 10 due, 2+1+1+1 = 5 on time, 1+0+0+1 = 2 late, 0+2+1+0 = 3
    # overdue, 5 ÷ 10 = 50.0 %; reports 3+3+1+2 = 9; complaints 3+2 = 5, of which 1 supervised. (No measure
    # here has two lead units, so counting each once gives the units' sum.) The rates' district figures are
    # computed over the district, not averaged over the units.
    counts = ("measures_due", "measures_on_time", "measures_late", "measures_overdue", "on_time_rate", "reports_due",
              "complaints", "escalations")
    assert {k: data["totals"][k] for k in counts} == {
        "measures_due": 10, "measures_on_time": 5, "measures_late": 2, "measures_overdue": 3, "on_time_rate": 50.0,
        "reports_due": 9, "complaints": 5, "escalations": 1}
    # Four ranked units: at most two named at each end. Both 50.0 % units tie with the lower praised
    # rate (南站街道 50.0), so only 区税务局 is criticised.
    assert (data["top"], data["bottom"]) == (["区市场监管局", "南站街道"], ["区税务局"])

    # 存在问题: per unit in ranking order, overdue measures, late measures, reports returned at first review.
    problems = sorted((p["unit"], p["kind"], p["item"].split()[-1]) for p in data["problems"])
    assert problems == sorted([
        ("区市场监管局", "measures_late", "优化涉企经营许可办理"),
        ("区市场监管局", "reports_first_time_rate", "优化涉企经营许可办理"),
        ("南站街道", "measures_late", "开展惠企政策宣讲"),
        ("区发改委", "measures_overdue", "推广政府采购贷业务"),
        ("区发改委", "reports_first_time_rate", "推广政府采购贷业务"),
        ("区税务局", "measures_overdue", "推行出口退税无纸化"),
        ("区税务局", "measures_overdue", "优化税费申报流程"),
    ])
    assert [p["unit"] for p in data["problems"]] == ["区市场监管局"] * 2 + ["南站街道"] + ["区发改委"] * 2 + ["区税务局"] * 2

    document = docx.Document(io.BytesIO(to_docx(circular)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "西营商办〔2023〕18号" in text
    assert "（2023年7月1日至2023年9月30日）" in text
    assert ("本季度到期工作举措10项，按时完成5项，逾期完成2项，逾期未完成3项，按时完成率50.0%。"
            "应报送进展报告9份，受理投诉5件，其中督办件1件。") in text
    assert "区市场监管局、南站街道等单位按时完成率较高，工作成效明显，予以通报表扬。" in text
    assert "区税务局等单位按时完成率较低，请加快工作进度。" in text
    assert "（一）逾期未完成事项3项" in text and "（二）逾期完成事项2项" in text
    assert "（三）被退回修改的进展报告2份" in text
    assert "2023年10月20日" in text and "None" not in text
    body, annex = ([[c.text for c in row.cells] for row in t.rows] for t in document.tables)
    assert body[1:] == [["1", "区市场监管局", "3", "2", "1", "0", "66.7%"],
                        ["2", "南站街道", "2", "1", "1", "0", "50.0%"],
                        ["3", "区发改委", "2", "1", "0", "1", "50.0%"],
                        ["4", "区税务局", "3", "1", "0", "2", "33.3%"]]
    # The annex has every column, in the providers' order (measures, complaints and reviews, indicators, reports).
    assert annex[0][:2] == ["排名", "单位"] and len(annex[0]) == 2 + len(KEYS)
    assert annex[0][6] == "按时完成率（%）"
    assert annex[3] == ["3", "区发改委", "2", "1", "0", "1", "50.0", "0", "—", "—", "0", "—", "—", "40.0",
                        "1", "0.0", "0.0"]


# The year as of 20 Oct (the assessment).
# Measures: a deadline in 2023, counted once due by 20 Oct or done.
#   区市场监管局: S1 ✓, S2 ✓, S3 late; S4 (30 Nov) neither due nor done → 2 of 3 = 66.7, 0 overdue
#   区税务局: T1 ✓, T2 overdue, T3 late (9 Oct) → 1 of 3 = 33.3, 1 overdue
#   区发改委: N1 ✓, N2 overdue → 1 of 2 = 50.0, 1 overdue
#   南站街道: J1 ✓, J2 late, action item done 8 Oct, its deadline → 2 of 3 = 66.7
# Reports: rounds 1 and 3.
#   区市场监管局: S2 ✓ S3 ✓ S4 ✗ | S4 ✓ → 3/4 = 75.0; first reviews S2 ✓ S3 ✗ S4 ✓ → 2/3 = 66.7
#   区税务局: T1 ✗ T2 ✗ T3 ✓ | T2 ✗ T3 ✓ → 2/5 = 40.0; T1 ✓ T3 ✓ T3 ✓ → 3/3 = 100.0
#   区发改委: N2 ✗ | N2 ✗ → 0/2 = 0.0; N2 returned → 0/1 = 0.0
#   南站街道: J1 ✓ J2 ✓ | A1 ✓ → 3/3 = 100.0; J1 ✓ A1 ✓ → 2/2 = 100.0
# Complaints: 区市场监管局 C1 ✓ C2 ✗ C3 ✓ → 2/3 = 66.7, satisfied C1, C3 → 2/3 = 66.7;
#   区税务局 as in Q3: 50.0, 100.0, 1 supervised.
# Rectification on time: 区市场监管局 V2 ✓ V3 ✗ V9 ✓ → 2/3 = 66.7; 区税务局 V7 ✓ → 100.0.
#
# Score = Σ rate × weight × (100 ÷ Σ weights the unit has) ÷ 100, each part rounded to 0.01;
# weights: on time 40, reports on time 10, first time 10, indicators 15, complaints on time 10,
# satisfaction 5, rectification 10; −1 per overdue measure, −0.5 per supervised complaint; + bonus.
#   区市场监管局 (all weights, scale 1): 66.7×.4 = 26.68, 75×.1 = 7.50, 66.7×.1 = 6.67, 80×.15 = 12.00,
#     66.7×.1 = 6.67, 66.7×.05 = 3.335 → 3.34, 66.7×.1 = 6.67 → 69.53
#   区税务局 (scale 1): 33.3×.4 = 13.32, 40×.1 = 4.00, 100×.1 = 10.00, 90×.15 = 13.50, 50×.1 = 5.00,
#     100×.05 = 5.00, 100×.1 = 10.00 → 60.82; −1.00 (T2) −0.50 (C4) → 59.32
#   区发改委 (on time, reports, first time, indicators: 75 points → scale 100/75): 50×40/75 = 26.666… → 26.67,
#     0.00, 0.00, 40×15/75 = 8.00 → 34.67; −1.00 (N2) → 33.67
#   南站街道 (on time, reports, first time: 60 points → scale 100/60): 66.7×40/60 = 44.466… → 44.47,
#     100×10/60 = 16.666… → 16.67, 16.67 → 77.81; +3.00 bonus → 80.81
YEAR = {
    "南站街道": ("80.81", 1, {"on_time_rate": "44.47", "reports_on_time_rate": "16.67",
                             "reports_first_time_rate": "16.67", "bonus": "3.00"}),
    "区市场监管局": ("69.53", 2, {"on_time_rate": "26.68", "reports_on_time_rate": "7.50",
                              "reports_first_time_rate": "6.67", "kpi_attainment_rate": "12.00",
                              "complaints_on_time_rate": "6.67", "satisfaction_rate": "3.34",
                              "rectification_on_time_rate": "6.67"}),
    "区税务局": ("59.32", 3, {"on_time_rate": "13.32", "reports_on_time_rate": "4.00",
                           "reports_first_time_rate": "10.00", "kpi_attainment_rate": "13.50",
                           "complaints_on_time_rate": "5.00", "satisfaction_rate": "5.00",
                           "rectification_on_time_rate": "10.00", "measures_overdue": "-1.00",
                           "escalations": "-0.50"}),
    "区发改委": ("33.67", 4, {"on_time_rate": "26.67", "reports_on_time_rate": "0.00",
                           "reports_first_time_rate": "0.00", "kpi_attainment_rate": "8.00",
                           "measures_overdue": "-1.00"}),
}


def test_the_assessment(quarter):
    result = assessment.compute(quarter, today=D(2023, 10, 20))
    assert result["as_of"] == "2023-10-20"
    assert [r["unit"] for r in result["rows"]] == list(YEAR)
    rows = {r["unit"]: r for r in result["rows"]}
    for unit, (score, rank, parts) in YEAR.items():
        row = rows[unit]
        assert (row["score"], row["rank"]) == (score, rank), unit
        assert {p["key"]: p["points"] for p in row["parts"]} == parts, unit
        # The parts add up to the score.
        assert sum(Decimal(p) for p in parts.values()) == Decimal(score)
    values = {unit: {p["key"]: p["value"] for p in rows[unit]["parts"]} for unit in YEAR}
    assert values["区市场监管局"] == {"on_time_rate": 66.7, "reports_on_time_rate": 75.0, "reports_first_time_rate": 66.7,
                                   "kpi_attainment_rate": 80.0, "complaints_on_time_rate": 66.7,
                                   "satisfaction_rate": 66.7, "rectification_on_time_rate": 66.7}
    assert values["区税务局"] == {"on_time_rate": 33.3, "reports_on_time_rate": 40.0, "reports_first_time_rate": 100.0,
                               "kpi_attainment_rate": 90.0, "complaints_on_time_rate": 50.0, "satisfaction_rate": 100.0,
                               "rectification_on_time_rate": 100.0, "measures_overdue": 1, "escalations": 1}
    assert values["区发改委"] == {"on_time_rate": 50.0, "reports_on_time_rate": 0.0, "reports_first_time_rate": 0.0,
                               "kpi_attainment_rate": 40.0, "measures_overdue": 1}
    assert values["南站街道"] == {"on_time_rate": 66.7, "reports_on_time_rate": 100.0, "reports_first_time_rate": 100.0,
                               "bonus": "3.00"}
    bonus = next(p for p in rows["南站街道"]["parts"] if p["key"] == "bonus")
    assert bonus["reasons"] == ["政务服务驿站获省级推广（江西省发改委，3.00分）"]

    # The drill-down: each number back to its items (the last word of each label is the measure's text).
    def items(unit):
        return {key: sorted(label.split()[-1] for label, url in found) for key, found in rows[unit]["items"].items()}

    assert items("区市场监管局") == {"measures_late": ["优化涉企经营许可办理"],
                                  "reports_on_time_rate": ["探索实施一业一证改革"],
                                  "reports_first_time_rate": ["优化涉企经营许可办理"]}
    assert items("区税务局") == {"measures_late": ["优化税费申报流程"], "measures_overdue": ["推行出口退税无纸化"],
                              "reports_on_time_rate": sorted(["压缩全年纳税时间", "推行出口退税无纸化",
                                                              "推行出口退税无纸化"]),
                              "escalations": ["开办企业投诉"]}  # the supervised complaint behind the deduction
    assert items("区发改委") == {"measures_overdue": ["推广政府采购贷业务"],
                              "reports_on_time_rate": ["推广政府采购贷业务", "推广政府采购贷业务"],
                              "reports_first_time_rate": ["推广政府采购贷业务"]}
    assert items("南站街道") == {"measures_late": ["开展惠企政策宣讲"]}
