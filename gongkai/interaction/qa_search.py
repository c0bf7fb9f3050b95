"""Find 一号答 entries for a question as people type it (a published service: the search
page shows matching Q&A first, labelled, before documents — ``search_answers``).

Site search asks on every query, so this must stay cheap as the base grows: the published
entries live in an in-process index (their texts, and a character-bigram → entries map), so
a question costs one segmentation, one cache read and a few set intersections — no table
scan. A Q&A change bumps a generation number in the shared cache on commit (the
``post_save``/``post_delete`` receivers below); every worker compares it with the generation
its index was built at and rebuilds on a difference, so a published or withdrawn answer shows
or disappears at once in every process.

Matching keeps the meaning it had as SQL ``icontains``: an entry matches a word when the word
occurs in its question, answer or basis (case-insensitive); the bigram map only narrows the
entries to test.
"""

from __future__ import annotations

import heapq
import threading
import uuid
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain

from django.core.cache import cache
from django.db import connection, transaction

from gongkai.interaction.models import QAEntry, QStatus
from gongkai.interaction.topics import DOMAIN_STOPWORDS

MAX_WORDS = 8
GENERATION_KEY = "interaction:qa-index-generation"
SNIPPET = 120
WORDS_KEPT = 20_000  # query words whose matching entries an index remembers


@dataclass(frozen=True, slots=True)
class Indexed:
    pk: int
    question: str
    question_lc: str
    text_lc: str  # question, answer and basis, lower-cased
    snippet: str  # start of the answer, whitespace collapsed
    published: float


class _Index:
    def __init__(self, generation: str, entries: list[Indexed]) -> None:
        self.generation = generation
        self.entries = entries
        grams: dict[str, set[int]] = {}
        for i, e in enumerate(entries):
            text = e.text_lc
            for g in {text[j:j + 2] for j in range(len(text) - 1)}:
                grams.setdefault(g, set()).add(i)
        self.grams = grams
        # (word, in the question only) → entries, remembered (bounded)
        self.words: dict[tuple[str, bool], frozenset[int]] = {}

    def having(self, word: str, question: bool = False) -> frozenset[int]:
        """Entries whose text (or question) contains ``word`` (at least two characters)."""
        found = self.words.get((word, question))
        if found is None:
            found = self._having(word)
            if question:
                found = frozenset(i for i in found if word in self.entries[i].question_lc)
            if len(self.words) < WORDS_KEPT:
                self.words[(word, question)] = found
        return found

    def _having(self, word: str) -> frozenset[int]:
        found: set[int] | None = None
        for g in sorted({word[j:j + 2] for j in range(len(word) - 1)},
                        key=lambda g: len(self.grams.get(g, ()))):
            posting = self.grams.get(g)
            if not posting:
                return frozenset()
            found = set(posting) if found is None else found & posting
            if not found:
                return frozenset()
        return frozenset(i for i in found or () if word in self.entries[i].text_lc)


_lock = threading.Lock()
_index: _Index | None = None


def _generation() -> str:
    gen = cache.get(GENERATION_KEY)
    if gen is None:  # evicted or never set: start a new one every worker will see
        cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        gen = cache.get(GENERATION_KEY) or "none"
    return str(gen)


def _build(generation: str) -> _Index:
    rows = (QAEntry.objects.filter(status=QStatus.PUBLISHED)
            .order_by("-published_at", "-pk")
            .values_list("pk", "question", "answer", "basis", "published_at"))
    entries = []
    for pk, question, answer, basis, published_at in rows.iterator():
        answer_line = " ".join(answer.split())
        entries.append(Indexed(
            pk, question, question.lower(), f"{question}{answer}{basis}".lower(),
            answer_line[:SNIPPET] + ("…" if len(answer_line) > SNIPPET else ""),
            published_at.timestamp() if published_at else 0.0))
    return _Index(generation, entries)


def current_index() -> _Index:
    global _index
    if connection.in_atomic_block:
        # Inside a transaction (a service, a test) the index may see uncommitted changes:
        # use it for this call only, never keep it for the requests that follow.
        return _build("uncommitted")
    generation = _generation()
    index = _index
    if index is None or index.generation != generation:
        with _lock:
            index = _index
            if index is None or index.generation != generation:
                index = _index = _build(generation)
    return index


def invalidate() -> None:
    """Make every worker rebuild its index before its next search."""
    global _index
    _index = None
    try:
        cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:  # the cache down: this process still sees the change
        import logging

        logging.getLogger(__name__).exception("一号答: cannot bump the index generation")


def on_qa_change(**kwargs) -> None:
    """``post_save``/``post_delete`` of QAEntry: invalidate once the change is committed
    (every worker), and this process's index now (so nothing built before the commit is
    kept); the search page's kept results likewise (``public_search_changed``)."""
    global _index
    _index = None
    transaction.on_commit(invalidate)
    # The search page shows published answers (一号答): its kept pages go too.
    from gongkai.core.signals import public_search_changed

    public_search_changed.send(sender=QAEntry, using=kwargs.get("using"))


@lru_cache(maxsize=1)
def _stop() -> frozenset[str]:
    from gongkai.search.segmenters import stopwords

    return stopwords() | DOMAIN_STOPWORDS


def query_words(question: str) -> list[str]:
    from gongkai.search.segmenters import get_segmenter

    stop = _stop()
    words = [w for w in get_segmenter().words(question or "") if len(w) >= 2 and w not in stop]
    return list(dict.fromkeys(words))[:MAX_WORDS]


def match(words: list[str], limit: int = 50, min_shared: int = 1) -> list[tuple[Indexed, int]]:
    """[(entry, number of ``words`` it contains)] of the published entries containing at
    least ``min_shared`` of them, most shared words first, then most in the question, then
    newest (entries are indexed newest first, so the smaller position wins)."""
    if not words:
        return []
    index = current_index()
    words = [w.lower() for w in words]
    counts = Counter(chain.from_iterable(index.having(w) for w in words))
    if not counts:
        return []
    in_question = Counter(chain.from_iterable(index.having(w, question=True) for w in words))
    candidates = ([i for i, n in counts.items() if n >= min_shared] if min_shared > 1
                  else counts)
    best = heapq.nsmallest(limit, candidates,
                           key=lambda i: (-counts[i], -in_question.get(i, 0), i))
    return [(index.entries[i], counts[i]) for i in best]


def search_qa(question: str, limit: int = 50) -> list[QAEntry]:
    """Published entries sharing words with ``question``, most shared words first."""
    found = [e.pk for e, _ in match(query_words(question), limit)]
    if not found:
        return []
    objects = QAEntry.objects.filter(pk__in=found, status=QStatus.PUBLISHED
                                     ).select_related("org").in_bulk()
    return [objects[pk] for pk in found if pk in objects]
