"""SQLite FTS5 over segmented words, ranked with bm25() (title and 文号 weighted up)."""

from __future__ import annotations

import json
import math
import re
import zlib
from collections import Counter

from django.db import transaction

from gongkai.search import impact
from gongkai.search.backends.base import PreparedEntry, SearchBackend

# unicode61 splits on whatever is not a letter or a number: "200-300ml" is two tokens to FTS5.
_FTS_PARTS = re.compile(r"[^\W_]+")


def _fts_words(words: list[str]) -> list[str]:
    # One regex pass over the joined words (the spaces are separators to FTS5 as well).
    return _FTS_PARTS.findall(" ".join(words))


def _count_words(text: str) -> int:
    """Words in an FTS5 column as stored here (single-space separated)."""
    return text.count(" ") + 1 if text else 0


# A fourth FTS5 column, "meta", holds an entry's filter values as tokens (weight 0 in
# bm25()): a unit/year/... filter becomes part of the MATCH, and FTS5 intersects it with the
# words, skipping through long doclists, instead of walking every match of the words to
# test each against the filter. Every entry has one token per field (a missing value is
# "0"), so they add the same to every entry's length as FTS5 counts it.
META_FIELDS = (("o", "org_id"), ("n", "node_id"), ("y", "year"), ("v", "validity"),
               ("g", "genre"), ("t", "doc_type"), ("k", "kind"))
META_TOKENS = len(META_FIELDS)


def meta_token(field: str, value) -> str:
    """The token of a filter value: ``gk`` + field letter + the number, or the UTF-8 hex of
    a text (a token unicode61 never splits, and no segmented word looks like it)."""
    if isinstance(value, str):
        value = value.encode().hex() if value else "0"
    return f"gk{field}{0 if value is None else value}"


def meta_text(entry) -> str:
    return " ".join(meta_token(f, getattr(entry, attr)) for f, attr in META_FIELDS)


def meta_sql(alias: str = "e") -> str:
    """``meta_text`` in SQL, from a search_searchentry row (for the migration)."""
    parts = []
    for f, attr in META_FIELDS:
        column = f"{alias}.{attr}"
        if attr in ("org_id", "node_id", "year"):
            parts.append(f"'gk{f}' || coalesce({column}, 0)")
        else:
            parts.append(f"'gk{f}' || CASE WHEN coalesce({column}, '') = '' THEN '0' "
                         f"ELSE lower(hex({column})) END")
    return " || ' ' || ".join(parts)


def fts_quote(token: str) -> str:
    """A token as an FTS5 string: nothing the user typed is ever read as syntax."""
    return '"' + token.replace('"', '""') + '"'


# SQL of filters (and phrases) that pass few of the best-ranked matches.
_NARROWING = ("e.org_id IN", "e.node_id IN", "e.year IN", "e.validity IN", "e.genre IN",
              "e.doc_type IN", "e.kind =", "instr(")


class SQLiteBackend(SearchBackend):
    name = "sqlite"
    vendor = "sqlite"
    fast_candidates = 200  # ranked inside FTS5 before any join
    # Scoring given rows: FTS5 walks every doclist of the question (~0.13 us an entry),
    # Python reads and counts each row (~50 us); past this ratio Python is quicker.
    postings_per_candidate = 400
    supports_lists = True
    # A new list is a cheap FTS5 query here (~1,000 postings ranked in C); keeping every
    # unlisted word's postings in Python during a rebuild cost more than it saved.
    young_budget = 0
    or_drops_common = True
    idf_floor = 1e-6  # FTS5's bm25() idf for words in at least half the entries

    _meta_match = ""  # this search's filters as an FTS5 expression (``_filter_sql``)

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

    def entry_tokens(self, entry, *, body_text=None):
        """The words as FTS5 will see them: a word unicode61 would split ("200-300ml") is
        split here already, so document frequencies, lengths and the top lists' impacts
        are the very numbers bm25() computes."""
        return tuple(_fts_words(words)
                     for words in super().entry_tokens(entry, body_text=body_text))

    def _phrase_sql(self, q, i: int) -> tuple[str, list]:
        # FTS5 finds the entries with every word of the phrase first (a cheap doclist
        # intersection); only those have their text searched for the phrase as written.
        words = " AND ".join(fts_quote(w) for w in q.phrase_terms[i]) or '""'
        return ("(e.id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH %s) "
                "AND instr(e.text, %s) > 0)", [words, q.phrases[i]])

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

    def _fts_query(self, q, mode: str) -> str:
        joiner = " AND " if mode == "and" else " OR "
        terms = q.required if mode == "and" else self._or_terms(q)
        expr = "(" + joiner.join(fts_quote(t) for t in terms) + ")"
        for words in q.excluded:
            expr += " NOT (" + " AND ".join(fts_quote(w) for w in words) + ")"
        if self._meta_match:
            expr = f"({expr}) AND {self._meta_match}"
        return expr

    def _bm25(self) -> str:
        w = float(self.title_weight)
        return f"bm25(search_fts, {w}, {w}, 1.0, 0.0)"

    def _match_sql(self, q, mode, where, params, select):
        """The matches: FTS5 finds them (a unit/year filter is in the MATCH as tokens), each
        one's metadata is read from the narrow by-id index (never its wide row, unless the
        filter reads the text: a phrase). A count stops at its cap early."""
        sql = (f"SELECT {select} FROM search_fts f JOIN search_searchentry e "
               "INDEXED BY search_entry_byid ON e.id = f.rowid "
               f"WHERE f.search_fts MATCH %s AND {where}")
        return sql, [self._fts_query(q, mode), *params]

    def _rank_config(self) -> str:
        w = float(self.title_weight)
        return f"bm25({w}, {w}, 1.0, 0.0)"

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

    def _contains_sql(self):
        return "instr(e.text, %s) > 0"

    # -- the fast path's engine parts ------------------------------------------------------

    def idf(self, df: int, n: int) -> float:
        """FTS5's bm25() idf: words in more than half the entries weigh (almost) nothing."""
        value = math.log((n - df + 0.5) / (df + 0.5)) if n else 0.0
        return value if value > 0 else 1e-6

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

    def _list_from_engine(self, cur, term, k):
        n = (self._running or [0])[0]
        if not n:
            cur.execute("SELECT count(*) FROM search_searchentry")
            n = cur.fetchone()[0]
        weight = self.idf(self._dfs(cur, [term]).get(term, 0), n)
        # Ties at the cut go to the older entries (a word starting a list is in ~1,000).
        cur.execute("SELECT rowid, rank FROM search_fts WHERE search_fts MATCH %s "
                    "AND rank MATCH %s ORDER BY rank, rowid LIMIT %s",
                    [fts_quote(term), self._rank_config(), k])
        # bm25 of one word is idf x impact (rank is its negative).
        return [(rid, -rank / weight) for rid, rank in cur.fetchall()]

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
        if (sum(dfs.values()) < self.postings_per_candidate * len(ids)
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
        cur.execute("SELECT rowid, title, docnum, body FROM search_fts WHERE rowid IN "
                    f"({','.join(['%s'] * len(rows))})", [r[0] for r in rows])
        scores = {}
        padded = [f" {t} " for t in terms]
        for rowid, title, docnum, body in cur.fetchall():
            # Words are single-space separated; with two spaces between them and one at
            # each end, " word " occurrences never overlap, so str.count counts them all.
            top = " " + (title + " " + docnum).replace(" ", "  ") + " "
            low = " " + body.replace(" ", "  ") + " "
            dl = (_count_words(title) + _count_words(docnum) + _count_words(body)
                  + META_TOKENS)
            score, held = 0.0, 0
            for t, weight in zip(padded, idf, strict=True):
                freq = 0.0
                for _ in range(top.count(t)):  # instance by instance, as FTS5 adds them
                    freq += w
                for _ in range(low.count(t)):
                    freq += 1.0
                if freq:
                    held += 1
                score += weight * ((freq * (k1 + 1.0)) / (freq + k1 * (1 - b + b * dl / avgdl)))
            if held == len(terms) if mode == "and" else held:
                scores[rowid] = score
        return [(*r, scores[r[0]], r[0] in and_ids) for r in rows if r[0] in scores]

    def _totals(self, cur):
        return self._fts_totals(cur)

    # AND searches whose matches are few: found by FTS5 without ranking, each checked and
    # scored from its stored words (bm25()'s arithmetic, see _score_ids).
    small_and = 1500

    def _few_matches(self, q, mode, where, params):
        if mode != "and":
            return None
        return self._small_and_matches(q, where, params)

    def _small_and_matches(self, q, where, params) -> list[tuple] | None:
        """Every AND match with its exact score when there are at most ``small_and``;
        else None. The intersection leaves out the words in at least half the entries (they
        narrow it little and make FTS5 seek through the longest doclists at every step);
        the stored words of each candidate tell whether it holds them, and its score."""
        terms = q.required
        if any(_fts_words([t]) != [t] for t in terms):
            return None  # a word FTS5 reads as a phrase
        with self.cursor() as cur:
            n, _avg = self._stats(cur)
            dfs = self._dfs(cur, terms)
            narrowing = [t for t in terms if dfs.get(t, 0) < n / 2] or terms
            expr = "(" + " AND ".join(fts_quote(t) for t in narrowing) + ")"
            if self._meta_match:
                expr = f"{expr} AND {self._meta_match}"
            cur.execute("SELECT rowid FROM search_fts WHERE search_fts MATCH %s LIMIT %s",
                        [expr, self.small_and + 1])
            ids = [r[0] for r in cur.fetchall()]
            if len(ids) > self.small_and:
                return None
            # (Short doclists: FTS5 scores them quicker than reading their words.)
            return [(*r[:-1], False) for r in
                    self._score_ids(cur, q, "and", ids, where, params, set())]

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

    def _fulltext(self, title, docnum, body):
        return (impact.WordCounts.of_tokens(title + docnum, body),
                (" ".join(title), " ".join(docnum), " ".join(body)))

    def _finish_rebuild(self) -> None:
        """After a rebuild: FTS5 merges its segments into one b-tree per word (a search
        then reads one doclist a word instead of one per segment)."""
        with self.cursor() as cur:
            cur.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")

    def _write_batch(self, batch: list[PreparedEntry]) -> int:
        cols = f"id, {self.ENTRY_COLUMNS}"
        with transaction.atomic(using=self.using), self.cursor() as cur:
            self._remove_existing(cur, batch)
            was_empty = self._index_is_empty(cur)
            # The first insert takes the write lock and tells the next free id; the rest of
            # the batch takes the ids after it, in one executemany per table.
            cur.execute(f"INSERT INTO search_searchentry ({self.ENTRY_COLUMNS}) VALUES "
                        f"({','.join(['%s'] * 18)})", batch[0].row)
            first = cur.lastrowid
            if len(batch) > 1:
                cur.executemany(f"INSERT INTO search_searchentry ({cols}) VALUES "
                                f"({','.join(['%s'] * 19)})",
                                [[first + i, *p.row] for i, p in enumerate(batch) if i])
            cur.executemany("INSERT INTO search_fts (rowid, title, docnum, body, meta) "
                            "VALUES (%s, %s, %s, %s, %s)",
                            [[first + i, *p.fulltext] for i, p in enumerate(batch)])
            added: Counter[str] = Counter()
            for p in batch:
                added.update(p.freqs.keys())
            cur.execute("INSERT INTO search_term (term, df) SELECT key, value FROM json_each(%s) "
                        "WHERE true ON CONFLICT (term) DO UPDATE SET df = df + excluded.df "
                        "RETURNING term, df", [json.dumps(added, ensure_ascii=False)])
            dfs = dict(cur.fetchall())
            self._maintain_lists(cur, was_empty, [first + i for i in range(len(batch))], batch,
                                 dfs)
        self._forget_stats()
        return len(batch)

    def _remove_existing(self, cur, batch: list[PreparedEntry]) -> None:
        by_kind: dict[str, list[int]] = {}
        for e in batch:
            by_kind.setdefault(e.kind, []).append(e.object_id)
        for kind, ids in by_kind.items():
            cur.execute(f"SELECT id FROM search_searchentry WHERE kind = %s AND object_id IN "
                        f"({','.join(['%s'] * len(ids))})", [kind, *ids])
            existing = [r[0] for r in cur.fetchall()]
            if existing:
                self._delete_entries(cur, existing)

    def _delete_entries(self, cur, entry_ids):
        self._young = None  # a rebuild's postings no longer describe the index
        ph = ",".join(["%s"] * len(entry_ids))
        cur.execute(f"SELECT title, docnum, body FROM search_fts WHERE rowid IN ({ph})",
                    entry_ids)
        gone: Counter[str] = Counter()
        for title, docnum, body in cur.fetchall():
            gone.update(set(title.split()).union(docnum.split(), body.split()))
        if gone:
            cur.executemany("UPDATE search_term SET df = max(0, df - %s) WHERE term = %s",
                            [(n, t) for t, n in gone.items()])
        impact.remove(cur, entry_ids)
        self._forget_stats()
        cur.execute(f"DELETE FROM search_fts WHERE rowid IN ({ph})", entry_ids)
        cur.execute(f"DELETE FROM search_searchentry WHERE id IN ({ph})", entry_ids)

    def clear(self):
        with transaction.atomic(using=self.using), self.cursor() as cur:
            cur.execute("DELETE FROM search_fts")
            cur.execute("DELETE FROM search_searchentry")
            cur.execute("DELETE FROM search_term")
            self._clear_lists(cur)
        self._forget_stats()
