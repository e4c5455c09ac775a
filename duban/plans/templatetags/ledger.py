"""Small template helpers for the plan ledger's pages and the site layout."""

import datetime

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

register = template.Library()

SECTIONS = {"unit": "units", "measure": "measures"}


@register.simple_tag
def calendar_url():
    """The working-day calendar's URL, or "" while that app has no `calendar:year` page."""
    for args in ([], [datetime.date.today().year]):
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


@register.filter
def note_value(value):
    """A notes entry as text: lists joined with 、, mappings as key: value."""
    if isinstance(value, (list, tuple)):
        return "、".join(str(v) for v in value)
    if isinstance(value, dict):
        return "；".join(f"{k}: {v}" for k, v in value.items())
    return value
