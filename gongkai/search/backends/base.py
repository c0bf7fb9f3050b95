"""The backend interface every search engine implements, and the parts they share.

A backend indexes ``IndexEntry`` values and answers ``search()`` with ``SearchResults``.
Everything a search filters or facets on lives in the backend's own table
(``search_searchentry``), so it never joins another app's tables. SQL backends differ only
in how they match and score; a dedicated engine (OpenSearch) would implement the four
public methods on its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connections, transaction
from django.utils.safestring import SafeString

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
    # More than COUNT_CAP matches: ``total`` is COUNT_CAP (shown as "超过 N 条") and the
    # facets count the first COUNT_CAP matches only.
    total_capped: bool = False


COUNT_CAP = 10000  # counts and facets stop here: exact counts past it cost, and help no one


def _title_weight() -> float:
    return float(getattr(settings, "GONGKAI_SEARCH_TITLE_WEIGHT", 5.0))


def _min_and_hits() -> int:
    return int(getattr(settings, "GONGKAI_SEARCH_MIN_AND_HITS", 3))


class SearchBackend:
    """Interface: index(), delete(), clear(), search(). Subclasses set ``name``."""

    name = ""
    vendor = ""
    count_cap = COUNT_CAP

    def __init__(self, *, segmenter: Segmenter | str | None = None, using: str = "default",
                 title_weight: float | None = None, min_and_hits: int | None = None):
        self.segmenter = (segmenter if isinstance(segmenter, Segmenter)
                          else get_segmenter(segmenter))
        self.using = using
        self.title_weight = _title_weight() if title_weight is None else title_weight
        self.min_and_hits = _min_and_hits() if min_and_hits is None else min_and_hits

    # -- public interface --------------------------------------------------------------

    def index(self, entries: Iterable[IndexEntry]) -> int:
        """Add or replace entries (matched by kind + object_id). Returns how many."""
        count = 0
        batch: list[IndexEntry] = []
        for entry in entries:
            batch.append(entry)
            if len(batch) >= 500:
                count += self._index_batch(batch)
                batch = []
        if batch:
            count += self._index_batch(batch)
        return count

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
        capped = False
        facet_counts: dict[str, list[tuple[object, int]]] = {}
        if terms:
            fwhere, fparams = where, list(params)
            for phrase in q.phrases:
                fwhere += " AND " + self._contains_sql()
                fparams.append(phrase)
            if pinned_ids:
                fwhere += f" AND e.id NOT IN ({','.join(['%s'] * len(pinned_ids))})"
                fparams += pinned_ids
            if len(terms) > 1 and self._count(q, "and", fwhere, fparams,
                                              cap=self.min_and_hits) < self.min_and_hits:
                mode = "or"
            page_offset = max(0, offset - len(pinned_ids))
            page_limit = limit - len(pinned[offset:offset + limit])
            rows, total = self._page(q, mode, fwhere, fparams, page_limit, page_offset)
            if total is None or not rows:
                total = self._count(q, mode, fwhere, fparams, cap=self.count_cap + 1)
            if total > self.count_cap:
                total, capped = self.count_cap, True
            if facets:
                facet_counts = self._facets(q, mode, fwhere, fparams)
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
                             total_capped=capped)

    # -- shared helpers ----------------------------------------------------------------

    def cursor(self):
        return connections[self.using].cursor()

    def entry_tokens(self, entry: IndexEntry) -> tuple[list[str], list[str], list[str]]:
        seg = self.segmenter
        title = seg.index_words(f"{entry.title} {entry.extra_terms}")
        docnum = seg.index_words(entry.doc_number)
        body = seg.index_words(entry.body)
        return title, docnum, body

    def entry_row(self, entry: IndexEntry, length: int) -> list:
        text = normalize(entry.title) + "\n" + normalize(entry.body)
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

    def _facets(self, q, mode: str, where: str, params: list) -> dict[str, list]:
        sql, sql_params = self._set_sql(q, mode, where, params, select=", ".join(
            "e." + c for c in _FACET_COLUMNS.values()))
        parts = [f"SELECT '{name}', CAST({col} AS TEXT), count(*) FROM hits "
                 f"WHERE {col} IS NOT NULL AND CAST({col} AS TEXT) <> '' GROUP BY {col}"
                 for name, col in _FACET_COLUMNS.items()]
        full = f"WITH hits AS MATERIALIZED ({sql} LIMIT %s) " + " UNION ALL ".join(parts)
        out: dict[str, list] = {name: [] for name in FACETS}
        with self.cursor() as cur:
            cur.execute(full, [*sql_params, self.count_cap])
            for name, value, count in cur.fetchall():
                if name in ("org", "node", "year"):
                    value = int(value)
                out[name].append((value, count))
        for name in out:
            out[name].sort(key=lambda kv: (-kv[1], str(kv[0])))
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

    # -- engine-specific -----------------------------------------------------------------

    def _index_batch(self, batch: list[IndexEntry]) -> int:
        raise NotImplementedError

    def _delete_entries(self, cur, entry_ids: list[int]) -> None:
        raise NotImplementedError

    def _contains_sql(self) -> str:
        """SQL that is true when the entry's normalised text contains %s."""
        raise NotImplementedError

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
