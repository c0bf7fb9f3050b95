"""PostgreSQL writes: COPY of entries and tsvectors, document frequencies, top lists,
and the tending (vacuum, statistics) a rebuild needs."""

from __future__ import annotations

from collections import Counter

from django.db import transaction

from gongkai.search import impact
from gongkai.search.backends.indexer import Indexer
from gongkai.search.backends.postgres_vectors import LISTS_LOCK, _tf_from_rank, ts_quote
from gongkai.search.backends.types import PreparedEntry


class PostgresIndexer(Indexer):

    # search_searchentry's types, in the order of the COPY (id, ENTRY_COLUMNS, vector).
    COPY_TYPES = ["int8", "text", "int8", "text", "int8", "int8", "int2", "text", "text",
                  "text", "text", "bool", "text", "text", "text", "text", "timestamptz",
                  "text", "int4", "bytea"]

    def _lock_lists(self, cur):
        # Concurrent index transactions take turns at the top lists (held to commit).
        cur.execute("SELECT pg_advisory_xact_lock(%s)", [LISTS_LOCK])

    def _list_from_engine(self, cur, term, k):
        """Impacts read as ``_rerank`` reads term frequencies (ts_rank, inverted), so a
        list and the exact score agree; unnesting the tsvector would be exact but ~15x
        slower."""
        running = self._running or [0, 0]
        avgdl = running[1] / running[0] if running[0] else self._stats(cur)[1]
        # The GIN index, never a scan of every tsvector (a new table has no statistics).
        cur.execute("SET LOCAL enable_seqscan = off")
        # Each match's tsvector decompressed once (`|| ''`), not once per ts_rank: a
        # rebuild past the young postings' budget starts hundreds of lists this way, each
        # reading a thousand tsvectors or more.
        cur.execute("SELECT e.id, e.length, ts_rank('{1,0,0,0}', e.v, %s::tsquery), "
                    "ts_rank('{0,0,1,1}', e.v, %s::tsquery) FROM (SELECT id, length, "
                    "vector || ''::tsvector AS v FROM search_searchentry "
                    "WHERE vector @@ %s::tsquery OFFSET 0) e", [ts_quote(term)] * 3)
        w = float(self.title_weight)
        out = []
        for entry_id, length, body, top in cur.fetchall():
            f = _tf_from_rank(body) + w * _tf_from_rank(top)
            out.append((entry_id, impact.tf_part(f, length, avgdl)))
        out.sort(key=lambda e: (-e[1], e[0]))  # ties: the older entries, not heap order
        return out[:k]

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
                              "FROM STDIN (FORMAT BINARY)") as copy:
                    # Binary: the tsvector as prepare() built it (``tsvector_binary``),
                    # which the server takes without parsing; every other value in its
                    # column's binary form ("bytea": the bytes go as they are).
                    copy.set_types(self.COPY_TYPES)
                    tz = cur.connection.info.timezone  # a naive time is the session's, as
                    at = self.COPY_TYPES.index("timestamptz") - 1  # a text COPY reads it
                    for entry_id, p in zip(new_ids, batch, strict=True):
                        row = p.row
                        if row[at] is not None and row[at].tzinfo is None:
                            row = [*row[:at], row[at].replace(tzinfo=tz), *row[at + 1:]]
                        copy.write_row([entry_id, *row, p.fulltext])
                    # The rows are on their way: while the server inserts them (parsing
                    # the vectors, the GIN index: its larger share of the batch), this
                    # process does its own share, before waiting for the COPY to end.
                    added: Counter[str] = Counter()
                    for p in batch:
                        added.update(p.freqs.keys())  # each word once per entry
                    work = (self._lists_work(new_ids, batch, lists) if lists is not None
                            else None)
                terms = sorted(added)
                # Only the words that may start a list come back (_lists_after reads no
                # other): tens of rows, not a batch's 20-30 thousand words.
                cur.execute(
                    "WITH u AS (INSERT INTO search_term (term, df) SELECT * FROM "
                    "unnest(%s::text[], %s::int[]) ON CONFLICT (term) DO UPDATE "
                    "SET df = search_term.df + EXCLUDED.df RETURNING term, df) "
                    "SELECT term, df FROM u WHERE df >= %s",
                    [impact.pg_array(terms, "text"), impact.pg_array([added[t] for t in terms]),
                     impact.list_min_df()])
                dfs = dict(cur.fetchall())
                if lists is not None:
                    self._lists_after(cur, lists, work, dfs)
            except BaseException:
                self._young = None  # it may hold postings of entries not written
                raise
        return len(batch)

    def _store_impacts(self, cur, rows, heads):
        """``impact.store`` in three statements whatever the batch: the lists that grew
        past 2k are trimmed back to k by one statement (``impact.trim`` took four a list,
        a thousand lists or more in a 20k rebuild). Same rows, floors and sizes."""
        k = impact.list_size()
        grown = Counter(term for term, _value, _entry in rows)
        impact._insert_impacts(cur, rows)
        impact._add_sizes(cur, list(grown.items()))
        over = sorted(term for term, n in grown.items() if heads[term][1] + n > 2 * k)
        if not over:
            return
        # The k-th best impact of each list is its new floor; rows below it go (those at
        # it stay). The size is what is left: the rows at or above the floor.
        cur.execute(
            "WITH t AS (SELECT u.term, (SELECT impact FROM search_searchimpact i "
            "WHERE i.term = u.term ORDER BY impact DESC LIMIT 1 OFFSET %s) AS floor "
            "FROM unnest(%s::text[]) AS u(term)), "
            "d AS (DELETE FROM search_searchimpact i USING t "
            "WHERE i.term = t.term AND i.impact < t.floor) "
            "UPDATE search_searchhead h SET floor = t.floor, size = (SELECT count(*) "
            "FROM search_searchimpact c WHERE c.term = t.term AND c.impact >= t.floor) "
            "FROM t WHERE h.term = t.term AND t.floor IS NOT NULL",
            [k - 1, impact.pg_array(over, "text")])

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
