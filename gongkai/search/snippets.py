"""Highlighted snippets: escape the text first, then wrap the query words in <mark>."""

from __future__ import annotations

import html
import re
from functools import lru_cache

from django.utils.safestring import SafeString, mark_safe


def escape(text) -> str:
    """django.utils.html.escape without its lazy-text wrapper (~3 µs a call)."""
    return html.escape(str(text))


def _pattern(words: list[str]) -> _Regex | _Literals | None:
    return _compiled(tuple(w for w in words if w))


# Characters without case (CJK ideographs and punctuation, digits, ASCII punctuation and
# space): under re.IGNORECASE such a character matches only itself (re compiles it as an
# exact literal), so words made of them alone are found exactly as str.find finds them.
_CASELESS = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
                       r"\uff01-\uff20 -@\[-`{-~]+")


@lru_cache(maxsize=256)  # a page's titles and snippets share one query's words
def _compiled(words: tuple[str, ...]) -> _Regex | _Literals | None:
    if not words:
        return None
    if all(_CASELESS.fullmatch(w) for w in words):
        return _Literals(words)
    # Longest first, so 放管服改革 wins over 放管服.
    alts = sorted({re.escape(w) for w in words}, key=len, reverse=True)
    return _Regex(re.compile("|".join(alts), re.IGNORECASE))


class _Regex:
    __slots__ = ("pattern",)

    def __init__(self, pattern: re.Pattern):
        self.pattern = pattern

    def spans(self, text: str) -> list[tuple[int, int]]:
        return [m.span() for m in self.pattern.finditer(text)]


class _Literals:
    """The matches the alternation of ``words`` (longest first, ignoring case) would give,
    for words without case: at the leftmost position where any is found, the longest of
    those found there; then on from its end. Without a compiled pattern: re's compiler
    spends ~0.4 ms on an alternation of Chinese words (the set of their first characters),
    once for every search, more than all its scans of the page's texts."""

    __slots__ = ("words",)

    def __init__(self, words: tuple[str, ...]):
        self.words = sorted(set(words), key=len, reverse=True)

    def spans(self, text: str) -> list[tuple[int, int]]:
        words, find = self.words, text.find
        ahead = [find(w) for w in words]  # each word's next occurrence (-1: none left)
        out: list[tuple[int, int]] = []
        pos = 0
        while True:
            best = at = -1
            for i, s in enumerate(ahead):
                if s < pos:
                    if s == -1:
                        continue
                    s = ahead[i] = find(words[i], pos)
                    if s == -1:
                        continue
                if best == -1 or s < best:  # a tie keeps the longer word (earlier)
                    best, at = s, i
            if best == -1:
                return out
            pos = best + len(words[at])
            out.append((best, pos))


# Characters html.escape changes; a text without them is its own escape.
_SPECIAL = re.compile(r"[&<>\"']")


def highlight(text: str, words: list[str]) -> SafeString:
    """All of ``text``, HTML-escaped, with every occurrence of ``words`` marked."""
    pat = _pattern(words)
    if pat is None:
        return mark_safe(escape(text))  # noqa: S308 - escaped just above
    # Nothing to escape (most titles and snippets): the pieces as they are.
    esc = escape if _SPECIAL.search(text) is not None else str
    out, pos = [], 0
    for start, end in pat.spans(text):
        out.append(esc(text[pos:start]))
        out.append(f"<mark>{esc(text[start:end])}</mark>")
        pos = end
    out.append(esc(text[pos:]))
    # Adjacent words of one query read as one highlight.
    return mark_safe("".join(out).replace("</mark><mark>", ""))  # noqa: S308 - escaped


# Table figures flattened into text (an annual report's 收到和处理政府信息公开申请情况:
# cells of 0 side by side, or runs of four or more numbers): no reader learns anything
# from 「…0000000…」 in a snippet, so such runs are left out of it.
_FIGURES = re.compile(r"\d{7,}|(?:\d+(?:\.\d+)?%?[\s|,，、]+){3,}\d+(?:\.\d+)?%?")


# Every match of _FIGURES is made of these characters only, starts with a digit and is at
# least 7 long: it lies inside a run this finds. Trying _FIGURES only there is 5x faster
# than over the whole body (it was most of a snippet's cost: 0.2 ms for 3,000 characters).
_FIGURE_RUNS = re.compile(r"\d[\d.%\s|,，、]{6,}")

_KEEP_AFTER = ("-", "电话", "手机", "热线", "传真", "号码", "：", ":")


def _drop_figures(text: str, normalised: bool = False) -> str:
    """``text`` without runs of table figures, its whitespace normalised (``normalised``:
    it is already, as by " ".join(text.split()))."""
    def repl(m: re.Match) -> str:
        run = m.group(0)
        # A long digit run right after a label (电话：, 0531-) is a number to call; after
        # a row's name (「其他0000000」) it is the row's cells side by side.
        before = m.string[max(0, m.start() - 4):m.start()].rstrip()
        if run.isdigit() and before.endswith(_KEEP_AFTER):
            return run
        return " … "

    # The same as " ".join(_FIGURES.sub(repl, text).split()): no match can cross a run's
    # ends (its characters are the run's), and m.string is the whole text for repl.
    out, pos = [], 0
    for run in _FIGURE_RUNS.finditer(text):
        for m in _FIGURES.finditer(text, run.start(), run.end()):
            out += (text[pos:m.start()], repl(m))
            pos = m.end()
    if not out:  # no figures: the text itself
        return text if normalised else " ".join(text.split())
    out.append(text[pos:])
    return " ".join("".join(out).split())


def snippet(text: str, words: list[str], width: int = 120) -> SafeString:
    """A window of about ``width`` characters around the densest match, highlighted; runs
    of table figures are left out."""
    text = _drop_figures(" ".join((text or "").split()), normalised=True)
    pat = _pattern(words)
    if not text:
        return mark_safe("")
    if pat is None or len(text) <= width:
        return highlight(text[:width] + ("…" if len(text) > width else ""), words)
    starts = [start for start, _ in pat.spans(text)]
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
