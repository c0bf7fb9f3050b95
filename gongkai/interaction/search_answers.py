"""一号答 on the site search page: published answers to a typed question, shown before the
documents (registered in ``InteractionConfig.ready`` as a ``core.registry.search_answers``
provider, so the search app never names this app). Called on every site search, so it
segments the question once and answers from ``qa_search``'s in-process index without a
database query."""

from __future__ import annotations

from django.urls import reverse

from gongkai.interaction.qa_search import match, query_words

MAX_ANSWERS = 3


def answers(query: str) -> list[tuple[str, str, str]]:
    """[(question, url, start of the answer)] of the published entries that share at least
    half of the question's words (one shared word of a long question is no answer)."""
    words = query_words(query)
    if not words:
        return []
    need = max(1, (len(words) + 1) // 2)
    return [(e.question, reverse("interaction:qa_detail", args=[e.pk]), e.snippet)
            for e, _ in match(words, limit=MAX_ANSWERS, min_shared=need)]
