"""What the public sees: built from published choices only, never from internal fields.

Every field here is chosen deliberately: no person's name, no phone number,
no review comment, no report text — the status, the percent and the light.
"""

from __future__ import annotations

from django.db.models import OuterRef, Q, Subquery

from duban.calendar.lights import Light, annotate_measure_lights
from duban.core import clock
from duban.plans.models import Measure
from duban.progress.models import ProgressReport

PUBLIC_SECTIONS = []  # functions (publication, today) → {"key", "title", ...}; kpi and hotline add theirs


def section(func):
    PUBLIC_SECTIONS.append(func)
    return func


def published_areas(publication):
    chosen = list(publication.areas.all())
    return chosen or list(publication.plan.areas.all())


def measure_rows(publication, today=None):
    today = today or clock.today()
    accepted = ProgressReport.objects.filter(measure=OuterRef("pk"), status=ProgressReport.Status.ACCEPTED).order_by(
        "-round__opened_on", "-pk")
    # A dispatch meeting's action items (调度-N) only when the office marked them public.
    closed_doors = Q(source=Measure.ACTION_ITEM_SOURCE) & ~Q(action_item__public=True)
    measures = (annotate_measure_lights(publication.plan.measures.filter(area__in=published_areas(publication))
                                        .exclude(closed_doors), today)
                .annotate(public_progress=Subquery(accepted.values("progress")[:1]),
                          public_percent=Subquery(accepted.values("percent")[:1]))
                .select_related("area").prefetch_related("lead_links__unit").order_by("area__position", "position"))
    progress_labels = dict(ProgressReport.Progress.choices)
    rows = []
    for m in measures:
        rows.append({
            "area": m.area.name, "label": m.label, "text": m.text,
            "lead_units": [link.unit.name for link in m.lead_links.all()],
            "deadline": m.deadline.isoformat() if m.deadline else None,
            "completed_on": m.completed_on.isoformat() if m.completed_on else None,
            "light": m.light,
            "light_label": str(Light(m.light).label),
            "status": str(progress_labels.get(m.public_progress, "")) if m.public_progress else "",
            "percent": 100 if m.completed_on else (m.public_percent or 0),
        })
    return rows


def open_data(publication, today=None):
    """The same content as the page, for the CSV/JSON export."""
    today = today or clock.today()
    plan = publication.plan
    data = {"plan": {"title": plan.title, "document_number": plan.document_number, "year": plan.year},
            "as_of": today.isoformat(), "measures": measure_rows(publication, today) if publication.show_measures else []}
    for func in PUBLIC_SECTIONS:
        result = func(publication, today)
        if result:
            data[result["key"]] = result["data"]
    return data
