"""Template helpers for the hotline pages: lights, rates, permissions."""

from django import template
from django.utils.translation import gettext_lazy as _

from duban.accounts.permissions import can

register = template.Library()

LIGHTS = {
    "red": ("■", _("overdue")),
    "yellow": ("▲", _("due soon")),
    "green": ("●", _("on track")),
}


@register.inclusion_tag("hotline/_light.html")
def light(value):
    """A traffic light with a shape as well as a colour (for colour-blind readers and print)."""
    symbol, label = LIGHTS.get(value, ("", ""))
    return {"light": value, "symbol": symbol, "label": label}


@register.filter
def pct(value):
    """A rate (0..1) as a percentage with one decimal, or — when there is nothing to count."""
    if value is None:
        return "—"
    return f"{value * 100:.1f}%"


@register.simple_tag
def allowed(user, action, obj=None):
    return can(user, action, obj)

