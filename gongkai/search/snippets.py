"""Highlighted snippets: escape the text first, then wrap the query words in <mark>."""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def _pattern(words: list[str]) -> re.Pattern | None:
    words = [w for w in words if w]
    if not words:
        return None
    # Longest first, so 放管服改革 wins over 放管服.
    alts = sorted({re.escape(w) for w in words}, key=len, reverse=True)
    return re.compile("|".join(alts), re.IGNORECASE)


def highlight(text: str, words: list[str]) -> SafeString:
    """All of ``text``, HTML-escaped, with every occurrence of ``words`` marked."""
    pat = _pattern(words)
    if pat is None:
        return mark_safe(escape(text))  # noqa: S308 - escaped just above
    out, pos = [], 0
    for m in pat.finditer(text):
        out.append(escape(text[pos:m.start()]))
        out.append(f"<mark>{escape(m.group(0))}</mark>")
        pos = m.end()
    out.append(escape(text[pos:]))
    # Adjacent words of one query read as one highlight.
    return mark_safe("".join(out).replace("</mark><mark>", ""))  # noqa: S308 - escaped


def snippet(text: str, words: list[str], width: int = 120) -> SafeString:
    """A window of about ``width`` characters around the densest match, highlighted."""
    text = " ".join((text or "").split())
    pat = _pattern(words)
    if not text:
        return mark_safe("")
    if pat is None or len(text) <= width:
        return highlight(text[:width] + ("…" if len(text) > width else ""), words)
    starts = [m.start() for m in pat.finditer(text)]
    if not starts:
        return highlight(text[:width] + "…", words)
    # The window (starting a little before a match) that covers the most matches.
    best, best_count = starts[0], 0
    j = 0
    for i, s in enumerate(starts):
        while j < len(starts) and starts[j] < s + width - 20:
            j += 1
        if j - i > best_count:
            best, best_count = s, j - i
    begin = max(0, best - 20)
    end = min(len(text), begin + width)
    piece = text[begin:end]
    return mark_safe(  # noqa: S308 - highlight() escapes
        ("…" if begin > 0 else "") + highlight(piece, words) + ("…" if end < len(text) else "")
    )
