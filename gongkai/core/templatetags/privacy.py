"""{% load privacy %} {{ number|mask_tail }}: identity numbers with the last 4 visible."""

from django import template

from gongkai.core.privacy import mask_tail as _mask_tail

register = template.Library()


@register.filter
def mask_tail(value) -> str:
    return _mask_tail(str(value or ""))
