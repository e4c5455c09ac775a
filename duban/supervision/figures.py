"""What each figure of supervision counts (口径), and as of when: one definition per figure.

The office matrix, the unit ledger, the dashboard, the circular (.docx/.xlsx/.pdf), the assessment, the
leader's page and the API show the same figures; each is computed by one function (statistics.py for
measures, progress_sources.py for reports, hotline_sources.py / duban.hotline.stats for complaints and
reviews, kpi_sources.py for indicators) and described here, in the words the circular's 口径说明 prints.
`{as_of}` stands for the day the figures stand on (2023年9月30日), `{start}`–`{end}` for the period.

A district total counts each thing once: a measure or report led by two units is in both units' rows
but once in the total (the matrix's 合计 and the circular's 总体情况 agree).

Another app that brings figures (visits' problems found on company visits, counted beside complaints) registers
a provider with statistics.provider — its Column's `total` the district's figure —, defines each of its figures
here with define() (from its AppConfig.ready()), and adds what the circular's 总体情况 should count to
circulars.COUNTED; the dashboard, the circular's 口径说明 and the assessment then show it like the others.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class Definition:
    key: str
    label: str
    counts: str  # 口径, with {start}, {end} and {as_of} to fill in
    unit: str = ""  # 项, 份, 件 or %

    def text(self, start: datetime.date, end: datetime.date, as_of: datetime.date) -> str:
        """「应报送进展报告：截至2023年9月30日……」 — the label, then what it counts as of when."""
        return f"{self.label}：{self.counts.format(start=_date(start), end=_date(end), as_of=_date(as_of))}"


def _date(day):
    return f"{day.year}年{day.month}月{day.day}日"


DEFINITIONS: dict[str, Definition] = {}


def define(key, label, counts, unit=""):
    DEFINITIONS[key] = Definition(key, label, counts, unit)
    return DEFINITIONS[key]


def definition(key) -> Definition | None:
    return DEFINITIONS.get(key)


def explain(keys, start, end, as_of):
    """[(label, 口径 text)] for the figures `keys` (those with a definition), in that order."""
    return [(DEFINITIONS[k].label, DEFINITIONS[k].text(start, end, as_of)) for k in keys if k in DEFINITIONS]


# Measures (statistics.measure_columns).
define("measures_due", "到期举措",
       "截止日期在{start}至{end}之间、截至{as_of}已到期的工作举措，加上截止日期未到但截至{as_of}已完成的；"
       "两家牵头的举措在两家单位各计1项，合计中只计1项", "项")
define("measures_on_time", "按时完成", "到期举措中，截至{as_of}已完成且完成日期不晚于截止日期的", "项")
define("measures_late", "逾期完成", "到期举措中，截至{as_of}已完成、但完成日期晚于截止日期的", "项")
define("measures_overdue", "逾期未完成", "到期举措中，截至{as_of}已过截止日期仍未完成的", "项")
define("on_time_rate", "按时完成率", "按时完成 ÷ 到期举措 × 100%，保留一位小数；无到期举措的单位不排名", "%")

# Progress reports (progress_sources.report_columns).
define("reports_due", "应报送进展报告",
       "报送截止日在{start}至{end}之间、截至{as_of}已到期的轮次中应报送的进展报告（截止当日尚未报送的不计）；"
       "与报送矩阵中这些轮次的合计份数相同；两家牵头的举措的报告在两家单位各计1份，合计中只计1份", "份")
define("reports_on_time_rate", "按时报送率",
       "应报送进展报告中，首次报送日期不晚于轮次截止日的份数 ÷ 应报送进展报告 × 100%", "%")
define("reports_first_time_rate", "一次通过率",
       "截至{as_of}已审核首次报送的报告中，首次即被采纳的份数 ÷ 已审核份数 × 100%", "%")

# Indicators (kpi_sources.attainment_column).
define("kpi_attainment_rate", "指标完成率",
       "单位负责的各项指标，按截至{as_of}已填报的数值计算的完成率的平均值（保留一位小数）", "%")

# Complaints and reviews (hotline_sources.complaint_columns, counted by duban.hotline.stats).
define("complaints", "受理投诉",
       "{start}至{as_of}受理的投诉，按现牵头单位计；尚未派单的投诉计入合计，不计入任何单位", "件")
define("complaints_on_time_rate", "投诉按时办结率",
       "已答复或答复时限截至{as_of}已过的投诉中，在答复时限（含批准的延期）内首次答复的比例", "%")
define("satisfaction_rate", "投诉满意率", "截至{as_of}已回访的投诉中，最近一次回访满意的比例", "%")
define("escalations", "督办件",
       "受理的投诉中，截至{as_of}因联系或答复超过时限满1个工作日仍未办理而转为督办件的；"
       "与“逾期”口径不同：仅联系超时的计入督办件、不计入逾期，答复逾期不满1个工作日即答复的计入逾期、不计入督办件",
       "件")
define("positive_review_rate", "好评率",
       "{start}至{as_of}收到的服务评价（不含申诉成立撤销的）中，“基本满意”及以上的比例", "%")
define("rectification_on_time_rate", "差评按时整改率",
       "差评中，截至{as_of}已整改或整改时限已过的，在1个工作日时限内报送整改并被采纳的比例", "%")
