"""Template filters over langso.core.formats: {% load formats %} then
{{ price|money }}, {{ share|pct }}, {{ amount|num }}, {{ amount|num:2 }}, {{ when|day }}."""

from django import template

from langso.core import formats

register = template.Library()


@register.filter
def money(value):
    return formats.money(value)


@register.filter
def num(value, places=None):
    return formats.number(value, None if places in (None, "") else int(places))


@register.filter
def pct(value, places=1):
    return formats.percent(value, int(places))


@register.filter
def day(value):
    return formats.day(value)
