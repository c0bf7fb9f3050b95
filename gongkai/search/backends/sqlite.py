"""SQLite FTS5 over segmented words, ranked with bm25() (title and 文号 weighted up)."""

from __future__ import annotations

from django.db import transaction

from gongkai.search.backends.base import IndexEntry, SearchBackend


def fts_quote(token: str) -> str:
    """A token as an FTS5 string: nothing the user typed is ever read as syntax."""
    return '"' + token.replace('"', '""') + '"'


class SQLiteBackend(SearchBackend):
    name = "sqlite"
    vendor = "sqlite"

    def _fts_query(self, q, mode: str) -> str:
        joiner = " AND " if mode == "and" else " OR "
        expr = "(" + joiner.join(fts_quote(t) for t in q.required) + ")"
        for words in q.excluded:
            expr += " NOT (" + " AND ".join(fts_quote(w) for w in words) + ")"
        return expr

    def _bm25(self) -> str:
        w = float(self.title_weight)
        return f"bm25(search_fts, {w}, {w}, 1.0)"

    def _match_sql(self, q, mode, where, params, select):
        sql = (f"SELECT {select} FROM search_searchentry e WHERE e.id IN "
               f"(SELECT rowid FROM search_fts WHERE search_fts MATCH %s) AND {where}")
        return sql, [self._fts_query(q, mode), *params]

    def _page(self, q, mode, where, params, limit, offset):
        if mode == "or":
            allm = "(e.id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH %s))"
            allm_params = [self._fts_query(q, "and")]
        else:
            allm, allm_params = "1", []
        # bm25() only works in a plain scan of the FTS table: rank there, join after.
        sql = (f"WITH m AS MATERIALIZED (SELECT rowid AS rid, {self._bm25()} AS rank "
               "FROM search_fts WHERE search_fts MATCH %s) "
               f"SELECT {self.HIT_COLUMNS}, -m.rank AS score, {allm} AS allm, count(*) OVER () "
               f"FROM m JOIN search_searchentry e ON e.id = m.rid WHERE {where} "
               "ORDER BY allm DESC, score DESC, e.id DESC LIMIT %s OFFSET %s")
        with self.cursor() as cur:
            cur.execute(sql, [self._fts_query(q, mode), *allm_params, *params, limit, offset])
            rows = cur.fetchall()
        total = rows[0][-1] if rows else 0
        return rows, total

    def _contains_sql(self):
        return "instr(e.text, %s) > 0"

    def _index_batch(self, batch: list[IndexEntry]) -> int:
        with transaction.atomic(using=self.using), self.cursor() as cur:
            self._remove_existing(cur, batch)
            for entry in batch:
                title, docnum, body = self.entry_tokens(entry)
                cur.execute(
                    f"INSERT INTO search_searchentry ({self.ENTRY_COLUMNS}) VALUES "
                    f"({','.join(['%s'] * 18)})",
                    self.entry_row(entry, len(title) + len(docnum) + len(body)))
                entry_id = cur.lastrowid
                cur.execute("INSERT INTO search_fts (rowid, title, docnum, body) "
                            "VALUES (%s, %s, %s, %s)",
                            [entry_id, " ".join(title), " ".join(docnum), " ".join(body)])
        return len(batch)

    def _remove_existing(self, cur, batch: list[IndexEntry]) -> None:
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
        ph = ",".join(["%s"] * len(entry_ids))
        cur.execute(f"DELETE FROM search_fts WHERE rowid IN ({ph})", entry_ids)
        cur.execute(f"DELETE FROM search_searchentry WHERE id IN ({ph})", entry_ids)

    def clear(self):
        with transaction.atomic(using=self.using), self.cursor() as cur:
            cur.execute("DELETE FROM search_fts")
            cur.execute("DELETE FROM search_searchentry")
