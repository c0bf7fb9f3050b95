"""Paging through a search shows every match exactly once, on whichever backend the running
database selects: the first pages come from the top lists (the fast path), deeper ones from
the engine, and on PostgreSQL past its exactly ranked candidates from the cheap order. Each
page is a slice of one order, whatever the page size (design note 41)."""

import pytest
from django.db import connection

from gongkai.search.backends import Filters, get_backend
from gongkai.search.tests.test_impact import QUERIES, _corpus


def walk(backend, query, size, total, **kw):
    """(ids shown over every page of ``size``, the totals the pages said)."""
    paged, totals = [], set()
    for offset in range(0, total + size, size):
        res = backend.search(query, limit=size, offset=offset, facets=False, **kw)
        paged += [h.object_id for h in res.hits]
        totals.add(res.total)
    return paged, totals


@pytest.fixture
def small_windows(db, settings):
    """Lists, the fast path's window and PostgreSQL's exactly ranked candidates made small,
    so a few hundred entries have pages in every regime."""
    settings.GONGKAI_SEARCH_LIST_MIN_DF = 5
    settings.GONGKAI_SEARCH_LIST_SIZE = 30
    settings.GONGKAI_SEARCH_RERANK = 0
    options = {"rerank": 20} if connection.vendor == "postgresql" else {}
    return get_backend(fast_window=12, **options)


@pytest.mark.parametrize("size", [3, 7, 10, 25])
def test_walking_every_page_shows_each_match_once(small_windows, size):
    backend = small_windows
    walked = 0
    for n, seed in ((90, 4), (300, 1)):
        backend.clear()
        backend.index(_corpus(n, seed=seed))
        for query in QUERIES:
            whole = backend.search(query, limit=n, facets=False)
            matches = {h.object_id for h in whole.hits}
            assert len(matches) == whole.total, query
            paged, totals = walk(backend, query, size, whole.total)
            assert totals == {whole.total}, (query, n)
            assert len(paged) == len(set(paged)), (query, n, size, "repeated")
            assert set(paged) == matches, (query, n, size, "skipped")
            walked += whole.total > 25  # pages past the fast path's window (and the 20)
    assert walked >= 10


def test_a_filtered_walk_shows_each_match_once(small_windows):
    """A unit filter: PostgreSQL ranks the best few exactly, then the cheap order."""
    backend = small_windows
    backend.filtered_rerank = 15
    backend.filtered_cheap_rerank = 10
    backend.clear()
    backend.index(_corpus(300, seed=1))
    walked = 0
    for query in QUERIES:
        kw = {"filters": Filters(org_ids=[1])}
        whole = backend.search(query, limit=300, facets=False, **kw)
        matches = {h.object_id for h in whole.hits}
        assert len(matches) == whole.total, query
        walked += whole.total > 20  # pages past the exactly ranked ones
        for size in (4, 10):
            paged, _totals = walk(backend, query, size, whole.total, **kw)
            assert len(paged) == len(set(paged)), (query, size, "repeated")
            assert set(paged) == matches, (query, size, "skipped")
    assert walked >= 3


def test_pages_past_the_exactly_ranked_say_they_are_approximate(small_windows):
    """PostgreSQL: past its best ``rerank`` by the cheap order, pages are in that order,
    not BM25's, and say so; SQLite ranks every match exactly."""
    backend = small_windows
    backend.clear()
    backend.index(_corpus(300, seed=1))
    whole = backend.search("企业", limit=300, facets=False)
    assert whole.total > 40
    deep = backend.search("企业", limit=10, offset=30, facets=False)
    assert deep.approximate == (connection.vendor == "postgresql")
