"""Template helpers for progress pages: permission questions, ledger rows."""

from django import template

from duban.accounts.permissions import can

from .. import ledger

register = template.Library()


@register.simple_tag(takes_context=True)
def may(context, action, obj=None):
    """{% may "progress.view_matrix" as allowed %}: the one permission module, asked from a template."""
    return can(context["request"].user, action, obj)


@register.simple_tag
def ledger_table_rows(rows, lead):
    """{% ledger_table_rows rows lead %}: a ledger table's <tr>s (duban.progress.ledger.LedgerRow.html)."""
    return ledger.ledger_table_rows(rows, lead)
