"""Rich-text sanitizing and plain-text conversion, free of the ORM."""

from __future__ import annotations

import html
import re

import nh3

_ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "s", "sub", "sup", "h2", "h3", "h4", "h5", "h6",
    "ul", "ol", "li", "blockquote", "pre", "code", "table", "caption", "thead", "tbody", "tr",
    "th", "td", "a", "img", "hr", "span", "div", "dl", "dt", "dd", "figure", "figcaption",
}
_ALLOWED_ATTRS = {
    "a": {"href", "title"}, "img": {"src", "alt", "width", "height"},
    "th": {"colspan", "rowspan", "scope"}, "td": {"colspan", "rowspan"},
}
_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(\s[^<>\n]*)?/?>")
_BLOCK_END = re.compile(r"</(p|div|li|h[1-6]|tr|blockquote|pre|dt|dd|table)>|<br\s*/?>", re.I)


def sanitize(body: str) -> str:
    """Safe HTML; plain text (no tags) becomes paragraphs so line breaks survive."""
    body = (body or "").strip()
    if body and not _TAG.search(body):
        paras = [p.strip() for p in re.split(r"\n\s*\n|\n", body) if p.strip()]
        body = "".join(f"<p>{html.escape(p)}</p>" for p in paras)
    return nh3.clean(body, tags=_ALLOWED_TAGS, attributes=_ALLOWED_ATTRS,
                     url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer")


def plain_text(body_html: str) -> str:
    marked = _BLOCK_END.sub("\n", body_html or "")
    text = html.unescape(nh3.clean(marked, tags=set()))
    return re.sub(r"\n{3,}", "\n\n", re.sub(r"[ \t\u3000]+\n", "\n", text)).strip()
