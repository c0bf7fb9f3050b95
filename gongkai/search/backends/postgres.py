"""PostgreSQL: a tsvector of segmented words (title A, 文号 B, body D) with a GIN index.

The vector is written as a tsvector literal, never through a text-search parser, so the
segmenter's words are the lexemes exactly. Ranking is BM25-shaped: each query word's
ts_rank (saturating term frequency, length-normalised, weighted by column) times its
inverse document frequency, kept in ``search_term``.
"""

from __future__ import annotations

import functools
import math
from collections import Counter

from django.db import transaction

from gongkai.search import impact
from gongkai.search.backends.base import (
    _FACET_COLUMNS,
    _NARROWING,
    PreparedEntry,
    SearchBackend,
)

LISTS_LOCK = 0x676B5345  # pg_advisory_xact_lock key of the top lists ("gkSE")
MAX_POS = 16383  # PostgreSQL's largest tsvector position
MAX_POSITIONS_PER_WORD = 255


def ts_quote(token: str) -> str:
    """A token as a quoted tsvector/tsquery lexeme: never read as operator syntax."""
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_literal(columns: list[tuple[list[str], str]]
                     ) -> tuple[str, impact.WordCounts]:
    """The tsvector literal of the words (each column with its weight letter: title A,
    文号 B, body D, in that order), and for each word how many of its positions PostgreSQL
    will store as title/文号 and as body: ``(top, body)``. A word's positions run in column
    order, so these two numbers are all ts_rank reads (``rank_counts``)."""
    if sum(len(tokens) for tokens, _w in columns) > MAX_POS:
        return _capped_literal(columns)
    lists: dict[str, list[str]] = {}
    top: dict[str, int] = {}
    pos = 0
    for tokens, weight in columns:
        if weight == "D":  # the default weight: a position is written bare
            get = lists.get
            for at, tok in enumerate(tokens, pos + 1):
                plist = get(tok)
                if plist is None:
                    lists[tok] = [_POSITIONS[at]]
                else:
                    plist.append(_POSITIONS[at])
            pos += len(tokens)
        else:
            for tok in tokens:
                pos += 1
                plist = lists.get(tok)
                if plist is None:
                    lists[tok] = [f"{pos}{weight}"]
                else:
                    plist.append(f"{pos}{weight}")
            top = {t: min(len(p), MAX_POSITIONS_PER_WORD) for t, p in lists.items()}
    parts = []
    for t, p in lists.items():
        if "'" in t or "\\" in t:
            t = t.replace("\\", "\\\\").replace("'", "''")
        if len(p) > MAX_POSITIONS_PER_WORD:  # PostgreSQL keeps a word's first 255
            p = p[:MAX_POSITIONS_PER_WORD]
        parts.append(f"'{t}':{','.join(p)}")
    return " ".join(parts), impact.WordCounts(
        top, {t: min(len(p), MAX_POSITIONS_PER_WORD) for t, p in lists.items()})


_POSITIONS = [str(i) for i in range(MAX_POS + 1)]  # a body position, as the literal writes it


def _capped_literal(columns):
    """An entry longer than PostgreSQL's last position: every word past it sits at
    MAX_POS, kept once (with the weight of its first occurrence there)."""
    positions: dict[str, list[tuple[int, str]]] = {}
    pos = 0
    for tokens, weight in columns:
        for tok in tokens:
            pos = min(pos + 1, MAX_POS)
            plist = positions.setdefault(tok, [])
            if len(plist) < MAX_POSITIONS_PER_WORD:
                if plist and plist[-1][0] == pos:
                    continue
                plist.append((pos, weight))
    literal = " ".join(f"{ts_quote(t)}:{','.join(f'{n}{w}' for n, w in p)}"
                       for t, p in positions.items())
    top = {t: sum(1 for _pos, w in p if w != "D") for t, p in positions.items()}
    return literal, impact.WordCounts(top, {t: len(p) for t, p in positions.items()})


def ts_rank_one(plist: list[tuple[int, str]], weights: dict[str, float]) -> float:
    """PostgreSQL's ts_rank (normalization 0) of a one-word query, from the word's
    positions (tsrank.c, calc_rank_or): sum of weight/j^2 over its positions, with the
    heaviest occurrence counted as if first, over pi^2/6."""
    resj, wjm, jm = 0.0, -1.0, 0
    for j, (_pos, letter) in enumerate(plist):
        w = weights.get(letter, 0.0)
        resj += w / ((j + 1) * (j + 1))
        if w > wjm:
            wjm, jm = w, j
    if wjm < 0:
        return 0.0
    return (wjm + resj - wjm / ((jm + 1) * (jm + 1))) / 1.64493406685


_BODY = {"D": 1.0}  # ts_rank('{1,0,0,0}'): weights are given in D, C, B, A order
_TOP = {"A": 1.0, "B": 1.0}  # ts_rank('{0,0,1,1}')
ZETA2 = 1.64493406685
_H2 = [0.0]  # _H2[n] = sum of 1/j^2 for j = 1..n
for _j in range(1, MAX_POSITIONS_PER_WORD + 2):
    _H2.append(_H2[-1] + 1.0 / (_j * _j))


def rank_counts(top: int, body: int) -> tuple[float, float]:
    """``ts_rank_one`` of a word with ``top`` title/文号 positions followed by ``body`` body
    positions (the order a tsvector keeps them in): (body rank, title rank), in O(1).
    Body: the first body position counts as the heaviest (weight 1) at index ``top``."""
    body_rank = ((_H2[top + body] - _H2[top] + 1.0 - 1.0 / ((top + 1) * (top + 1))) / ZETA2
                 if body else 0.0)
    return body_rank, _H2[top] / ZETA2


def _tf_from_rank(rank: float) -> float:
    """A term frequency back from ts_rank of one word (see ``PostgresBackend._page``)."""
    return 0.608 / (1.0001 - rank) - 0.5 if rank > 0 else 0.0


@functools.cache
def _tfs_of_counts(top: int, body: int) -> tuple[float, float]:
    """(body tf, title tf) as ``_rerank`` reads them back from ts_rank."""
    body_rank, top_rank = rank_counts(top, body)
    return _tf_from_rank(body_rank), _tf_from_rank(top_rank)


def _weight_sum_sql(weights: dict[str, float]) -> tuple[str, list]:
    """(id, sum of the weights of the words it holds) for each entry holding any of them:
    one GIN lookup per word, no tsvector read."""
    parts, params = [], []
    for term, weight in weights.items():
        parts.append("SELECT id, %s::float8 AS w FROM search_searchentry "
                     "WHERE vector @@ %s::tsquery")
        params += [weight, ts_quote(term)]
    return f"SELECT id, sum(w) AS cheap FROM ({' UNION ALL '.join(parts)}) u GROUP BY id", params


def _cheap_order_sql(weights: dict[str, float]) -> tuple[str, list]:
    """SQL (on the entry row ``e``) ordering entries cheaply by what BM25 weighs most: each
    word in the title (with its weight), then shortness — heap columns only, no tsvector
    read. Used where an engine ranking of every match would cost too much."""
    hits = " + ".join(["%s * (strpos(lower(e.title), %s) > 0)::int"] * len(weights))
    return f"({hits}) - e.length * 1e-6", [x for t, w in weights.items() for x in (w, t)]


class PostgresBackend(SearchBackend):
    name = "postgres"
    vendor = "postgresql"
    _idf_cache: tuple | None = None
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

    def search(self, raw, **kwargs):
        # The planner costs `tsvector @@ query` as cheap and, on small tables, reads every
        # row instead of the GIN index; but each read decompresses a large tsvector. Make it
        # use the index for this search only. Plain index scans go too: a pk-ordered scan
        # that filters on `@@` row by row is the same trap; bitmap scans remain.
        # (JIT off too: the disabled plans' huge costs would trigger slow JIT compiles.
        # Parallel workers off: a search's scans take milliseconds, less than starting
        # workers costs; measured 17 ms alone against 24 ms with two workers.)
        # work_mem: a common word's GIN bitmap (280k entries at 1M) outgrows the default
        # 4 MB and turns lossy — every entry on a lossy page is then rechecked, its
        # tsvector read (a filtered 复工: 27k rechecks, 240 ms; exact, 30 ms).
        names = ("enable_seqscan", "enable_indexscan", "jit", "max_parallel_workers_per_gather",
                 "work_mem")
        with transaction.atomic(using=self.using), self.cursor() as cur:
            cur.execute("SELECT " + ", ".join(f"current_setting('{n}')" for n in names))
            before = cur.fetchone()
            cur.execute("SELECT " + ", ".join(f"set_config('{n}', %s, true)" for n in names),
                        ["off", "off", "off", "0", self.work_mem])
            self._filtered_memo = {}
            try:
                return super().search(raw, **kwargs)
            finally:
                self._filtered_memo = None
                cur.execute("SELECT " + ", ".join(f"set_config('{n}', %s, true)"
                                                  for n in names), list(before))

    # -- ranking ---------------------------------------------------------------------------

    def _idf(self, terms: list[str]) -> tuple[dict[str, float], int]:
        key = tuple(terms)
        if self._idf_cache and self._idf_cache[0] == key:
            return self._idf_cache[1]
        with self.cursor() as cur:
            n, _avg = self._stats(cur)
            cur.execute("SELECT term, df FROM search_term WHERE term = ANY(%s)", [terms])
            dfs = dict(cur.fetchall())
        idf = {t: self.idf(dfs.get(t, 0), n) for t in terms}
        self._idf_cache = (key, (idf, n))
        return idf, n

    def _tsquery(self, q, mode: str, terms: list[str] | None = None) -> str:
        joiner = " & " if mode == "and" else " | "
        expr = "(" + joiner.join(ts_quote(t) for t in (terms or q.required)) + ")"
        phrases = self._phrases_tsquery(q)
        if phrases and mode != "and":  # AND mode requires the phrases' words already
            expr += " & " + phrases
        return expr

    @staticmethod
    def _phrases_tsquery(q) -> str:
        """Every word of every "phrase": an entry holding a phrase holds them all, so the
        GIN index narrows the matches before each one's text is searched for the phrase."""
        return " & ".join("(" + " & ".join(ts_quote(w) for w in words) + ")"
                          for words in q.phrase_terms)

    def _match_terms(self, q, mode: str, idf: dict[str, float], n: int) -> list[str]:
        """In OR mode, words in more than half the documents only rank, they don't match."""
        if mode != "or":
            return q.required
        threshold = math.log(1 + (n - n / 2 + 0.5) / (n / 2 + 0.5))
        kept = [t for t in q.required if idf[t] > threshold]
        return kept or q.required

    def _matched(self, q, mode: str) -> tuple[str, list]:
        """Ids of matching entries with a cheap score (sum of idf of the words they contain).

        One GIN lookup per word: a plain-lexeme match needs no recheck, so no tsvector is
        read from the heap here (reading and decompressing them is the slow part)."""
        idf, n = self._idf(q.required)
        terms = self._match_terms(q, mode, idf, n)
        if mode == "and":
            # Every match holds every word (one GIN intersection), so their idf sum is the
            # same for all. What orders them cheaply, before the best are ranked exactly,
            # is what bm25 weighs most: the words in the title (weighted up), then the
            # length (a shorter entry weighs the same count more); both on the heap row.
            cheap, params = _cheap_order_sql({t: idf[t] for t in terms})
            sql = (f"SELECT e.id, {cheap} AS cheap FROM search_searchentry e "
                   "WHERE e.vector @@ %s::tsquery OFFSET 0")
            params.append(self._tsquery(q, "and", terms))
        else:
            sql, params = _weight_sum_sql({t: idf[t] for t in terms})
            if q.phrase_terms:
                sql = (f"SELECT * FROM ({sql}) x WHERE id IN (SELECT id FROM "
                       "search_searchentry WHERE vector @@ %s::tsquery)")
                params.append(self._phrases_tsquery(q))
        for words in q.excluded:
            neg = "(" + " & ".join(ts_quote(w) for w in words) + ")"
            sql = (f"SELECT * FROM ({sql}) x WHERE id NOT IN (SELECT id FROM "
                   "search_searchentry WHERE vector @@ %s::tsquery)")
            params.append(neg)
        return sql, params

    def _match_sql(self, q, mode, where, params, select):
        matched, mparams = self._matched(q, mode)
        sql = (f"SELECT {select} FROM ({matched}) mt JOIN search_searchentry e ON e.id = mt.id "
               f"WHERE {where}")
        return sql, [*mparams, *params]

    def _set_sql(self, q, mode, where, params, select):
        """Unranked: one bitmap scan of the GIN index for the whole tsquery, the filter and
        facet columns read from the same (narrow) heap rows; no tsvector is decompressed
        unless a word is excluded. The match is fenced (OFFSET 0) so the planner cannot
        start from a metadata index and test `@@` row by row instead — except when a
        unit/year filter passes few entries: then that is the fast plan (a few hundred `@@`
        tests, against reading every match's row)."""
        idf, n = self._idf(q.required)
        terms = self._sample_terms or self._match_terms(q, mode, idf, n)
        cols = ("id, kind, org_id, node_id, year, validity, genre, doc_type, is_public, "
                "length, text")
        sql = f"SELECT {cols} FROM search_searchentry WHERE vector @@ %s::tsquery"
        sparams: list = [self._tsquery(q, mode, terms)]
        for words in q.excluded:
            sql += (" AND id NOT IN (SELECT id FROM search_searchentry "
                    "WHERE vector @@ %s::tsquery)")
            sparams.append("(" + " & ".join(ts_quote(w) for w in words) + ")")
        fence = "" if any(mark in where for mark in _NARROWING) else " OFFSET 0"
        return (f"SELECT {select} FROM ({sql}{fence}) e WHERE {where}"), [*sparams, *params]

    _sample_terms: list[str] | None = None

    def _facets_sampled(self, q, mode, where, params):
        """An OR search with a word in many entries has more matches than facets count
        (FACET_CAP), but the GIN bitmap of every word is built before the first is read
        (150 ms for a question at 1M). Its facets are counted on the matches of that word
        alone — matches all the same, so more than the cap of them means the total is
        capped too; else every word is counted as usual."""
        if (mode == "or" and self.count_cap <= self.facet_cap
                and not any(mark in where for mark in _NARROWING)):
            with self.cursor() as cur:
                dfs = self._dfs(cur, q.required)
            many = sorted((df, t) for t, df in dfs.items() if df > 2 * self.facet_cap)
            if many:
                self._sample_terms = [many[0][1]]
                try:
                    counted, out = super()._facets(q, mode, where, params)
                finally:
                    self._sample_terms = None
                if counted > self.facet_cap:
                    return counted, out
        return super()._facets(q, mode, where, params)

    def _page(self, q, mode, where, params, limit, offset):
        """Two phases: every match gets the cheap score (GIN only); the best ``rerank`` get
        BM25, with term frequencies read through ts_rank.

        ts_rank only binary-searches one word's positions (unnesting a whole tsvector is
        ten times slower): for one word of uniform weight it is H(tf)/zeta(2), H(n) = sum of
        1/j^2, so tf ~= 0.608 / (1 - rank) - 0.5 (within 0.05 for tf <= 10). Title and 文号
        positions (weights A, B) are ranked apart from the body and count title_weight times.
        """
        if any(mark in where for mark in _NARROWING) and not q.excluded:
            return self._filtered_page(q, mode, where, params, limit, offset)
        inner, inner_params = self._match_sql(
            q, mode, where, params, select="e.id, mt.cheap, count(*) OVER () AS total")
        rerank = max(self.rerank, offset + limit)
        cand = f"{inner} ORDER BY mt.cheap DESC, e.id DESC LIMIT %s"
        with self.cursor() as cur:
            rows = self._rerank(cur, q, mode, cand, [*inner_params, rerank], limit, offset)
        total = rows[0][-1] if rows else 0
        return rows, total

    _filtered_memo: dict | None = None

    def _filtered(self, q, mode, where, params) -> tuple[int, dict[str, list], list[int]] | None:
        """A unit/year filter's matches, from one statement: their count, facets and the
        ids of the best by a cheap order (title hits weighted by idf, then shortness — what
        BM25 weighs most, read from the heap row). Kept for the rest of the search: the
        AND/OR count, the page and the facets all need this set, and each asking again
        would build the same GIN bitmap (at 1M, up to 60 ms each). None: no narrowing
        filter, or a word excluded (the usual ways then)."""
        if q.excluded or not any(mark in where for mark in _NARROWING):
            return None
        key = (mode, where, tuple(params))
        memo = self._filtered_memo
        if memo is not None and key in memo:
            return memo[key]
        idf, n = self._idf(q.required)
        terms = self._match_terms(q, mode, idf, n)
        cheap, cheap_params = _cheap_order_sql({t: idf[t] for t in terms})
        cols = ", ".join("e." + c for c in _FACET_COLUMNS.values())
        best = max(self.filtered_rerank, self.filtered_cheap_rerank)
        sql = (f"WITH m AS MATERIALIZED (SELECT e.id, {cols}, {cheap} AS cheap "
               f"FROM search_searchentry e WHERE {where} AND e.vector @@ %s::tsquery), "
               "first AS MATERIALIZED (SELECT * FROM m LIMIT %s) "
               "SELECT '', '', count(*) FROM m UNION ALL "
               f"{self._facet_union('first')} UNION ALL "
               "(SELECT '#', CAST(id AS TEXT), 0 FROM m ORDER BY cheap DESC, id DESC LIMIT %s)")
        sql_params = [*cheap_params, *params,
                      self._tsquery(q, mode, terms), self.facet_cap, best]
        with self.cursor() as cur:
            cur.execute(sql, sql_params)
            rows = cur.fetchall()
        ids = [int(value) for name, value, _c in rows if name == "#"]
        counted, facets = self._read_facets([r for r in rows if r[0] != "#"])
        result = (counted, facets, ids)
        if memo is not None:
            memo[key] = result
        return result

    def _count(self, q, mode, where, params, cap=None):
        found = self._filtered(q, mode, where, params)
        if found is None:
            return super()._count(q, mode, where, params, cap)
        return found[0] if cap is None else min(found[0], cap)

    def _filtered_page(self, q, mode, where, params, limit, offset):
        """A unit/year filter: its matches come from the filter's index and the GIN index
        together (a bitmap AND: no tsvector read). Up to ``filtered_rerank`` of them are all
        ranked exactly (their tsvectors read once); past that, the
        ``filtered_cheap_rerank`` best by a cheap order (``_filtered``)."""
        total, _facets, best = self._filtered(q, mode, where, params)
        with self.cursor() as cur:
            if offset + limit > self.rerank:
                # A deep page: every match ranked (as the unfiltered path does).
                idf, n = self._idf(q.required)
                cand = (f"SELECT e.id, {int(total)} AS total FROM search_searchentry e "
                        f"WHERE {where} AND e.vector @@ %s::tsquery")
                tsq = self._tsquery(q, mode, self._match_terms(q, mode, idf, n))
                rows = self._rerank(cur, q, mode, cand, [*params, tsq], limit, offset)
                return rows, total
            exact = total <= self.filtered_rerank
            ids = best if exact else best[:self.filtered_cheap_rerank]
            cand = f"SELECT id, {int(total)} AS total FROM unnest(%s::bigint[]) AS c(id)"
            rows = self._rerank(cur, q, mode, cand, [ids], limit, offset)
            return rows, (total if exact else None)

    def _facets(self, q, mode, where, params):
        found = self._filtered(q, mode, where, params)
        if found is not None:
            return found[0], found[1]
        return self._facets_sampled(q, mode, where, params)

    def _rerank(self, cur, q, mode, cand: str, cand_params: list, limit, offset,
                must_match: bool = False) -> list[tuple]:
        """BM25 of the candidates (``cand`` yields id, total): rows of HIT_COLUMNS, score,
        has-every-word, total, best first. ``must_match``: drop candidates that do not
        match the query in ``mode`` (tested on the tsvector already read)."""
        terms = q.required
        idf, _n = self._idf(terms)
        _n, avg = self._stats(cur)
        rank_cols, rank_params, score_parts, score_params = [], [], [], []
        for i, t in enumerate(terms):
            rank_cols.append(f"ts_rank('{{1,0,0,0}}', e.vector, %s::tsquery) AS b{i}, "
                             f"ts_rank('{{0,0,1,1}}', e.vector, %s::tsquery) AS t{i}")
            rank_params += [ts_quote(t), ts_quote(t)]
            tf = (f"(CASE WHEN r.b{i} > 0 THEN 0.608 / (1.0001 - r.b{i}) - 0.5 ELSE 0 END"
                  f" + %s * CASE WHEN r.t{i} > 0 THEN 0.608 / (1.0001 - r.t{i}) - 0.5 ELSE 0 END)"
                  )
            score_parts.append(f"%s * {tf} / ({tf} + %s + %s * r.length)")
            w = float(self.title_weight)
            score_params += [idf[t] * (self.k1 + 1), w, w, self.k1 * (1 - self.b),
                             self.k1 * self.b / avg]
        if mode == "or":
            allm, allm_params = "(e.vector @@ %s::tsquery)", [self._tsquery(q, "and")]
        else:
            allm, allm_params = "true", []
        if must_match:
            keep, keep_params = "(e.vector @@ %s::tsquery)", [self._tsquery(q, mode)]
        else:
            keep, keep_params = "true", []
        # The vec CTE holds each candidate's tsvector decompressed once; every ts_rank on
        # the table column would decompress it again.
        sql = (f"WITH cand AS MATERIALIZED ({cand}), "
               "vec AS MATERIALIZED (SELECT cand.id, cand.total, e.length, e.vector "
               "FROM cand JOIN search_searchentry e ON e.id = cand.id), "
               f"r AS MATERIALIZED (SELECT e.id, e.total, e.length, {allm} AS allm, "
               f"{keep} AS keep, {', '.join(rank_cols)} FROM vec e), "
               f"s AS (SELECT r.id, r.total, r.allm, {' + '.join(score_parts)} AS score FROM r "
               "WHERE r.keep) "
               f"SELECT {self.HIT_COLUMNS}, s.score, s.allm, s.total FROM s "
               "JOIN search_searchentry e ON e.id = s.id "
               "ORDER BY s.allm DESC, s.score DESC, e.id DESC LIMIT %s OFFSET %s")
        cur.execute(sql, [*cand_params, *allm_params, *keep_params, *rank_params,
                          *score_params, limit, offset])
        return cur.fetchall()

    # -- the fast path's engine parts ------------------------------------------------------

    def idf(self, df: int, n: int) -> float:
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def _unlisted_bounds(self, cur, terms, idf):
        """From the GIN index alone: idf x (k1 + 1) for each of the words an entry holds
        (term frequencies would mean reading every match's tsvector)."""
        sql, params = _weight_sum_sql({t: idf[t] * (self.k1 + 1) for t in terms})
        cur.execute(sql, params)
        return cur.fetchall()

    def _score_ids(self, cur, q, mode, ids, where, params, and_ids):
        if not ids:
            return []
        cand = (f"SELECT e.id, 0 AS total FROM search_searchentry e WHERE e.id = ANY(%s) "
                f"AND {where}")
        rows = self._rerank(cur, q, mode, cand, [list(ids), *params], len(ids), 0,
                            must_match=True)
        return [r[:-1] for r in rows]  # drop total: (HIT_COLUMNS, score, has-every-word)

    def _pair_best(self, cur, words, where, params, n):
        # Both words from the GIN index (rare words: short posting lists), in the cheap
        # order this backend's AND pages use (title hits, then shortness; heap rows only).
        cheap, cheap_params = _cheap_order_sql(dict.fromkeys(words, 1.0))
        cur.execute(f"SELECT e.id FROM search_searchentry e WHERE e.vector @@ %s::tsquery "
                    f"AND {where} ORDER BY {cheap} DESC, e.id DESC LIMIT %s",
                    [" & ".join(ts_quote(w) for w in words), *params, *cheap_params, n])
        return [r[0] for r in cur.fetchall()]

    def _lock_lists(self, cur):
        # Concurrent index transactions take turns at the top lists (held to commit).
        cur.execute("SELECT pg_advisory_xact_lock(%s)", [LISTS_LOCK])

    def _freq_of(self):
        """Impacts as ``_rerank`` will score them: term frequencies read back from what
        ts_rank returns for the word's positions (computed here exactly as PostgreSQL
        does), so a list's bound holds for the SQL score to float precision."""
        weight = float(self.title_weight)

        def freq(n_top: int, n_body: int) -> float:
            tf_body, tf_top = _tfs_of_counts(n_top, n_body)
            return tf_body + weight * tf_top

        return freq

    def _list_from_engine(self, cur, term, k):
        """Impacts read as ``_rerank`` reads term frequencies (ts_rank, inverted), so a
        list and the exact score agree; unnesting the tsvector would be exact but ~15x
        slower."""
        running = self._running or [0, 0]
        avgdl = running[1] / running[0] if running[0] else self._stats(cur)[1]
        # The GIN index, never a scan of every tsvector (a new table has no statistics).
        cur.execute("SET LOCAL enable_seqscan = off")
        cur.execute("SELECT e.id, e.length, ts_rank('{1,0,0,0}', e.vector, %s::tsquery), "
                    "ts_rank('{0,0,1,1}', e.vector, %s::tsquery) FROM search_searchentry e "
                    "WHERE e.vector @@ %s::tsquery", [ts_quote(term)] * 3)
        w = float(self.title_weight)
        out = []
        for entry_id, length, body, top in cur.fetchall():
            f = _tf_from_rank(body) + w * _tf_from_rank(top)
            out.append((entry_id, impact.tf_part(f, length, avgdl)))
        out.sort(key=lambda e: (-e[1], e[0]))  # ties: the older entries, not heap order
        return out[:k]

    def _contains_sql(self):
        return "strpos(e.text, %s) > 0"

    # -- indexing --------------------------------------------------------------------------

    def _forget_stats(self) -> None:
        super()._forget_stats()
        self._idf_cache = None

    def _fulltext(self, title, docnum, body):
        literal, counts = tsvector_literal([(title, "A"), (docnum, "B"), (body, "D")])
        return counts, literal

    def _write_batch(self, batch: list[PreparedEntry]) -> int:
        self._forget_stats()
        with transaction.atomic(using=self.using), self.cursor() as cur:
            if self._rebuild:
                # A rebuild's GIN pending list may grow 8x the default before it is merged
                # into the index, with room to sort it: fewer, larger merges (a third less
                # time in each COPY). A single entry's update keeps the defaults: searches
                # read the pending list unsorted.
                cur.execute("SELECT set_config('gin_pending_list_limit', '32MB', true), "
                            "set_config('work_mem', '64MB', true)")
            by_kind: dict[str, list[int]] = {}
            for e in batch:
                by_kind.setdefault(e.kind, []).append(e.object_id)
            for kind, ids in by_kind.items():
                cur.execute("SELECT id FROM search_searchentry WHERE kind = %s "
                            "AND object_id = ANY(%s)", [kind, ids])
                existing = [r[0] for r in cur.fetchall()]
                if existing:
                    self._delete_entries(cur, existing)
            was_empty = self._index_is_empty(cur)
            # The ids first, then COPY: one stream for the batch (an INSERT a row cost a
            # round trip each), and no lookup of what was inserted.
            cur.execute("SELECT nextval(pg_get_serial_sequence('search_searchentry', 'id')) "
                        "FROM generate_series(1, %s)", [len(batch)])
            new_ids = [r[0] for r in cur.fetchall()]
            cur.execute("UPDATE search_totals SET entries = entries + %s, words = words + %s "
                        "RETURNING entries, words", [len(batch), sum(p.length for p in batch)])
            self._totals_now = [int(x) for x in cur.fetchone()]
            lists = self._lists_before(cur, was_empty, batch)
            try:
                with cur.copy(f"COPY search_searchentry (id, {self.ENTRY_COLUMNS}, vector) "
                              "FROM STDIN") as copy:
                    for entry_id, p in zip(new_ids, batch, strict=True):
                        copy.write_row([entry_id, *p.row, p.fulltext])
                    # The rows are on their way: while the server inserts them (parsing
                    # the vectors, the GIN index: its larger share of the batch), this
                    # process does its own share, before waiting for the COPY to end.
                    added: Counter[str] = Counter()
                    for p in batch:
                        added.update(p.freqs.keys())  # each word once per entry
                    work = (self._lists_work(new_ids, batch, lists) if lists is not None
                            else None)
                terms = sorted(added)
                cur.execute(
                    "INSERT INTO search_term (term, df) SELECT * FROM "
                    "unnest(%s::text[], %s::int[]) ON CONFLICT (term) DO UPDATE "
                    "SET df = search_term.df + EXCLUDED.df RETURNING term, df",
                    [impact.pg_array(terms, "text"), impact.pg_array([added[t] for t in terms])])
                dfs = dict(cur.fetchall())
                if lists is not None:
                    self._lists_after(cur, lists, work, dfs)
            except BaseException:
                self._young = None  # it may hold postings of entries not written
                raise
        return len(batch)

    def _totals(self, cur):
        cur.execute("SELECT entries, words FROM search_totals")
        row = cur.fetchone()
        return (int(row[0]), int(row[1])) if row else (0, 0)

    def _totals_with(self, cur, batch):
        return list(self._totals_now)  # as _write_batch's update returned them

    def _after_batch(self) -> None:
        """A rebuild tends its tables each time the index has doubled. Statistics: without
        them (a new table, or a server without autovacuum) the planner reads every row for
        each batch's lookups — quadratic in the size of the index. Vacuum: every batch
        updates thousands of document frequencies and list heads and trims lists; without
        autovacuum their dead rows pile up (at 600k entries, 2.3M dead list rows beside
        1.7M live ones, and every read of a list steps over them)."""
        n = (self._running or [0])[0]
        if self._rebuild and n >= max(self.tend_after, 2 * self._analyzed_at):
            self._tend(full=False)
            self._analyzed_at = n

    def _finish_rebuild(self) -> None:
        """After a rebuild: statistics, dead rows gone, and the visibility map set (index-
        only scans of the filter and facet indexes skip the wide rows only for pages it
        marks all-visible)."""
        self._tend(full=True)

    _CHURNING = "search_searchimpact, search_searchhead, search_term, search_totals"

    def _tend(self, full: bool) -> None:
        """Vacuum and analyse the tables every batch churns; the entries too when ``full``
        (else only the columns a batch's lookups use: the words' statistics are read from
        every sampled tsvector, seconds). VACUUM cannot run inside a transaction: a caller
        holding one gets ANALYZE alone."""
        entries = "search_searchentry" if full else "search_searchentry (id, kind, object_id)"
        with self.cursor() as cur:
            if self._in_transaction():
                cur.execute(f"ANALYZE {self._CHURNING}, {entries}")
            else:
                cur.execute(f"VACUUM (ANALYZE) {self._CHURNING}")
                cur.execute(f"{'VACUUM (ANALYZE)' if full else 'ANALYZE'} {entries}")

    def _delete_entries(self, cur, entry_ids):
        self._forget_stats()
        self._young = None  # a rebuild's postings no longer describe the index
        cur.execute("UPDATE search_totals SET entries = entries - g.n, words = words - g.w "
                    "FROM (SELECT count(*) AS n, coalesce(sum(length), 0) AS w "
                    "FROM search_searchentry WHERE id = ANY(%s)) g", [entry_ids])
        cur.execute(
            "WITH gone AS (SELECT t, count(*) AS n FROM search_searchentry, "
            "unnest(tsvector_to_array(vector)) AS t WHERE id = ANY(%s) GROUP BY t) "
            "UPDATE search_term SET df = greatest(0, df - gone.n) FROM gone "
            "WHERE search_term.term = gone.t", [entry_ids])
        impact.remove(cur, list(entry_ids))
        cur.execute("DELETE FROM search_searchentry WHERE id = ANY(%s)", [entry_ids])

    def clear(self):
        with transaction.atomic(using=self.using), self.cursor() as cur:
            cur.execute("DELETE FROM search_searchentry")
            cur.execute("DELETE FROM search_term")
            cur.execute("UPDATE search_totals SET entries = 0, words = 0")
            self._clear_lists(cur)
        self._forget_stats()
