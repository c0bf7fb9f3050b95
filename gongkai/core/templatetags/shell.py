"""Template tags of the shell: links that other apps registered for an object's page."""

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from gongkai.core import registry

register = template.Library()


@register.inclusion_tag("core/object_links.html")
def object_links(kind: str, obj):
    return {"links": registry.object_links(kind, obj)}


@register.inclusion_tag("core/unit_panels.html")
def unit_panels(org):
    return {"panels": registry.unit_panels(org)}


# The shell's link lists, rendered here rather than by a template loop: on every page the
# two loops cost ~0.6 ms of CPU (30 µs a link). Same markup, and kept per list, current
# link and language: format_html over the links still cost ~0.3 ms a page.
_rendered: dict[tuple, tuple[tuple, str]] = {}


def _memo(key: tuple, links: list, render) -> str:
    """``render()``, kept under ``key`` (ids of ``links``, which the entry keeps alive so
    that no other object can take their ids while it stands)."""
    found = _rendered.get(key)
    if found is not None:
        return found[1]
    html = render()
    if len(_rendered) >= 512:
        _rendered.clear()
    _rendered[key] = (tuple(links), html)
    return html


@register.simple_tag(takes_context=True)
def nav_items(context, links):
    """<li> per link of the main navigation; the current page's link has aria-current."""
    request = context.get("request")
    path = request.path if request is not None else None
    links = list(links)
    current = path if any(link.url == path for link in links) else None
    return _memo(("nav", *map(id, links), current, get_language()), links,
                 lambda: format_html_join("", '<li><a href="{}"{}>{}</a></li>', (
                     (link.url, _CURRENT if link.url == current else "", link.label)
                     for link in links)))


@register.simple_tag
def footer_items(links):
    """The footer's links separated by 「 · 」."""
    links = list(links)
    return _memo(("footer", *map(id, links), get_language()), links,
                 lambda: format_html_join(" · ", '<a href="{}">{}</a>', (
                     (link.url, link.label) for link in links)))


_CURRENT = mark_safe(' aria-current="page"')
