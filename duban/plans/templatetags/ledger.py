"""Small template helpers for the plan ledger's pages and the site layout."""

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from duban.core import clock

register = template.Library()

SECTIONS = {"unit": "units", "measure": "measures"}


@register.simple_tag
def calendar_url():
    """The working-day calendar's URL, or "" while that app has no `calendar:year` page."""
    for args in ([], [clock.today().year]):
        try:
            return reverse("calendar:year", args=args)
        except NoReverseMatch:
            pass
    return ""


@register.simple_tag(takes_context=True)
def nav_section(context):
    """Which nav item the current page belongs to: plans, measures, units or calendar."""
    match = getattr(context.get("request"), "resolver_match", None)
    if match is None:
        return ""
    if match.namespace == "plans":
        return SECTIONS.get(match.url_name.split("_")[0], "plans")
    return match.namespace


@register.simple_tag
def source_ref(obj):
    """Where an imported object was printed: 附件1 第12行 (annex and line), as far as known."""
    annex = getattr(obj, "annex", None)
    line = obj.source_line
    if annex and line:
        return _("Annex %(annex)s, line %(line)s") % {"annex": annex, "line": line}
    if annex:
        return _("Annex %(annex)s") % {"annex": annex}
    if line:
        return _("line %(line)s") % {"line": line}
    return ""


# Notes the importers write about how they read a row, in words (other keys are extra columns).
IMPORT_NOTES = {
    "lead_units_from_row_above": gettext_lazy("Lead units taken from the row above (merged cell)"),
    "deadline_from_row_above": gettext_lazy("Deadline taken from the row above (merged cell)"),
    "deadline_missing": gettext_lazy("No deadline printed"),
    "unplaced": gettext_lazy("Cells the importer could not place"),
    "from_body_text": gettext_lazy("Drawn from the plan's body text (no annex row)"),
    "units_split": gettext_lazy("Unit names run together, split"),
    "first_listed_leads": gettext_lazy("The first unit listed leads (the plan's note)"),
    "recurring": gettext_lazy("Recurs"),
    # The office's corrections in the import's review (plans/imports.py), each as read → as corrected.
    "corrected_at_import": gettext_lazy("Corrected when the plan was imported"),
    # An action item's measure (supervision.services.record_decision): where it was decided.
    "meeting": gettext_lazy("Decided at the dispatch meeting"),
    "meeting_date": gettext_lazy("Meeting date"),
}


# How often recurring work comes back (notes["recurring"], from 每月 / 每季度 …).
RECURRENCE = {
    "weekly": gettext_lazy("weekly"),
    "monthly": gettext_lazy("monthly"),
    "quarterly": gettext_lazy("quarterly"),
    "half-yearly": gettext_lazy("half-yearly"),
    "yearly": gettext_lazy("yearly"),
}


@register.filter
def readable_notes(notes):
    """A measure's notes as [(label, text)]: import flags in words (text ""), extra columns as printed."""
    from duban.plans.importers.items import describe_corrections

    def said(key, value):
        if key == "corrected_at_import":
            return describe_corrections(value)
        return note_value(RECURRENCE.get(value, value) if key == "recurring" else value)

    return [(IMPORT_NOTES.get(key, key), "" if value is True else said(key, value)) for key, value in notes.items()]


def note_value(value):
    """A notes entry as text: lists joined with 、, mappings as key: value."""
    if isinstance(value, (list, tuple)):
        return "、".join(str(v) for v in value)
    if isinstance(value, dict):
        return "；".join(f"{k}: {note_value(v)}" for k, v in value.items())
    return value
