"""SQLite FTS5 writes: entries, their FTS5 rows, document frequencies and top lists."""

from __future__ import annotations

import json
from collections import Counter

from django.db import transaction

from gongkai.search import impact
from gongkai.search.backends.indexer import Indexer
from gongkai.search.backends.sqlite_fts import fts_quote
from gongkai.search.backends.types import PreparedEntry


class SQLiteIndexer(Indexer):

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
