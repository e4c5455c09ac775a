"""The annual assessment (考核): a score and rank per unit, each point traceable to its items.

score = Σ weight × rate / 100 over the rates the unit has (a unit with no
complaints is not marked down for them: the weights it has are scaled up to
100), − deductions (overdue measures, escalated complaints), + bonuses
(capped). Once frozen, the stored result is what everyone sees, whatever
later changes to past data.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from duban.core import clock

from .models import AssessmentScheme
from .statistics import Period, unit_table

TWO = Decimal("0.01")


def scheme_for(plan):
    return AssessmentScheme.objects.get_or_create(plan=plan)[0]


def _d(value):
    return Decimal(str(value)).quantize(TWO, rounding=ROUND_HALF_UP)


def compute(plan, today=None):
    """{'as_of', 'columns', 'rows': [{unit, unit_id, score, rank, parts: [...], items: {...}}]} for the plan year."""
    scheme = scheme_for(plan)
    period = Period.year(plan.year, today or clock.today())
    columns, rows = unit_table(plan, period)
    labels = {c.key: c.label for c in columns}
    bonuses = {}
    for bonus in scheme.bonuses.all():
        bonuses.setdefault(bonus.unit_id, []).append(bonus)
    result = []
    for row in rows:
        parts, available = [], {k: w for k, w in scheme.weights.items() if row.values.get(k) is not None}
        scale = Decimal(100) / Decimal(sum(available.values())) if available else Decimal(0)
        score = Decimal(0)
        for key, weight in available.items():
            points = _d(Decimal(str(row.values[key])) * Decimal(weight) * scale / 100)
            score += points
            parts.append({"key": key, "label": labels.get(key, key), "kind": "rate", "value": row.values[key],
                          "weight": weight, "points": str(points)})
        for key, per in (("measures_overdue", scheme.deduction_per_overdue),
                         ("escalations", scheme.deduction_per_escalation)):
            count = row.values.get(key) or 0
            if count:
                points = _d(-Decimal(count) * per)
                score += points
                parts.append({"key": key, "label": labels.get(key, key), "kind": "deduction", "value": count,
                              "weight": str(per), "points": str(points)})
        unit_bonus = sum((b.points for b in bonuses.get(row.unit.pk, [])), Decimal(0))
        if unit_bonus:
            capped = min(unit_bonus, scheme.max_bonus)
            score += capped
            parts.append({"key": "bonus", "label": "创新加分", "kind": "bonus", "value": str(unit_bonus),
                          "weight": str(scheme.max_bonus), "points": str(_d(capped)),
                          "reasons": [f"{b.reason}（{b.recognised_by}，{b.points}分）" for b in bonuses[row.unit.pk]]})
        result.append({"unit": row.unit.name, "unit_id": row.unit.pk, "score": str(_d(score)), "parts": parts,
                       "items": {k: v for k, v in row.items.items() if v}, "has_work": bool(available)})
    scored = sorted((r for r in result if r["has_work"]), key=lambda r: (-Decimal(r["score"]), r["unit"]))
    for rank, row in enumerate(scored, start=1):
        row["rank"] = rank
    result.sort(key=lambda r: (r.get("rank") is None, r.get("rank") or 0, r["unit"]))
    return {"as_of": period.as_of.isoformat(), "year": plan.year, "rows": result}


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
