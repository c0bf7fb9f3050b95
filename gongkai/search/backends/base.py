"""The backend interface every search engine implements, and the parts they share.

A backend indexes ``IndexEntry`` values and answers ``search()`` with ``SearchResults``.
Everything a search filters or facets on lives in the backend's own table
(``search_searchentry``), so it never joins another app's tables. SQL backends differ only
in how they match and score; a dedicated engine (OpenSearch) would implement the four
public methods on its own.
"""

from __future__ import annotations

import collections
import datetime as dt
import itertools
import math
import multiprocessing
import os
import time
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connections, transaction
from django.utils.safestring import SafeString

from gongkai.search import impact
from gongkai.search import query as query_mod
from gongkai.search.segmenters import Segmenter, get_segmenter, normalize
from gongkai.search.snippets import highlight, snippet

FACETS = ("org", "node", "year", "validity", "genre")
_FACET_COLUMNS = {"org": "org_id", "node": "node_id", "year": "year", "validity": "validity",
                  "genre": "genre"}


@dataclass
class IndexEntry:
    """One searchable record, flattened."""

    object_id: int
    title: str
    body: str = ""
    kind: str = "document"
    external_id: str = ""
    org_id: int | None = None
    node_id: int | None = None
    year: int | None = None
    validity: str = ""
    genre: str = ""
    doc_type: str = ""
    status: str = ""
    is_public: bool = True
    doc_number: str = ""
    url: str = ""
    published_at: dt.datetime | None = None
    extra_terms: str = ""  # keywords, topic: indexed with the title's weight


@dataclass
class PreparedEntry:
    """An entry made ready to write (``SearchBackend.prepare``)."""

    kind: str
    object_id: int
    row: list  # the search_searchentry values (SearchBackend.ENTRY_COLUMNS)
    length: int  # words, as the engine's ranking counts them
    freqs: dict[str, float]  # each word's term frequency as the score weighs it
    fulltext: object  # the engine's own: FTS5 column texts, a tsvector literal


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


@dataclass
class Filters:
    org_ids: list[int] = field(default_factory=list)
    node_ids: list[int] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    validity: list[str] = field(default_factory=list)
    genre: list[str] = field(default_factory=list)
    doc_type: list[str] = field(default_factory=list)
    kind: str = ""


@dataclass
class Visibility:
    """Who is searching: the public (default), or staff seeing ``org_ids``' unpublished
    records too (``all_orgs`` for the 公开办 coordinator)."""

    org_ids: frozenset[int] = frozenset()
    all_orgs: bool = False

    @property
    def public_only(self) -> bool:
        return not self.all_orgs and not self.org_ids


@dataclass
class Hit:
    id: int
    kind: str
    object_id: int
    external_id: str
    title: str
    doc_number: str
    url: str
    score: float
    org_id: int | None
    node_id: int | None
    year: int | None
    validity: str
    genre: str
    status: str
    is_public: bool
    published_at: dt.datetime | None
    pinned: bool = False  # exact 文号 match
    title_html: SafeString | str = ""
    snippet_html: SafeString | str = ""


@dataclass
class SearchResults:
    query: query_mod.ParsedQuery
    hits: list[Hit]
    total: int
    mode: str  # "and", "or" (fallback), "docnum" or "empty"
    facets: dict[str, list[tuple[object, int]]] = field(default_factory=dict)
    # More than COUNT_CAP matches: ``total`` is COUNT_CAP (shown as "超过 N 条").
    total_capped: bool = False
    # More than FACET_CAP matches: the facets counted the first FACET_CAP of them.
    facets_sampled: bool = False
    # The page came from the top lists without proof that it is the exact best (see
    # _fast_page): its order is approximate (its total is still counted).
    approximate: bool = False
    # Entries that hold every word ("or" mode: fewer than min_and_hits, so the page also
    # lists entries with some of them); None when not counted.
    and_total: int | None = None

    @property
    def partial_matches(self) -> bool:
        """The OR fallback ran and listed entries that lack some of the words."""
        return (self.mode == "or" and self.and_total is not None
                and self.total > self.and_total)


# Filters that pass few entries (the SQL _filter_sql writes for them).
_NARROWING = ("e.org_id IN", "e.node_id IN", "e.year IN", "e.validity IN", "e.genre IN",
              "e.doc_type IN")
# Counting stops here: past a couple of thousand an exact count costs time on every search
# (each match is read) and tells a reader nothing more than "超过 2000 条". Facets count the
# first FACET_CAP matches (the page says so when there are more); equal caps let one
# statement give both.
COUNT_CAP = 2000
FACET_CAP = 2000


def _title_weight() -> float:
    return float(getattr(settings, "GONGKAI_SEARCH_TITLE_WEIGHT", 5.0))


def _min_and_hits() -> int:
    return int(getattr(settings, "GONGKAI_SEARCH_MIN_AND_HITS", 3))


class SearchBackend:
    """Interface: index(), delete(), clear(), search(). Subclasses set ``name``."""

    name = ""
    vendor = ""
    count_cap = COUNT_CAP
    facet_cap = FACET_CAP

    def __init__(self, *, segmenter: Segmenter | str | None = None, using: str = "default",
                 title_weight: float | None = None, min_and_hits: int | None = None):
        self.segmenter = (segmenter if isinstance(segmenter, Segmenter)
                          else get_segmenter(segmenter))
        self.using = using
        self.title_weight = _title_weight() if title_weight is None else title_weight
        self.min_and_hits = _min_and_hits() if min_and_hits is None else min_and_hits

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

    tend_after = 5000  # entries a rebuild writes before its tables are tended
    batch_size = 2000  # entries written in one transaction

    def _after_batch(self) -> None:
        """Called after each batch is written (and committed, unless the caller holds a
        transaction)."""

    def _finish_rebuild(self) -> None:
        """Called at the end of an index() call that started on an empty index."""

    def _in_transaction(self) -> bool:
        return connections[self.using].in_atomic_block

    def prepare(self, entry: IndexEntry) -> PreparedEntry:
        """Everything writing ``entry`` needs that the database does not: its words, their
        counts, its row and the engine's full-text value. No database access here."""
        body_text = normalize(entry.body)  # segmented, and stored as the entry's text
        title, docnum, body = self.entry_tokens(entry, body_text=body_text)
        length = self.doc_length(title, docnum, body)
        counts, fulltext = self._fulltext(title, docnum, body)
        freqs = impact.freqs_of(counts, float(self.title_weight), self._freq_of())
        return PreparedEntry(kind=entry.kind, object_id=entry.object_id,
                             row=self.entry_row(entry, length, body_text=body_text),
                             length=length, freqs=freqs, fulltext=fulltext)

    def _fulltext(self, title: list[str], docnum: list[str], body: list[str]
                  ) -> tuple[impact.WordCounts, object]:
        """(the entry's word counts, the engine's full-text value)."""
        raise NotImplementedError

    def _prepare_all(self, entries: Iterable[IndexEntry], workers: int):
        if (workers < 1 or "fork" not in multiprocessing.get_all_start_methods()
                or multiprocessing.current_process().daemon):  # e.g. a Celery pool worker:
            yield from (self.prepare(e) for e in entries)    # it may have no children
            return
        # Forked: each worker starts with this backend (segmenter loaded) and never uses
        # the database connection it inherits.
        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(workers, initializer=_start_preparing, initargs=(self,)) as pool:
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
            few = None if q.excluded else self._few_matches(q, mode, fwhere, fparams)
            if few is not None and len(few) > min(self.count_cap, self.facet_cap):
                few = None  # counts and facets have their caps: the usual way
            if few is not None:
                # Every match, few of them, with its exact score: the page, the count and
                # the facets come from them right here.
                few.sort(key=lambda r: (bool(r[-1]), r[-2], r[0]), reverse=True)
                rows, total = few[page_offset:page_offset + page_limit], len(few)
                self.fast_declined, self.fast_approximate = "", False
                if facets:
                    facet_counts = self._facets_of(few)
            else:
                fast = None
                if not q.excluded:
                    fast = self._fast_page(q, mode, fwhere, fparams, page_limit, page_offset)
                if fast is not None:
                    rows, total = fast, None
                    approximate = bool(self.fast_approximate)
                else:
                    rows, total = self._page(q, mode, fwhere, fparams, page_limit,
                                             page_offset)
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
                             approximate=approximate,
                             and_total=and_total if mode == "or" else None)

    # -- shared helpers ----------------------------------------------------------------

    def cursor(self):
        return connections[self.using].cursor()

    def entry_tokens(self, entry: IndexEntry, *, body_text: str | None = None
                     ) -> tuple[list[str], list[str], list[str]]:
        """The entry's index words: title (with extra terms), 文号, body. ``body_text``:
        ``normalize(entry.body)``, if the caller has it."""
        seg = self.segmenter
        title = seg.index_words(f"{entry.title} {entry.extra_terms}")
        docnum = seg.index_words(entry.doc_number)
        if body_text is None:
            body_text = normalize(entry.body)
        body = seg.index_words(body_text, normalized=True)
        return title, docnum, body

    def doc_length(self, title: list[str], docnum: list[str], body: list[str]) -> int:
        """The entry's length in words, as the engine's ranking counts it."""
        return len(title) + len(docnum) + len(body)

    def entry_row(self, entry: IndexEntry, length: int, *, body_text: str | None = None
                  ) -> list:
        if body_text is None:
            body_text = normalize(entry.body)
        text = normalize(entry.title) + "\n" + body_text
        return [entry.kind, entry.object_id, entry.external_id or "", entry.org_id,
                entry.node_id, entry.year, entry.validity or "", entry.genre or "",
                entry.doc_type or "", entry.status or "", bool(entry.is_public),
                entry.title or "", entry.doc_number or "",
                query_mod.docnum_key(entry.doc_number or ""), entry.url or "",
                entry.published_at, text, length]

    ENTRY_COLUMNS = ("kind, object_id, external_id, org_id, node_id, year, validity, genre, "
                     "doc_type, status, is_public, title, doc_number, doc_number_key, url, "
                     "published_at, text, length")
    HIT_COLUMNS = ("e.id, e.kind, e.object_id, e.external_id, e.title, e.doc_number, e.url, "
                   "e.org_id, e.node_id, e.year, e.validity, e.genre, e.status, e.is_public, "
                   "e.published_at")

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

    @classmethod
    def _facets_of(cls, rows: list[tuple]) -> dict[str, list[tuple[object, int]]]:
        """``_facets`` of given matches (rows of HIT_COLUMNS)."""
        columns = [c.strip().removeprefix("e.") for c in cls.HIT_COLUMNS.split(",")]
        out: dict[str, list] = {}
        for name, column in _FACET_COLUMNS.items():
            index = columns.index(column)
            counts = collections.Counter(r[index] for r in rows
                                         if r[index] is not None and r[index] != "")
            out[name] = sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))
        return out

    def _hit(self, row) -> Hit:
        (id_, kind, object_id, external_id, title, doc_number, url, org_id, node_id, year,
         validity, genre, status, is_public, published_at, score) = row[:16]
        return Hit(id=id_, kind=kind, object_id=object_id, external_id=external_id, title=title,
                   doc_number=doc_number, url=url, score=float(score or 0.0), org_id=org_id,
                   node_id=node_id, year=year, validity=validity, genre=genre, status=status,
                   is_public=bool(is_public), published_at=published_at)

    def _decorate(self, hits: list[Hit], q: query_mod.ParsedQuery) -> None:
        if not hits:
            return
        with self.cursor() as cur:
            ids = [h.id for h in hits]
            cur.execute(f"SELECT id, text FROM search_searchentry WHERE id IN "
                        f"({','.join(['%s'] * len(ids))})", ids)
            texts = dict(cur.fetchall())
        for h in hits:
            text = texts.get(h.id, "")
            body = text.split("\n", 1)[1] if "\n" in text else text
            h.title_html = highlight(h.title, q.highlight)
            h.snippet_html = snippet(body, q.highlight)

    # -- statistics and the top lists of common words ---------------------------------------

    _stats_cache: tuple[float, int, float] | None = None
    _running: list[int] | None = None  # (entries, words) while index() writes
    fast_depth = 100  # entries read from each top list
    fast_rescore = 300  # candidates scored exactly, at least (4x the page's end, if more)
    fast_or_budget = 6000  # OR: words without a list may match this many entries in all

    @property
    def fast_and_min_df(self) -> int:
        """AND: when the rarest word is in fewer entries, the engine ranks them all."""
        return 4 * impact.list_min_df()
    fast_declined = ""
    fast_approximate = False  # the last page came from _essential_round's approximation
    bound_slack = 1.0 + 1e-9  # floating point; PostgreSQL adds its tf approximation

    def _stats(self, cur) -> tuple[int, float]:
        """(number of entries, average words per entry), cached for 30 seconds."""
        cached = self._stats_cache
        if cached and time.monotonic() - cached[0] < 30:
            return cached[1], cached[2]
        n, words = self._totals(cur)
        self._stats_cache = (time.monotonic(), int(n), max(1.0, words / n if n else 1.0))
        return self._stats_cache[1], self._stats_cache[2]

    def _totals(self, cur) -> tuple[int, int]:
        """(entries, words) in the index. Backends keep them where a read costs nothing:
        counting a million rows took longer than the search."""
        return self._counted_totals(cur)

    @staticmethod
    def _counted_totals(cur) -> tuple[int, int]:
        cur.execute("SELECT count(*), coalesce(sum(length), 0) FROM search_searchentry")
        n, words = cur.fetchone()
        return int(n), int(words)

    def _totals_with(self, cur, batch: list[PreparedEntry]) -> list[int]:
        """``_totals`` in the middle of writing ``batch`` (it is inserted already; a
        backend's kept totals may not show it yet, so the first batch counts)."""
        if self._running is None:
            return list(self._counted_totals(cur))
        return [self._running[0] + len(batch), self._running[1] + sum(p.length for p in batch)]

    def _forget_stats(self) -> None:
        self._stats_cache = None
        self._or_cache = None

    def _dfs(self, cur, terms: list[str]) -> dict[str, int]:
        if not terms:
            return {}
        cur.execute(f"SELECT term, df FROM search_term WHERE term IN "
                    f"({','.join(['%s'] * len(terms))})", terms)
        return {t: int(df) for t, df in cur.fetchall()}

    def idf(self, df: int, n: int) -> float:
        """The engine's inverse document frequency (each backend ranks with its own)."""
        raise NotImplementedError

    supports_lists = False  # the engine can fill a new top list (``_list_from_engine``)
    or_drops_common = False  # OR mode: words in most entries are not scored at all
    idf_floor = -1.0  # an idf at or below this means the engine ignores the word

    def lists_fingerprint(self) -> int:
        """What stored impacts depend on: the title weight and BM25's constants."""
        return zlib.crc32(f"{float(self.title_weight)}|{impact.K1}|{impact.B}".encode())

    def _lists_valid(self, cur) -> bool:
        return self._lists_state(cur) is not None

    def _lists_state(self, cur) -> float | None:
        """None when the lists are unusable; else the lowest average length a stored impact
        was computed with."""
        cur.execute("SELECT size, floor FROM search_searchhead WHERE term = ''")
        row = cur.fetchone()
        if row is None or int(row[0]) != self.lists_fingerprint():
            return None
        return float(row[1]) or 1.0

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
        impact.store(cur, fresh, heads)
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
            self._young = None  # the engine starts the rest

    # A rebuild keeps, for each word without a list, where it occurs (entry id, term
    # frequency, entry length) while the whole index is written by this index() call: a
    # word reaching LIST_MIN_DF then starts its list from memory instead of the engine (on
    # PostgreSQL that read ~1,000 tsvectors a list). Up to this many postings kept between
    # batches (3 numbers each, ~200 MB); past it, lists start from the engine as always.
    young_budget = 4_000_000

    def _keep_young(self, ids: list[int], batch: list[PreparedEntry], listed: set[str]
                    ) -> dict | None:
        young = self._young
        find = young.get
        kept = 0
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

    def _lock_lists(self, cur) -> None:
        """Serialise list maintenance between writers (SQLite has one writer anyway)."""

    def _freq_of(self):
        """The term frequency the engine's score gives a word from (title and 文号
        occurrences, body occurrences); None: title_weight x the first + the second."""
        return None

    def _list_from_engine(self, cur, term: str, k: int) -> list[tuple[int, float]]:
        """The ``k`` entries where ``term`` has the highest impact, with their impacts."""
        raise NotImplementedError

    def _index_is_empty(self, cur) -> bool:
        cur.execute("SELECT 1 FROM search_searchentry LIMIT 1")
        return cur.fetchone() is None

    def _clear_lists(self, cur) -> None:
        cur.execute("DELETE FROM search_searchimpact")
        cur.execute("DELETE FROM search_searchhead")

    # -- the fast path: common words ranked from their top lists ----------------------------

    def _fast_page(self, q, mode: str, where: str, params: list, limit: int,
                   offset: int) -> list[tuple] | None:
        """The page from candidates (top lists of the listed words, every match of the
        others), or None when that cannot be shown exact: then the engine ranks every match.

        Every candidate gets an upper bound on its score (a listed word it is not listed
        under counts at that list's bound; an unlisted word at the most it can weigh); the
        best by bound are scored exactly. The page stands when its last score beats both
        the bound of every candidate not scored and the bound of every entry that is no
        candidate (no unlisted word, and below every list's bound)."""
        need = offset + limit
        terms = q.required
        self.fast_approximate = False
        if need > 50 or not terms or limit <= 0:
            return self._declined("deep page")
        if any(mark in where for mark in _NARROWING):
            return self._declined("filter")  # few list entries would pass: the filtered path
        if not self.supports_lists:
            return self._declined("no lists")
        with self.cursor() as cur:
            lowest_avgdl = self._lists_state(cur)
            if lowest_avgdl is None:
                return self._declined("lists unusable")
            n, avg = self._stats(cur)
            # An impact written when entries were shorter on average weighs up to
            # avg / lowest more now (BM25's length norm); nothing else moves it.
            slack = self.bound_slack * max(1.0, avg / lowest_avgdl)
            dfs = self._dfs(cur, terms)
            if mode == "or" and self.or_drops_common:
                # Words in most entries neither match nor weigh here (see the backend).
                terms = [t for t in terms if dfs.get(t, 0) < n / 2] or terms
            lists = impact.read(cur, terms, self.fast_depth)
            unlisted = [t for t in terms if t not in lists]
            if not lists:
                return self._declined("no listed word")
            if mode == "and" and (unlisted or min(dfs.get(t, 0) for t in terms)
                                  < self.fast_and_min_df):
                # The rarest word bounds the matches: the engine ranks them cheaply.
                return self._declined("and: few matches")
            if sum(dfs.get(t, 0) for t in unlisted) > self.fast_or_budget:
                return self._declined("or: unlisted words too common")
            idf = {t: self.idf(dfs.get(t, 0), n) for t in terms}
            ub: dict[int, float] = {}
            if unlisted:
                ub.update(self._unlisted_bounds(cur, unlisted, idf))
            # Every entry starts at the lists' bounds (it may hold each listed word up to
            # its bound); an entry a list names gets its impact instead.
            outside = sum(idf[t] * bound for t, (_entries, bound) in lists.items())
            for entry_id in ub:
                ub[entry_id] += outside
            for term, (entries, bound) in lists.items():
                weight = idf[term]
                for entry_id, value in entries:
                    ub[entry_id] = ub.get(entry_id, outside) + weight * (value - bound)
            ranked = sorted(ub.items(), key=lambda kv: (-kv[1], -kv[0]))
            r = max(self.fast_rescore, 4 * need)
            head, rest = ranked[:r], ranked[r:]
            # Stored impacts used the average length of their day (and PostgreSQL reads
            # term frequencies back approximately): bounds get a margin.
            next_bound = slack * max(outside, rest[0][1] if rest else 0.0)
            and_ids: set[int] = set()
            if mode == "or":
                and_ids = set(self._and_ids(cur, q, where, params, self.min_and_hits))
            ids = sorted({i for i, _ in head} | and_ids)
            rows = self._score_ids(cur, q, mode, ids, where, params, and_ids)
            if mode != "or":  # "has every word" only orders OR pages (in AND mode all do)
                rows = [(*r[:-1], False) for r in rows]
            verdict = self._verdict(rows, need, next_bound)
            if verdict == "bound" and all(idf[t] <= self.idf_floor for t in terms):
                # Every word is in most entries and the engine weighs it (all but) zero:
                # any order is as good by BM25; the lists' order (BM25 at the average
                # length they were written with) stands.
                self.fast_approximate = True
                verdict = ""
            if verdict == "bound" and len(terms) == 1 and not unlisted:
                # One word: its score is idf x impact, and the list holds every entry whose
                # impact is above its floor, best first. A page the bound cannot prove is
                # one whose last score ties the floor (equal entries: at 1M, a title
                # shared by hundreds), or is within the margin for the average length's
                # drift since the impacts were written: taken as it is (approximate).
                self.fast_approximate = True
                verdict = ""
            if verdict == "bound" and mode == "and" and self.approximate_and:
                # Enough candidates hold every word, but the bound cannot prove that none
                # outside them scores higher: the backend's full ranking would be no
                # better than approximate itself (see approximate_and).
                self.fast_approximate = True
                verdict = ""
            if verdict == "bound" and mode == "or":
                # Threshold from the pages' best so far: words that together cannot reach
                # it need not match (MaxScore); every entry with any other word is ranked.
                found = self._essential_round(cur, q, where, params, and_ids, rows, need,
                                              terms, dfs, idf, lists, slack)
                if found is not None:
                    rows, verdict = found, ""
                elif (self.fast_declined == "or: essential words too common"
                      and self.approximate_or and not self._verdict(rows, need, -math.inf)):
                    # The essential words match too many entries to rank (at 1M, a long
                    # question of common words: ranking every match took seconds): the
                    # page from the lists' candidates, each scored exactly.
                    self.fast_approximate = True
                    verdict = ""
                else:
                    verdict = self.fast_declined
                if not verdict and self.fast_approximate:
                    rows = self._with_rare_pairs(cur, q, where, params, rows, dfs, and_ids)
        if verdict:
            return self._declined(verdict)
        self.fast_declined = ""
        rows.sort(key=lambda r: (bool(r[-1]), r[-2], r[0]), reverse=True)
        return rows[offset:need]

    @staticmethod
    def _verdict(rows: list[tuple], need: int, bound: float) -> str:
        """"" when the best ``need`` of ``rows`` are the true best (nothing else can score
        above ``bound``), else why not."""
        rows.sort(key=lambda r: (bool(r[-1]), r[-2], r[0]), reverse=True)
        if len(rows) < need:
            return "too few candidates"
        plain = [row for row in rows if not row[-1]]
        allm = len(rows) - len(plain)
        if need > allm and not plain[need - allm - 1][-2] > bound:
            return "bound"
        return ""

    def _declined(self, reason: str) -> None:
        """Why the last search could not use the lists (for profiling and the benchmark)."""
        self.fast_declined = reason
        return None

    fast_essential_budget = 40000  # OR, second round: entries the essential words may match
    approximate_or = True  # OR pages the lists cannot prove: rank the essential candidates
    # AND pages the lists cannot prove but fill: keep them (a backend whose own ranking of
    # every match is approximate anyway; PostgreSQL's cheap order + rerank)
    approximate_and = False
    # ... and score this many of the best exactly (0: keep the partial scores). At 100k
    # entries, 100 rescored pages share 97% of their top 10 with ranking every match, and
    # always the first hit; the partial scores alone, 89% (bench/search_agreement.py).
    rescore_or = 100

    def _essential_round(self, cur, q, where, params, and_ids, rows, need, terms, dfs, idf,
                         lists, slack):
        """OR pages the lists could not prove: MaxScore. ``theta`` (the page's last score so
        far) is a floor of the true one. Words whose greatest possible weights add up below
        it are non-essential: an entry holding only those cannot make the page. Entries
        with an essential word are ranked by their essential words' exact score plus what
        the lists say of the others; a word's weight in an entry its list does not name is
        left out (at most that list's bound), so the page is approximate — measured against
        ranking every match in bench/search_agreement.py."""
        plain = [r for r in rows if not r[-1]]
        allm = len(rows) - len(plain)
        theta = plain[need - allm - 1][-2]
        k1 = impact.K1
        most = {t: idf[t] * slack * (lists[t][0][0][1] if t in lists and lists[t][0]
                                      else k1 + 1) for t in terms}
        order = sorted(terms, key=lambda t: most[t])
        rest_sum, cut = 0.0, 0
        while cut < len(order) and rest_sum + most[order[cut]] < theta:
            rest_sum += most[order[cut]]
            cut += 1
        essential, optional = order[cut:], order[:cut]
        if sum(dfs.get(t, 0) for t in essential) > self.fast_essential_budget:
            return self._declined("or: essential words too common")
        scores = dict(self._unlisted_bounds(cur, essential, idf))
        if not self.approximate_or:
            seen = {r[0] for r in rows}
            ranked = sorted(((i, p + rest_sum) for i, p in scores.items() if i not in seen),
                            key=lambda kv: (-kv[1], -kv[0]))
            r = max(self.fast_rescore, 4 * need)
            head, tail = ranked[:r], ranked[r:]
            more = self._score_ids(cur, q, "or", [i for i, _ in head], where, params, and_ids)
            verdict = self._verdict(rows + more, need, slack * max(
                rest_sum, tail[0][1] if tail else 0.0))
            return self._declined("or: " + verdict) if verdict else rows + more
        for term in optional:
            if term in lists:
                weight = idf[term]
                for entry_id, value in lists[term][0]:
                    if entry_id in scores:
                        scores[entry_id] += weight * value
        # Entries already scored exactly keep their exact score.
        exact = {r[0]: r for r in rows}
        ranked = sorted(scores.items(), key=lambda kv: (kv[0] in and_ids, kv[1], kv[0]),
                        reverse=True)
        want = max(self.rescore_or, 3 * need)
        top = [i for i, _ in ranked[:want]]
        if self.rescore_or:
            found = self._score_ids(cur, q, "or", top, where, params, and_ids)
        else:
            found = [(*r, scores[r[0]], r[0] in and_ids)
                     for r in self._rows_for(cur, [i for i in top if i not in exact], where,
                                             params)]
            found += [exact[i] for i in top if i in exact]
        merged = {r[0]: r for r in [*rows, *found]}
        out = list(merged.values())
        if self._verdict(out, need, float("-inf")):
            return self._declined("or: too few candidates")
        self.fast_approximate = True
        return out

    rare_words = 3  # approximate OR pages: pairs of the rarest this many words ...
    rare_share = 0.05  # ... of those in at most this share of the entries (short doclists),
    rare_pair_best = 20  # ... each pair's best this many entries (0: no probes)

    def _with_rare_pairs(self, cur, q, where, params, rows, dfs, and_ids) -> list[tuple]:
        """An approximate OR page (a question of common words) also gets the best entries
        holding two of its rarest words together, scored exactly. The lists name the
        entries where *one* word weighs most; the entries a long question means hold most
        of its words, none of them outstandingly — at 1M the copies of a question's own
        answer (12 of its 14 words) were in no list, and the page missed all ten."""
        if not self.rare_pair_best:
            return rows
        n, _avg = self._stats(cur)
        words = sorted((t for t in q.required if 0 < dfs.get(t, 0) <= self.rare_share * n),
                       key=lambda t: (dfs[t], t))[:self.rare_words]
        if len(words) < 3:
            return rows  # one pair of every word: the AND search (mode "or": too few)
        seen = {r[0] for r in rows}
        ids: set[int] = set()
        for pair in itertools.combinations(words, 2):
            ids.update(self._pair_best(cur, pair, where, params, self.rare_pair_best))
        ids -= seen
        if not ids:
            return rows
        return rows + self._score_ids(cur, q, "or", sorted(ids), where, params, and_ids)

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

    # -- engine-specific -----------------------------------------------------------------

    def _write_batch(self, batch: list[PreparedEntry]) -> int:
        """Insert (or replace) prepared entries in one transaction."""
        raise NotImplementedError

    def _delete_entries(self, cur, entry_ids: list[int]) -> None:
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
