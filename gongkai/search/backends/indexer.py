"""The index side of a backend: one ``Indexer`` per index(), delete() or clear() call
holds that call's state (running totals, a rebuild's postings) and keeps the top lists."""

from __future__ import annotations

import collections
import multiprocessing
import os
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction

from gongkai.search import impact
from gongkai.search.backends.part import BackendPart
from gongkai.search.backends.types import IndexEntry, PreparedEntry

if TYPE_CHECKING:
    from gongkai.search.backends.base import SearchBackend

_PREPARING: SearchBackend | None = None  # in a preparing worker process: its backend


def _start_preparing(backend: SearchBackend) -> None:
    global _PREPARING
    _PREPARING = backend
    # The writer (and its database server process) is the pipeline's slow step: preparing
    # yields the CPU to it, and fills the queue in between (measured on 2 cores:
    # 945 -> 980-1000 entries/s on PostgreSQL).
    if hasattr(os, "nice"):
        os.nice(10)


def _prepare_chunk(entries: list[IndexEntry]) -> list[PreparedEntry]:
    return [_PREPARING.prepare(e) for e in entries]


class Indexer(BackendPart):
    """Writes entries into the backend's tables. Its attributes are this call's own; the
    backend's options and shared helpers are read through ``BackendPart``."""

    _running: list[int] | None = None  # (entries, words) while index() writes
    _young: dict | None = None  # a rebuild's postings of unlisted words (_keep_young)
    _young_size = 0
    _young_gone: set[str] = frozenset()  # words whose postings were dropped (_evict_young)
    _rebuild = False  # this call started on an empty index
    _analyzed_at = 0  # entries when a rebuild last tended its tables

    # -- public interface --------------------------------------------------------------

    def index(self, entries: Iterable[IndexEntry], *, workers: int = 0) -> int:
        """Add or replace entries (matched by kind + object_id). Returns how many.

        ``workers``: processes that segment and prepare entries while this one writes
        (for a rebuild of many; 0: all in this process)."""
        count = 0
        self._running = None  # entries and words in the index, read by the first batch
        self._young = None  # see _maintain_lists
        self._young_size = 0
        self._rebuild = False  # this call started on an empty index
        self._analyzed_at = 0
        batch: list[PreparedEntry] = []
        for prepared in self._prepare_all(entries, workers):
            batch.append(prepared)
            if len(batch) >= self.batch_size:
                count += self._write_batch(batch)
                self._after_batch()
                batch = []
        if batch:
            count += self._write_batch(batch)
            self._after_batch()
        if self._rebuild and count >= self.tend_after:
            self._finish_rebuild()
        return count

    def _after_batch(self) -> None:
        """Called after each batch is written (and committed, unless the caller holds a
        transaction)."""

    def _finish_rebuild(self) -> None:
        """Called at the end of an index() call that started on an empty index."""

    def _prepare_all(self, entries: Iterable[IndexEntry], workers: int):
        if (workers < 1 or "fork" not in multiprocessing.get_all_start_methods()
                or multiprocessing.current_process().daemon):  # e.g. a Celery pool worker:
            yield from (self.prepare(e) for e in entries)    # it may have no children
            return
        # Forked: each worker starts with the backend (segmenter loaded) and never uses
        # the database connection it inherits.
        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(workers, initializer=_start_preparing, initargs=(self.backend,)) as pool:
            pending: collections.deque = collections.deque()
            chunk: list[IndexEntry] = []
            for entry in entries:
                chunk.append(entry)
                if len(chunk) >= 100:
                    pending.append(pool.apply_async(_prepare_chunk, (chunk,)))
                    chunk = []
                    # Bounded (entries may be millions), but past a whole batch: the
                    # workers go on preparing the next one while this one is written.
                    if len(pending) > 2 * workers + 2 + 2 * self.batch_size // 100:
                        yield from pending.popleft().get()
            if chunk:
                pending.append(pool.apply_async(_prepare_chunk, (chunk,)))
            while pending:
                yield from pending.popleft().get()

    def delete(self, object_ids: Iterable[int], kind: str = "document") -> None:
        ids = list(object_ids)
        if not ids:
            return
        with transaction.atomic(using=self.using), self.cursor() as cur:
            ph = ",".join(["%s"] * len(ids))
            cur.execute("SELECT id FROM search_searchentry WHERE kind = %s "
                        f"AND object_id IN ({ph})", [kind, *ids])
            entry_ids = [r[0] for r in cur.fetchall()]
            if entry_ids:
                self._delete_entries(cur, entry_ids)

    def clear(self) -> None:
        raise NotImplementedError

    def _totals_with(self, cur, batch: list[PreparedEntry]) -> list[int]:
        """``_totals`` in the middle of writing ``batch`` (it is inserted already; a
        backend's kept totals may not show it yet, so the first batch counts)."""
        if self._running is None:
            return list(self._counted_totals(cur))
        return [self._running[0] + len(batch), self._running[1] + sum(p.length for p in batch)]

    def _maintain_lists(self, cur, was_empty: bool, ids: list[int],
                        batch: list[PreparedEntry], dfs: dict[str, int]) -> None:
        """After inserting entries ``ids`` (prepared as ``batch``; ``dfs``: the new
        document frequency of each of their words): add their impacts to the top lists,
        and start a list for each word that now reaches ``LIST_MIN_DF``. Lists start valid
        only on an empty index; a changed title weight leaves them unused until
        `gongkai search reindex`. (In three steps, so a backend may do the middle one, all
        Python, while the database inserts the entries: see PostgreSQL's _write_batch.)"""
        lists = self._lists_before(cur, was_empty, batch)
        if lists is None:
            return
        work = self._lists_work(ids, batch, lists)
        self._lists_after(cur, lists, work, dfs)

    def _lists_before(self, cur, was_empty: bool, batch: list[PreparedEntry]
                      ) -> tuple[dict, float] | None:
        """The lists' heads (term -> (floor, size)), read under the lists' lock, and the
        average length with ``batch`` in the index; None: no lists to keep."""
        if not self.supports_lists:
            return None
        running = self._running = self._totals_with(cur, batch)
        avgdl = running[1] / max(1, running[0])  # the average length with this batch in it
        if was_empty:
            self._clear_lists(cur)
            # The fingerprint row; its floor is the lowest average length any stored impact
            # was computed with (a search allows for the drift since).
            cur.execute("INSERT INTO search_searchhead (term, floor, size) VALUES ('', %s, %s)",
                        [avgdl, self.lists_fingerprint()])
            self._rebuild = True
            self._young, self._young_size = ({} if self.young_budget > 0 else None), 0
            self._young_gone = set()
        elif not self._lists_valid(cur):
            return None
        else:
            cur.execute("UPDATE search_searchhead SET floor = %s WHERE term = '' AND floor > %s",
                        [avgdl, avgdl])
        # Which words have lists, read inside this transaction after taking the lists' lock:
        # a list another writer started a moment ago must get this batch's impacts too.
        self._lock_lists(cur)
        cur.execute("SELECT term, floor, size FROM search_searchhead WHERE term <> ''")
        return {term: (floor, size) for term, floor, size in cur.fetchall()}, avgdl

    def _lists_work(self, ids: list[int], batch: list[PreparedEntry], lists: tuple[dict, float]):
        """The lists' share of a batch that needs no database: the new entries' impacts
        on the listed words, and (in a rebuild) their postings of the others."""
        heads, avgdl = lists
        fresh = impact.fresh(
            [(i, p.freqs, p.length) for i, p in zip(ids, batch, strict=True)], avgdl, heads)
        young = self._keep_young(ids, batch, set(heads)) if self._young is not None else None
        return fresh, young

    def _lists_after(self, cur, lists: tuple[dict, float], work, dfs: dict[str, int]) -> None:
        """Store the batch's impacts and start the lists of words that reached
        LIST_MIN_DF (``dfs``: their document frequencies now)."""
        heads, avgdl = lists
        fresh, young = work
        self._store_impacts(cur, fresh, heads)
        threshold = impact.list_min_df()
        k = impact.list_size()
        starts = {}
        for term, df in dfs.items():
            if df >= threshold and term not in heads:
                postings = young.pop(term, None) if young is not None else None
                if postings is not None:
                    self._young_size -= len(postings) // 3
                if postings is not None and len(postings) == 3 * df:
                    entries = self._list_from_postings(postings, avgdl)
                else:
                    entries = self._list_from_engine(cur, term, k)
                starts[term] = (entries, df)
        impact.start(cur, starts, k)
        if self._young_size > self.young_budget:
            self._evict_young()

    def _evict_young(self) -> None:
        """Over budget: keep the postings of the words nearest to a list (in most entries
        so far) within half the budget, and forget the others for good — those are mostly
        words that will never reach LIST_MIN_DF; one that does starts from the engine (a
        word's postings are used only when complete). Dropping them all, as before, sent
        every later list to the engine: at 20k entries, 366 lists reading a thousand
        tsvectors each, a sixth of the rebuild."""
        young = self._young
        by_size = sorted(young, key=lambda w: (-len(young[w]), w))
        room, kept, cut = self.young_budget // 2, 0, len(by_size)
        for i, word in enumerate(by_size):
            n = len(young[word]) // 3
            if kept + n > room:
                cut = i
                break
            kept += n
        gone = self._young_gone
        for word in by_size[cut:]:
            del young[word]
            gone.add(word)
        self._young_size = kept

    def _keep_young(self, ids: list[int], batch: list[PreparedEntry], listed: set[str]
                    ) -> dict | None:
        young = self._young
        find = young.get
        kept = 0
        if self._young_gone:
            listed = listed | self._young_gone  # their postings would be incomplete
        for entry_id, p in zip(ids, batch, strict=True):
            length, freqs = p.length, p.freqs
            unlisted = freqs.keys() - listed
            for word in unlisted:
                postings = find(word)
                if postings is None:
                    young[word] = [entry_id, freqs[word], length]
                else:
                    postings += (entry_id, freqs[word], length)
            kept += len(unlisted)
        self._young_size += kept
        return young

    @staticmethod
    def _list_from_postings(postings: list, avgdl: float) -> list[tuple[int, float]]:
        """A new list's impacts from the postings a rebuild kept (as ``impacts_of``
        computes them for every entry added later)."""
        # impact.tf_part inlined (same arithmetic, in the same order): a list starts from
        # a thousand postings or more, each rebuild starts thousands of lists.
        k1, b, a = impact.K1, impact.B, max(avgdl, 1.0)
        scale = k1 + 1
        return [(i, f * scale / (f + k1 * (1 - b + b * dl / a)) if f > 0 else 0.0)
                for i, f, dl in zip(postings[0::3], postings[1::3], postings[2::3],
                                    strict=True)]

    def _store_impacts(self, cur, rows: list[tuple[str, float, int]],
                       heads: dict[str, tuple[float, int]]) -> None:
        """``impact.store``: a backend may do the same in fewer statements."""
        impact.store(cur, rows, heads)

    def _lock_lists(self, cur) -> None:
        """Serialise list maintenance between writers (SQLite has one writer anyway)."""

    def _list_from_engine(self, cur, term: str, k: int) -> list[tuple[int, float]]:
        """The ``k`` entries where ``term`` has the highest impact, with their impacts."""
        raise NotImplementedError

    def _clear_lists(self, cur) -> None:
        cur.execute("DELETE FROM search_searchimpact")
        cur.execute("DELETE FROM search_searchhead")

    # -- engine-specific -----------------------------------------------------------------

    def _write_batch(self, batch: list[PreparedEntry]) -> int:
        """Insert (or replace) prepared entries in one transaction."""
        raise NotImplementedError

    def _delete_entries(self, cur, entry_ids: list[int]) -> None:
        raise NotImplementedError
