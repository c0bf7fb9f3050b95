"""Government abbreviations (data/synonyms.tsv): a citizen typing the short form finds a text
that only uses the full term and back, on whichever backend the database selects, without
ever outranking an exact 文号 match."""

import pytest

from gongkai.search import expand
from gongkai.search.backends import IndexEntry, get_backend
from gongkai.search.query import parse
from gongkai.search.segmenters import get_segmenter

FULL_ONLY = IndexEntry(object_id=1, title="关于阶段性减免企业社会保险费的通知",
                       body="对中小微企业免征基本养老保险、失业保险、工伤保险单位缴费部分，"
                            "个人所得税政策同步调整。", year=2020)
SHORT_ONLY = IndexEntry(object_id=2, title="住房公积金政策问答",
                        body="受疫情影响的企业可以申请缓缴公积金，职工的社保待遇不受影响。",
                        year=2020)
OTHER = IndexEntry(object_id=3, title="冬季供暖工作方案", body="做好冬季供暖保障。", year=2020)
PINNED = IndexEntry(object_id=4, title="关于印发供暖补贴办法的通知",
                    doc_number="槐政办字〔2021〕4号", body="供暖补贴按户发放。", year=2021)

FILLER = [IndexEntry(object_id=10 + i, title=f"{topic}工作方案", body=f"做好{topic}工作。",
                     year=2020) for i, topic in enumerate(("道路养护", "垃圾分类", "义务教育"))]


@pytest.fixture(autouse=True)
def synonyms_on(settings):
    settings.GONGKAI_SEARCH_SYNONYMS = True


@pytest.fixture
def backend(db):
    b = get_backend()
    b.clear()
    b.index([FULL_ONLY, SHORT_ONLY, OTHER, PINNED, *FILLER])
    return b


def ids(results):
    return [h.object_id for h in results.hits]


def test_the_data_file_parses_into_groups_with_no_term_twice():
    groups = expand.groups()
    assert len(groups) >= 50
    terms = [t for g in groups for t in g]
    assert len(terms) == len(set(terms))
    assert ("社会保险", "社保") in groups and ("个人所得税", "个税") in groups
    assert expand.canonical("公积金") == "住房公积金" and expand.canonical("房租") == "房租"


@pytest.mark.parametrize("text, message", [
    ("社会保险\n", "at least one short form"),
    ("社会保险\t社保\n住房公积金\t社保\n", "already in line 1"),
    ("# comment only\n\n", None),
])
def test_a_broken_data_file_is_refused_with_its_line(text, message):
    if message is None:
        assert expand.parse_groups(text) == ()
    else:
        with pytest.raises(expand.SynonymFileError, match=message):
            expand.parse_groups(text)


def test_a_short_form_is_searched_as_its_full_term_and_highlights_both():
    q = parse("社保 缴费", get_segmenter())
    assert "社会保险" in q.terms and "社保" not in q.terms
    assert {"社保", "社会保险"} <= set(q.highlight)
    assert parse('"社保缴费"', get_segmenter()).phrases == ["社保缴费"]  # phrases as typed


def test_an_abbreviation_finds_the_text_that_only_uses_the_full_term(backend):
    assert 1 in ids(backend.search("社保"))
    assert 1 in ids(backend.search("个税"))
    assert ids(backend.search("公积金"))[:1] == [2]


def test_the_full_term_finds_the_text_that_only_uses_the_abbreviation(backend):
    assert set(ids(backend.search("社会保险"))) == {1, 2}
    assert 2 in ids(backend.search("住房公积金 缓缴"))


def test_a_synonym_never_outranks_an_exact_docnum_match(backend):
    res = backend.search("槐政办字〔2021〕4号 社保")
    assert res.hits[0].object_id == 4 and res.hits[0].pinned
    assert {1, 2} <= set(ids(res)[1:])  # the texts with 社保 / 社会保险 come after it


def test_expansion_can_be_turned_off(settings):
    settings.GONGKAI_SEARCH_SYNONYMS = False
    assert parse("社保", get_segmenter()).terms == ["社保"]
    assert "社会保险" not in get_segmenter().index_words("缴纳社保")
