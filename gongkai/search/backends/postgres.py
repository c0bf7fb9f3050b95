"""PostgreSQL: a tsvector of segmented words (title A, 文号 B, body D) with a GIN index.

The vector is written as a tsvector literal, never through a text-search parser, so the
segmenter's words are the lexemes exactly. Ranking is BM25-shaped: each query word's
ts_rank (saturating term frequency, length-normalised, weighted by column) times its
inverse document frequency, kept in ``search_term``.
"""


from __future__ import annotations

import math

from gongkai.search.backends.base import SearchBackend
from gongkai.search.backends.postgres_compiler import PostgresCompiler
from gongkai.search.backends.postgres_index import PostgresIndexer
from gongkai.search.backends.postgres_vectors import (  # noqa: F401 - the public helpers
    _BODY,
    _TOP,
    LISTS_LOCK,
    MAX_POS,
    MAX_POSITIONS_PER_WORD,
    ZETA2,
    _tf_from_rank,
    _tfs_of_counts,
    rank_counts,
    ts_quote,
    ts_rank_one,
    tsvector_binary,
    tsvector_literal,
)


class PostgresBackend(SearchBackend):
    query_compiler_class = PostgresCompiler
    index_class = PostgresIndexer

    name = "postgres"
    vendor = "postgresql"
    supports_lists = True
    # Impacts emulate ts_rank in double precision; PostgreSQL computes it in float4.
    bound_slack = 1.0001
    fast_rescore = 100  # each exact score reads a tsvector (~0.1 ms)
    k1 = 1.2
    rerank = 200  # matches ranked exactly; the rest by the cheap score
    filtered_rerank = 500  # with a unit/year filter, up to this many matches ranked exactly
    approximate_and = True  # (its _page ranks the best 200 by a cheap order, not every match)
    filtered_cheap_rerank = 300  # past filtered_rerank: this many ranked exactly
    work_mem = "32MB"  # per search (a bitmap of a million entries stays exact)
    b = 0.75

    # -- ranking ---------------------------------------------------------------------------

    def _dfs(self, cur, terms: list[str]) -> dict[str, int]:
        if not terms:
            return {}
        cur.execute("SELECT term, df FROM search_term WHERE term = ANY(%s)", [list(terms)])
        return {t: int(df) for t, df in cur.fetchall()}

    # -- the fast path's engine parts ------------------------------------------------------

    def idf(self, df: int, n: int) -> float:
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def _freq_of(self):
        """Impacts as ``_rerank`` will score them: term frequencies read back from what
        ts_rank returns for the word's positions (computed here exactly as PostgreSQL
        does), so a list's bound holds for the SQL score to float precision."""
        weight = float(self.title_weight)

        def freq(n_top: int, n_body: int) -> float:
            tf_body, tf_top = _tfs_of_counts(n_top, n_body)
            return tf_body + weight * tf_top

        return freq

    # -- indexing --------------------------------------------------------------------------

    def _fulltext(self, title, docnum, body):
        vector, counts = tsvector_binary([(title, "A"), (docnum, "B"), (body, "D")])
        return counts, vector

    def _totals(self, cur):
        cur.execute("SELECT entries, words FROM search_totals")
        row = cur.fetchone()
        return (int(row[0]), int(row[1])) if row else (0, 0)
