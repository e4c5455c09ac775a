"""The annual assessment (考核): a score and rank per unit, each point traceable to its items.

score = Σ rate × weight ÷ (the sum of the weights of the rates the unit has)
— 100 when it has them all; a unit with no complaints is not marked down for
them, its other weights count for 100 — − deductions (overdue measures,
escalated complaints), + bonuses (capped). Every part's arithmetic is kept
with it and shown. Once frozen, the stored result is what everyone sees, whatever
later changes to past data.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from duban.core import clock

from .models import AssessmentScheme, ordered_weights
from .statistics import Period, unit_table

TWO = Decimal("0.01")


def scheme_for(plan):
    return AssessmentScheme.objects.get_or_create(plan=plan)[0]


def _d(value):
    return Decimal(str(value)).quantize(TWO, rounding=ROUND_HALF_UP)


def _n(value):
    """A number as the page writes it: 40, 8.3, 2.5 (no trailing zeros)."""
    text = format(Decimal(str(value)).normalize(), "f")
    return text


def compute(plan, today=None):
    """{'as_of', 'columns', 'rows': [{unit, unit_id, score, rank, parts: [...], items: {...}, arithmetic}]} for the
    plan year.

    Each part carries its arithmetic as written on the page, so that a calculator gives the same points:
    a rate part is `rate × weight ÷ weights the unit has` (the scheme's weights add up to 100; a unit that
    has no figure for a rate is scored on the others, so its weights are divided by their own sum instead of
    by 100 — that is the rescaling, written out); a deduction is `count × points`; a bonus is the sum of
    the unit's bonuses, capped. The score is their sum, each part rounded to 0.01 first.
    """
    scheme = scheme_for(plan)
    period = Period.year(plan.year, today or clock.today())
    columns, rows = unit_table(plan, period)
    labels = {c.key: c.label for c in columns}
    bonuses = {}
    for bonus in scheme.bonuses.all():
        bonuses.setdefault(bonus.unit_id, []).append(bonus)
    result = []
    for row in rows:
        weights = ordered_weights(scheme.weights)
        parts, available = [], {k: w for k, w in weights if row.values.get(k) is not None}
        missing = [labels.get(k, k) for k, w in weights if k not in available and w]
        divisor = Decimal(str(sum(available.values()))) if available else Decimal(0)
        score = Decimal(0)
        for key, weight in available.items():
            value = Decimal(str(row.values[key]))
            points = _d(value * Decimal(str(weight)) / divisor)
            score += points
            parts.append({"key": key, "label": labels.get(key, key), "kind": "rate", "value": row.values[key],
                          "weight": weight, "points": str(points),
                          "arithmetic": f"{_n(value)} × {_n(weight)} ÷ {_n(divisor)} = {points}"})
        for key, per in (("measures_overdue", scheme.deduction_per_overdue),
                         ("escalations", scheme.deduction_per_escalation)):
            count = row.values.get(key) or 0
            if count:
                points = _d(-Decimal(count) * per)
                score += points
                parts.append({"key": key, "label": labels.get(key, key), "kind": "deduction", "value": count,
                              "weight": str(per), "points": str(points),
                              "arithmetic": f"−{count} × {_n(per)} = −{-points}"})
        unit_bonus = sum((b.points for b in bonuses.get(row.unit.pk, [])), Decimal(0))
        if unit_bonus:
            capped = _d(min(unit_bonus, scheme.max_bonus))
            score += capped
            sums = " + ".join(_n(b.points) for b in bonuses[row.unit.pk])
            cap = f"，超过上限{_n(scheme.max_bonus)}分，按{_n(scheme.max_bonus)}分计" if unit_bonus > scheme.max_bonus \
                else ""
            parts.append({"key": "bonus", "label": "创新加分", "kind": "bonus", "value": str(unit_bonus),
                          "weight": str(scheme.max_bonus), "points": str(capped),
                          "arithmetic": f"{sums} = {_n(unit_bonus)}{cap}",
                          "reasons": [f"{b.reason}（{b.recognised_by}，{b.points}分）" for b in bonuses[row.unit.pk]]})
        score = _d(score)
        rescaled = (f"本单位无{'、'.join(missing)}，其余各项权重合计{_n(divisor)}，"
                    f"每项按“比率 × 权重 ÷ {_n(divisor)}”折算到100分" if missing and available else
                    "各项权重合计100，每项按“比率 × 权重 ÷ 100”计分" if available else "")
        if rescaled:
            rescaled += "；每项得分四舍五入保留两位小数后相加"
        arithmetic = " ".join(
            [parts[0]["points"]] + [f"{'−' if p['points'].startswith('-') else '+'} {p['points'].lstrip('-')}"
                                    for p in parts[1:]]) + f" = {score}" if parts else ""
        result.append({"unit": row.unit.name, "unit_id": row.unit.pk, "score": str(score), "parts": parts,
                       "items": {k: v for k, v in row.items.items() if v},
                       "item_labels": {k: ITEM_LABELS.get(k, labels.get(k, k)) for k, v in row.items.items() if v},
                       "rescaled": rescaled, "arithmetic": arithmetic, "has_work": bool(available)})
    scored = sorted((r for r in result if r["has_work"]), key=lambda r: (-Decimal(r["score"]), r["unit"]))
    for rank, row in enumerate(scored, start=1):
        row["rank"] = rank
    result.sort(key=lambda r: (r.get("rank") is None, r.get("rank") or 0, r["unit"]))
    return {"as_of": period.as_of.isoformat(), "year": plan.year, "rows": result}


# What the items behind a figure are, as the unit's breakdown heads them.
ITEM_LABELS = {
    "measures_overdue": "逾期未完成的举措",
    "measures_late": "逾期完成的举措",
    "reports_on_time_rate": "未按时报送的进展报告",
    "reports_first_time_rate": "首次报送被退回的进展报告",
    "escalations": "转为督办件的投诉",
    "rectification_on_time_rate": "未按时整改的差评",
}


def current(plan, today=None):
    """The frozen result if there is one, else the live computation."""
    scheme = scheme_for(plan)
    return scheme.frozen_result if scheme.frozen_at else compute(plan, today)


@transaction.atomic
def freeze(plan, user, today=None):
    scheme = AssessmentScheme.objects.select_for_update().get(pk=scheme_for(plan).pk)
    if scheme.frozen_at:
        raise ValueError("The assessment is already frozen.")
    scheme.frozen_result = compute(plan, today)
    scheme.frozen_at, scheme.frozen_by = clock.now(), user
    scheme.save(update_fields=["frozen_result", "frozen_at", "frozen_by"])
    return scheme
