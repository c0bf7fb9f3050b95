"""The backend interface every search engine implements, and the parts they share.

A backend is chosen by dotted path (settings.GONGKAI_SEARCH_BACKEND, with the aliases
"sqlite" and "postgres") and configured by options (GONGKAI_SEARCH_BACKEND_OPTIONS: any
option below, e.g. ``title_weight``, ``min_and_hits``, ``rerank``). It indexes
``IndexEntry`` values and answers ``search()`` with ``SearchResults``, in the shape of
Wagtail's search backends: the backend holds configuration and what is shared between
searches (the connection alias, the segmenter, cached statistics); each search runs in a
``query_compiler_class`` object and each write in an ``index_class`` object, whose state
is their own. Everything a search filters or facets on lives in the backend's own table
(``search_searchentry``), so it never joins another app's tables. SQL backends differ only
in how they match and score; a dedicated engine (OpenSearch) would implement the public
methods (search, index, delete, clear, suggest) on its own.
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Iterable

from django.conf import settings
from django.db import connections

from gongkai.search import impact
from gongkai.search import query as query_mod
from gongkai.search.backends.compiler import QueryCompiler
from gongkai.search.backends.indexer import Indexer
from gongkai.search.backends.types import (
    COUNT_CAP,
    FACET_CAP,
    Filters,
    Hit,
    IndexEntry,
    PreparedEntry,
    SearchResults,
    Visibility,
)
from gongkai.search.segmenters import Segmenter, get_segmenter, normalize

# (backend class, alias, database) -> (when, entries, average length): base._shared_stats
_SHARED_STATS: dict[tuple, tuple[float, int, float]] = {}


def _title_weight() -> float:
    return float(getattr(settings, "GONGKAI_SEARCH_TITLE_WEIGHT", 5.0))


def _min_and_hits() -> int:
    return int(getattr(settings, "GONGKAI_SEARCH_MIN_AND_HITS", 10))


class SearchBackend:
    """Interface: search(), index(), delete(), clear(), suggest(). Subclasses set ``name``,
    ``query_compiler_class`` and ``index_class``."""

    query_compiler_class: type[QueryCompiler] = QueryCompiler
    index_class: type[Indexer] = Indexer

    name = ""
    vendor = ""
    count_cap = COUNT_CAP
    facet_cap = FACET_CAP

    def __init__(self, *, segmenter: Segmenter | str | None = None, using: str = "default",
                 title_weight: float | None = None, min_and_hits: int | None = None,
                 **options):
        """``options``: any tuning attribute of the class (``rerank=300``,
        ``fast_depth=200`` ...), set on this backend object only."""
        self.segmenter = (segmenter if isinstance(segmenter, Segmenter)
                          else get_segmenter(segmenter))
        self.using = using
        self.title_weight = _title_weight() if title_weight is None else title_weight
        self.min_and_hits = _min_and_hits() if min_and_hits is None else min_and_hits
        for name, value in options.items():
            current = getattr(type(self), name, None)
            if name.startswith("_") or current is None or callable(current):
                raise TypeError(f"{type(self).__name__} has no option {name!r}")
            setattr(self, name, value)
        self.options = {"title_weight": self.title_weight, "min_and_hits": self.min_and_hits,
                        **options}

    def with_options(self, **changes) -> SearchBackend:
        """A backend of the same class, segmenter and database with ``changes`` to its
        options (e.g. ``min_and_hits=1`` for a strict AND search)."""
        return type(self)(segmenter=self.segmenter, using=self.using,
                          **{**self.options, **changes})

    # -- public interface --------------------------------------------------------------

    def search(self, raw: str, *, filters: Filters | None = None,
               visibility: Visibility | None = None, limit: int = 10, offset: int = 0,
               facets: bool = True) -> SearchResults:
        """The entries matching ``raw`` best first, with their count and facets; a fresh
        ``query_compiler_class`` object runs it, and its state comes back on the results
        (``approximate``, ``declined``, ``mode``, ``total_capped``)."""
        return self.query_compiler_class(self).search(
            raw, filters=filters, visibility=visibility, limit=limit, offset=offset,
            facets=facets)

    def index(self, entries: Iterable[IndexEntry], *, workers: int = 0) -> int:
        """Add or replace entries (matched by kind + object_id). Returns how many.

        ``workers``: processes that segment and prepare entries while this one writes
        (for a rebuild of many; 0: all in this process)."""
        try:
            return self.index_class(self).index(entries, workers=workers)
        finally:
            self._changed()

    def delete(self, object_ids: Iterable[int], kind: str = "document") -> None:
        try:
            self.index_class(self).delete(object_ids, kind)
        finally:
            self._changed()

    def clear(self) -> None:
        try:
            self.index_class(self).clear()
        finally:
            self._changed()

    def _changed(self) -> None:
        """Every write of the index may change a public search page: the kept pages go when
        it commits (gongkai/search/result_cache.py). Also after a failed write: a batch may
        have committed before it failed."""
        from gongkai.search import result_cache

        result_cache.changed(using=self.using)

    def suggest(self, raw: str, *, filters: Filters | None = None,
                visibility: Visibility | None = None, scan: bool | None = None):
        """您是不是要找: a corrected query for ``raw`` (a ``suggest.Correction``) that, searched
        with the same filters by the same reader, finds an entry holding every one of its
        words; else None. Corrections come from this backend's vocabulary (the words it
        indexed, with their document frequencies). ``scan``: may one scan of the
        vocabulary look for a mistyped first character (None: the setting)."""
        from gongkai.search import suggest

        with self.cursor() as cur:
            c = suggest.correct(raw, self.segmenter, cur, scan=scan)
        if c is None:
            return None
        res = self.with_options(min_and_hits=1).search(
            c.text, filters=filters, visibility=visibility, limit=1, facets=False)
        return c if res.mode == "and" and res.total > 0 else None

    # -- shared by searches and writes -------------------------------------------------

    tend_after = 5000  # entries a rebuild writes before its tables are tended
    batch_size = 2000  # entries written in one transaction

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

    def _hit(self, row) -> Hit:
        (id_, kind, object_id, external_id, title, doc_number, url, org_id, node_id, year,
         validity, genre, status, is_public, published_at, score) = row[:16]
        return Hit(id=id_, kind=kind, object_id=object_id, external_id=external_id, title=title,
                   doc_number=doc_number, url=url, score=float(score or 0.0), org_id=org_id,
                   node_id=node_id, year=year, validity=validity, genre=genre, status=status,
                   is_public=bool(is_public), published_at=published_at)

    # -- statistics and the top lists of common words ---------------------------------------

    _stats_cache: tuple[float, int, float] | None = None
    fast_depth = 100  # entries read from each top list
    fast_rescore = 300  # candidates scored exactly, at least (4x the page's end, if more)
    fast_window = 50  # pages ending past this many rows: the engine's order (after these)
    fast_or_budget = 6000  # OR: words without a list may match this many entries in all

    @property
    def fast_and_min_df(self) -> int:
        """AND: when the rarest word is in fewer entries, the engine ranks them all."""
        return 4 * impact.list_min_df()
    bound_slack = 1.0 + 1e-9  # floating point; PostgreSQL adds its tf approximation

    def _stats(self, cur) -> tuple[int, float]:
        """(number of entries, average words per entry), cached for 30 seconds."""
        cached = self._stats_cache
        if cached and time.monotonic() - cached[0] < 30:
            return cached[1], cached[2]
        n, words = self._totals(cur)
        self._stats_cache = (time.monotonic(), int(n), max(1.0, words / n if n else 1.0))
        return self._stats_cache[1], self._stats_cache[2]

    def _shared_stats(self, cur) -> tuple[int, float]:
        """``_stats`` kept for 30 seconds by the process (every search makes a new backend
        object); only for a search outside a transaction, which reads committed data.
        ``_forget_stats`` (this process's writes) forgets it."""
        key = (type(self), self.using, connections[self.using].settings_dict.get("NAME"))
        cached = _SHARED_STATS.get(key)
        if cached and time.monotonic() - cached[0] < 30:
            return cached[1], cached[2]
        n, avg = self._stats(cur)
        _SHARED_STATS[key] = (time.monotonic(), n, avg)
        return n, avg

    def _totals(self, cur) -> tuple[int, int]:
        """(entries, words) in the index. Backends keep them where a read costs nothing:
        counting a million rows took longer than the search."""
        return self._counted_totals(cur)

    @staticmethod
    def _counted_totals(cur) -> tuple[int, int]:
        cur.execute("SELECT count(*), coalesce(sum(length), 0) FROM search_searchentry")
        n, words = cur.fetchone()
        return int(n), int(words)

    def _forget_stats(self) -> None:
        _SHARED_STATS.clear()
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

    # A rebuild keeps, for each word without a list, where it occurs (entry id, term
    # frequency, entry length) while the whole index is written by this index() call: a
    # word reaching LIST_MIN_DF then starts its list from memory instead of the engine (on
    # PostgreSQL that read ~1,000 tsvectors a list). Up to this many postings kept between
    # batches (3 numbers each, ~200 MB); past it, lists start from the engine as always.
    young_budget = 4_000_000

    def _index_is_empty(self, cur) -> bool:
        cur.execute("SELECT 1 FROM search_searchentry LIMIT 1")
        return cur.fetchone() is None

    def _freq_of(self):
        """The term frequency the engine's score gives a word from (title and 文号
        occurrences, body occurrences); None: title_weight x the first + the second."""
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

    rare_words = 3  # approximate OR pages: pairs of the rarest this many words ...
    rare_share = 0.05  # ... of those in at most this share of the entries (short doclists),
    rare_pair_best = 20  # ... each pair's best this many entries (0: no probes)
