"""The site shell (base.html) rendered once per variant, a page's own parts spliced in.

A page that extends base.html pays Django's `{% extends %}`/block machinery, the shell's
variables and tags and the four context processors on every request (~0.4-0.5 ms of CPU
on the search page, a twentieth of a never-seen search). What the shell shows depends on
few things: the site settings, the registered nav and footer links, the 关怀版 cookie,
the request's path, the language, the urlconf and script prefix. ``ShellPage`` renders
a page's *probe* template (the page's own template with its varying blocks replaced by
markers) once per such variant, cuts it at the markers and afterwards only joins strings:
the output is byte for byte what rendering the page's template would give.

Not used (the caller renders the template as before) when the request has flash messages
to show (base.html lists them): a shell with messages is never kept. Forgotten when any
setting changes (tests), and bounded in size.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.loader import get_template
from django.urls import get_script_prefix, get_urlconf
from django.utils.translation import get_language

from gongkai.core import registry

# Markers no rendering can produce from a page's data: NUL is cut from every query and
# text parameter (core/params.clean_text), and escaping leaves it as it is.
_MARK = "\x00gongkai-shell-{}\x00"

_pages: list[ShellPage] = []


class ShellPage:
    """A page whose template extends base.html, rendered as the shell's fixed parts with
    the page's ``slots`` (template variables the probe template prints where the page's
    varying parts go) between them.

    ``probe``: a template extending the page's template, overriding each varying block
    with ``{{ <slot> }}``; ``search_query`` (the header's search box) may be a slot too.
    """

    def __init__(self, probe: str, slots: tuple[str, ...]):
        self.probe = probe
        self.slots = slots
        self._parts: dict[tuple, tuple[str, ...] | None] = {}
        _pages.append(self)

    def _variant(self, request) -> tuple:
        return (request.COOKIES.get("elder") == "1", request.path, get_language(),
                tuple(registry.public_nav()), tuple(registry.footer_links()),
                tuple(settings.GONGKAI_SITE.items()), get_urlconf(), get_script_prefix())

    def parts(self, request) -> tuple[str, ...] | None:
        """The shell's fixed strings around the slots, in the order the slots appear, or
        None when this request must be rendered whole (flash messages)."""
        if len(get_messages(request)):
            return None
        key = self._variant(request)
        try:
            return self._parts[key]
        except KeyError:
            pass
        marks = {slot: _MARK.format(slot) for slot in self.slots}
        html = get_template(self.probe).render(marks, request)
        found = sorted((html.find(m), slot) for slot, m in marks.items())
        parts: tuple[str, ...] | None = None
        if all(at >= 0 and html.count(marks[slot]) == 1 for at, slot in found):
            out, pos = [], 0
            for at, slot in found:
                out.append(html[pos:at])
                pos = at + len(marks[slot])
            out.append(html[pos:])
            parts = (*(slot for _, slot in found), *out)
        if len(self._parts) >= 64:
            self._parts.clear()
        self._parts[key] = parts
        return parts

    def render(self, request, fill: Callable[[str], str]) -> str | None:
        """The whole page, ``fill(slot)`` giving each slot's HTML; None: render the page's
        template instead."""
        parts = self.parts(request)
        if parts is None:
            return None
        n = len(self.slots)
        slots, fixed = parts[:n], parts[n:]
        out = [fixed[0]]
        for slot, after in zip(slots, fixed[1:], strict=True):
            out += (fill(slot), after)
        return "".join(out)


@receiver(setting_changed)
def _forget(**kwargs) -> None:
    for page in _pages:
        page._parts.clear()
