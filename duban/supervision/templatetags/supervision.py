from django import template

register = template.Library()


def _format(value, fmt):
    return "—" if value is None else fmt.format(value)


@register.simple_tag
def column_value(row, column):
    return _format(row.values.get(column.key), column.fmt)


@register.simple_tag
def total_value(totals, column):
    return _format(totals.get(column.key), column.fmt) if column.key in totals else ""


@register.filter
def get_item(mapping, key):
    return mapping.get(key)
