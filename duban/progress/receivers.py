"""Keep the office matrix's tallies current when other apps regroup reports (duban.progress.services).

The plans app knows nothing of progress reports: it changes a measure's lead units (the admin's inline,
merge_units, lead_units.add/remove) or its area, or deletes it, and these receivers recount the tallies
concerned. The calendar moves round due dates (duban.calendar.deadlines.moved), which decides on time
against late.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver

from duban.calendar import deadlines
from duban.plans.models import Measure, MeasureLeadUnit

from . import services
from .models import ReportingRound


def regroup(measure_ids, unit_ids, areas=(), create=True):
    """Recount the tallies of these units (None: all) in the areas and plans of these measures."""
    plans = {}
    for plan_id, area_id in Measure.objects.filter(pk__in=measure_ids).values_list("plan_id", "area_id").distinct():
        plans.setdefault(plan_id, set(areas)).add(area_id)
    for plan_id, plan_areas in plans.items():
        services.measure_regrouped(plan_id, units=unit_ids, areas=plan_areas, create=create)


def stored_id(sender, instance, field, raw, update_fields):
    """The foreign key `field` as stored before this save; None for a new row or a save that leaves it be."""
    if raw or instance._state.adding or (update_fields is not None and not {field, f"{field}_id"} & set(update_fields)):
        return None
    return sender.objects.filter(pk=instance.pk).values_list(f"{field}_id", flat=True).first()


@receiver(pre_save, sender=MeasureLeadUnit, dispatch_uid="progress-tally-lead-unit-before")
def remember_lead_unit(sender, instance, raw=False, update_fields=None, **kwargs):
    instance._tally_unit_before = stored_id(sender, instance, "unit", raw, update_fields)


@receiver(post_save, sender=MeasureLeadUnit, dispatch_uid="progress-tally-lead-unit-saved")
def lead_unit_saved(sender, instance, created, raw=False, **kwargs):
    before = getattr(instance, "_tally_unit_before", None)
    if raw or not (created or before not in (None, instance.unit_id)):
        return
    regroup([instance.measure_id], {instance.unit_id, before} - {None})


@receiver(post_delete, sender=MeasureLeadUnit, dispatch_uid="progress-tally-lead-unit-deleted")
def lead_unit_deleted(sender, instance, **kwargs):
    # Perhaps part of deleting the plan: correct what is there, add nothing.
    regroup([instance.measure_id], [instance.unit_id], create=False)


@receiver(m2m_changed, sender=MeasureLeadUnit, dispatch_uid="progress-tally-lead-units-changed")
def lead_units_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """measure.lead_units.add/remove/clear() and unit.led_measures.…(): bulk writes that send no post_save."""
    if action == "pre_clear":
        # Which links go is known only before they do.
        links = sender.objects.filter(**{"unit" if reverse else "measure": instance.pk})
        instance._tally_cleared = list(links.values_list("measure_id" if reverse else "unit_id", flat=True))
        return
    if action == "post_clear":
        pk_set = set(getattr(instance, "_tally_cleared", ()))
    elif action not in ("post_add", "post_remove"):
        return
    if not pk_set:
        return
    if reverse:
        regroup(pk_set, [instance.pk])
    else:
        regroup([instance.pk], pk_set)


@receiver(pre_save, sender=Measure, dispatch_uid="progress-tally-area-before")
def remember_area(sender, instance, raw=False, update_fields=None, **kwargs):
    instance._tally_area_before = stored_id(sender, instance, "area", raw, update_fields)


@receiver(post_save, sender=Measure, dispatch_uid="progress-tally-area-saved")
def area_saved(sender, instance, raw=False, **kwargs):
    before = getattr(instance, "_tally_area_before", None)
    if raw or before in (None, instance.area_id):
        return
    units = list(instance.lead_links.values_list("unit_id", flat=True))
    services.measure_regrouped(instance.plan_id, units=units, areas=[before, instance.area_id])


@receiver(post_delete, sender=Measure, dispatch_uid="progress-tally-measure-deleted")
def measure_deleted(sender, instance, **kwargs):
    # Its reports went first (they point to it); add nothing, the plan may be going too.
    services.measure_regrouped(instance.plan_id, units=None, areas=[instance.area_id], create=False)


@receiver(deadlines.moved, sender=ReportingRound, dispatch_uid="progress-tally-due-moved")
def due_dates_moved(sender, rows, **kwargs):
    """A new holiday notice moved rounds' due dates: which reports came in on time may have changed."""
    services.refresh_tallies([round_.pk for round_ in rows])
