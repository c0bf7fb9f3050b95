"""Top lists of the best entries per common word ("impact lists"), for the SQL backends.

Ranking every entry that holds a common word (企业 is in most documents) is what makes a
search slow: the engine scores each match. Once a word is in ``LIST_MIN_DF`` entries, the
index also keeps the entries where the word weighs most — its *impact*, the BM25
term-frequency part ``f (k1 + 1) / (f + k1 (1 - b + b dl / avgdl))`` with
``f = title_weight x (title and 文号 occurrences) + body occurrences`` — best first, at
most ``2 x LIST_SIZE`` rows, trimmed back to ``LIST_SIZE``. The list is filled from the
engine when the word crosses the threshold, then kept up as entries come and go.

The invariant a list keeps: every entry whose impact is above the list's ``floor`` is in
the list (while the list holds every entry with the word, its floor is 0). Deleting an
entry keeps it; adding one inserts it when its impact is above the floor. A search reads
the lists of its common words as candidates, scores the best of them exactly, and accepts
the page only when nothing outside can score above it (the threshold algorithm; see
``SearchBackend._fast_page``). Impacts use the average length at the time they were
written (searches allow a margin for that); ``gongkai search reindex`` writes them afresh.

The arithmetic here is plain Python; the functions that touch the database use only SQL
that SQLite and PostgreSQL both accept.
"""

from __future__ import annotations

from collections import Counter

from django.conf import settings

K1 = 1.2
B = 0.75


def list_size() -> int:
    return int(getattr(settings, "GONGKAI_SEARCH_LIST_SIZE", 100))


def tf_part(f: float, dl: float, avgdl: float, k1: float = K1, b: float = B) -> float:
    """BM25's saturating, length-normalised term frequency (the score is idf times this)."""
    if f <= 0:
        return 0.0
    return f * (k1 + 1) / (f + k1 * (1 - b + b * dl / max(avgdl, 1.0)))


def list_min_df() -> int:
    return int(getattr(settings, "GONGKAI_SEARCH_LIST_MIN_DF", 1000))


class WordCounts:
    """How often each word of an entry is stored by the engine: in the title and 文号
    (weighted up by the ranking) and in all. What an entry's impacts are computed from;
    built while an entry is prepared for writing, possibly in another process."""

    __slots__ = ("top", "total")

    def __init__(self, top: dict[str, int], total: dict[str, int]):
        self.top, self.total = top, total

    @classmethod
    def of_tokens(cls, top_words: list[str], body_words: list[str]) -> WordCounts:
        top = Counter(top_words)
        total = Counter(body_words)
        total.update(top)
        return cls(dict(top), dict(total))

    def words(self):
        return self.total.keys()

    def of(self, word: str) -> tuple[int, int]:
        """(title and 文号 occurrences, body occurrences)."""
        n_top = self.top.get(word, 0)
        return n_top, self.total[word] - n_top

    def __getstate__(self):
        return self.top, self.total

    def __setstate__(self, state):
        self.top, self.total = state


def impacts_of(counts: WordCounts, dl: int, avgdl: float, heads: set[str] | frozenset[str],
               title_weight: float, freq=None) -> dict[str, float]:
    """Impact of each of ``heads`` the entry holds (``dl``: its length as the engine
    counts it). The term frequency f is ``freq(title and 文号 occurrences, body
    occurrences)``, by default title_weight x the first + the second (bm25's columns)."""
    # tf_part inlined: this runs for every listed word of every entry indexed.
    norm = K1 * (1 - B + B * dl / max(avgdl, 1.0))
    scale = K1 + 1
    out = {}
    for term in heads.intersection(counts.total):
        n_top, n_body = counts.of(term)
        f = freq(n_top, n_body) if freq else title_weight * n_top + n_body
        out[term] = f * scale / (f + norm)
    return out


def doc_impacts(title: list[str], docnum: list[str], body: list[str], avgdl: float,
                heads: set[str] | frozenset[str], title_weight: float,
                dl: int | None = None) -> dict[str, float]:
    """``impacts_of`` from an entry's index words."""
    if dl is None:
        dl = len(title) + len(docnum) + len(body)
    return impacts_of(WordCounts.of_tokens(title + docnum, body), dl, avgdl, heads,
                      title_weight)


def add(cur, impacts: dict[int, dict[str, float]], k: int | None = None) -> None:
    """Add documents' impacts (entry id -> term -> impact) to the lists, keeping the
    invariant: insert above the floor, trim lists longer than 2k back to k."""
    k = k or list_size()
    terms = sorted({t for per in impacts.values() for t in per})
    if not terms:
        return
    state: dict[str, list] = {}
    for i in range(0, len(terms), 500):
        part = terms[i:i + 500]
        cur.execute("SELECT term, floor, size FROM search_searchhead WHERE term IN "
                    f"({','.join(['%s'] * len(part))})", part)
        for term, floor, size in cur.fetchall():
            state[term] = [floor, size]
    fresh: dict[str, list[tuple[float, int]]] = {}
    for entry_id, per in impacts.items():
        for term, value in per.items():
            if value > state.get(term, (0.0, 0))[0]:
                fresh.setdefault(term, []).append((value, entry_id))
    rows, grown = [], Counter()
    for term, found in fresh.items():
        if len(found) > k:  # at most k of this batch can be in the term's best k
            found.sort(reverse=True)
            found = found[:k]
        rows += [(term, value, entry_id) for value, entry_id in found]
        grown[term] = len(found)
    if rows:
        cur.executemany("INSERT INTO search_searchimpact (term, impact, entry_id) "
                        "VALUES (%s, %s, %s)", rows)
    new = [(t, 0.0, n) for t, n in grown.items() if t not in state]
    if new:
        cur.executemany("INSERT INTO search_searchhead (term, floor, size) VALUES (%s, %s, %s)",
                        new)
    grew = [(n, t) for t, n in grown.items() if t in state]
    if grew:
        cur.executemany("UPDATE search_searchhead SET size = size + %s WHERE term = %s", grew)
    for term, n in grown.items():
        if state.get(term, (0.0, 0))[1] + n > 2 * k:
            trim(cur, term, k)


def trim(cur, term: str, k: int) -> None:
    cur.execute("SELECT impact FROM search_searchimpact WHERE term = %s "
                "ORDER BY impact DESC LIMIT 1 OFFSET %s", [term, k - 1])
    row = cur.fetchone()
    if row is None:
        return
    floor = row[0]
    # Entries at the floor stay: the invariant is about impacts *above* it.
    cur.execute("DELETE FROM search_searchimpact WHERE term = %s AND impact < %s", [term, floor])
    cur.execute("SELECT count(*) FROM search_searchimpact WHERE term = %s", [term])
    size = cur.fetchone()[0]
    cur.execute("UPDATE search_searchhead SET floor = %s, size = %s WHERE term = %s",
                [floor, size, term])


def remove(cur, entry_ids: list[int]) -> None:
    """Drop deleted entries from every list (the invariant still holds after it)."""
    if not entry_ids:
        return
    ph = ",".join(["%s"] * len(entry_ids))
    cur.execute(f"SELECT term, count(*) FROM search_searchimpact WHERE entry_id IN ({ph}) "
                "GROUP BY term", entry_ids)
    gone = cur.fetchall()
    if not gone:
        return
    cur.execute(f"DELETE FROM search_searchimpact WHERE entry_id IN ({ph})", entry_ids)
    cur.executemany("UPDATE search_searchhead SET size = size - %s WHERE term = %s",
                    [(n, t) for t, n in gone])


def read(cur, terms: list[str], depth: int) -> dict[str, tuple[list[tuple[int, float]], float]]:
    """Each listed term's best ``depth`` entries and the bound on every entry not read:
    term -> ([(entry id, impact), ...], bound). Terms without a list are absent."""
    if not terms:
        return {}
    cur.execute("SELECT term, floor, size FROM search_searchhead WHERE term IN "
                f"({','.join(['%s'] * len(terms))})", terms)
    floors = {t: floor for t, floor, _size in cur.fetchall()}
    if not floors:
        return {}
    # One read of the named lists (each holds at most 2 x LIST_SIZE rows).
    ph = ",".join(["%s"] * len(floors))
    cur.execute(f"SELECT term, entry_id, impact FROM search_searchimpact WHERE term IN ({ph})",
                list(floors))
    rows: dict[str, list[tuple[int, float]]] = {t: [] for t in floors}
    for term, entry_id, value in cur.fetchall():
        rows[term].append((int(entry_id), float(value)))
    out = {}
    for term, floor in floors.items():
        entries = sorted(rows[term], key=lambda e: (-e[1], -e[0]))
        if len(entries) > depth:
            # Unread entries weigh at most the last one read.
            entries = entries[:depth]
            bound = entries[-1][1]
        else:
            bound = floor  # read to the end: only entries at or below the floor are missing
        out[term] = (entries, max(bound, floor))
    return out


def start(cur, term: str, entries: list[tuple[int, float]], df: int, k: int | None = None
          ) -> None:
    """A new list for ``term``: ``entries`` are its best (at most k) by impact, out of
    ``df`` entries holding it."""
    k = k or list_size()
    # Ties at the cut go to the older entries, whatever order the engine read them in.
    entries = sorted(entries, key=lambda e: (-e[1], e[0]))[:k]
    floor = entries[-1][1] if entries and df > len(entries) else 0.0
    cur.execute("DELETE FROM search_searchimpact WHERE term = %s", [term])
    cur.execute("DELETE FROM search_searchhead WHERE term = %s", [term])
    cur.executemany("INSERT INTO search_searchimpact (term, impact, entry_id) "
                    "VALUES (%s, %s, %s)", [(term, v, i) for i, v in entries])
    cur.execute("INSERT INTO search_searchhead (term, floor, size) VALUES (%s, %s, %s)",
                [term, floor, len(entries)])
