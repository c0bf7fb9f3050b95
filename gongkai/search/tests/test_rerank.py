"""Re-ranking the engine's best candidates (gongkai.search.rerank), on whichever backend the
running database selects."""

from dataclasses import replace

import pytest

from gongkai.search import rerank
from gongkai.search.backends import Filters, IndexEntry, Visibility, get_backend
from gongkai.search.tests.compilers import compile_with
from gongkai.search.tests.test_impact import QUERIES, _corpus

FILLER = "本区各单位按照有关要求认真组织落实各项工作，及时报送工作进展情况。"

# Both hold 医疗保险, 缴费 and 延期. The first says them often but far apart (BM25 likes its
# term frequencies); the second says 医疗保险缴费延期 once, together, as the question does.
SCATTERED = IndexEntry(
    object_id=1, title="关于做好年度重点工作的通知", org_id=1, year=2020,
    body=f"医疗保险。{FILLER * 2}缴费。{FILLER * 2}延期。{FILLER * 2}" * 3)
TOGETHER = IndexEntry(
    object_id=2, title="关于做好年度重点工作的通知", org_id=1, year=2020,
    body=f"{FILLER}有困难的单位可申请医疗保险缴费延期，最长三个月。{FILLER * 17}")
QUESTION = "医疗保险缴费能延期吗"


@pytest.fixture
def backend(db):
    b = get_backend()
    b.clear()
    return b


def order_of(backend, query, **kw):
    return [h.object_id for h in backend.search(query, facets=False, **kw).hits]


def test_words_together_move_the_right_entry_up(backend, settings):
    backend.index([SCATTERED, TOGETHER])
    settings.GONGKAI_SEARCH_RERANK = 0
    assert order_of(backend, QUESTION) == [1, 2]  # the engine's order: term frequency
    settings.GONGKAI_SEARCH_RERANK = 1
    assert order_of(backend, QUESTION) == [2, 1]


def test_off_keeps_the_engines_order_and_reads_nothing(backend, settings, monkeypatch):
    backend.index([SCATTERED, TOGETHER])
    settings.GONGKAI_SEARCH_RERANK = 0

    def never(*args, **kwargs):
        raise AssertionError("re-ranked with the setting off")

    monkeypatch.setattr(rerank, "rerank", never)
    assert order_of(backend, QUESTION) == [1, 2]


def many_entries():
    """25 entries with 房租 and 减免, the pair side by side in some, apart in others."""
    out = []
    for i in range(1, 26):
        body = (f"小微企业房租减免{FILLER}" if i % 3 == 0
                else f"房租{FILLER * (i % 4 + 1)}减免{FILLER}")
        out.append(IndexEntry(object_id=i, title=f"第{i}号公告", body=body, org_id=i % 2,
                              year=2020 + i % 2))
    return out


@pytest.mark.parametrize("size", [3, 5, 7, 10])
def test_pages_never_repeat_or_skip_a_hit(backend, settings, size):
    backend.index(many_entries())
    settings.GONGKAI_SEARCH_RERANK = 12  # re-rank the first 12: pages cross that edge
    whole = backend.search("房租减免", limit=25, facets=False)
    assert len(whole.hits) == 25
    paged, totals = [], set()
    for offset in range(0, 25, size):
        res = backend.search("房租减免", limit=size, offset=offset, facets=False)
        paged += [h.object_id for h in res.hits]
        totals.add(res.total)
    assert paged == [h.object_id for h in whole.hits]
    assert totals == {whole.total} == {25}
    settings.GONGKAI_SEARCH_RERANK = 0
    # Re-ranking permutes the first 12 only: the rest is the engine's, and so is the total.
    plain = backend.search("房租减免", limit=25, facets=False)
    assert [h.object_id for h in plain.hits][12:] == paged[12:]
    assert sorted(h.object_id for h in plain.hits[:12]) == sorted(paged[:12])
    assert plain.total == 25


def test_an_exact_docnum_stays_first(backend, settings):
    cite = "根据槐政办字〔2020〕7号文件。"
    pinned = IndexEntry(object_id=9, title="关于调整社会保险费的通知",
                        doc_number="槐政办字〔2020〕7号", body="按有关规定执行。")
    backend.index([replace(SCATTERED, body=cite + SCATTERED.body),
                   replace(TOGETHER, body=cite + TOGETHER.body), pinned])
    settings.GONGKAI_SEARCH_RERANK = 1
    query = f"槐政办字〔2020〕7号 {QUESTION}"
    res = backend.search(query, facets=False)
    assert [(h.object_id, h.pinned) for h in res.hits] == [(9, True), (2, False), (1, False)]
    # The second page starts after the pinned hit and the re-ranked first one.
    assert order_of(backend, query, limit=2, offset=2) == [1]
    assert order_of(backend, query, limit=2) == [9, 2]


def test_filters_and_visibility_hold(backend, settings):
    draft = IndexEntry(object_id=3, title="医疗保险缴费延期办法（草稿）", org_id=5,
                       body="医疗保险缴费延期", is_public=False, status="draft")
    backend.index([SCATTERED, TOGETHER, draft])
    settings.GONGKAI_SEARCH_RERANK = 1
    assert 3 not in order_of(backend, QUESTION)
    assert order_of(backend, QUESTION, visibility=Visibility(org_ids=frozenset({5})))[0] == 3
    assert order_of(backend, QUESTION, filters=Filters(org_ids=[5])) == []
    res = backend.search(QUESTION, filters=Filters(years=[2020]))
    assert [h.object_id for h in res.hits] == [2, 1] and res.total == 2
    assert dict(res.facets["year"]) == {2020: 2}


def test_snippets_come_from_the_texts_read_for_reranking(backend, settings):
    backend.index([SCATTERED, TOGETHER])
    settings.GONGKAI_SEARCH_RERANK = 1
    hit = backend.search(QUESTION).hits[0]
    assert hit.object_id == 2 and "<mark>医疗保险缴费延期</mark>" in str(hit.snippet_html)


@pytest.mark.parametrize("size", [5, 10])
def test_reranking_leaves_the_fast_path_its_proofs(db, settings, size):
    """A page the top lists prove with re-ranking off is proven with it on: the fast path
    proves the page asked for and hands the re-ranker its other scored candidates (see
    test_impact for the lists)."""
    settings.GONGKAI_SEARCH_LIST_MIN_DF = 5
    settings.GONGKAI_SEARCH_LIST_SIZE = 15
    backend = get_backend()
    backend.clear()
    backend.index(_corpus(90, seed=3))
    compile_with(backend, _few_matches=lambda *args: None)  # every page via the lists
    proven = 0
    for query in QUERIES:
        verdicts = []
        for on in (0, 20, 0, 20):
            settings.GONGKAI_SEARCH_RERANK = on
            res = backend.search(query, limit=size, facets=False)
            verdicts.append((res.approximate, res.declined))
        assert verdicts[0] == verdicts[1] == verdicts[2] == verdicts[3], query
        proven += verdicts[0] == (False, "")
        # Pages inside the depth share its candidates: none repeats a hit of another.
        settings.GONGKAI_SEARCH_RERANK = 20
        paged = [h.object_id for offset in range(0, 20, size) for h in backend.search(
            query, limit=size, offset=offset, facets=False).hits]
        total = backend.search(query, limit=size, facets=False).total
        assert len(set(paged)) == len(paged) == min(20, total), query
    if backend.supports_lists:
        assert proven >= 3


def walk(backend, query, size, total):
    """(ids shown over every page of ``size``, the totals they said)."""
    paged, totals = [], set()
    for offset in range(0, total + size, size):
        res = backend.search(query, limit=size, offset=offset, facets=False)
        paged += [h.object_id for h in res.hits]
        totals.add(res.total)
    return paged, totals


@pytest.mark.parametrize("size", [3, 7, 10, 25])
def test_every_page_past_the_depth_shows_each_match_once(db, settings, size):
    """The fast path hands the re-ranker candidates it scored, not proven: past the first
    page they need not be the engine's ranks up to the depth. Walking every page must still
    show each match exactly once, with the total unchanged, wherever it does with
    re-ranking off (the engine's order is then one order at every depth)."""
    settings.GONGKAI_SEARCH_LIST_MIN_DF = 5
    settings.GONGKAI_SEARCH_LIST_SIZE = 30
    backend = get_backend()
    compile_with(backend, _few_matches=lambda *args: None)  # every page via the lists
    # Pages the lists cannot prove rank every match (an approximate page is another
    # order at each depth, with re-ranking off as well).
    backend.approximate_and = backend.approximate_or = False
    backend.idf_floor = -1.0  # (SQLite: a word in most entries weighs all but zero)
    differ = 0
    # Corpora with first pages whose candidates differ from the engine's best 20 (SQLite
    # the first, PostgreSQL the second: their fast paths score different numbers).
    for n, seed in ((90, 4), (300, 1)):
        backend.clear()
        backend.index(_corpus(n, seed=seed))
        for query in QUERIES:
            settings.GONGKAI_SEARCH_RERANK = 0
            whole = backend.search(query, limit=n, facets=False)  # the engine ranks all
            engine = [h.object_id for h in whole.hits]
            assert len(engine) == whole.total, query
            if walk(backend, query, size, whole.total) != (engine, {whole.total}):
                continue  # this query's pages are not one order with re-ranking off either
            settings.GONGKAI_SEARCH_RERANK = 20
            paged, totals = walk(backend, query, size, whole.total)
            assert totals == {whole.total}, query
            assert len(paged) == len(set(paged)), (query, "repeated")
            assert sorted(paged) == sorted(engine), (query, "skipped")
            # The re-ranked candidates are the first 20 rows; then the engine's order.
            candidates = set(paged[:20])
            assert paged[20:] == [i for i in engine if i not in candidates], query
            differ += candidates != set(engine[:20])
    if backend.supports_lists and size < 20:  # (a first page of 25 proves the 20)
        assert differ  # some first pages' candidates are not the engine's best 20
