from django import template

register = template.Library()


@register.filter
def get_light(counts, light):
    return counts.get(light, 0)
