"""PostgreSQL: a tsvector of segmented words (title A, 文号 B, body D) with a GIN index.

The vector is written as a tsvector literal, never through a text-search parser, so the
segmenter's words are the lexemes exactly. Ranking is BM25-shaped: each query word's
ts_rank (saturating term frequency, length-normalised, weighted by column) times its
inverse document frequency, kept in ``search_term``.
"""

from __future__ import annotations

import math
import time

from django.db import transaction

from gongkai.search.backends.base import IndexEntry, SearchBackend

MAX_POS = 16383  # PostgreSQL's largest tsvector position
MAX_POSITIONS_PER_WORD = 255


def ts_quote(token: str) -> str:
    """A token as a quoted tsvector/tsquery lexeme: never read as operator syntax."""
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_literal(columns: list[tuple[list[str], str]]) -> tuple[str, set[str]]:
    positions: dict[str, list[str]] = {}
    pos = 0
    for tokens, weight in columns:
        for tok in tokens:
            pos = min(pos + 1, MAX_POS)
            plist = positions.setdefault(tok, [])
            if len(plist) < MAX_POSITIONS_PER_WORD:
                plist.append(f"{pos}{weight}")
    literal = " ".join(f"{ts_quote(t)}:{','.join(p)}" for t, p in positions.items())
    return literal, set(positions)


class PostgresBackend(SearchBackend):
    name = "postgres"
    vendor = "postgresql"
    _stats_cache: tuple[float, int] | None = None

    # -- ranking ---------------------------------------------------------------------------

    def _doc_count(self, cur) -> int:
        cached = self._stats_cache
        if cached and time.monotonic() - cached[0] < 30:
            return cached[1]
        cur.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = 'search_searchentry'")
        row = cur.fetchone()
        n = int(row[0]) if row and row[0] and row[0] > 0 else 0
        if n < 10000:  # estimate missing or too coarse: count exactly
            cur.execute("SELECT count(*) FROM search_searchentry")
            n = cur.fetchone()[0]
        self._stats_cache = (time.monotonic(), n)
        return n

    def _idf(self, terms: list[str]) -> tuple[dict[str, float], int]:
        with self.cursor() as cur:
            n = self._doc_count(cur)
            cur.execute("SELECT term, df FROM search_term WHERE term = ANY(%s)", [terms])
            dfs = dict(cur.fetchall())
        idf = {t: math.log(1 + (n - dfs.get(t, 0) + 0.5) / (dfs.get(t, 0) + 0.5)) for t in terms}
        return idf, n

    def _tsquery(self, q, mode: str, terms: list[str] | None = None) -> str:
        joiner = " & " if mode == "and" else " | "
        expr = "(" + joiner.join(ts_quote(t) for t in (terms or q.required)) + ")"
        for words in q.excluded:
            expr += " & !(" + " & ".join(ts_quote(w) for w in words) + ")"
        return expr

    def _match_terms(self, q, mode: str) -> list[str]:
        """In OR mode, words in more than half the documents only rank, they don't match."""
        if mode != "or":
            return q.required
        idf, n = self._idf(q.required)
        threshold = math.log(1 + (n - n / 2 + 0.5) / (n / 2 + 0.5))
        kept = [t for t in q.required if idf[t] > threshold]
        return kept or q.required

    def _match_sql(self, q, mode, where, params, select):
        sql = (f"SELECT {select} FROM search_searchentry e "
               f"WHERE e.vector @@ %s::tsquery AND {where}")
        return sql, [self._tsquery(q, mode, self._match_terms(q, mode)), *params]

    def _weights(self) -> str:
        body = min(1.0, 1.0 / max(1.0, float(self.title_weight)))
        return f"{{{body},{body},1.0,1.0}}"

    def _page(self, q, mode, where, params, limit, offset):
        idf, _n = self._idf(q.required)
        parts, score_params = [], []
        for t in q.required:
            parts.append("%s * ts_rank(%s::float4[], e.vector, %s::tsquery, 1)")
            score_params += [idf[t], self._weights(), ts_quote(t)]
        score = " + ".join(parts)
        if mode == "or":
            allm = "(e.vector @@ %s::tsquery)"
            allm_params = [self._tsquery(q, "and")]
        else:
            allm, allm_params = "true", []
        select = f"{self.HIT_COLUMNS}, ({score}) AS score, {allm} AS allm, count(*) OVER ()"
        sql, sql_params = self._match_sql(q, mode, where, params, select)
        sql += " ORDER BY allm DESC, score DESC, e.id DESC LIMIT %s OFFSET %s"
        with self.cursor() as cur:
            cur.execute(sql, [*score_params, *allm_params, *sql_params, limit, offset])
            rows = cur.fetchall()
        total = rows[0][-1] if rows else 0
        return rows, total

    def _contains_sql(self):
        return "strpos(e.text, %s) > 0"

    # -- indexing --------------------------------------------------------------------------

    def _index_batch(self, batch: list[IndexEntry]) -> int:
        added: dict[str, int] = {}
        rows = []
        for entry in batch:
            title, docnum, body = self.entry_tokens(entry)
            literal, lexemes = tsvector_literal([(title, "A"), (docnum, "B"), (body, "D")])
            for lex in lexemes:
                added[lex] = added.get(lex, 0) + 1
            rows.append((self.entry_row(entry, len(title) + len(docnum) + len(body)), literal))
        with transaction.atomic(using=self.using), self.cursor() as cur:
            by_kind: dict[str, list[int]] = {}
            for e in batch:
                by_kind.setdefault(e.kind, []).append(e.object_id)
            for kind, ids in by_kind.items():
                cur.execute("SELECT id FROM search_searchentry WHERE kind = %s "
                            "AND object_id = ANY(%s)", [kind, ids])
                existing = [r[0] for r in cur.fetchall()]
                if existing:
                    self._delete_entries(cur, existing)
            cur.executemany(
                f"INSERT INTO search_searchentry ({self.ENTRY_COLUMNS}, vector) VALUES "
                f"({','.join(['%s'] * 18)}, %s::tsvector)",
                [[*row, literal] for row, literal in rows])
            terms = sorted(added)
            cur.execute(
                "INSERT INTO search_term (term, df) SELECT * FROM unnest(%s::text[], %s::int[]) "
                "ON CONFLICT (term) DO UPDATE SET df = search_term.df + EXCLUDED.df",
                [terms, [added[t] for t in terms]])
        return len(batch)

    def _delete_entries(self, cur, entry_ids):
        cur.execute(
            "WITH gone AS (SELECT t, count(*) AS n FROM search_searchentry, "
            "unnest(tsvector_to_array(vector)) AS t WHERE id = ANY(%s) GROUP BY t) "
            "UPDATE search_term SET df = greatest(0, df - gone.n) FROM gone "
            "WHERE search_term.term = gone.t", [entry_ids])
        cur.execute("DELETE FROM search_searchentry WHERE id = ANY(%s)", [entry_ids])

    def clear(self):
        with transaction.atomic(using=self.using), self.cursor() as cur:
            cur.execute("DELETE FROM search_searchentry")
            cur.execute("DELETE FROM search_term")
        self._stats_cache = None
