"""The backend suite: the same tests for whichever backend the running database selects
(SQLite FTS5 on SQLite, tsvector+GIN on PostgreSQL; CI runs both)."""

import pytest
from django.db import connection

from gongkai.search.backends import Filters, IndexEntry, Visibility, get_backend

DOCS = [
    IndexEntry(object_id=1, title="关于减免小微企业房租的通知", doc_number="槐政办字〔2021〕4号",
               body="对承租国有房产的小微企业，免收三个月房租。", org_id=10, node_id=100,
               year=2021, genre="通知", validity="valid"),
    IndexEntry(object_id=2, title="疫情防控工作简报",
               body="简报提到小微企业经营困难，各单位应研究房租问题。另外，加强疫情防控。",
               org_id=10, node_id=101, year=2020, genre="通报"),
    IndexEntry(object_id=3, title="深化放管服改革优化营商环境的实施意见",
               body="推进一网通办，落实六稳六保，开展双招双引。", org_id=20, node_id=200,
               year=2021, genre="意见", validity="valid", doc_number="槐政发〔2021〕9号"),
    IndexEntry(object_id=4, title="住房公积金阶段性缓缴政策问答",
               body="受疫情影响的企业可申请缓缴住房公积金，缓缴期间职工正常提取。",
               org_id=20, node_id=200, year=2020, genre="其他", validity="expired"),
    IndexEntry(object_id=5, title="草稿：小微企业房租补贴办法（征求意见稿）",
               body="小微企业房租补贴的草稿内容。", org_id=30, year=2021, genre="办法",
               is_public=False, status="draft"),
]


@pytest.fixture
def backend(db):
    b = get_backend()
    b.clear()
    b.index(DOCS)
    return b


def ids(results):
    return [h.object_id for h in results.hits]


def test_backend_follows_the_database_engine(backend):
    assert backend.vendor == connection.vendor


def test_title_match_ranks_above_body_match(backend):
    res = backend.search("小微企业房租")
    assert ids(res)[:2] == [1, 2]


def test_public_search_never_finds_unpublished_entries(backend):
    assert 5 not in ids(backend.search("房租补贴"))


def test_staff_of_the_owning_unit_find_their_draft(backend):
    assert 5 in ids(backend.search("房租补贴", visibility=Visibility(org_ids=frozenset({30}))))
    assert 5 not in ids(backend.search("房租补贴", visibility=Visibility(org_ids=frozenset({10}))))
    assert 5 in ids(backend.search("房租补贴", visibility=Visibility(all_orgs=True)))


def test_requiring_every_word_first_then_any_word(backend):
    # No entry has all of these words: fall back to entries with any of them.
    res = backend.search("住房公积金 放管服 不存在的词语")
    assert res.mode == "or"
    assert set(ids(res)) == {3, 4}
    # When enough entries have every word, only those are listed.
    strict = get_backend(min_and_hits=1)
    res = strict.search("小微企业 房租")
    assert res.mode == "and" and set(ids(res)) == {1, 2}


def test_entries_with_every_word_come_before_partial_matches(backend):
    res = backend.search("缓缴 住房公积金 疫情 房租")
    assert res.mode == "or"
    assert ids(res)[0] == 4  # has three of the four words; 2 has two, 1 has one
    res = backend.search("小微企业 免收")
    assert ids(res)[0] == 1


def test_exact_docnum_puts_that_document_first_in_any_bracket_style(backend):
    for typed in ("槐政发〔2021〕9号", "槐政发[2021]9号", "槐政发［2021］9号"):
        res = backend.search(typed)
        assert ids(res)[0] == 3, typed
        assert res.hits[0].pinned


def test_quoted_phrase_must_occur_as_written(backend):
    assert ids(backend.search('"研究房租"')) == [2]
    assert ids(backend.search('"房租研究"')) == []


def test_phrase_holds_when_the_other_words_fall_back_to_any_word(backend):
    # No entry has every word, so the words match by any; the phrase must still occur —
    # in the page, the count and the facets, with a unit filter or without.
    for filters in (None, Filters(org_ids=[10]), Filters(org_ids=[10], years=[2020])):
        res = backend.search('"研究房租" 公积金', filters=filters)
        assert res.mode == "or"
        assert ids(res) == [2] and res.total == 1
        assert dict(res.facets["org"]) == {10: 1}
    assert backend.search('"研究房租" 公积金', filters=Filters(org_ids=[20])).total == 0


def test_minus_word_excludes_documents(backend):
    res = backend.search("小微企业 -简报")
    assert 1 in ids(res) and 2 not in ids(res)


@pytest.mark.parametrize("nasty", ['"', "AND OR NOT", "房租 NEAR(", "*", "'; DROP", "a:b",
                                   "(小微企业", "房租\"\"", "-", "!!!&|"])
def test_operator_characters_in_queries_never_raise(backend, nasty):
    backend.search(nasty)  # must not raise


def test_filters_restrict_results(backend):
    assert ids(backend.search("疫情", filters=Filters(years=[2020]))) in ([2, 4], [4, 2])
    only = Filters(org_ids=[10], genre=["通知"])
    assert ids(backend.search("小微企业 房租", filters=only)) == [1]
    assert ids(backend.search("放管服", filters=Filters(node_ids=[100]))) == []
    assert ids(backend.search("住房公积金", filters=Filters(validity=["expired"]))) == [4]


def test_facets_count_the_matching_entries(backend):
    res = backend.search("疫情")
    assert dict(res.facets["year"]) == {2020: 2}
    assert dict(res.facets["org"]) == {10: 1, 20: 1}
    assert dict(res.facets["genre"]) == {"通报": 1, "其他": 1}
    assert dict(res.facets["validity"]) == {"expired": 1}


def test_snippets_mark_the_query_words(backend):
    res = backend.search("住房公积金")
    assert "<mark>住房公积金</mark>" in str(res.hits[0].snippet_html)
    assert "<mark>住房公积金</mark>" in str(res.hits[0].title_html)


def test_paging_walks_through_all_results(backend):
    backend.index(IndexEntry(object_id=100 + i, title=f"供暖通知第{i}号", body="供暖")
                  for i in range(12))
    first = backend.search("供暖", limit=5)
    second = backend.search("供暖", limit=5, offset=5)
    third = backend.search("供暖", limit=5, offset=10)
    assert first.total == 12
    seen = ids(first) + ids(second) + ids(third)
    assert len(seen) == 12 and len(set(seen)) == 12


def test_reindexing_an_entry_replaces_it(backend):
    backend.index([IndexEntry(object_id=4, title="社会保险费缓缴", body="缓缴社会保险费",
                              year=2020)])
    assert ids(backend.search("住房公积金")) == []
    assert ids(backend.search("社会保险费")) == [4]


def test_deleted_entries_are_not_found(backend):
    backend.delete([1])
    assert 1 not in ids(backend.search("小微企业房租"))


def test_counts_stop_at_the_cap_and_say_so(backend, monkeypatch):
    """Past count_cap matches the total is the cap, flagged (the page says 超过 N 条);
    the hits themselves are still the best ones."""
    full = backend.search("小微企业 房租")
    assert full.total == 2 and not full.total_capped
    assert not full.facets_sampled
    monkeypatch.setattr(backend, "count_cap", 1)
    monkeypatch.setattr(backend, "facet_cap", 1)
    capped = backend.search("小微企业 房租")
    assert capped.total == 1 and capped.total_capped
    assert ids(capped) == ids(full)
    assert capped.facets_sampled  # facets counted a sample of the matches


def test_facets_count_a_sample_of_many_matches_and_say_so(backend, monkeypatch):
    full = backend.search("疫情")
    assert full.total == 2 and not full.facets_sampled
    monkeypatch.setattr(backend, "facet_cap", 1)
    sampled = backend.search("疫情")
    assert sampled.total == 2 and not sampled.total_capped  # the count goes on past it
    assert sampled.facets_sampled
    assert sum(n for _, n in sampled.facets["year"]) == 1  # exactly the sample


def test_ranking_is_the_same_with_few_or_many_candidates(backend, monkeypatch):
    """SQLite ranks a bounded candidate set first; too few candidates falls back to
    ranking every match. Either way the order is the same."""
    queries = ["小微企业", "疫情 企业", "小微企业 房租 公积金", "疫情"]
    before = {q: ids(backend.search(q)) for q in queries}
    filtered = {q: ids(backend.search(q, filters=Filters(years=[2020]))) for q in queries}
    monkeypatch.setattr(backend, "fast_candidates", 1, raising=False)
    assert {q: ids(backend.search(q)) for q in queries} == before
    assert {q: ids(backend.search(q, filters=Filters(years=[2020]))) for q in queries} == filtered
    assert {q: ids(backend.search(q, limit=1, offset=1)) for q in queries} == {
        q: v[1:2] for q, v in before.items()}


def test_title_match_ranks_first_among_hundreds_of_matches(db):
    """More matches than the engine ranks exactly in one go (PostgreSQL reranks its best
    200 by a cheap score): the entry with the words in its title still comes first."""
    backend = get_backend()
    backend.clear()
    entries = [IndexEntry(object_id=1, title="关于房租减免的通知", body="小微企业房租减免。",
                          year=2021)]
    entries += [IndexEntry(object_id=i, title=f"工作简报第{i}期",
                           body="本期提到房租和减免。" + "其他工作内容。" * (i % 7), year=2021)
                for i in range(2, 320)]
    backend.index(entries)
    res = backend.search("房租 减免")
    assert res.mode == "and" and res.total == 319
    assert res.hits[0].object_id == 1


def test_flush_leaves_no_stale_word_counts_behind(db):
    """`flush` empties the entries but not the engine's own tables; what it leaves would
    skew every later idf (and, on SQLite, collide with reused row ids)."""
    from django.core.management import call_command

    backend = get_backend()
    backend.clear()
    backend.index(DOCS)
    call_command("flush", interactive=False, verbosity=0)
    with backend.cursor() as cur:
        cur.execute("SELECT count(*) FROM search_term")
        assert cur.fetchone()[0] == 0
    backend.index(DOCS[:1])
    assert backend._dfs(backend.cursor(), ["房租"]) == {"房租": 1}
    assert ids(backend.search("房租")) == [1]


def test_the_index_totals_follow_every_write(backend):
    """Searches read the number of entries and their words from where the backend keeps
    them (FTS5's averages record; a totals row on PostgreSQL), never by counting."""

    def counted():
        with backend.cursor() as cur:
            cur.execute("SELECT count(*), sum(length) FROM search_searchentry")
            n, words = cur.fetchone()
            return (n, words or 0), backend._totals(cur)

    truth, kept = counted()
    assert truth == kept and truth[0] == len(DOCS)
    backend.index([IndexEntry(object_id=1, title="改过的标题", body="很短")])  # replaces 1
    backend.index([IndexEntry(object_id=9, title="新增", body="一篇很长的正文 " * 30)])
    backend.delete([2, 3])
    truth, kept = counted()
    assert truth == kept and truth[0] == len(DOCS) + 1 - 2
    backend.clear()
    assert counted() == ((0, 0), (0, 0))


def test_a_many_word_or_search_says_its_count_and_facets_are_capped(backend, monkeypatch):
    """Past the caps, an OR search's count says "more than" and its facets are counted on
    a sample of its matches (PostgreSQL samples the matches of one common word)."""
    monkeypatch.setattr(backend, "facet_cap", 1)
    monkeypatch.setattr(backend, "count_cap", 1)
    r = backend.search("小微企业 公积金 一网通办")
    assert r.mode == "or" and r.total_capped and r.total == 1 and r.facets_sampled
    assert all(sum(n for _, n in r.facets[name]) == 1 for name in ("org", "year"))
    matching = {(d.org_id, d.year) for d in DOCS if d.is_public and d.object_id != 5}
    (org, _n), = r.facets["org"]
    (year, _n), = r.facets["year"]
    assert org in {o for o, _y in matching} and year in {y for _o, y in matching}


@pytest.mark.django_db(transaction=True)
def test_a_rebuild_ends_with_its_tables_tended(monkeypatch):
    """A rebuild (index() on an empty index, outside any transaction) leaves the index as
    a server without autovacuum would not: PostgreSQL's tables vacuumed — the visibility
    map set, so filter and facet counts read only their indexes — and analysed; SQLite's
    FTS5 segments merged into one. The same search finds the same entries after it."""
    backend = get_backend()
    backend.clear()
    monkeypatch.setattr(type(backend), "tend_after", 3)
    before = ids(get_backend().search("小微企业"))
    backend.index(DOCS[:2])
    backend.index(DOCS[2:])  # not a rebuild: the index was not empty
    backend.clear()
    backend.index(DOCS)
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SELECT relallvisible, reltuples FROM pg_class "
                        "WHERE relname = 'search_searchentry'")
            visible, tuples = cur.fetchone()
            assert visible >= 1 and tuples == len(DOCS)
        else:
            cur.execute("SELECT count(DISTINCT segid) FROM search_fts_idx")
            assert cur.fetchone()[0] == 1
    assert ids(backend.search("小微企业")) == ids(get_backend().search("小微企业")) != []
    assert before == []
    backend.clear()
