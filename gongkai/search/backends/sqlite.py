"""SQLite FTS5 over segmented words, ranked with bm25() (title and 文号 weighted up)."""

from __future__ import annotations

import math
import zlib

from gongkai.search import impact
from gongkai.search.backends.base import SearchBackend
from gongkai.search.backends.sqlite_compiler import SQLiteCompiler
from gongkai.search.backends.sqlite_fts import (  # noqa: F401 - used by migrations and tests
    _NARROWING,
    META_FIELDS,
    META_TOKENS,
    _count_words,
    _fts_words,
    fts_quote,
    meta_sql,
    meta_text,
    meta_token,
)
from gongkai.search.backends.sqlite_index import SQLiteIndexer


class SQLiteBackend(SearchBackend):
    query_compiler_class = SQLiteCompiler
    index_class = SQLiteIndexer

    name = "sqlite"
    vendor = "sqlite"
    fast_candidates = 200  # ranked inside FTS5 before any join
    # Scoring given rows: FTS5 walks every doclist of the question (0.1-0.5 us an entry:
    # an AND skips, an OR merges), Python reads and counts each row (30 us + 7 us a word);
    # past this ratio Python is quicker. One word: 0.25 us an entry against ~40 us a row
    # (measured at 100k, note 43).
    postings_per_candidate = 400
    postings_per_candidate_one_word = 150
    supports_lists = True
    # A new list is a cheap FTS5 query here (~1,000 postings ranked in C); keeping every
    # unlisted word's postings in Python during a rebuild cost more than it saved.
    young_budget = 0
    or_drops_common = True
    idf_floor = 1e-6  # FTS5's bm25() idf for words in at least half the entries

    # AND searches whose matches are few: found by FTS5 without ranking, each checked and
    # scored from its stored words (bm25()'s arithmetic, see _score_ids).
    small_and = 1500

    def prepare(self, entry):
        prepared = super().prepare(entry)
        prepared.fulltext = (*prepared.fulltext, meta_text(entry))
        return prepared

    def doc_length(self, title, docnum, body):
        return len(title) + len(docnum) + len(body) + META_TOKENS

    def lists_fingerprint(self) -> int:
        # Lengths count the meta tokens (impacts written before they existed are unusable).
        return zlib.crc32(f"{float(self.title_weight)}|{impact.K1}|{impact.B}|"
                          f"meta{META_TOKENS}".encode())

    def entry_tokens(self, entry, *, body_text=None):
        """The words as FTS5 will see them: a word unicode61 would split ("200-300ml") is
        split here already, so document frequencies, lengths and the top lists' impacts
        are the very numbers bm25() computes."""
        return tuple(_fts_words(words)
                     for words in super().entry_tokens(entry, body_text=body_text))

    def _or_terms(self, q) -> list[str]:
        """OR mode: the words in fewer than half the entries. bm25() gives the others a
        weight of 1e-6 (FTS5's idf floor), so they would only add matches that rank last
        and cost time; PostgreSQL drops them from OR matching too."""
        key = tuple(q.required)
        cached = getattr(self, "_or_cache", None)
        if cached and cached[0] == key:
            return cached[1]
        with self.cursor() as cur:
            n, _avg = self._stats(cur)
            dfs = self._dfs(cur, q.required)
        kept = [t for t in q.required if dfs.get(t, 0) < n / 2] or q.required
        self._or_cache = (key, kept)
        return kept

    def _bm25(self) -> str:
        w = float(self.title_weight)
        return f"bm25(search_fts, {w}, {w}, 1.0, 0.0)"

    def _rank_config(self) -> str:
        w = float(self.title_weight)
        return f"bm25({w}, {w}, 1.0, 0.0)"

    # -- the fast path's engine parts ------------------------------------------------------

    def idf(self, df: int, n: int) -> float:
        """FTS5's bm25() idf: words in more than half the entries weigh (almost) nothing."""
        value = math.log((n - df + 0.5) / (df + 0.5)) if n else 0.0
        return value if value > 0 else 1e-6

    def _totals(self, cur):
        return self._fts_totals(cur)

    def _fts_totals(self, cur) -> tuple[int, int]:
        """(rows, tokens) as FTS5 keeps them for bm25(): the varints of its averages
        record (row count, then each column's token total)."""
        cur.execute("SELECT block FROM search_fts_data WHERE id = 1")
        row = cur.fetchone()
        values, blob, i = [], bytes(row[0]) if row else b"", 0
        while i < len(blob):
            value = 0
            for k in range(9):  # SQLite's varint: 7 bits a byte, the ninth byte all 8
                byte = blob[i]
                i += 1
                if k == 8:
                    value = (value << 8) | byte
                    break
                value = (value << 7) | (byte & 0x7F)
                if not byte & 0x80:
                    break
            values.append(value)
        return (values[0], sum(values[1:])) if values else (0, 0)

    def _fulltext(self, title, docnum, body):
        return (impact.WordCounts.of_tokens(title + docnum, body),
                (" ".join(title), " ".join(docnum), " ".join(body)))
