"""Template tags of the shell: links that other apps registered for an object's page."""

from django import template

from gongkai.core import registry

register = template.Library()


@register.inclusion_tag("core/object_links.html")
def object_links(kind: str, obj):
    return {"links": registry.object_links(kind, obj)}


@register.inclusion_tag("core/unit_panels.html")
def unit_panels(org):
    return {"panels": registry.unit_panels(org)}
