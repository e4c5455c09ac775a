"""Template helpers for progress pages: permission questions."""

from django import template

from duban.accounts.permissions import can

register = template.Library()


@register.simple_tag(takes_context=True)
def may(context, action, obj=None):
    """{% may "progress.view_matrix" as allowed %}: the one permission module, asked from a template."""
    return can(context["request"].user, action, obj)
