"""Text of a page that is mostly a template (the 依申请公开 guide, …), for an app that puts
such a page in the site search: the template's ``content`` block rendered and stripped of
markup. Part of the search app's public interface, with ``backends.IndexEntry``."""

from __future__ import annotations

import re

from django.template import Context
from django.template.loader import get_template
from django.template.loader_tags import BlockNode, ExtendsNode
from django.utils.html import strip_tags


def _block(nodelist, name: str):
    for node in nodelist:
        if isinstance(node, BlockNode) and node.name == name:
            return node
        if isinstance(node, ExtendsNode):
            found = node.blocks.get(name)
            if found is not None:
                return found
        for attr in getattr(node, "child_nodelists", ()):
            found = _block(getattr(node, attr, None) or [], name)
            if found is not None:
                return found
    return None


def template_text(template_name: str, context: dict | None = None, *,
                  block: str = "content") -> str:
    """The visible text of ``block`` of the template (all of it if it has no such block),
    one line per paragraph-ish run, markup and scripts dropped."""
    template = get_template(template_name).template
    node = _block(template.nodelist, block)
    ctx = Context(context or {})
    with ctx.render_context.push_state(template):
        ctx.template = template
        html = node.render(ctx) if node is not None else template.nodelist.render(ctx)
    html = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", html)
    html = re.sub(r"(?i)<(br|/p|/li|/h\d|/tr|/dd|/dt)\b[^>]*>", "\n", html)
    text = strip_tags(html)
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)
