"""Find 一号答 entries for a question as people type it (a published service: the search
page can call ``search_qa`` to show matching Q&A first, labelled, before documents)."""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.db.models import Q

from gongkai.interaction.models import QAEntry, QStatus
from gongkai.interaction.topics import DOMAIN_STOPWORDS

MAX_WORDS = 8


def query_words(question: str) -> list[str]:
    from gongkai.search.segmenters import get_segmenter, stopwords

    stop = stopwords() | DOMAIN_STOPWORDS
    words = [w for w in get_segmenter().words(question or "") if len(w) >= 2 and w not in stop]
    return list(dict.fromkeys(words))[:MAX_WORDS]


def search_qa(question: str, limit: int = 50) -> list[QAEntry]:
    """Published entries sharing words with ``question``, most shared words first."""
    words = query_words(question)
    if not words:
        return []
    match = reduce(or_, (Q(question__icontains=w) | Q(answer__icontains=w) | Q(basis__icontains=w)
                         for w in words))
    found = list(QAEntry.objects.filter(status=QStatus.PUBLISHED).filter(match)
                 .select_related("org")[:500])

    def score(e: QAEntry) -> tuple:
        q_hits = sum(w in e.question for w in words)
        all_hits = sum(w in f"{e.question}{e.answer}{e.basis}" for w in words)
        return (-all_hits, -q_hits, -(e.published_at.timestamp() if e.published_at else 0))

    return sorted(found, key=score)[:limit]
