"""Parse what a citizen typed into words, "phrases", -exclusions and a 文号. No database here."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from gongkai.search.segmenters import Segmenter, normalize, stopwords

MAX_QUERY_CHARS = 200
MAX_TERMS = 32

# 文号: issuing-body prefix, a four-digit year in any bracket, a serial, 号.
# After normalize() the brackets are 〔〕 or ASCII parentheses.
DOCNUM_RE = re.compile(
    r"([\u4e00-\u9fffA-Za-z]{1,20}?)\s*[〔(]\s*((?:19|20)\d{2})\s*[〕)]\s*第?\s*(\d{1,6})\s*号"
)
# "phrase" in ASCII or Chinese quotes (NFKC leaves “” and 「」 alone).
_PHRASE_RE = re.compile(r'"([^"]*)"|“([^”]*)”|「([^」]*)」')
_EXCLUDE_RE = re.compile(r"(?:^|(?<=\s))-(\S+)")


def docnum_key(text: str) -> str:
    """The canonical form of a 文号 found in ``text`` (``槐政办字〔2021〕4号``), or ''."""
    m = DOCNUM_RE.search(normalize(text or ""))
    if not m:
        return ""
    prefix, year, serial = m.groups()
    return f"{prefix}〔{year}〕{int(serial)}号"


@dataclass
class ParsedQuery:
    raw: str
    terms: list[str] = field(default_factory=list)  # every positive word (stop words dropped)
    phrases: list[str] = field(default_factory=list)  # normalised phrase text, must occur
    phrase_terms: list[list[str]] = field(default_factory=list)
    excluded: list[list[str]] = field(default_factory=list)  # each: words of one -exclusion
    docnum: str = ""  # canonical 文号 if the query contains one
    highlight: list[str] = field(default_factory=list)  # strings to mark in snippets

    @property
    def is_empty(self) -> bool:
        return not self.terms and not self.docnum

    @property
    def required(self) -> list[str]:
        """Words a document must contain in AND mode (phrase words included)."""
        out: list[str] = []
        for t in self.terms:
            if t not in out:
                out.append(t)
        return out


def parse(raw: str, segmenter: Segmenter) -> ParsedQuery:
    raw = (raw or "")[:MAX_QUERY_CHARS]
    text = normalize(raw)
    q = ParsedQuery(raw=raw)
    q.docnum = docnum_key(text)

    def take_phrase(m: re.Match) -> str:
        phrase = next(g for g in m.groups() if g is not None).strip()
        words = segmenter.words(phrase)
        if words:
            q.phrases.append(phrase)
            q.phrase_terms.append(words)
        return " "
    text = _PHRASE_RE.sub(take_phrase, text)

    def take_exclusion(m: re.Match) -> str:
        words = segmenter.words(m.group(1))
        if words:
            q.excluded.append(words)
        return " "
    text = _EXCLUDE_RE.sub(take_exclusion, text)

    words = segmenter.words(text)
    stop = stopwords()
    kept = [w for w in words if w not in stop]
    # A query made only of stop words still searches for them.
    words = kept or words
    from gongkai.search import expand

    typed = words
    if expand.enabled():
        # A short form is searched as its full term, which entries with either spelling
        # hold (see expand); phrases stay as typed.
        words = expand.query_words(words, segmenter)
    seen: set[str] = set()
    for w in [*(w for p in q.phrase_terms for w in p), *words]:
        if w not in seen:
            seen.add(w)
            q.terms.append(w)
    q.terms = q.terms[:MAX_TERMS]
    marks = {*q.terms, *q.phrases}
    if expand.enabled():
        marks.update(s for w in typed for s in expand.spellings(w))
    q.highlight = sorted(marks, key=len, reverse=True)
    return q
