"""Template helpers for the KPI pages."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from .. import display
from ..models import Direction, SourceField

register = template.Library()


@register.filter
def num(value):
    return display.number(value)


@register.simple_tag
def target_of(obj):
    """The target of a metric or proposal as a phrase: ≥ 96%; for a reduction, also the level it means."""
    value = getattr(obj, "target", None)
    if value is None:
        value = obj.value
    phrase = display.target_phrase(obj.direction, value, obj.unit)
    level = getattr(obj, "target_level", None)
    if obj.direction == Direction.REDUCE_BY and getattr(obj, "baseline", None) is not None:
        phrase = _("%(phrase)s from %(baseline)s (≤ %(level)s)") % {
            "phrase": phrase, "baseline": display.quantity(obj.baseline, obj.unit),
            "level": display.quantity(level, obj.unit)}
    return phrase


@register.simple_tag
def quantity(value, unit):
    return display.quantity(value, unit)


@register.filter
def place(entry):
    """An `also_in` entry ({"field": "measure", "ref": "1-4"}) as words."""
    label = SourceField(entry["field"]).label if entry["field"] in SourceField.values else entry["field"]
    return f"{label} {entry['ref']}".strip()


@register.simple_tag
def source_of(proposal):
    field, ref = proposal.source_ref()
    return place({"field": field, "ref": ref})


EXCERPT = 40  # characters either side of the quantity


@register.simple_tag
def excerpt(proposal):
    """The source sentence around the quantity, the quantity marked: long sentences stay readable in a list."""
    sentence, quantity = proposal.text, proposal.quantity_text
    at = sentence.find(quantity)
    if at == -1:
        return sentence
    start, end = max(at - EXCERPT, 0), min(at + len(quantity) + EXCERPT, len(sentence))
    return format_html(
        "{}{}<mark>{}</mark>{}{}", "…" if start else "", sentence[start:at], quantity,
        sentence[at + len(quantity):end], "…" if end < len(sentence) else "",
    )
