"""一号答 on the site search page: published answers to a typed question, shown before the
documents (registered in ``InteractionConfig.ready`` as a ``core.registry.search_answers``
provider, so the search app never names this app)."""

from __future__ import annotations

from django.urls import reverse

from gongkai.interaction.qa_search import query_words, search_qa

MAX_ANSWERS = 3


def answers(query: str) -> list[tuple[str, str, str]]:
    """[(question, url, start of the answer)] of the published entries that share at least
    half of the question's words (one shared word of a long question is no answer)."""
    words = query_words(query)
    if not words:
        return []
    need = max(1, (len(words) + 1) // 2)
    out = []
    for e in search_qa(query, limit=20):
        text = f"{e.question}{e.answer}{e.basis}"
        if sum(w in text for w in words) < need:
            continue
        answer = " ".join(e.answer.split())
        out.append((e.question, reverse("interaction:qa_detail", args=[e.pk]),
                    answer[:120] + ("…" if len(answer) > 120 else "")))
        if len(out) >= MAX_ANSWERS:
            break
    return out
