"""The query side of a backend: one ``QueryCompiler`` per search turns the parsed query,
filters and visibility into SQL, runs it and builds the ``SearchResults``. Whatever a
search learns on the way (the fast path declined, the page is approximate, the filters as
an FTS5 expression, memoised sets) is the compiler's own, never the backend's: two
searches on one backend object cannot see each other's state."""

from __future__ import annotations

import collections

from django.db import connections

from gongkai.search import query as query_mod
from gongkai.search import rerank
from gongkai.search.backends.fastpath import FastPath
from gongkai.search.backends.types import (
    _FACET_COLUMNS,
    FACETS,
    Filters,
    Hit,
    SearchResults,
    Visibility,
)
from gongkai.search.snippets import highlight, snippet


class QueryCompiler(FastPath):
    """Runs one search for a backend (``backend.search`` makes one per call)."""

    def __init__(self, backend):
        super().__init__(backend)
        # What this search has read of the words' document frequencies (None: not in the
        # index): the fast path, the idf and the facets' sampling ask for the same words.
        self._df_memo: dict[str, int | None] = {}
        self._stats_memo: tuple[int, float] | None = None
        # Outside the caller's transaction, the index's totals may come from the
        # process's cache (base.shared_stats); inside one they may be uncommitted.
        self._committed = not connections[self.using].in_atomic_block
        # Stored texts already read (by the re-ranker), by entry id: the snippets reuse them.
        self._texts: dict[int, str] = {}
        # The engine's page is not its exact order (PostgreSQL past its exactly ranked
        # candidates: the cheap order).
        self.page_approximate = False

    def _dfs(self, cur, terms: list[str]) -> dict[str, int]:
        memo = self._df_memo
        missing = [t for t in dict.fromkeys(terms) if t not in memo]
        if missing:
            found = self.backend._dfs(cur, missing)
            for t in missing:
                memo[t] = found.get(t)
        return {t: memo[t] for t in terms if memo[t] is not None}

    def _stats(self, cur) -> tuple[int, float]:
        if self._stats_memo is None:
            self._stats_memo = (self.backend._shared_stats(cur) if self._committed
                                else self.backend._stats(cur))
        return self._stats_memo

    def search(self, raw: str, *, filters: Filters | None = None,
               visibility: Visibility | None = None, limit: int = 10, offset: int = 0,
               facets: bool = True) -> SearchResults:
        filters = filters or Filters()
        visibility = visibility or Visibility()
        q = query_mod.parse(raw, self.segmenter)
        if q.is_empty:
            return SearchResults(query=q, hits=[], total=0, mode="empty")
        where, params = self._filter_sql(filters, visibility)

        pinned = self._pinned(q, where, params)
        pinned_ids = [h.id for h in pinned]
        terms = q.required
        mode = "docnum" if not terms else "and"
        rows: list[tuple] = []
        total = 0
        and_total: int | None = None
        capped = sampled = approximate = False
        facet_counts: dict[str, list[tuple[object, int]]] = {}
        if terms:
            fwhere, fparams = where, list(params)
            for i in range(len(q.phrases)):
                sql, sql_params = self._phrase_sql(q, i)
                fwhere += " AND " + sql
                fparams += sql_params
            if pinned_ids:
                fwhere += f" AND e.id NOT IN ({','.join(['%s'] * len(pinned_ids))})"
                fparams += pinned_ids
            if len(terms) > 1:
                and_total = self._count(q, "and", fwhere, fparams, cap=self.min_and_hits)
                if and_total < self.min_and_hits:
                    mode = "or"
            page_offset = max(0, offset - len(pinned_ids))
            page_limit = limit - len(pinned[offset:offset + limit])
            # Re-ranking: every page shows the same candidates (at most ``depth``)
            # re-ordered, then the engine's order without them (see _reranked_page).
            depth = rerank.depth() if page_limit > 0 else 0
            few = None if q.excluded else self._few_matches(q, mode, fwhere, fparams)
            if few is not None and len(few) > min(self.count_cap, self.facet_cap):
                few = None  # counts and facets have their caps: the usual way
            if few is not None:
                # Every match, few of them, with its exact score: the page, the count and
                # the facets come from them right here.
                few.sort(key=lambda r: (bool(r[-1]), r[-2], r[0]), reverse=True)
                if depth and page_offset < depth:
                    few = rerank.rerank(self, q, few, depth)
                rows, total = few[page_offset:page_offset + page_limit], len(few)
                self.fast_declined, self.fast_approximate = "", False
                if facets:
                    facet_counts = self._facets_of(few)
            else:
                if depth:
                    first = max(1, limit - len(pinned_ids))  # the first page's rows
                    rows, total = self._reranked_page(q, mode, fwhere, fparams, first, depth,
                                                      page_offset, page_limit)
                else:
                    rows, total = self._ordered_page(q, mode, fwhere, fparams, page_limit,
                                                     page_offset)
                approximate = bool(self.fast_approximate or self.page_approximate)
                if facets:
                    # One walk over the matches gives the facets and the (capped) count.
                    counted, facet_counts = self._facets(q, mode, fwhere, fparams)
                    sampled = counted > self.facet_cap
                    if total is None or not rows:
                        total = counted
                elif total is None or not rows:
                    total = self._count(q, mode, fwhere, fparams, cap=self.count_cap + 1)
            if total > self.count_cap:
                total, capped = self.count_cap, True
        hits = pinned[offset:offset + limit] + [self._hit(r) for r in rows]
        if not capped:
            total += len(pinned_ids)
        if facets and pinned:
            for name in FACETS:
                counts = dict(facet_counts.get(name, []))
                for h in pinned:
                    value = getattr(h, _FACET_COLUMNS[name])
                    if value not in (None, ""):
                        counts[value] = counts.get(value, 0) + 1
                facet_counts[name] = sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))
        self._decorate(hits, q)
        return SearchResults(query=q, hits=hits, total=total, mode=mode, facets=facet_counts,
                             total_capped=capped, facets_sampled=sampled,
                             approximate=approximate, declined=self.fast_declined,
                             and_total=and_total if mode == "or" else None)

    def _ordered_page(self, q, mode: str, where: str, params: list, limit: int,
                      offset: int, size: int = 0) -> tuple[list[tuple], int | None]:
        """The page (``limit`` rows from ``offset``) of this search's one order for pages of
        ``size`` rows (default ``limit``), and the number of matches if counted on the way
        (None: search() counts).

        Every page of a size is a slice of one order, so walking the pages shows each match
        once (note 41). The order: the first page's rows as the fast path gives them
        (proven, or approximate and saying so); then the rest of the fast path's window
        (``fast_window`` rows); then the engine's order without those. When the fast path
        declines the first page, every page is the engine's own."""
        need, window, size = offset + limit, self.fast_window, size or limit
        self.page_approximate = False
        if q.excluded:
            self.fast_declined = "excluded word"
            return self._page(q, mode, where, params, limit, offset)
        first = self._fast_page(q, mode, where, params, size, 0)
        if first is None:
            self.fast_approximate = False
            return self._page(q, mode, where, params, limit, offset)
        if need <= size:
            return first[offset:need], None
        verdict = self.fast_declined, self.fast_approximate
        order, approximate, total = first, verdict[1], None
        if size < window:
            wide = self._fast_page(q, mode, where, params, window, 0)
            if wide is not None:
                approximate = approximate or self.fast_approximate
                shown = {r[0] for r in order}
                order = order + [r for r in wide if r[0] not in shown]
        if need > len(order):
            self.fast_approximate = False
            engine, total = self._page(q, mode, where, params, need, 0)
            approximate = approximate or self.page_approximate
            shown = {r[0] for r in order}
            order = order + [r for r in engine if r[0] not in shown]
        self.fast_declined, self.fast_approximate = verdict
        self.page_approximate = approximate
        return order[offset:need], total

    def _reranked_page(self, q, mode: str, where: str, params: list, first: int, depth: int,
                       offset: int, limit: int) -> tuple[list[tuple], int | None]:
        """The page (``limit`` rows from ``offset``) of the re-ranked order, and the number
        of matches if counted on the way (None: search() counts).

        The order is C, the candidates, re-ranked, then the engine's order without C. C is
        the same for every page of a size: the fast path proves the first page (``first``
        rows, as with re-ranking off) and hands on the others it scored up to ``depth``
        (note 40); those need not be the engine's next best, so a page past C is cut from
        the engine's first ``offset + limit`` rows with C's removed (at most |C| of them),
        which neither repeats a candidate nor skips an entry the candidates left out. When
        the fast path declines (or an excluded word), C is the engine's own first
        ``depth`` and past it the engine's own page. The verdict (approximate, declined)
        is the first page's; a page with rows past C also takes that of their call."""
        if q.excluded:
            cands = self._declined("excluded word")
        else:
            cands = self._fast_page(q, mode, where, params, first, 0, depth)
        proof = self.fast_declined, self.fast_approximate
        if cands is not None and len(cands) < depth:
            # Too few scored candidates to fill the depth: the depth itself is asked for
            # (its rows); the first page's verdict stands.
            cands = self._fast_page(q, mode, where, params, depth, 0)
            if cands is None:
                cands = self._page(q, mode, where, params, depth, 0)[0]
            self.fast_declined, self.fast_approximate = proof
        if cands is None:
            # The engine ranks every match: C is its own best ``depth``.
            lo, n = rerank.window_of(offset, limit, depth)
            self.fast_approximate = False
            rows, total = self._page(q, mode, where, params, n, lo)
            if offset < depth:
                rows = rerank.rerank(self, q, rows, depth)[offset:offset + limit]
            return rows, total
        scored, need = cands, offset + limit
        rows = cands = cands[:depth]
        if need > len(cands) == depth:  # (fewer: every match is a candidate)
            if need <= first:  # the first page's own rows (a page deeper than the depth)
                engine = scored[:need]
            else:
                # (The engine's order for pages of the first page's size: one order.)
                engine = self._ordered_page(q, mode, where, params, need, 0, size=first)[0]
                self.fast_approximate = (self.fast_approximate or self.page_approximate
                                         or proof[1])
            taken = {r[0] for r in cands}
            rows = cands + [r for r in engine if r[0] not in taken]
        if offset < len(cands):
            rows = rerank.rerank(self, q, rows, depth)
        return rows[offset:offset + limit], None

    def _filter_sql(self, f: Filters, v: Visibility) -> tuple[str, list]:
        clauses, params = ["1=1"], []

        def any_of(column: str, values: list) -> None:
            if values:
                clauses.append(f"e.{column} IN ({','.join(['%s'] * len(values))})")
                params.extend(values)

        any_of("org_id", f.org_ids)
        any_of("node_id", f.node_ids)
        any_of("year", f.years)
        any_of("validity", f.validity)
        any_of("genre", f.genre)
        any_of("doc_type", f.doc_type)
        if f.kind:
            clauses.append("e.kind = %s")
            params.append(f.kind)
        if not v.all_orgs:
            if v.org_ids:
                ids = sorted(v.org_ids)
                clauses.append(f"(e.is_public = %s OR e.org_id IN ({','.join(['%s'] * len(ids))}))")
                params += [True, *ids]
            else:
                clauses.append("e.is_public = %s")
                params.append(True)
        return " AND ".join(clauses), params

    def _pinned(self, q: query_mod.ParsedQuery, where: str, params: list) -> list[Hit]:
        if not q.docnum:
            return []
        with self.cursor() as cur:
            cur.execute(f"SELECT {self.HIT_COLUMNS}, 0 FROM search_searchentry e "
                        f"WHERE e.doc_number_key = %s AND {where} ORDER BY e.published_at DESC, "
                        "e.id DESC LIMIT 5", [q.docnum, *params])
            hits = [self._hit(r) for r in cur.fetchall()]
        for h in hits:
            h.pinned = True
            h.score = 1000.0
        return hits

    def _facets(self, q, mode: str, where: str, params: list) -> tuple[int, dict[str, list]]:
        """(matches counted up to count_cap + 1, facet counts). Facets count the first
        ``facet_cap`` matches: counting each match's unit, node, year ... costs a few
        microseconds a row, and past a few thousand the counts only say where most of the
        results are (the page says they were counted on a sample)."""
        sql, sql_params = self._set_sql(q, mode, where, params, select=", ".join(
            "e." + c for c in _FACET_COLUMNS.values()))
        full = (f"WITH hits AS MATERIALIZED ({sql} LIMIT %s), "
                "first AS MATERIALIZED (SELECT * FROM hits LIMIT %s) "
                "SELECT '', '', count(*) FROM hits UNION ALL " + self._facet_union("first"))
        with self.cursor() as cur:
            cur.execute(full, [*sql_params, self.facet_cap + 1, self.facet_cap])
            counted, out = self._read_facets(cur.fetchall())
        if counted > self.facet_cap and self.count_cap > self.facet_cap:
            counted = self._count(q, mode, where, params, cap=self.count_cap + 1)
        return counted, out

    @staticmethod
    def _facet_union(source: str) -> str:
        """SQL: rows (facet name, value as text, count) of each facet over ``source`` (a
        CTE with the facet columns), joined by UNION ALL."""
        return " UNION ALL ".join(
            f"SELECT '{name}', CAST({col} AS TEXT), count(*) FROM {source} "
            f"WHERE {col} IS NOT NULL AND CAST({col} AS TEXT) <> '' GROUP BY {col}"
            for name, col in _FACET_COLUMNS.items())

    @staticmethod
    def _read_facets(rows) -> tuple[int, dict[str, list]]:
        """(count, facets) from rows of ``_facet_union`` and one ('', '', count) row."""
        out: dict[str, list] = {name: [] for name in FACETS}
        counted = 0
        for name, value, count in rows:
            if not name:
                counted = count
                continue
            if name in ("org", "node", "year"):
                value = int(value)
            out[name].append((value, count))
        for name in out:
            out[name].sort(key=lambda kv: (-kv[1], str(kv[0])))
        return counted, out

    def _few_matches(self, q, mode: str, where: str, params: list) -> list[tuple] | None:
        """Every match (rows of HIT_COLUMNS, score, has-every-word) with its exact score,
        when the backend can tell cheaply that there are few; else None."""
        return None

    def _facets_of(self, rows: list[tuple]) -> dict[str, list[tuple[object, int]]]:
        """``_facets`` of given matches (rows of HIT_COLUMNS)."""
        columns = [c.strip().removeprefix("e.") for c in self.HIT_COLUMNS.split(",")]
        out: dict[str, list] = {}
        for name, column in _FACET_COLUMNS.items():
            index = columns.index(column)
            counts = collections.Counter(r[index] for r in rows
                                         if r[index] is not None and r[index] != "")
            out[name] = sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))
        return out

    def _decorate(self, hits: list[Hit], q: query_mod.ParsedQuery) -> None:
        if not hits:
            return
        texts = self._texts
        ids = [h.id for h in hits if h.id not in texts]
        if ids:
            with self.cursor() as cur:
                texts = {**texts, **rerank.texts_of(cur, ids)}
        for h in hits:
            text = texts.get(h.id, "")
            body = text.split("\n", 1)[1] if "\n" in text else text
            h.title_html = highlight(h.title, q.highlight)
            h.snippet_html = snippet(body, q.highlight)

    def _pair_best(self, cur, words: tuple[str, str], where: str, params: list,
                   n: int) -> list[int]:
        """Ids of the ``n`` entries that hold both ``words`` and rank best by them (the
        engine's own order); none by default."""
        return []

    def _rows_for(self, cur, ids: list[int], where: str, params: list) -> list[tuple]:
        """HIT_COLUMNS of those ``ids`` that pass the filters."""
        if not ids:
            return []
        cur.execute(f"SELECT {self.HIT_COLUMNS} FROM search_searchentry e WHERE e.id IN "
                    f"({','.join(['%s'] * len(ids))}) AND {where}", [*ids, *params])
        return cur.fetchall()

    def _unlisted_bounds(self, cur, terms: list[str], idf: dict[str, float]):
        """(entry id, upper bound of its score from ``terms``) for each entry with any of
        them: here idf x (k1 + 1) per word it holds; an engine may do better."""
        raise NotImplementedError

    def _and_ids(self, cur, q, where: str, params: list, cap: int) -> list[int]:
        sql, sql_params = self._set_sql(q, "and", where, params, select="e.id")
        cur.execute(sql + " LIMIT %s", [*sql_params, cap])
        return [r[0] for r in cur.fetchall()]

    def _score_ids(self, cur, q, mode: str, ids: list[int], where: str, params: list,
                   and_ids: set[int]) -> list[tuple]:
        """Rows (HIT_COLUMNS, score, has-every-word) of those ``ids`` that match the query
        in ``mode`` and pass the filters, with the engine's own exact score."""
        raise NotImplementedError

    def _contains_sql(self) -> str:
        """SQL that is true when the entry's normalised text contains %s."""
        raise NotImplementedError

    def _phrase_sql(self, q, i: int) -> tuple[str, list]:
        """SQL (and params) true when the entry holds ``q.phrases[i]`` as written."""
        return self._contains_sql(), [q.phrases[i]]

    def _match_sql(self, q, mode: str, where: str, params: list, select: str) -> tuple[str, list]:
        raise NotImplementedError

    def _set_sql(self, q, mode: str, where: str, params: list, select: str) -> tuple[str, list]:
        """The matching entries, unranked (for counts and facets)."""
        return self._match_sql(q, mode, where, params, select)

    def _count(self, q, mode: str, where: str, params: list, cap: int | None = None) -> int:
        """How many entries match (counting stops at ``cap``)."""
        sql, sql_params = self._set_sql(q, mode, where, params, select="e.id")
        if cap is not None:
            sql += " LIMIT %s"
            sql_params = [*sql_params, cap]
        with self.cursor() as cur:
            cur.execute(f"SELECT count(*) FROM ({sql}) c", sql_params)
            return cur.fetchone()[0]

    def _page(self, q, mode: str, where: str, params: list, limit: int,
              offset: int) -> tuple[list[tuple], int | None]:
        """The page's rows (HIT_COLUMNS, score, ...) best first, and the number of matches
        if the backend counted them on the way (None: search() counts, capped)."""
        raise NotImplementedError
