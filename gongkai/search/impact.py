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
    (weighted up by the ranking) and in all. What an entry's term frequencies
    (``freqs_of``), and so its impacts, are computed from."""

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


def freqs_of(counts: WordCounts, title_weight: float, freq=None) -> dict[str, float]:
    """Each word's term frequency f as the engine's score weighs it: ``freq(title and 文号
    occurrences, body occurrences)``, by default title_weight x the first + the second
    (bm25's column weights). Computed once per entry, where it is prepared."""
    total = counts.total
    # Most words are body words only, and their frequency depends on their count alone:
    # one value per distinct count, then the few title and 文号 words (each entry's words
    # pass here, a fifth of preparing it on PostgreSQL when done word by word).
    if freq is None:
        out = {word: 0.0 + n for word, n in total.items()}  # title_weight x 0 + n
        for word, n_top in counts.top.items():
            out[word] = title_weight * n_top + (total[word] - n_top)
        return out
    by_count = {n: freq(0, n) for n in set(total.values())}
    out = {word: by_count[n] for word, n in total.items()}
    for word, n_top in counts.top.items():
        out[word] = freq(n_top, total[word] - n_top)
    return out


def impacts_of(freqs: dict[str, float], dl: int, avgdl: float,
               heads: set[str] | frozenset[str]) -> dict[str, float]:
    """Impact of each of ``heads`` the entry holds (``freqs``: its words' term
    frequencies, ``freqs_of``; ``dl``: its length as the engine counts it)."""
    # tf_part inlined: this runs for every listed word of every entry indexed.
    norm = K1 * (1 - B + B * dl / max(avgdl, 1.0))
    scale = K1 + 1
    out = {}
    for term in heads.intersection(freqs):
        f = freqs[term]
        out[term] = f * scale / (f + norm)
    return out


def doc_impacts(title: list[str], docnum: list[str], body: list[str], avgdl: float,
                heads: set[str] | frozenset[str], title_weight: float,
                dl: int | None = None) -> dict[str, float]:
    """``impacts_of`` from an entry's index words."""
    if dl is None:
        dl = len(title) + len(docnum) + len(body)
    freqs = freqs_of(WordCounts.of_tokens(title + docnum, body), title_weight)
    return impacts_of(freqs, dl, avgdl, heads)


def fresh(entries: list[tuple[int, dict[str, float], int]], avgdl: float,
          heads: dict[str, tuple[float, int]], k: int | None = None
          ) -> list[tuple[str, float, int]]:
    """New entries (entry id, term frequencies ``freqs_of``, length) for the lists of
    ``heads`` (term -> (floor, size), as read in this transaction), no database: the rows
    (term, impact, entry id) to insert — each impact above its list's floor (the invariant
    asks no more), at most k per term."""
    k = k or list_size()
    scale = K1 + 1
    listed = set(heads)
    found_by_term: dict[str, list[tuple[float, int]]] = {}
    for entry_id, freqs, dl in entries:
        # impacts_of, inlined: this runs for every listed word of every entry indexed.
        norm = K1 * (1 - B + B * dl / max(avgdl, 1.0))
        for term in listed.intersection(freqs):
            f = freqs[term]
            value = f * scale / (f + norm)
            if value > heads[term][0]:
                found = found_by_term.get(term)
                if found is None:
                    found_by_term[term] = [(value, entry_id)]
                else:
                    found.append((value, entry_id))
    rows = []
    for term, found in found_by_term.items():
        if len(found) > k:  # at most k of this batch can be in the term's best k
            found.sort(reverse=True)
            found = found[:k]
        rows += [(term, value, entry_id) for value, entry_id in found]
    return rows


def store(cur, rows: list[tuple[str, float, int]], heads: dict[str, tuple[float, int]],
          k: int | None = None) -> None:
    """Write ``fresh``'s rows: insert them, grow the lists' sizes, trim lists longer than
    2k back to k."""
    k = k or list_size()
    grown = Counter(term for term, _value, _entry in rows)
    _insert_impacts(cur, rows)
    _add_sizes(cur, list(grown.items()))
    for term, n in grown.items():
        if heads[term][1] + n > 2 * k:
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
    _add_sizes(cur, [(t, -n) for t, n in gone])


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


def start(cur, lists: dict[str, tuple[list[tuple[int, float]], int]], k: int | None = None
          ) -> None:
    """New lists: for each term, (its best entries by impact, at most k of them are kept;
    how many entries hold it)."""
    if not lists:
        return
    k = k or list_size()
    rows, heads = [], []
    for term, (entries, df) in lists.items():
        # Ties at the cut go to the older entries, whatever order the engine read them in.
        best = sorted(entries, key=lambda e: (-e[1], e[0]))[:k]
        floor = best[-1][1] if best and df > len(best) else 0.0
        rows += [(term, value, entry_id) for entry_id, value in best]
        heads.append((term, floor, len(best)))
    terms = sorted(lists)
    for i in range(0, len(terms), 500):
        part = terms[i:i + 500]
        ph = ",".join(["%s"] * len(part))
        cur.execute(f"DELETE FROM search_searchimpact WHERE term IN ({ph})", part)
        cur.execute(f"DELETE FROM search_searchhead WHERE term IN ({ph})", part)
    _insert_impacts(cur, rows)
    _insert_many(cur, "search_searchhead (term, floor, size)", ("text", "float8", "int8"),
                 heads)


# Many rows in one statement. SQLite's executemany loops in C; psycopg's sends a statement
# a row, so PostgreSQL gets the rows as arrays, unnested in one INSERT/UPDATE.

def _postgres(cur) -> bool:
    return cur.db.vendor == "postgresql"


def pg_array(values, kind: str = "") -> str:
    """A PostgreSQL array literal of ``values`` (numbers; ``kind`` "text": strings), to be
    cast in SQL (``%s::text[]``). psycopg adapts a list element by element in Python —
    tens of milliseconds for a batch's impacts; this is one join."""
    if kind == "text":
        values = list(values)
        every = "".join(values)
        if '"' not in every and "\\" not in every:  # nothing to escape (words seldom have)
            return '{"' + '","'.join(values) + '"}' if values else "{}"
        return "{" + ",".join('"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
                              for v in values) + "}"
    return "{" + ",".join(map(repr, values)) + "}"


def _insert_many(cur, table: str, types: tuple[str, ...], rows: list[tuple]) -> None:
    if not rows:
        return
    if _postgres(cur):
        arrays = [pg_array(column, t) for column, t in zip(zip(*rows, strict=True), types,
                                                             strict=True)]
        cur.execute(f"INSERT INTO {table} SELECT * FROM unnest("
                    + ", ".join(f"%s::{t}[]" for t in types) + ")", arrays)
    else:
        cur.executemany(f"INSERT INTO {table} VALUES ({', '.join(['%s'] * len(types))})",
                        rows)


def _insert_impacts(cur, rows: list[tuple[str, float, int]]) -> None:
    _insert_many(cur, "search_searchimpact (term, impact, entry_id)",
                 ("text", "float8", "int8"), rows)


def _add_sizes(cur, deltas: list[tuple[str, int]]) -> None:
    """Each (term, n): the list of term grew by n rows (shrank, if n < 0)."""
    if not deltas:
        return
    if _postgres(cur):
        terms, ns = zip(*deltas, strict=True)
        cur.execute("UPDATE search_searchhead h SET size = h.size + u.n FROM "
                    "unnest(%s::text[], %s::int8[]) AS u(t, n) WHERE h.term = u.t",
                    [pg_array(terms, "text"), pg_array(ns)])
    else:
        cur.executemany("UPDATE search_searchhead SET size = size + %s WHERE term = %s",
                        [(n, t) for t, n in deltas])
