"""Top lists of common words: the arithmetic (no database) and the lists kept by the index.

The fast path must never change a page: every query here is answered twice, from the lists
and by ranking every match, and the pages must be the same."""

import os
import random

import pytest

from gongkai.search import impact
from gongkai.search import query as query_mod
from gongkai.search.backends import Filters, IndexEntry, Visibility, get_backend
from gongkai.search.tests.compilers import compile_with, compiler, index_with


def test_tf_part_is_bm25s_term_frequency_part():
    # One occurrence in a document of average length: (k1 + 1) / (1 + k1) = 1.
    assert impact.tf_part(1, 100, 100) == pytest.approx(1.0)
    # It saturates towards k1 + 1 and grows with the count.
    values = [impact.tf_part(f, 100, 100) for f in (1, 2, 5, 50, 5000)]
    assert values == sorted(values) and values[-1] < impact.K1 + 1
    # Longer documents weigh the same count less.
    assert impact.tf_part(2, 400, 100) < impact.tf_part(2, 100, 100) < impact.tf_part(2, 25, 100)
    assert impact.tf_part(0, 100, 100) == 0.0


def test_doc_impacts_weigh_title_words_up_and_skip_words_without_lists():
    title, body = ["房租", "减免"], ["房租", "企业", "企业", "疫情"]
    got = impact.doc_impacts(title, [], body, avgdl=6, heads={"房租", "企业"},
                             title_weight=5.0)
    assert set(got) == {"房租", "企业"}
    # 房租: 5 x 1 (title) + 1 (body) = 6 occurrences' worth; 企业: 2.
    assert got["房租"] == pytest.approx(impact.tf_part(6, 6, 6))
    assert got["企业"] == pytest.approx(impact.tf_part(2, 6, 6))


WORDS = ["企业", "疫情", "房租", "减免", "补贴", "学校", "防控", "税收", "社保", "物资",
         "口罩", "复工"]


def _corpus(n, seed):
    rnd = random.Random(seed)
    out = []
    for i in range(1, n + 1):
        # Zipf-like: the first words are in most entries, the last in few.
        body = [w for j, w in enumerate(WORDS) for _ in range(rnd.randint(0, 3))
                if rnd.random() < 1 / (1 + j * 0.6)]
        rnd.shuffle(body)
        title = rnd.sample(WORDS[:6], 2) if rnd.random() < 0.3 else ["通知"]
        out.append(IndexEntry(object_id=i, title="".join(title), body="，".join(body) or "其他",
                              org_id=rnd.randint(1, 3), year=rnd.choice([2020, 2021]),
                              is_public=rnd.random() > 0.1))
    return out


QUERIES = ["企业", "疫情", "房租", "企业 疫情", "疫情 防控 物资", "房租 减免 补贴",
           "学校 口罩 复工 社保", "企业 疫情 房租 税收", "复工"]


def _pages(backend, query, **kwargs):
    """(page from the fast path or None if it declined, page from ranking every match)."""
    used = []
    real = backend.query_compiler_class._fast_page
    backend.approximate_or = False  # only pages the lists prove exact

    def spy(self, *a, **k):
        page = real(self, *a, **k)
        # Proven pages only: one of words in most entries (weighed all but zero) takes the
        # lists' order, an approximation by design.
        used.append(page is not None and not self.fast_approximate)
        return page

    before = compile_with(backend, _fast_page=spy)
    try:
        fast = backend.search(query, **kwargs)
    finally:
        backend.query_compiler_class = before
        compile_with(backend, _fast_page=lambda *a, **k: None)
    full = backend.search(query, **kwargs)
    backend.query_compiler_class = before
    del backend.approximate_or
    key = [(h.object_id, round(h.score, 6)) for h in fast.hits]
    return (key if any(used) else None), [(h.object_id, round(h.score, 6)) for h in full.hits]


@pytest.fixture
def listed(db, settings):
    settings.GONGKAI_SEARCH_LIST_MIN_DF = 5
    settings.GONGKAI_SEARCH_LIST_SIZE = 15
    backend = get_backend()
    backend.clear()
    backend.index(_corpus(90, seed=3))
    # These tests are about the lists: AND searches with few matches (all of them, here)
    # would be ranked before the lists are read (see test_filters for that way).
    compile_with(backend, _few_matches=lambda *args: None)
    return backend


def test_pages_from_the_lists_equal_ranking_every_match(listed):
    used = 0
    for query in QUERIES:
        for limit, offset in ((10, 0), (3, 0), (3, 3)):
            fast, full = _pages(listed, query, limit=limit, offset=offset)
            if fast is not None:
                used += 1
                assert fast == full, (query, limit, offset)
    if listed.supports_lists:  # PostgreSQL ranks every match (no lists yet)
        assert used >= 5


def test_lists_keep_every_entry_above_their_floor_through_edits(listed):
    """Add, replace and delete entries; each list still holds every entry whose impact is
    above its floor (checked against the engine's own ranking of the word)."""
    if not listed.supports_lists:
        assert not listed.search("企业").hits or listed.search("企业").mode == "and"
        return
    more = _corpus(40, seed=9)
    for e in more:
        e.object_id += 1000
    listed.index(more)
    listed.index(_corpus(20, seed=11))  # replaces entries 1-20
    listed.delete(range(30, 50))
    with listed.cursor() as cur:
        cur.execute("SELECT term, floor FROM search_searchhead WHERE term <> ''")
        heads = dict(cur.fetchall())
        assert {"企业", "疫情"} <= set(heads)
        for term, floor in heads.items():
            truth = listed.index_class(listed)._list_from_engine(cur, term, 10_000)
            cur.execute("SELECT entry_id FROM search_searchimpact WHERE term = %s", [term])
            kept = {r[0] for r in cur.fetchall()}
            above = {i for i, v in truth if v > floor * 1.05}
            assert above <= kept, term
            assert kept <= {i for i, _ in truth}, term  # no deleted entry stays listed
    for query in QUERIES:
        fast, full = _pages(listed, query)
        assert fast is None or fast == full, query


def test_filters_and_visibility_hold_on_the_fast_path(listed):
    for query in QUERIES:
        fast, full = _pages(listed, query, filters=Filters(years=[2020]))
        assert fast is None or fast == full
        public = listed.search(query)
        assert all(h.is_public for h in public.hits)


def test_a_changed_title_weight_leaves_the_lists_unused(listed, settings):
    if not listed.supports_lists:
        return
    with listed.cursor() as cur:
        assert listed._lists_valid(cur)
    settings.GONGKAI_SEARCH_TITLE_WEIGHT = 2.0
    other = get_backend()
    with other.cursor() as cur:
        assert not other._lists_valid(cur)
    fast, _full = _pages(other, "企业")
    assert fast is None


def test_stored_impacts_are_what_the_engine_scores(listed):
    """A list's impacts (computed in Python while indexing) equal the engine's own term
    weights: bm25() on SQLite exactly, PostgreSQL's ts_rank reading within its 5%."""
    if not listed.supports_lists:
        return
    tolerance = 1e-6 if listed.name == "sqlite" else 1e-4  # PostgreSQL ranks in float4
    # Entries with odd tokens: FTS5 counts "200-300ml" as two words, and so must we. One
    # batch on an empty index: every impact is written at today's average length.
    listed.clear()
    listed.index(_corpus(90, seed=3) + [
        IndexEntry(object_id=500 + i, title="企业 通知",
                   body="企业 200-300ml 0991-4801783 企业 疫情 " * (i + 1)) for i in range(3)])
    with listed.cursor() as cur:
        checked = 0
        for term in ("企业", "疫情"):
            engine = dict(listed.index_class(listed)._list_from_engine(cur, term, 10_000))
            cur.execute("SELECT entry_id, impact FROM search_searchimpact WHERE term = %s",
                        [term])
            for entry_id, stored in cur.fetchall():
                assert stored == pytest.approx(engine[entry_id], rel=tolerance), term
                checked += 1
    assert checked >= 20


def test_approximate_or_pages_hold_only_matching_visible_entries(listed):
    """OR pages the lists cannot prove are ranked approximately (their quality is measured
    in bench/); they still hold only entries that match, that the searcher may see and
    that pass the filters, best first: the entries holding every word (fewer than
    min_and_hits of them, or the search would not be OR) before the others, each group by
    score — with min_and_hits 3 or 10."""
    if not listed.supports_lists:
        return
    approximated = 0
    for min_and_hits in (3, 10):
        backend = listed.with_options(min_and_hits=min_and_hits)
        backend.query_compiler_class = listed.query_compiler_class
        for query in ["学校 口罩 复工 社保 物资 税收 减免", "企业 疫情 房租 税收 补贴 学校",
                      "口罩 社保 复工 税收 物资 防控 减免 补贴"]:
            for filters, rescore in ((None, 0), (Filters(kind="document"), 0), (None, 100)):
                backend.rescore_or = rescore  # partial scores only, or the best rescored
                backend.search(query, filters=filters)  # fills the caches
                page = backend.search(query, filters=filters, limit=5)
                approximated += page.approximate
                full = backend.search(query, filters=filters, limit=100, facets=False)
                allowed = {h.object_id for h in full.hits}
                assert {h.object_id for h in page.hits} <= allowed
                assert all(h.is_public for h in page.hits)
                strict = backend.with_options(min_and_hits=1).search(
                    query, filters=filters, limit=100, facets=False)
                every_word = {h.object_id for h in strict.hits} if strict.mode == "and" else set()
                if page.mode == "or":
                    assert page.and_total == len(every_word)
                order = [(h.object_id in every_word, h.score) for h in page.hits]
                assert order == sorted(order, reverse=True), (min_and_hits, query)
    assert approximated


def test_ts_rank_is_computed_as_postgresql_does(db):
    """PostgreSQL's impacts come from an emulation of ts_rank (so lists and SQL scores
    agree); checked against the server on random position lists. SQLite has no ts_rank:
    there the arithmetic is only checked on its known values."""
    from django.db import connection

    from gongkai.search.backends.postgres import _BODY, _TOP, ts_rank_one

    assert ts_rank_one([(1, "D")], _BODY) == pytest.approx(1 / 1.64493406685)
    assert ts_rank_one([(1, "A")], _BODY) == 0.0
    if connection.vendor != "postgresql":
        return
    rnd = random.Random(5)
    with connection.cursor() as cur:
        for _ in range(60):
            n = rnd.randint(1, 12)
            positions = sorted(rnd.sample(range(1, 400), n))
            plist = [(p, rnd.choice("AABDDDD")) for p in positions]
            vector = "w:" + ",".join(f"{p}{w}" for p, w in plist)
            cur.execute("SELECT ts_rank('{1,0,0,0}', %s::tsvector, 'w'::tsquery), "
                        "ts_rank('{0,0,1,1}', %s::tsvector, 'w'::tsquery)", [vector, vector])
            body, top = cur.fetchone()
            assert ts_rank_one(plist, _BODY) == pytest.approx(body, rel=1e-6, abs=1e-7)
            assert ts_rank_one(plist, _TOP) == pytest.approx(top, rel=1e-6, abs=1e-7)


def test_array_literals_hold_any_word_and_number(db):
    """Batches reach PostgreSQL as array literals written here (psycopg's per-element
    adaptation was a tenth of a rebuild's writing): quotes, backslashes, braces, commas
    and the word NULL stay what they were; floats keep every digit."""
    from django.db import connection

    words = ['a"b', "c\\d", "企业", "it's", "{x,y}", "NULL", "", " sp "]
    numbers = [0.1, 1e-300, 2.5e15, 1 / 3]
    assert impact.pg_array(["a", 'b"'], "text") == '{"a","b\\""}'
    assert impact.pg_array([1, 22]) == "{1,22}"
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cur:
        cur.execute("SELECT %s::text[], %s::float8[], %s::int8[]",
                    [impact.pg_array(words, "text"), impact.pg_array(numbers),
                     impact.pg_array([1, -2, 2**40])])
        assert cur.fetchone() == (words, numbers, [1, -2, 2**40])


def _as_dict(counts):
    return {w: counts.of(w) for w in counts.words()}


def test_ts_rank_from_counts_equals_the_emulation_and_the_server(db):
    """Indexing reads ts_rank from two counts per word (title/文号 positions, then body
    positions), not from the position list: equal to ``ts_rank_one`` on every such list,
    and to what PostgreSQL computes on the literal indexing writes."""
    from django.db import connection

    from gongkai.search.backends.postgres import (
        _BODY,
        _TOP,
        MAX_POS,
        rank_counts,
        ts_rank_one,
        tsvector_literal,
    )

    for a in range(0, 6):
        for b in range(0, 3):
            for d in (0, 1, 2, 7, 40, 254):
                if not a + b + d:
                    continue
                plist = ([(i, "A") for i in range(a)] + [(i, "B") for i in range(b)]
                         + [(i, "D") for i in range(d)])[:255]
                body, top = rank_counts(a + b if a + b < 255 else 255,
                                        max(0, min(d, 255 - a - b)))
                assert body == pytest.approx(ts_rank_one(plist, _BODY), rel=1e-12)
                assert top == pytest.approx(ts_rank_one(plist, _TOP), rel=1e-12)
    title, docnum = ["通知", "房租"], ["槐政办字"]
    body = ["房租"] * 3 + ["减免"] * 300 + ["通知"]
    literal, counts = tsvector_literal([(title, "A"), (docnum, "B"), (body, "D")])
    assert _as_dict(counts) == {"通知": (1, 1), "房租": (1, 3), "槐政办字": (1, 0),
                                "减免": (0, 255)}
    # Longer than PostgreSQL's last position: the words past it share one position.
    long_body = ["甲"] * MAX_POS + ["乙", "乙", "甲"]
    long_literal, long_counts = tsvector_literal([(["题"], "A"), ([], "B"), (long_body, "D")])
    assert _as_dict(long_counts) == {"题": (1, 0), "甲": (0, 255), "乙": (0, 1)}
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cur:
        for lit, cnt in ((literal, counts), (long_literal, long_counts)):
            for word, (n_top, n_body) in _as_dict(cnt).items():
                cur.execute("SELECT ts_rank('{1,0,0,0}', %s::tsvector, %s::tsquery), "
                            "ts_rank('{0,0,1,1}', %s::tsvector, %s::tsquery)",
                            [lit, word, lit, word])
                server_body, server_top = cur.fetchone()
                body_rank, top_rank = rank_counts(n_top, n_body)
                assert body_rank == pytest.approx(server_body, rel=1e-6, abs=1e-7), word
                assert top_rank == pytest.approx(server_top, rel=1e-6, abs=1e-7), word


def test_the_binary_tsvector_is_the_literals_value(db):
    """PostgreSQL's COPY takes each tsvector in binary (``tsvector_binary``): the server
    holds the value the literal gives — every word, position and weight, the 255
    positions a word keeps, the words past the last position — with the same counts."""
    from django.db import connection

    from gongkai.search.backends.postgres import MAX_POS, tsvector_binary, tsvector_literal

    cases = [
        [(["通知", "房租", "it's"], "A"), (["槐政办字"], "B"),
         (["房租"] * 3 + ["减免"] * 300 + ["通知", "a\\b", "x'y", "Ｚ"], "D")],
        [(["题"], "A"), ([], "B"), (["甲"] * MAX_POS + ["乙", "乙", "甲"], "D")],
        [(["甲", "乙"], "A"), ([], "B"), (["乙", "丙", "甲", "丙"], "D")],
        [([], "A"), ([], "B"), ([], "D")],
    ]
    made = [(tsvector_literal(c), tsvector_binary(c)) for c in cases]
    for (_lit, lit_counts), (_vec, vec_counts) in made:
        assert _as_dict(vec_counts) == _as_dict(lit_counts)
    assert made[2][1][0] == (b"\0\0\0\3" + "甲\0".encode() + b"\0\2\xc0\1\0\5"
                             + "乙\0".encode() + b"\0\2\xc0\2\0\3"
                             + "丙\0".encode() + b"\0\2\0\4\0\6")
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cur:
        cur.execute("CREATE TEMPORARY TABLE binary_vectors (i int, v tsvector)")
        with cur.copy("COPY binary_vectors (i, v) FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types(["int4", "bytea"])
            for i, (_lit, (vec, _counts)) in enumerate(made):
                copy.write_row([i, vec])
        for i, ((lit, _counts), _vec) in enumerate(made):
            cur.execute("SELECT v::text, %s::tsvector::text FROM binary_vectors WHERE i = %s",
                        [lit, i])
            stored, parsed = cur.fetchone()
            assert stored == parsed, i


def test_a_batchs_trims_are_the_trims_list_by_list(db, settings):
    """PostgreSQL trims every list a batch grew past 2k in one statement: the same rows,
    floors and sizes as ``impact.store`` trimming each list (ties at the new floor stay;
    a list not past 2k is not trimmed)."""
    from django.db import connection, transaction

    settings.GONGKAI_SEARCH_LIST_SIZE = 3
    backend = get_backend()
    heads = {"甲": (0.0, 2), "乙": (0.5, 1), "丙": (0.0, 0)}
    old = [("甲", 0.9, 1), ("甲", 0.2, 2), ("乙", 0.7, 3)]
    rows = ([("甲", v, 10 + i) for i, v in enumerate([0.8, 0.5, 0.5, 0.5, 0.1])]
            + [("乙", 0.6, 20), ("乙", 0.55, 21)]
            + [("丙", v, 30 + i) for i, v in enumerate([0.3, 0.4, 0.1, 0.2, 0.6, 0.5, 0.05])])
    indexer = backend.index_class(backend)
    states = []
    for store in (impact.store, indexer._store_impacts):
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute("DELETE FROM search_searchimpact")
            cur.execute("DELETE FROM search_searchhead")
            for term, (floor, size) in heads.items():
                cur.execute("INSERT INTO search_searchhead (term, floor, size) "
                            "VALUES (%s, %s, %s)", [term, floor, size])
            for row in old:
                cur.execute("INSERT INTO search_searchimpact (term, impact, entry_id) "
                            "VALUES (%s, %s, %s)", list(row))
            store(cur, rows, heads)
            cur.execute("SELECT term, impact, entry_id FROM search_searchimpact "
                        "ORDER BY term, entry_id")
            kept = cur.fetchall()
            cur.execute("SELECT term, floor, size FROM search_searchhead ORDER BY term")
            states.append((kept, cur.fetchall()))
    assert states[1] == states[0]
    kept, lists = states[0]
    assert dict((t, (f, n)) for t, f, n in lists) == {
        "甲": (0.5, 5), "乙": (0.5, 3), "丙": (0.4, 3)}
    assert sorted(e for t, _v, e in kept if t == "甲") == [1, 10, 11, 12, 13]


def _pid_spy(entries):
    """Stands in for indexer._prepare_chunk: notes which process prepared a chunk."""
    from gongkai.search.backends import indexer as base

    with open(os.environ["GONGKAI_TEST_PIDS"], "a") as fh:
        fh.write(f"{os.getpid()}\n")
    return base._real_prepare_chunk(entries)


def test_preparing_in_worker_processes_writes_the_same_index(db, settings, monkeypatch,
                                                             tmp_path):
    """`index(..., workers=N)` segments and prepares entries in forked processes: the
    entries, their scores and the top lists are the same as when this process does it."""
    from gongkai.search.backends import indexer as base

    settings.GONGKAI_SEARCH_LIST_MIN_DF = 5
    settings.GONGKAI_SEARCH_LIST_SIZE = 15
    pids = tmp_path / "pids"
    monkeypatch.setenv("GONGKAI_TEST_PIDS", str(pids))
    monkeypatch.setattr(base, "_real_prepare_chunk", base._prepare_chunk, raising=False)
    monkeypatch.setattr(base, "_prepare_chunk", _pid_spy)
    backend = get_backend()
    states = []
    for workers in (0, 2):
        backend.clear()
        assert backend.index(_corpus(450, seed=4), workers=workers) == 450
        pages = [[(h.object_id, round(h.score, 6)) for h in backend.search(q).hits]
                 for q in QUERIES]
        with backend.cursor() as cur:
            cur.execute("SELECT i.term, e.object_id, i.impact FROM search_searchimpact i "
                        "JOIN search_searchentry e ON e.id = i.entry_id")
            lists = sorted((t, i, round(v, 9)) for t, i, v in cur.fetchall())
            cur.execute("SELECT count(*), sum(length) FROM search_searchentry")
            totals = cur.fetchone()
        states.append((pages, lists, totals))
    assert states[0][2][0] == 450 and states[0][1]
    assert states[0] == states[1]
    # Chunks of 100 (the last of 50), each prepared by one of the (at most two) workers,
    # never by this process.
    seen = pids.read_text().split()
    assert len(seen) == 5 and len(set(seen)) <= 2 and str(os.getpid()) not in seen


@pytest.mark.parametrize("weight", [5.0, 2.3])
@pytest.mark.parametrize("postings_per_candidate", [0, 10**9])
def test_candidates_are_scored_exactly_as_the_engine_ranks(db, weight,
                                                           postings_per_candidate):
    """The fast path scores candidates itself (SQLite: bm25() redone from the stored words
    when the doclists are long, by FTS5 when short); each score equals the one the engine
    gives the same entry when it ranks every match."""
    backend = get_backend(title_weight=weight)
    backend.postings_per_candidate = postings_per_candidate
    backend.postings_per_candidate_one_word = postings_per_candidate  # (SQLite's one word)
    search = compiler(backend)
    backend.clear()
    backend.index(_corpus(90, seed=6))
    compared = 0
    for query in QUERIES:
        for mode in ("and", "or"):
            q = query_mod.parse(query, backend.segmenter)
            where, params = search._filter_sql(Filters(), Visibility())
            full, _total = search._page(q, mode, where, params, 1000, 0)
            expected = {r[0]: r[-3] if backend.vendor == "postgresql" else r[-2]
                        for r in full}
            with backend.cursor() as cur:
                got = {r[0]: r[-2] for r in search._score_ids(
                    cur, q, mode, list(expected), where, params, set())}
            assert set(got) == set(expected), (query, mode)
            for entry_id, score in got.items():
                if backend.vendor == "sqlite":  # the same arithmetic in the same order
                    assert score == expected[entry_id], (query, mode)
                assert score == pytest.approx(expected[entry_id], rel=1e-9), (query, mode)
            compared += len(got)
    assert compared > 200


def test_a_daemonic_process_prepares_entries_itself(db, monkeypatch, tmp_path):
    """A Celery pool worker is daemonic and may not start processes: a rebuild there
    prepares every entry in its own process instead of failing."""
    import types

    from gongkai.search.backends import indexer as base

    pids = tmp_path / "pids"
    monkeypatch.setenv("GONGKAI_TEST_PIDS", str(pids))
    monkeypatch.setattr(base, "_real_prepare_chunk", base._prepare_chunk, raising=False)
    monkeypatch.setattr(base, "_prepare_chunk", _pid_spy)
    monkeypatch.setattr(base.multiprocessing, "current_process",
                        lambda: types.SimpleNamespace(daemon=True))
    backend = get_backend()
    backend.clear()
    assert backend.index(_corpus(120, seed=2), workers=2) == 120
    assert not pids.exists()  # no chunk went to a worker process
    assert backend.search("企业").total > 0


def test_a_rebuild_starts_lists_from_the_postings_it_kept(db, settings):
    """A rebuild (an index() call on an empty index) keeps where each word without a list
    occurs, and starts a list from that when the word reaches LIST_MIN_DF instead of
    asking the engine: the lists are the same either way, also when the memory budget
    runs out part way (the rest start from the engine)."""
    settings.GONGKAI_SEARCH_LIST_MIN_DF = 200  # words reach it in each of the 3 batches
    settings.GONGKAI_SEARCH_LIST_SIZE = 15
    backend = get_backend()
    backend.batch_size = 500
    real = backend.index_class._list_from_engine
    asked: list[str] = []
    evicted: list[int] = []
    real_evict = backend.index_class._evict_young

    def evict(self):
        evicted.append(len(self._young))
        real_evict(self)

    def from_engine(self, cur, term, k):
        asked.append(term)
        return real(self, cur, term, k)

    index_with(backend, _list_from_engine=from_engine, _evict_young=evict)
    runs = {}
    # All from memory; over budget part way (the words in most entries kept, the others
    # from the engine); nothing kept past the first batch; none.
    for budget in (10**9, 150, 1, 0):
        backend.young_budget = budget
        backend.clear()
        backend.index(_corpus(1500, seed=5))
        with backend.cursor() as cur:
            cur.execute("SELECT i.term, e.object_id, i.impact FROM search_searchimpact i "
                        "JOIN search_searchentry e ON e.id = i.entry_id")
            lists = {(t, o): v for t, o, v in cur.fetchall()}
            cur.execute("SELECT term, floor, size FROM search_searchhead WHERE term <> ''")
            heads = {t: (f, s) for t, f, s in cur.fetchall()}
        runs[budget] = (lists, heads, list(asked))
        asked.clear()
    memory, kept, part, engine = runs[10**9], runs[150], runs[1], runs[0]
    assert len(engine[1]) >= 10 and sorted(engine[2]) == sorted(engine[1])
    assert memory[2] == []  # not one list asked of the engine
    assert 0 < len(part[2]) < len(engine[2])
    assert evicted and len(kept[2]) < len(engine[2])
    tolerance = 1e-9 if backend.name == "sqlite" else 1e-4  # PostgreSQL ranks in float4
    for lists, heads, _asked in (memory, kept, part):
        assert lists.keys() == engine[0].keys()
        for key, value in lists.items():
            assert value == pytest.approx(engine[0][key], rel=tolerance), key
        assert heads.keys() == engine[1].keys()
        for term, (floor, size) in heads.items():
            assert size == engine[1][term][1]
            assert floor == pytest.approx(engine[1][term][0], rel=tolerance), term
    # Adding to a filled index starts lists from the engine again (its postings are gone).
    backend.young_budget = 10**9
    backend.index([IndexEntry(object_id=5000 + i, title="通知", body="其他")
                   for i in range(200)])
    with backend.cursor() as cur:
        cur.execute("SELECT term FROM search_searchhead WHERE term <> ''")
        started = {r[0] for r in cur.fetchall()} - set(engine[1])
    assert started == {"其他"} and asked == ["其他"]


def test_a_one_word_page_tied_at_the_lists_floor_is_taken_from_the_list(db, settings):
    """More entries than a list holds tie for the best impact (the same document many
    times): the bound cannot prove the page, but any of them is as good; the page comes
    from the list, with the scores ranking every match gives."""
    settings.GONGKAI_SEARCH_LIST_MIN_DF = 5
    settings.GONGKAI_SEARCH_LIST_SIZE = 15
    backend = get_backend()
    backend.clear()
    same = [IndexEntry(object_id=i, title="防控通知", body="企业，疫情，房租")
            for i in range(1, 31)]
    others = _corpus(70, seed=5)  # 防控 in fewer than half the entries: it weighs
    for e in others:
        e.object_id += 100
    backend.index(same + others)
    compile_with(backend, _few_matches=lambda *args: None)  # about the lists
    page = backend.search("防控", limit=10)
    assert page.approximate and not page.declined
    compile_with(backend, _fast_page=lambda *a, **k: None)
    full = backend.search("防控", limit=10)
    assert [round(h.score, 6) for h in page.hits] == [round(h.score, 6) for h in full.hits]
    assert {h.object_id for h in page.hits} <= set(range(1, 31))


def test_an_or_question_of_too_common_words_is_answered_from_the_lists(listed):
    """When the words an OR page would have to rank exactly match too many entries, the
    page comes from the lists' candidates, each scored exactly (approximate): still only
    matching, visible entries, best first."""
    listed.fast_essential_budget = 0
    query = "学校 口罩 复工 社保 物资 税收 减免"
    page = listed.search(query, limit=5)
    assert page.approximate and not page.declined
    full = listed.search(query, limit=100, facets=False)
    assert {h.object_id for h in page.hits} <= {h.object_id for h in full.hits}
    scores = [h.score for h in page.hits]
    assert len(scores) == 5 and scores == sorted(scores, reverse=True)
    assert all(h.is_public for h in page.hits)


def test_an_approximate_question_page_finds_the_entries_holding_most_of_its_words(listed):
    """A long question of common words gets an approximate page from the lists, which
    name the entries where one word weighs most (a title, a short text). Entries holding
    most of the question's words (not all: those are ranked first anyway), no one word as
    strongly as the entries the lists name, are in no list: pairs of the question's rarest
    words find them (each pair's best, scored exactly)."""
    rare = ["春润", "临时性", "偿还"]
    # Each rare word's list (15 entries, up to 30 between trims) is full of entries with
    # it in the title.
    decoys = [IndexEntry(object_id=1000 + 100 * i + j, title=word, body="其他")
              for i, word in enumerate(rare) for j in range(40)]
    filler = "，".join(["其他"] * 5)
    targets = [IndexEntry(object_id=2000 + i, title="通知",
                          body="，".join(rare * 4 + ["企业", "疫情", "房租"]) + filler)
               for i in range(2)]
    listed.index(decoys + targets)
    query = "春润 临时性 偿还 企业 疫情 房租 减免"
    before = compile_with(listed, _fast_page=lambda *a, **k: None)
    exact = [h.object_id for h in listed.search(query, limit=10, facets=False).hits]
    listed.query_compiler_class = before
    assert {2000, 2001} <= set(exact)  # ranking every match puts them on the first page
    listed.fast_essential_budget = 0  # the essential words "match too many": approximate
    listed.rare_share = 1.0  # (at this size a "rare" word is in a fifth of the entries)
    page = listed.search(query, limit=10, facets=False)
    assert page.approximate and page.mode == "or"
    found = [h.object_id for h in page.hits]
    assert {2000, 2001} <= set(found)
    # ... in the order ranking every match gives them (their exact scores)
    assert [i for i in found if i in (2000, 2001)] == [i for i in exact if i in (2000, 2001)]
    listed.rare_pair_best = 0  # without the probes the page misses them
    page = listed.search(query, limit=10, facets=False)
    assert not {2000, 2001} & {h.object_id for h in page.hits}
