"""The values a search backend takes and gives: entries to index, filters, visibility,
hits and the results of one search (which carry that search's own state)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.safestring import SafeString

from gongkai.search import query as query_mod

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
    # Why the top lists did not give the page ("": they did, or the few matches were all
    # ranked at once; e.g. "filter", "deep page"): then the engine ranked every match.
    declined: str = ""
    # Entries that hold every word ("or" mode: fewer than min_and_hits, so the page also
    # lists entries with some of them); None when not counted.
    and_total: int | None = None

    @property
    def or_fallback(self) -> bool:
        """Too few entries held every word: the page ranks entries holding any of them."""
        return self.mode == "or"

    @property
    def total_counted(self) -> bool:
        """``total`` is the exact number of matches (not stopped at the cap)."""
        return not self.total_capped

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

