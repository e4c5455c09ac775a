"""The data behind each chart, as plain JSON for duban/kpi/static/kpi/charts.js (ECharts).

Every chart on a page is drawn from one of these dicts (via json_script) and the
same numbers are printed in a table beside it, for screen readers and paper.
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from . import display
from .attainment import Attainment
from .models import Direction
from .periods import parse_period, period_containing


def _float(value):
    return None if value is None else float(value)


def year_periods(metric, values):
    """Every period of the plan's year for the metric's frequency, plus any other reported period, in order."""
    first = period_containing(metric.start_date, metric.frequency)
    periods, period = [], first
    while period.year == metric.plan.year:
        periods.append(period.label)
        period = period.next()
    extra = [v.period for v in values if v.period not in periods]
    if extra:
        known = {p: parse_period(p, metric.frequency) for p in periods + extra}
        periods = sorted(known, key=lambda label: known[label].end)
    return periods


def line(metric, values):
    """Reported values per period against the target line (and the baseline, when there is one)."""
    periods = year_periods(metric, values)
    by_period = {v.period: _float(v.value) for v in values}
    level = metric.target_level
    unit = metric.unit
    return {
        "type": "line",
        "title": metric.name,
        "unit": unit,
        "periods": periods,
        "values": [by_period.get(p) for p in periods],
        "target": _float(level),
        "targetLabel": _("Target %(target)s") % {
            "target": display.target_phrase(
                Direction.AT_MOST if metric.direction == Direction.REDUCE_BY else metric.direction, level, unit)},
        "baseline": _float(metric.baseline),
        "baselineLabel": _("Baseline %(value)s") % {"value": display.quantity(metric.baseline, unit)}
        if metric.baseline is not None else "",
        "seriesLabel": _("Reported value"),
        "lowerIsBetter": metric.direction in (Direction.AT_MOST, Direction.REDUCE_BY),
    }


def _bars(rows, label):
    return {"type": "bar", "label": label, "items": rows}


def ranking(rollups):
    """The indicators ranked by attainment rate, best first."""
    rows = [{
        "name": f"{r.area.number}. {r.area.name}" if r.area.number else r.area.name,
        "value": _float(r.rate),
        "status": _worst(r),
        "url": reverse("kpi:area_detail", args=[r.area.pk]),
    } for r in rollups]
    return _bars(rows, _("Attainment rate (%)"))


def metric_bars(assessments):
    rows = [{"name": a.metric.name, "value": _float(a.rate), "status": a.status,
             "url": a.metric.get_absolute_url()} for a in assessments]
    return _bars(rows, _("Attainment rate (%)"))


def gauge(rollup):
    return {"type": "gauge", "value": _float(rollup.rate), "label": _("Attainment rate"),
            "empty": _("No data")}


def _worst(rollup):
    """The colour of an area's bar: its worst status among metrics with data."""
    counts = rollup.counts
    for status in (Attainment.MISSED, Attainment.AT_RISK, Attainment.ON_TRACK, Attainment.MET):
        if counts[status]:
            return status
    return Attainment.NO_DATA
