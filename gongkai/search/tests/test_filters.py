"""Filters on a larger index: a filtered search finds exactly the entries of the unfiltered
search that pass the filter, ranked the same (SQLite answers it from filter tokens in the
FTS5 MATCH, PostgreSQL from the metadata columns)."""

import random
import sqlite3

import pytest

from gongkai.search.backends import Filters, IndexEntry, Visibility, get_backend
from gongkai.search.backends.sqlite import META_FIELDS, meta_sql, meta_text
from gongkai.search.tests.compilers import compile_with

WORDS = ["企业", "疫情", "房租", "减免", "补贴", "学校", "防控", "税收", "社保", "物资"]
GENRES = ["通知", "意见", "办法", ""]
VALIDITY = ["valid", "expired", "", "amended"]
DOC_TYPES = ["normative", "other", ""]


def _entries(n: int, seed: int) -> list[IndexEntry]:
    rnd = random.Random(seed)
    out = []
    for i in range(1, n + 1):
        body = "，".join(rnd.choice(WORDS) for _ in range(rnd.randint(1, 8)))
        out.append(IndexEntry(
            object_id=i, title=rnd.choice(WORDS) + "的通知", body=body,
            kind=rnd.choice(["document", "document", "interpretation"]),
            org_id=rnd.choice([1, 2, 3, None]), node_id=rnd.choice([10, 11, None]),
            year=rnd.choice([2019, 2020, 2021, None]), validity=rnd.choice(VALIDITY),
            genre=rnd.choice(GENRES), doc_type=rnd.choice(DOC_TYPES),
            is_public=rnd.random() > 0.15))
    return out


def _passes(entry: IndexEntry, f: Filters) -> bool:
    return ((not f.org_ids or entry.org_id in f.org_ids)
            and (not f.node_ids or entry.node_id in f.node_ids)
            and (not f.years or entry.year in f.years)
            and (not f.validity or entry.validity in f.validity)
            and (not f.genre or entry.genre in f.genre)
            and (not f.doc_type or entry.doc_type in f.doc_type)
            and (not f.kind or entry.kind == f.kind))


FILTERS = [
    Filters(org_ids=[1]), Filters(org_ids=[2, 3], years=[2020]), Filters(node_ids=[11]),
    Filters(years=[2019, 2021], genre=["通知", "办法"]), Filters(validity=["expired"]),
    Filters(genre=["意见"], doc_type=["normative"]), Filters(kind="interpretation"),
    Filters(org_ids=[1, 2], node_ids=[10], validity=["valid", "amended"], kind="document"),
    Filters(org_ids=[99]),
]


@pytest.mark.parametrize("query", ["企业", "房租 减免", "学校 防控 公积金 -补贴"])
def test_a_filtered_search_is_the_unfiltered_one_restricted(db, query):
    backend = get_backend(min_and_hits=1)  # any-word only when no entry has every word
    backend.clear()
    entries = _entries(300, seed=8)
    backend.index(entries)
    by_id = {e.object_id: e for e in entries}
    compared = 0
    for visibility in (Visibility(), Visibility(org_ids=frozenset({3}))):
        every = backend.search(query, visibility=visibility, limit=300, facets=False)
        assert every.total > 20
        for f in FILTERS:
            want = [h.object_id for h in every.hits if _passes(by_id[h.object_id], f)]
            got = backend.search(query, filters=f, visibility=visibility, limit=300)
            assert all(_passes(by_id[h.object_id], f) for h in got.hits)
            if got.mode != every.mode:  # no entry the filter passes has every word
                assert (every.mode, got.mode, want) == ("and", "or", [])
                continue
            assert [h.object_id for h in got.hits] == want, (query, f)
            assert got.total == len(want)
            page = backend.search(query, filters=f, visibility=visibility, limit=5, offset=5)
            assert [h.object_id for h in page.hits] == want[5:10]
            compared += bool(want)
    assert compared >= 12


def test_the_migrations_filter_tokens_are_the_indexers():
    """Migration 0005 writes the filter tokens of existing entries in SQL; they must be the
    very tokens indexing writes (a plain SQLite database: this runs on either CI pass)."""
    conn = sqlite3.connect(":memory:")
    cols = [attr for _f, attr in META_FIELDS]
    conn.execute(f"CREATE TABLE e ({', '.join(cols)})")
    rows = [(3, 17, 2020, "valid", "通知", "normative", "document"),
            (None, None, None, "", "", "", "interpretation"),
            (12345, 1, 1999, "amended", "其他（含说明）", "other", "document")]
    conn.executemany(f"INSERT INTO e VALUES ({', '.join('?' * len(cols))})", rows)
    got = [r[0] for r in conn.execute(f"SELECT {meta_sql('e')} FROM e ORDER BY rowid")]
    want = [meta_text(IndexEntry(object_id=1, title="", **dict(zip(cols, r, strict=True))))
            for r in rows]
    assert got == want
    assert want[1] == "gko0 gkn0 gky0 gkv0 gkg0 gkt0 gkk" + b"interpretation".hex()


@pytest.mark.parametrize("query", ["房租", "学校 防控 公积金"])
def test_a_filter_with_many_matches_ranks_the_best_of_them(db, query):
    """Past ``filtered_rerank`` matches PostgreSQL orders the filter's matches cheaply
    and ranks the best ``filtered_cheap_rerank`` exactly (SQLite always ranks them all):
    with that above the number of matches the page is the exact one; below it, still only
    entries that pass, best first."""
    backend = get_backend(min_and_hits=1)
    backend.clear()
    entries = _entries(300, seed=8)
    backend.index(entries)
    by_id = {e.object_id: e for e in entries}
    f = Filters(years=[2020, 2021])
    every = backend.search(query, limit=300, facets=False)
    want = [h.object_id for h in every.hits if _passes(by_id[h.object_id], f)]
    assert len(want) > 20
    backend.filtered_rerank = 5
    backend.filtered_cheap_rerank = 200
    got = backend.search(query, filters=f, limit=10)
    assert [h.object_id for h in got.hits] == want[:10]
    assert got.total == len(want)
    backend.filtered_cheap_rerank = 12
    got = backend.search(query, filters=f, limit=10)
    assert len(got.hits) == 10
    assert {h.object_id for h in got.hits} <= set(want)
    scores = [h.score for h in got.hits]
    assert scores == sorted(scores, reverse=True)
    assert got.total == len(want)


@pytest.mark.parametrize("query", ["房租 减免", '"房租" 学校 防控', "企业 疫情 房租 社保"])
def test_few_and_matches_are_ranked_counted_and_faceted_as_the_engine_does(db, query):
    """An AND search with few matches may be answered from them alone (SQLite: found
    without ranking, scored from their stored words): the same page, scores, count and
    facets as ranking every match in the engine."""
    backend = get_backend(min_and_hits=1)
    backend.clear()
    backend.index(_entries(300, seed=8))
    found = []
    real = backend.query_compiler_class._few_matches

    def few(*args):
        rows = real(*args)
        found.append(rows is not None)
        return rows

    for f in [None, *FILTERS[:4]]:
        for visibility in (Visibility(), Visibility(org_ids=frozenset({3}))):
            before = compile_with(backend, _few_matches=few)
            got = backend.search(query, filters=f, visibility=visibility, limit=7, offset=2)
            backend.query_compiler_class = before
            compile_with(backend, _few_matches=lambda *args: None)
            want = backend.search(query, filters=f, visibility=visibility, limit=7, offset=2)
            backend.query_compiler_class = before
            assert got.mode == want.mode
            assert [(h.object_id, round(h.score, 9)) for h in got.hits] == [
                (h.object_id, round(h.score, 9)) for h in want.hits], (query, f)
            assert (got.total, got.facets) == (want.total, want.facets)
    assert any(found) == (backend.name == "sqlite")


@pytest.mark.parametrize("query", ['"房租" 学校 防控 社保', '企业 补贴 "防控的通知"'])
def test_an_or_search_with_a_phrase_is_ranked_from_the_phrase_matches(db, query):
    """Every match of an OR search holds its quoted phrase, so each of the phrase's words:
    SQLite scores the entries with all of them (few) and gives the page, count and facets
    from them — exact, and the same as the engine ranking every match."""
    backend = get_backend(min_and_hits=50)  # too few hold every word: the OR search
    backend.clear()
    backend.index(_entries(300, seed=9))
    found = []
    real = backend.query_compiler_class._few_matches

    def few(*args):
        rows = real(*args)
        found.append(rows is not None)
        return rows

    for f in [None, *FILTERS[:4]]:
        for visibility in (Visibility(), Visibility(org_ids=frozenset({3}))):
            before = compile_with(backend, _few_matches=few)
            got = backend.search(query, filters=f, visibility=visibility, limit=7, offset=2)
            backend.query_compiler_class = before
            compile_with(backend, _few_matches=lambda *args: None,
                         _fast_page=lambda *args, **kw: None)  # the engine ranks them all
            want = backend.search(query, filters=f, visibility=visibility, limit=7, offset=2)
            backend.query_compiler_class = before
            assert got.mode == want.mode == "or", (query, f)
            assert [(h.object_id, round(h.score, 9)) for h in got.hits] == [
                (h.object_id, round(h.score, 9)) for h in want.hits], (query, f)
            assert (got.total, got.facets) == (want.total, want.facets)
            assert not got.approximate
    assert any(found) == (backend.name == "sqlite")
