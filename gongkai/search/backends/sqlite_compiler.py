"""SQLite FTS5 searches: matching, bm25() ranking, and the fast path's engine parts."""

from __future__ import annotations

from gongkai.search import impact
from gongkai.search.backends.compiler import QueryCompiler
from gongkai.search.backends.sqlite_fts import (
    _NARROWING,
    META_TOKENS,
    _count_words,
    _fts_words,
    fts_quote,
    meta_token,
)


def _occurrences(text: str, padded: str) -> int:
    """How often the word ``padded`` (" word ") occurs in ``text`` (single-space separated
    words with a space at each end). Two occurrences share at most a space (" word word "),
    so each search starts at the last one's closing space: one pass over the text as
    stored. (Spacing the words out first so that ``str.count`` could count them took twice
    as long: note 43.)"""
    found, step = 0, len(padded) - 1
    at = text.find(padded)
    while at >= 0:
        found += 1
        at = text.find(padded, at + step)
    return found


class SQLiteCompiler(QueryCompiler):

    _meta_match = ""  # this search's filters as an FTS5 expression (``_filter_sql``)
    _and_memo: tuple | None = None  # (the AND query's key, its first ids) (``_and_ids``)

    def _filter_sql(self, f, v):
        parts = []
        for field, values in (("o", f.org_ids), ("n", f.node_ids), ("y", f.years),
                              ("v", f.validity), ("g", f.genre), ("t", f.doc_type),
                              ("k", [f.kind] if f.kind else [])):
            if values:
                if field in "ony":
                    values = [int(x) for x in values]
                parts.append("(" + " OR ".join(fts_quote(meta_token(field, x))
                                               for x in values) + ")")
        self._meta_match = " AND ".join(parts)
        return super()._filter_sql(f, v)

    def _phrase_sql(self, q, i: int) -> tuple[str, list]:
        # FTS5 finds the entries with every word of the phrase first (a cheap doclist
        # intersection); only those have their text searched for the phrase as written.
        words = " AND ".join(fts_quote(w) for w in q.phrase_terms[i]) or '""'
        return ("(e.id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH %s) "
                "AND instr(e.text, %s) > 0)", [words, q.phrases[i]])

    def _fts_query(self, q, mode: str) -> str:
        joiner = " AND " if mode == "and" else " OR "
        terms = q.required if mode == "and" else self._or_terms(q)
        expr = "(" + joiner.join(fts_quote(t) for t in terms) + ")"
        for words in q.excluded:
            expr += " NOT (" + " AND ".join(fts_quote(w) for w in words) + ")"
        if self._meta_match:
            expr = f"({expr}) AND {self._meta_match}"
        return expr

    def _match_sql(self, q, mode, where, params, select):
        """The matches: FTS5 finds them (a unit/year filter is in the MATCH as tokens), each
        one's metadata is read from the narrow by-id index (never its wide row, unless the
        filter reads the text: a phrase). A count stops at its cap early."""
        sql = (f"SELECT {select} FROM search_fts f JOIN search_searchentry e "
               "INDEXED BY search_entry_byid ON e.id = f.rowid "
               f"WHERE f.search_fts MATCH %s AND {where}")
        return sql, [self._fts_query(q, mode), *params]

    def _page(self, q, mode, where, params, limit, offset):
        """FTS5 ranks and LIMITs inside the virtual table first (no join, no sort of every
        match); the metadata filters apply to those candidates. Only when too few of them
        pass the filters (a narrow filter, a deep page) is every match ranked and joined."""
        need = offset + limit
        k = max(self.fast_candidates, 4 * need)
        if any(mark in where for mark in _NARROWING) or need > k // 4:
            # A filter (unit, year ...) passes few of the best-ranked matches: rank them all.
            return self._full_page(q, mode, where, params, limit, offset), None
        with self.cursor() as cur:
            cur.execute("SELECT rowid, rank FROM search_fts WHERE search_fts MATCH %s "
                        "AND rank MATCH %s ORDER BY rank LIMIT %s",
                        [self._fts_query(q, mode), self._rank_config(), k])
            cand = cur.fetchall()
            if len(cand) < k:  # every match is a candidate: rank them all right here
                k = 0
            scores = {rid: -rank for rid, rank in cand}
            and_ids: set[int] = set()
            if mode == "or":
                # Entries with every word come first; the AND count was below min_and_hits.
                sql, sparams = self._match_sql(q, "and", where, params, select="e.id")
                cur.execute(sql, sparams)
                and_ids = {r[0] for r in cur.fetchall()}
                missing = [i for i in and_ids if i not in scores]
                if missing:
                    cur.execute("SELECT rowid, rank FROM search_fts WHERE search_fts MATCH %s "
                                "AND rank MATCH %s AND rowid IN "
                                f"({','.join(['%s'] * len(missing))})",
                                [self._fts_query(q, mode), self._rank_config(), *missing])
                    scores.update({rid: -rank for rid, rank in cur.fetchall()})
            ids = list(scores)
            rows: list[tuple] = []
            if ids:
                cur.execute(f"SELECT {self.HIT_COLUMNS} FROM search_searchentry e WHERE e.id IN "
                            f"({','.join(['%s'] * len(ids))}) AND {where}", [*ids, *params])
                rows = [(*r, scores[r[0]], r[0] in and_ids) for r in cur.fetchall()]
            passed_or = sum(1 for r in rows if not r[-1])
            if k == 0 or passed_or >= need:
                rows.sort(key=lambda r: (r[-1], r[-2], r[0]), reverse=True)
                return rows[offset:need], None
        return self._full_page(q, mode, where, params, limit, offset), None

    def _full_page(self, q, mode, where, params, limit, offset):
        """Rank every match: bm25() in a plain scan of the FTS table, kept when the entry
        passes the filters (read from a covering index, never a wide row per match)."""
        if mode == "or":
            allm = "(m.rid IN (SELECT rowid FROM search_fts WHERE search_fts MATCH %s))"
            allm_params = [self._fts_query(q, "and")]
        else:
            allm, allm_params = "0", []
        if any(mark in where for mark in _NARROWING):
            # A unit/year filter (in the MATCH as tokens) or a phrase: FTS5 finds and
            # scores the entries with the words (and filter tokens); each is checked
            # against the rest (visibility, the phrase as written) by its id.
            sql = (f"SELECT rowid, -{self._bm25()} AS score, {allm.replace('m.rid', 'rowid')} "
                   "AS allm FROM search_fts WHERE search_fts MATCH %s AND EXISTS "
                   "(SELECT 1 FROM search_searchentry e INDEXED BY search_entry_byid "
                   f"WHERE e.id = search_fts.rowid AND {where}) "
                   "ORDER BY allm DESC, score DESC, rowid DESC LIMIT %s OFFSET %s")
            sql_params = [*allm_params, self._fts_query(q, mode), *params, limit, offset]
            with self.cursor() as cur:
                cur.execute(sql, sql_params)
                return self._hits_for(cur, cur.fetchall())
        # No narrowing filter: most matches pass, so the visible ones come from one scan of
        # the facet index (a lookup table built once), not a by-id probe per match.
        match = ("SELECT e.id FROM search_searchentry e INDEXED BY search_entry_facets "
                 "WHERE e.is_public IN (0, 1) AND e.id IN "
                 f"(SELECT rowid FROM search_fts WHERE search_fts MATCH %s) AND {where}")
        match_params = [self._fts_query(q, mode), *params]
        sql = (f"WITH m AS MATERIALIZED (SELECT rowid AS rid, {self._bm25()} AS rank "
               "FROM search_fts WHERE search_fts MATCH %s) "
               f"SELECT m.rid, -m.rank AS score, {allm} AS allm FROM m "
               f"WHERE m.rid IN ({match}) "
               "ORDER BY allm DESC, score DESC, m.rid DESC LIMIT %s OFFSET %s")
        with self.cursor() as cur:
            cur.execute(sql, [self._fts_query(q, mode), *allm_params, *match_params,
                              limit, offset])
            return self._hits_for(cur, cur.fetchall())

    def _hits_for(self, cur, ranked):
        if not ranked:
            return []
        cur.execute(f"SELECT {self.HIT_COLUMNS} FROM search_searchentry e WHERE e.id IN "
                    f"({','.join(['%s'] * len(ranked))})", [r[0] for r in ranked])
        by_id = {r[0]: r for r in cur.fetchall()}
        return [(*by_id[i], score, allm) for i, score, allm in ranked if i in by_id]

    def _count(self, q, mode, where, params, cap=None):
        if mode == "and" and cap is not None and cap == self.min_and_hits:
            # "Are there min_and_hits entries with every word?": the ids themselves, kept
            # for the OR page, which puts them first (``_and_ids``).
            with self.cursor() as cur:
                return len(self._and_ids(cur, q, where, params, cap))
        return super()._count(q, mode, where, params, cap)

    def _and_ids(self, cur, q, where, params, cap):
        # A search asks for the same few AND matches up to three times (its AND count, the
        # fast path's OR page, the few-matches page); an AND of a question's dozen words
        # took FTS5 2-4 ms at 100k each time.
        key = (tuple(q.required), where, list(params), cap)
        if self._and_memo is None or self._and_memo[0] != key:
            self._and_memo = (key, super()._and_ids(cur, q, where, params, cap))
        return list(self._and_memo[1])

    def _contains_sql(self):
        return "instr(e.text, %s) > 0"

    def _unlisted_bounds(self, cur, terms, idf):
        # bm25() sums over the query's words: over just these words it is their exact part.
        expr = " OR ".join(fts_quote(t) for t in terms)
        cur.execute(f"SELECT rowid, -{self._bm25()} FROM search_fts WHERE search_fts MATCH %s",
                    [expr])
        return cur.fetchall()

    def _pair_best(self, cur, words, where, params, n):
        # Two of a question's rarest words: short doclists, FTS5 ranks their few shared
        # entries inside the virtual table; the filters and visibility apply after.
        cur.execute(f"SELECT e.id FROM (SELECT rowid AS id, rank FROM search_fts WHERE "
                    "search_fts MATCH %s AND rank MATCH %s ORDER BY rank LIMIT %s) f "
                    "JOIN search_searchentry e INDEXED BY search_entry_byid ON e.id = f.id "
                    f"WHERE {where}",
                    [" AND ".join(fts_quote(w) for w in words), self._rank_config(), n,
                     *params])
        return [r[0] for r in cur.fetchall()]

    def _score_ids(self, cur, q, mode, ids, where, params, and_ids):
        """bm25() of the candidates, computed here from their stored words: FTS5 would
        walk every doclist of the question (and count each word's matches for its idf) to
        score a hundred rows. The arithmetic is bm25()'s own (fts5_aux.c), on the numbers
        FTS5 keeps (row count and token total from its averages record, document
        frequencies kept beside it), so the scores are the same to the last bit."""
        if not ids:
            return []
        terms = q.required if mode == "and" else self._or_terms(q)
        dfs = self._dfs(cur, terms)
        # (A unit/year filter is in the MATCH: FTS5 skips through the word's doclist.)
        per = (self.postings_per_candidate if len(terms) > 1 or self._meta_match
               else self.postings_per_candidate_one_word)
        if (sum(dfs.values()) < per * len(ids)
                or any(_fts_words([t]) != [t] for t in terms)):
            # Short doclists (or a word FTS5 reads as a phrase): FTS5 is quicker.
            return self._score_ids_in_fts(cur, q, mode, ids, where, params, and_ids)
        return self._score_stored(cur, q, mode, terms, dfs, ids, where, params, and_ids)

    def _score_stored(self, cur, q, mode, terms, dfs, ids, where, params, and_ids):
        """``_score_ids`` from the candidates' stored words (see there)."""
        rows = self._rows_for(cur, ids, where, params)
        if not rows:
            return []
        n_rows, n_tokens = self._fts_totals(cur)
        idf = [self.idf(dfs.get(t, 0), n_rows) for t in terms]
        avgdl = n_tokens / n_rows
        w = float(self.title_weight)
        k1, b = impact.K1, impact.B
        k1_1 = k1 + 1.0
        cur.execute("SELECT rowid, title, docnum, body FROM search_fts WHERE rowid IN "
                    f"({','.join(['%s'] * len(rows))})", [r[0] for r in rows])
        scores = {}
        padded = [f" {t} " for t in terms]
        for rowid, title, docnum, body in cur.fetchall():
            top = " " + title + " " + docnum + " "
            low = " " + body + " "
            dl = (_count_words(title) + _count_words(docnum) + _count_words(body)
                  + META_TOKENS)
            norm = k1 * (1 - b + b * dl / avgdl)
            score, held = 0.0, 0
            for t, weight in zip(padded, idf, strict=True):
                freq = 0.0
                for _ in range(_occurrences(top, t)):  # one by one, as FTS5 adds them
                    freq += w
                for _ in range(_occurrences(low, t)):
                    freq += 1.0
                if freq:  # (a word it lacks adds 0.0: the sum is the same to the bit)
                    held += 1
                    score += weight * ((freq * k1_1) / (freq + norm))
            if held == len(terms) if mode == "and" else held:
                scores[rowid] = score
        return [(*r, scores[r[0]], r[0] in and_ids) for r in rows if r[0] in scores]

    def _few_matches(self, q, mode, where, params):
        if mode == "and":
            return self._small_and_matches(q, where, params)
        if q.phrases:
            # Every OR match holds each phrase, so each of its words: their intersection
            # bounds the matches (「重庆市社保缴费如何“掌上办”」: 296 matches; ranked from
            # the lists, the page took 60-90 ms, its facets and count walked every entry
            # with any of the words to test the phrase in each).
            words = list(dict.fromkeys(w for ws in q.phrase_terms for w in ws))
            return self._small_and_matches(q, where, params, words, mode)
        return None

    def _small_and_matches(self, q, where, params, words=None, mode="and"
                           ) -> list[tuple] | None:
        """Every match with its exact score when there are at most ``small_and``; else
        None. The candidates are the entries with every word of ``words`` (default: the
        query's; in OR mode, those of its phrases), which must hold every match. The
        intersection leaves out the words in at least half the entries (they narrow it
        little and make FTS5 seek through the longest doclists at every step); the stored
        words of each candidate tell whether it matches, and its score."""
        words = q.required if words is None else words
        if not words or any(_fts_words([t]) != [t] for t in words):
            return None  # a word FTS5 reads as a phrase
        with self.cursor() as cur:
            n, _avg = self._stats(cur)
            dfs = self._dfs(cur, words)
            narrowing = [t for t in words if dfs.get(t, 0) < n / 2] or words
            expr = "(" + " AND ".join(fts_quote(t) for t in narrowing) + ")"
            if self._meta_match:
                expr = f"{expr} AND {self._meta_match}"
            cur.execute("SELECT rowid FROM search_fts WHERE search_fts MATCH %s LIMIT %s",
                        [expr, self.small_and + 1])
            ids = [r[0] for r in cur.fetchall()]
            if len(ids) > self.small_and:
                return None
            if mode == "and":
                # (Short doclists: FTS5 scores them quicker than reading their words.)
                return [(*r[:-1], False) for r in
                        self._score_ids(cur, q, "and", ids, where, params, set())]
            # OR: the entries with every word come first (fewer than min_and_hits of them).
            and_ids = set(self._and_ids(cur, q, where, params, self.min_and_hits))
            return self._score_ids(cur, q, "or", ids, where, params, and_ids)

    def _score_ids_in_fts(self, cur, q, mode, ids, where, params, and_ids):
        ph = ",".join(["%s"] * len(ids))
        # `+rowid`: FTS5 walks the doclists once and scores only these rows (a plain
        # `rowid IN` would run the whole query once per id).
        cur.execute(f"SELECT rowid, -{self._bm25()} FROM search_fts WHERE search_fts MATCH %s "
                    f"AND +rowid IN ({ph})", [self._fts_query(q, mode), *ids])
        scores = dict(cur.fetchall())
        if not scores:
            return []
        return [(*r, scores[r[0]], r[0] in and_ids)
                for r in self._rows_for(cur, list(scores), where, params)]
