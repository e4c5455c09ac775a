"""Periodic housekeeping of the plan ledger (run by `duban tick`)."""

import datetime

from django.core.files.storage import default_storage
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from duban.core.events import emit
from duban.core.notify import absolute
from duban.core.tick import job

from .models import Measure, Plan

SOURCE_DIR = "plans"
GRACE = datetime.timedelta(hours=1)


@job("plan-source-orphans", title=gettext_lazy("kept plan files no plan uses"))
def remove_orphan_sources(now):
    """Delete kept plan sources that no plan refers to: left by an import killed half-way."""
    try:
        _dirs, names = default_storage.listdir(SOURCE_DIR)
    except FileNotFoundError:
        return _("%(n)s removed") % {"n": 0}
    kept = set(Plan.objects.exclude(source_file="").values_list("source_file", flat=True))
    removed = 0
    for name in names:
        path = f"{SOURCE_DIR}/{name}"
        if path in kept or default_storage.get_modified_time(path) > now - GRACE:
            continue  # in use, or an import may still be running
        default_storage.delete(path)
        removed += 1
    return _("%(n)s removed") % {"n": removed}


@job("measures-overdue", title=gettext_lazy("overdue measures"))
def announce_overdue_measures(now):
    """A measure whose deadline has passed without it being done turns red: announced once (measure.overdue),
    again only if its deadline moves and passes again."""
    today = timezone.localdate(now)
    measures = (Measure.objects.filter(completed_on=None, deadline__lt=today)
                .filter(Q(overdue_announced_for=None) | ~Q(overdue_announced_for=F("deadline")))
                .select_related("plan", "area").order_by("deadline", "pk"))
    count = 0
    for measure in measures.iterator(chunk_size=500):
        emit("measure.overdue", {
            "id": measure.pk, "label": measure.label, "title": f"{measure.label} {measure.text[:60]}",
            "plan": measure.plan.title, "area": measure.area.name, "deadline": measure.deadline.isoformat(),
            "units": [unit.name for unit in measure.ordered_lead_units()], "url": absolute(measure.get_absolute_url()),
        }, measure.plan.region_id)
        Measure.objects.filter(pk=measure.pk).update(overdue_announced_for=measure.deadline)
        count += 1
    return _("%(n)s measures turned overdue") % {"n": count}
