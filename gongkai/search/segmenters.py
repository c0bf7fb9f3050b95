"""Chinese word segmentation behind one small interface, chosen by name.

Index text is cut "for search" (a long word also yields its sub-words, so 中华人民共和国 is
found by 人民), queries are cut precisely. Both sides are normalised first (full-width →
half-width, every bracket variant of a 文号 to one form) so what a citizen types matches what
a clerk wrote. Government terms in ``data/govterms.txt`` are kept whole.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"

# Every bracket a 文号 year is typed with, mapped to the canonical 〔〕 (after NFKC, which
# already turns ［］（） into []()).
_BRACKET_MAP = {
    "[": "〔", "]": "〕", "【": "〔", "】": "〕", "〖": "〔", "〗": "〕",
    "﹝": "〔", "﹞": "〕", "⦗": "〔", "⦘": "〕", "〘": "〔", "〙": "〕",
}
_BRACKETS = str.maketrans(_BRACKET_MAP)
# str.translate walks a long text slowly (a dict lookup a character): only when needed.
_BRACKET_RE = re.compile("[" + re.escape("".join(_BRACKET_MAP)) + "]")
_SPACE_RE = re.compile(r"\s+")
# A token worth indexing: has at least one letter, digit or CJK character.
_WORDY_RE = re.compile(r"[0-9A-Za-z\u3400-\u9fff\uf900-\ufaff]")


def normalize(text: str) -> str:
    """NFKC (full-width letters/digits/punctuation → ASCII), canonical 〔〕, lower case."""
    if not text:
        return ""
    if not unicodedata.is_normalized("NFKC", text):  # the quick check: most text already is
        text = unicodedata.normalize("NFKC", text)
    if _BRACKET_RE.search(text):
        text = text.translate(_BRACKETS)
    return text.lower()


def _read_list(name: str) -> list[str]:
    lines = (DATA_DIR / name).read_text(encoding="utf-8").splitlines()
    return [ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]


@cache
def user_terms() -> tuple[tuple[str, int], ...]:
    """The government-terms dictionary: (term, frequency)."""
    terms = []
    for line in _read_list("govterms.txt"):
        parts = line.split()
        freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 2000
        terms.append((normalize(parts[0]), freq))
    return tuple(terms)


def dictionary() -> list[tuple[str, int]]:
    """What each segmenter adds to its dictionary: the government terms."""
    return list(user_terms())


def short_form_terms() -> list[tuple[str, int]]:
    """The short forms of the abbreviation groups (``expand``), added to a segmenter's
    dictionary once expansion is on, so each is cut as one word."""
    from gongkai.search import expand

    known = {t for t, _ in user_terms()}
    return [(t, SYNONYM_FREQ) for t in expand.short_forms() if t not in known]


SYNONYM_FREQ = 2000


@cache
def stopwords() -> frozenset[str]:
    words: set[str] = set()
    for line in _read_list("stopwords.txt"):
        words.update(normalize(w) for w in line.split())
    return frozenset(words)


MAX_TOKEN_CHARS = 64  # longer "words" are data (hashes, base64), and PostgreSQL caps lexemes


def is_wordy(token: str) -> bool:
    return len(token) <= MAX_TOKEN_CHARS and bool(_WORDY_RE.search(token))


class Segmenter:
    """Cuts normalised text into words. Subclasses wrap one library."""

    name = ""

    def _cut(self, text: str) -> list[str]:
        raise NotImplementedError

    def _cut_for_search(self, text: str) -> list[str]:
        raise NotImplementedError

    def _add_word(self, term: str, freq: int) -> None:
        raise NotImplementedError

    def _expanding(self) -> bool:
        """Whether abbreviation expansion is on; the first time it is, the short forms
        join the dictionary (a setting may turn it on after the segmenter loaded)."""
        from gongkai.search import expand

        if not expand.enabled():
            return False
        if not self.__dict__.get("_short_forms_added"):
            with _lock:
                for term, freq in short_form_terms():
                    self._add_word(term, freq)
                self.__dict__["_short_forms_added"] = True
        return True

    def words(self, text: str) -> list[str]:
        """Precise cut, for queries: tokens with letters/digits/CJK only."""
        self._expanding()
        text = normalize(text)
        return [t for t in (w.strip() for w in self._cut(text)) if t and is_wordy(t)]

    def index_words(self, text: str, *, normalized: bool = False) -> list[str]:
        """Cut for indexing: every word plus its dictionary sub-words, in text order.
        ``normalized``: ``text`` is ``normalize``'s output already."""
        if not normalized:
            text = normalize(text)
        expanding = self._expanding()
        cut = self._cut_for_search(text)
        # Which cut tokens are kept (stripped), remembered: a text repeats its words, a
        # corpus its vocabulary, and the test costs more than a dictionary lookup.
        kept = self._kept
        found = list(map(kept.get, cut))
        if None in found:
            for i, w in enumerate(cut):
                if found[i] is None:
                    t = w.strip()
                    found[i] = t = t if t and is_wordy(t) else ""
                    if len(kept) < self.KEPT_MAX:
                        kept[w] = t
        tokens = [t for t in found if t]
        if expanding:  # after the text's words: phrases are unchanged
            from gongkai.search import expand

            tokens += expand.index_extra(tokens, text, self._full_term_words)
        return tokens

    def _full_term_words(self, term: str) -> tuple[list[str], list[str]]:
        """A full term's words as a query and as an index cuts them (expand.index_extra),
        remembered."""
        memo = self.__dict__.setdefault("_full_terms", {})
        words = memo.get(term)
        if words is None:
            words = memo[term] = (self.words(term),
                                  [t for t in (w.strip() for w in self._cut_for_search(term))
                                   if t and is_wordy(t)])
        return words

    KEPT_MAX = 500_000  # tokens remembered by index_words (a few tens of MB at most)

    @property
    def _kept(self) -> dict[str, str]:
        kept = self.__dict__.get("_kept_tokens")
        if kept is None:
            kept = self.__dict__["_kept_tokens"] = {}
        return kept


class JiebaSegmenter(Segmenter):
    name = "jieba"

    def __init__(self) -> None:
        import logging

        import jieba

        jieba.setLogLevel(logging.WARNING)
        # A private tokenizer, so other apps using jieba's global one are not affected.
        self._tok = jieba.Tokenizer()
        self._tok.initialize()
        for term, freq in dictionary():
            self._tok.add_word(term, freq=freq)

    def _add_word(self, term: str, freq: int) -> None:
        self._tok.add_word(term, freq=freq)

    def _cut(self, text: str) -> list[str]:
        return self._tok.lcut(text, HMM=True)

    def _cut_for_search(self, text: str) -> list[str]:
        return self._tok.lcut_for_search(text, HMM=True)


class RJiebaSegmenter(Segmenter):
    name = "rjieba"

    def __init__(self) -> None:
        import rjieba

        self._mod = rjieba
        for term, freq in dictionary():
            rjieba.add_word(term, freq, None)

    def _add_word(self, term: str, freq: int) -> None:
        self._mod.add_word(term, freq, None)

    def _cut(self, text: str) -> list[str]:
        return self._mod.cut(text)

    def _cut_for_search(self, text: str) -> list[str]:
        return self._mod.cut_for_search(text)


SEGMENTERS: dict[str, type[Segmenter]] = {"jieba": JiebaSegmenter, "rjieba": RJiebaSegmenter}
_lock = threading.Lock()
_instances: dict[str, Segmenter] = {}


def get_segmenter(name: str | None = None) -> Segmenter:
    """The segmenter called ``name`` (default: settings.GONGKAI_SEGMENTER), loaded once."""
    if name is None:
        from django.conf import settings

        name = getattr(settings, "GONGKAI_SEGMENTER", None) or "rjieba"
    if name not in SEGMENTERS:
        raise ValueError(f"unknown segmenter {name!r}; choose one of {', '.join(SEGMENTERS)}")
    with _lock:
        if name not in _instances:
            _instances[name] = SEGMENTERS[name]()
        return _instances[name]


def collapse_spaces(text: str) -> str:
    return _SPACE_RE.sub(" ", text).strip()
