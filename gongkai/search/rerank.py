"""Re-ranking the engine's best few: a linear score of cheap features of the raw text.

The engine ranks by BM25 over words, which cannot see where the words are. Over the top
``depth`` candidates of a search (every page re-ranks the same ones, so page 2 never repeats
or skips a hit of page 1, and the total is unchanged), each candidate gets features read
from its stored title and text with ``str.find``/``in`` only (no segmenting):

- ``score``: the engine's score over the best candidate's (0..1);
- ``rank``: 1 / (1 + the engine's rank) (a prior that keeps the engine's order on ties);
- ``cover``: share of the query's words (weighted by idf) the text holds;
- ``title``: share of them the title holds;
- ``pairs``: share of adjacent query-word pairs the text holds side by side (a phrase);
- ``window``: share of them inside the best window of ``WINDOW`` characters (proximity);
- ``first``: how early each word first occurs (1 / (1 + position / 100)), weighted.

The weights (``data/rerank_weights.json``) were learned by ``bench/search_quality.py
--rerank-cv`` on public questions; the file says which, how and when. No question is in
the code or the file. A 文号 match is pinned before all of this and never moves.
"""

from __future__ import annotations

import json
import math
from bisect import bisect_right
from functools import cache
from pathlib import Path

from django.conf import settings

DATA = Path(__file__).resolve().parent / "data" / "rerank_weights.json"
FEATURES = ("score", "rank", "cover", "title", "pairs", "window", "first")
WINDOW = 40  # characters: about a clause
SCAN = 4000  # characters of a text (from the title on) the features look at
MAX_POSITIONS = 4  # occurrences of a word in a text kept (window, pairs)


@cache
def model() -> dict:
    """The shipped weights and depth (with their provenance)."""
    return json.loads(DATA.read_text(encoding="utf-8"))


def depth() -> int:
    """Candidates re-ranked per search; 0 when re-ranking is off (GONGKAI_SEARCH_RERANK:
    0/False off, 1/True the shipped depth, a larger number that depth)."""
    value = getattr(settings, "GONGKAI_SEARCH_RERANK", False)
    if not value:
        return 0
    value = int(value)
    return int(model()["depth"]) if value == 1 else value


def window_of(offset: int, limit: int, k: int) -> tuple[int, int]:
    """(offset, limit) the engine is asked for so that a page inside the first ``k`` can be
    cut from the re-ranked ``k``: from the top, at least ``k`` deep. Past ``k`` the
    engine's own page (re-ranking only permutes the first ``k``)."""
    if not k or limit <= 0 or offset >= k:
        return offset, limit
    return 0, max(k, offset + limit)


def idf_weights(compiler, cur, terms: list[str]) -> dict[str, float]:
    """The words' weights for the features: BM25's idf (PostgreSQL's form) on both backends,
    not the engine's own ``idf`` — SQLite's floors common words near zero — so that one
    weights file means the same on both."""
    n, _ = compiler._stats(cur)
    dfs = compiler._dfs(cur, terms)
    return {t: math.log(1.0 + (n - dfs.get(t, 0) + 0.5) / (dfs.get(t, 0) + 0.5))
            for t in terms}


def texts_of(cur, ids: list[int]) -> dict[int, str]:
    if not ids:
        return {}
    cur.execute(f"SELECT id, text FROM search_searchentry WHERE id IN "
                f"({','.join(['%s'] * len(ids))})", ids)
    return dict(cur.fetchall())


def features(terms: list[str], weights: dict[str, float], texts: list[str],
             scores: list[float]) -> list[list[float]]:
    """The FEATURES of each candidate, best first by the engine: ``texts`` their stored
    texts (normalised title, a new line, normalised body), ``scores`` the engine's.

    The first SCAN characters of every text are joined into one string and each word is
    found in it by one ``str.find`` walk (at most MAX_POSITIONS occurrences a text): per
    search a few scans of some 50 kB, in C, and a few hundred steps in Python."""
    total = sum(weights.get(t, 0.0) for t in terms) or 1.0
    heads = [t[:SCAN] for t in texts]
    n = len(heads)
    starts, at = [], 0
    for h in heads:
        starts.append(at)
        at += len(h) + 1
    starts.append(at)  # the end
    find = "\x00".join(heads).find
    # Per candidate: (position in its text, word index) of the words found, word by word.
    found: list[list[tuple[int, int]]] = [[] for _ in range(n)]
    for i, t in enumerate(terms):
        step = len(t)
        if not step:
            continue
        pos = find(t)
        doc, nxt, kept = -1, 0, 0
        while pos >= 0:
            if pos >= nxt:  # into the text holding pos
                doc = bisect_right(starts, pos) - 1
                base, nxt, kept = starts[doc], starts[doc + 1], 0
                into = found[doc]
            into.append((pos - base, i))
            kept += 1
            pos = find(t, pos + step if kept < MAX_POSITIONS else nxt)
    top = max(scores) if scores else 0.0
    pair_weights = [min(weights[a], weights[b]) for a, b in zip(terms, terms[1:], strict=False)]
    pair_total = sum(pair_weights) or 1.0
    out = []
    for c in range(n):
        positions = found[c]
        # Words were found one after another: each word's positions are one run, in order.
        by_word: dict[int, list[int]] = {}
        for p, i in positions:
            if i in by_word:
                by_word[i].append(p)
            else:
                by_word[i] = [p]
        title_len = heads[c].find("\n")
        cover = in_title = first = pairs = 0.0
        for i, ps in by_word.items():
            w = weights[terms[i]]
            cover += w
            if ps[0] < title_len:
                in_title += w
            first += w / (1.0 + ps[0] / 100.0)
        if len(by_word) > 1:
            for i, w in enumerate(pair_weights):
                a, b = by_word.get(i), by_word.get(i + 1)
                if a and b:
                    step = len(terms[i])
                    if not {p + step for p in a}.isdisjoint(b):
                        pairs += w
            window = _best_window(positions, terms, weights)
        else:
            window = cover
        out.append([scores[c] / top if top > 0 else 0.0, 1.0 / (1.0 + c), cover / total,
                    in_title / total, pairs / pair_total, window / total, first / total])
    return out


def _best_window(positions: list[tuple[int, int]], terms: list[str],
                 weights: dict[str, float]) -> float:
    """The most idf weight of distinct words inside WINDOW characters."""
    positions.sort()
    held: dict[int, int] = {}
    weight = best = 0.0
    lo = 0
    for pos, i in positions:
        held[i] = held.get(i, 0) + 1
        if held[i] == 1:
            weight += weights[terms[i]]
        while positions[lo][0] < pos - WINDOW:
            j = positions[lo][1]
            held[j] -= 1
            if not held[j]:
                weight -= weights[terms[j]]
            lo += 1
        if weight > best:
            best = weight
    return best


def combine(vector: list[float], w: dict[str, float]) -> float:
    return sum(w.get(name, 0.0) * v for name, v in zip(FEATURES, vector, strict=True))


def order(vectors: list[list[float]], w: dict[str, float]) -> list[int]:
    """Indices of the candidates best first (ties keep the engine's order)."""
    scores = [combine(v, w) for v in vectors]
    return sorted(range(len(vectors)), key=lambda i: (-scores[i], i))


def rerank(compiler, q, rows: list[tuple], k: int, id_index: int = 0,
           score_index: int = 15) -> list[tuple]:
    """``rows`` (the engine's, best first) with the first ``k`` re-ordered. The texts read
    are left on ``compiler._texts`` for the snippets."""
    head, tail = rows[:k], rows[k:]
    terms = q.required
    if len(head) < 2 or not terms:
        return rows
    with compiler.cursor() as cur:
        weights = idf_weights(compiler, cur, terms)
        texts = texts_of(cur, [r[id_index] for r in head])
    compiler._texts = texts
    vectors = features(terms, weights, [texts.get(r[id_index], "") for r in head],
                       [float(r[score_index] or 0.0) for r in head])
    return [head[i] for i in order(vectors, model()["weights"])] + tail
