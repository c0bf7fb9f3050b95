"""PostgreSQL searches: GIN matching, a cheap order, BM25 of the best through ts_rank."""

from __future__ import annotations

import math

from django.db import connections, transaction

from gongkai.search.backends.compiler import QueryCompiler
from gongkai.search.backends.postgres_vectors import (
    _cheap_order_sql,
    _weight_sum_sql,
    ts_quote,
)
from gongkai.search.backends.types import _FACET_COLUMNS, _NARROWING


class PostgresCompiler(QueryCompiler):

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
        # Transaction-local settings end with the transaction: when this search's atomic
        # block is the transaction (no caller's around it), COMMIT restores them and they
        # need not be read and set back (two statements less per search).
        names = ("enable_seqscan", "enable_indexscan", "jit", "max_parallel_workers_per_gather",
                 "work_mem")
        outer = connections[self.using].in_atomic_block
        with transaction.atomic(using=self.using), self.cursor() as cur:
            before = None
            if outer:
                cur.execute("SELECT " + ", ".join(f"current_setting('{n}')" for n in names))
                before = cur.fetchone()
            cur.execute("SELECT " + ", ".join(f"set_config('{n}', %s, true)" for n in names),
                        ["off", "off", "off", "0", self.work_mem])
            self._filtered_memo = {}
            self._facets_memo = {}
            self._want_facets = kwargs.get("facets", True)
            try:
                return super().search(raw, **kwargs)
            finally:
                self._filtered_memo = self._facets_memo = None
                if before is not None:
                    cur.execute("SELECT " + ", ".join(f"set_config('{n}', %s, true)"
                                                      for n in names), list(before))

    _idf_memo: tuple | None = None

    def _idf(self, terms: list[str]) -> tuple[dict[str, float], int]:
        """The words' idf and the number of entries, read once per search (the words'
        document frequencies shared with the fast path: ``_dfs``)."""
        key = tuple(terms)
        if self._idf_memo and self._idf_memo[0] == key:
            return self._idf_memo[1]
        with self.cursor() as cur:
            n, _avg = self._stats(cur)
            dfs = self._dfs(cur, terms)
        idf = {t: self.idf(dfs.get(t, 0), n) for t in terms}
        self._idf_memo = (key, (idf, n))
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
        # One order for every page (note 41): the best ``rerank`` by the cheap order, ranked
        # by BM25; then the other matches in the cheap order (approximate, and said so).
        need, head = offset + limit, self.rerank
        rows: list[tuple] = []
        total = None
        if offset < head:
            found = self._filtered(q, mode, where, params)
            if found is not None and found[0] <= self.facet_cap:
                # Every match was read by that statement: the best by the cheap order ranked.
                total, _facets, best = found
                cand = f"SELECT id, {int(total)} AS total FROM unnest(%s::bigint[]) AS c(id)"
                cand_params: list = [best]
            else:
                inner, inner_params = self._match_sql(
                    q, mode, where, params, select="e.id, mt.cheap, count(*) OVER () AS total")
                cand = f"{inner} ORDER BY mt.cheap DESC, e.id DESC LIMIT %s"
                cand_params = [*inner_params, head]
            with self.cursor() as cur:
                rows = self._rerank(cur, q, mode, cand, cand_params, min(need, head) - offset,
                                    offset)
            if rows:
                total = rows[0][-1]
        if need > head:
            start = max(offset, head)
            inner, inner_params = self._match_sql(
                q, mode, where, params, select="e.id, count(*) OVER () AS total")
            with self.cursor() as cur:
                cur.execute(f"{inner} ORDER BY mt.cheap DESC, e.id DESC LIMIT %s OFFSET %s",
                            [*inner_params, need - start, start])
                past = cur.fetchall()
                if past:
                    total = past[0][1]
                    rows += self._in_order(cur, q, mode, [r[0] for r in past], total)
                    self.page_approximate = True
        return rows, total

    def _in_order(self, cur, q, mode, ids: list[int], total) -> list[tuple]:
        """Rows of ``_rerank`` for ``ids`` (scored), in the order given."""
        cand = f"SELECT id, {int(total)} AS total FROM unnest(%s::bigint[]) AS c(id)"
        rows = self._rerank(cur, q, mode, cand, [ids], len(ids), 0)
        place = {entry_id: i for i, entry_id in enumerate(ids)}
        return sorted(rows, key=lambda r: place[r[0]])

    _filtered_memo: dict | None = None

    def _filtered(self, q, mode, where, params, ids: bool = True
                  ) -> tuple[int, dict[str, list], list[int] | None] | None:
        """The matches' count, facets and the ids of the best by a cheap order (title hits
        weighted by idf, then shortness — what BM25 weighs most, read from the heap row),
        from one statement, kept for the rest of the search: the AND/OR count, the page
        and the facets all need this set, and each asking again would build the same GIN
        bitmap (at 1M, up to 60 ms each).

        With a unit/year filter: every match (the filter's index and the GIN index
        together pass few). An AND search without one: the first ``facet_cap + 1``
        matches, as ``_facets`` counts them — the count is then exact up to the cap, and
        when it is below, the ids are the best of every match (AND searches the lists
        cannot serve mostly have a few hundred matches: their page, count and facets
        cost one GIN lookup, not three). ``ids``: the caller needs them (else they may be
        left out: a page from the lists only needs the facets). None: neither case, or a
        word excluded (the usual ways then)."""
        if q.excluded:
            return None
        narrowing = any(mark in where for mark in _NARROWING)
        if not narrowing and mode != "and":
            return None
        key = (mode, where, tuple(params))
        memo = self._filtered_memo
        if memo is not None and key in memo and (memo[key][2] is not None or not ids):
            return memo[key]
        idf, n = self._idf(q.required)
        terms = self._match_terms(q, mode, idf, n)
        cheap, cheap_params = _cheap_order_sql({t: idf[t] for t in terms})
        cols = ", ".join("e." + c for c in _FACET_COLUMNS.values())
        tsq = self._tsquery(q, mode, terms)
        if narrowing:
            best = max(self.filtered_rerank, self.filtered_cheap_rerank)
            matches = (f"SELECT e.id, {cols}, {cheap} AS cheap FROM search_searchentry e "
                       f"WHERE {where} AND e.vector @@ %s::tsquery")
            m_params = [*cheap_params, *params, tsq]
        else:
            # Fenced as in _set_sql: the GIN bitmap first, never a metadata index with `@@`
            # tested row by row.
            best = self.rerank
            matches = (f"SELECT e.id, {cols}, {cheap} AS cheap FROM (SELECT id, kind, "
                       "org_id, node_id, year, validity, genre, doc_type, is_public, length, "
                       "title, text FROM search_searchentry WHERE vector @@ %s::tsquery "
                       f"OFFSET 0) e WHERE {where} LIMIT %s")
            m_params = [*cheap_params, tsq, *params, self.facet_cap + 1]
        sql = (f"WITH m AS MATERIALIZED ({matches}), "
               "first AS MATERIALIZED (SELECT * FROM m LIMIT %s) "
               "SELECT '', '', count(*) FROM m UNION ALL "
               f"{self._facet_union('first')}")
        sql_params = [*m_params, self.facet_cap]
        if ids:
            # (m.id: the output column CAST(id AS TEXT) is named id too, and ordering by
            # it would break ties between equal cheap scores as text: "4" before "280".)
            sql += (" UNION ALL (SELECT '#', CAST(id AS TEXT), 0 FROM m "
                    "ORDER BY cheap DESC, m.id DESC LIMIT %s)")
            sql_params.append(best)
        with self.cursor() as cur:
            cur.execute(sql, sql_params)
            rows = cur.fetchall()
        counted, facets = self._read_facets([r for r in rows if r[0] != "#"])
        result = (counted, facets,
                  [int(value) for name, value, _c in rows if name == "#"] if ids else None)
        if memo is not None:
            memo[key] = result
        return result

    _facets_memo: dict | None = None
    _want_facets = False

    def _count(self, q, mode, where, params, cap=None):
        narrowing = any(mark in where for mark in _NARROWING)
        small = (cap is not None and cap <= self.facet_cap and self._want_facets
                 and self._facets_memo is not None)
        if narrowing or (small and mode == "and"):
            # Every match with a filter; else a small count (is there an AND page?) when
            # this search reads the facets of the same matches anyway: one statement
            # counts, facets and picks the candidates (_filtered), once.
            found = self._filtered(q, mode, where, params)
        else:  # (counting a few, e.g. up to min_and_hits, stops early: no facets for that)
            found = (self._filtered_memo or {}).get((mode, where, tuple(params)))
        if found is not None and (narrowing or found[0] <= self.facet_cap
                                  or (cap is not None and cap <= found[0])):
            return found[0] if cap is None else min(found[0], cap)
        if small:
            # The facets' statement over the same matches counts them, once.
            return min(self._facets(q, mode, where, params)[0], cap)
        return super()._count(q, mode, where, params, cap)

    def _filtered_page(self, q, mode, where, params, limit, offset):
        """A unit/year filter: its matches come from the filter's index and the GIN index
        together (a bitmap AND: no tsvector read). Up to ``filtered_rerank`` of them are all
        ranked exactly (their tsvectors read once); past that, the
        ``filtered_cheap_rerank`` best by a cheap order (``_filtered``)."""
        total, _facets, best = self._filtered(q, mode, where, params)
        need = offset + limit
        # ``best`` holds every match when they are few (all ranked exactly); else the
        # ``filtered_cheap_rerank`` best by the cheap order are ranked, then the others
        # follow in the cheap order: one order for every page (note 41).
        head = total if total <= self.filtered_rerank else self.filtered_cheap_rerank
        rows: list[tuple] = []
        with self.cursor() as cur:
            if offset < head:
                cand = f"SELECT id, {int(total)} AS total FROM unnest(%s::bigint[]) AS c(id)"
                rows = self._rerank(cur, q, mode, cand, [best[:head]],
                                    min(need, head) - offset, offset)
            if need > head:
                start = max(offset, head)
                if need <= len(best):
                    past = best[start:need]
                else:
                    idf, n = self._idf(q.required)
                    terms = self._match_terms(q, mode, idf, n)
                    cheap, cheap_params = _cheap_order_sql({t: idf[t] for t in terms})
                    cur.execute(f"SELECT e.id FROM search_searchentry e WHERE {where} AND "
                                f"e.vector @@ %s::tsquery ORDER BY {cheap} DESC, e.id DESC "
                                "LIMIT %s OFFSET %s",
                                [*params, self._tsquery(q, mode, terms), *cheap_params,
                                 need - start, start])
                    past = [r[0] for r in cur.fetchall()]
                if past:
                    rows += self._in_order(cur, q, mode, past, total)
                    self.page_approximate = True
        return rows, (total if total <= self.filtered_rerank else None)

    def _facets(self, q, mode, where, params):
        found = self._filtered(q, mode, where, params, ids=False)
        if found is not None:
            return found[0], found[1]
        memo = self._facets_memo
        key = (mode, where, tuple(params))
        if memo is not None and key in memo:
            counted, out = memo[key]
            return counted, {name: list(values) for name, values in out.items()}
        counted, out = self._facets_sampled(q, mode, where, params)
        if memo is not None:
            memo[key] = (counted, {name: list(values) for name, values in out.items()})
        return counted, out

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
            score_parts.append(f"%s * {tf} / ({tf} + %s + %s::float8 * r.length)")
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
        # The vec CTE holds each candidate's tsvector decompressed once (`|| ''`: a CTE
        # keeps the column's TOAST pointer as it is, and each ts_rank and @@ would fetch
        # and decompress it again — two per word of the question: a 15-word question's
        # 291 filtered matches took 67 ms, 24 ms read once).
        sql = (f"WITH cand AS MATERIALIZED ({cand}), "
               "vec AS MATERIALIZED (SELECT cand.id, cand.total, e.length, "
               "e.vector || ''::tsvector AS vector "
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

    def _contains_sql(self):
        return "strpos(e.text, %s) > 0"
