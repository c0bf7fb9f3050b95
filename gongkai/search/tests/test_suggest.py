"""您是不是要找: corrected queries for searches that find nothing or only some words.

The first half needs no database (the pure logic of gongkai/search/suggest.py); the second
indexes a few entries and checks the search page, the CLI and the SQL on whichever database
runs the tests (SQLite and PostgreSQL in CI)."""

import html
import json
import re
from urllib.parse import parse_qs

import pytest
from django.core.management import call_command
from django.test import Client
from django.test.utils import CaptureQueriesContext

from gongkai.search import suggest
from gongkai.search.backends import Filters, IndexEntry, Visibility, get_backend
from gongkai.search.segmenters import get_segmenter
from gongkai.search.suggest import (
    Window,
    choose,
    edit,
    like_escape,
    patterns,
    plan,
    rewrite,
    tokenize,
)

# -- pure logic ------------------------------------------------------------------------


def test_like_escape_makes_wildcards_literal():
    assert like_escape("a%b_c\\d") == "a\\%b\\_c\\\\d"
    assert like_escape("放管服") == "放管服"


def test_edit_tells_substitution_insertion_and_deletion():
    assert edit("放管复", "放管服") == ("sub", {2})
    assert edit("营商环", "营商环境") == ("ins", {3})
    assert edit("一网通通办", "一网通办") == ("del", {2, 3})
    assert edit("放管复", "放管复") is None
    assert edit("放管复", "一网通办") is None
    assert edit("放管", "管放") is None


def test_patterns_of_a_window_are_bounded_and_escaped():
    p = patterns(Window("放管复", 0, 0, (0, 3)))
    # Substitutions and insertions after the first character: ranges under a prefix.
    assert p.ranges == {"放": {"放_复", "放_管复"}, "放管": {"放管_", "放管_复", "放管复_"}}
    # An edit of the first character has no prefix: the one scan, on what follows it.
    assert p.tails == {"管复", "放管复"}
    assert "放管复" in p.exact and "放管服" in p.exact  # itself; a government term, exactly
    # What the user typed is literal in every pattern.
    p = patterns(Window("放%_", 0, 0, (0, 3)))
    assert "放\\%_" in p.ranges["放%"]  # substitute the last character
    assert p.tails == {"%_", "放%_"}
    assert all("%" not in pat.replace("\\%", "") for pats in p.ranges.values() for pat in pats)


def test_deletion_only_of_a_doubled_character():
    p = patterns(Window("营商环境境", 0, 1, (4, 5)))
    assert "营商环境" in p.exact
    p = patterns(Window("南昌市", 0, 0, (0, 3)))
    assert not {"南市", "昌市", "南昌"} & p.exact  # 南昌市 is no typo for 南市
    found = {"南市": 500, "南昌市": 0}
    assert choose(Window("南昌市", 0, 0, (0, 3)), found) is None


def test_choose_takes_the_most_common_term_then_a_government_term():
    w = Window("放管复", 0, 0, (0, 3))
    assert choose(w, {"放管服": 5, "放管局": 9}, {"放管服"}) == "放管局"
    assert choose(w, {"放管服": 9, "放管局": 9}, {"放管服"}) == "放管服"
    assert choose(w, {"放管服": 9, "放管局": 9}, {"放管局"}) == "放管局"
    # Rare terms are no suggestion, nor is a term barely more common than the window.
    assert choose(w, {"放管服": 1}) is None
    assert choose(w, {"放管服": 30, "放管复": 2}) is None
    assert choose(w, {"放管服": 40, "放管复": 2}) == "放管服"
    # Only an edit at the trigger counts (放管 is known here; 复 is the stray part).
    w = Window("放管复", 0, 1, (2, 3))
    assert choose(w, {"改管复": 50}) is None
    assert choose(w, {"放管服": 50}) == "放管服"


def test_choose_prefers_the_whole_term_to_its_part():
    # 一网通 is in every entry holding 一网通办: its df is no reason to cut the term short.
    w = Window("一网办", 0, 1, (2, 3))
    assert choose(w, {"一网通": 52, "一网通办": 50}, {"一网通办"}) == "一网通办"


def test_weak_window_becomes_only_a_government_term_or_a_completed_word():
    w = Window("房管服", 0, 1, (2, 3), weak=True)
    assert choose(w, {"房管局": 80, "放管服": 5}, {"放管服"}) == "放管服"
    assert choose(w, {"房管局": 80}, {"放管服"}) is None
    w = Window("当地政", 0, 1, (2, 3), weak=True, open_end=True)
    assert choose(w, {"当地政府": 20}) == "当地政府"
    assert choose(Window("当地政", 0, 1, (2, 3), weak=True), {"当地政府": 20}) is None


def test_rewrite_replaces_only_the_given_parts():
    c = rewrite('"放管复" -通知 营商环竟', [(10, 14, "营商环境"), (1, 4, "放管服")])
    assert c.text == '"放管服" -通知 营商环境'
    assert c.parts == [('"', False), ("放管服", True), ('" -通知 ', False), ("营商环境", True)]
    with pytest.raises(ValueError):
        rewrite("放管复", [(0, 2, "a"), (1, 3, "b")])


def test_tokenize_maps_words_back_to_what_was_typed():
    seg = get_segmenter()
    raw = '㈱“放管复”　-通知 改革'
    toks = tokenize(raw, seg)
    words = [t.word for t in toks.tokens]
    assert "放管复" in words and "通知" not in words  # an exclusion is never corrected
    t = next(t for t in toks.tokens if t.word == "放管复")
    start, end = toks.raw_span(t.start, t.end)
    assert raw[start:end] == "放管复"  # ㈱ became three characters when normalised
    phrase, free = t.group, next(t for t in toks.tokens if t.word == "改革").group
    assert phrase != free
    # A 文号 is never corrected.
    toks = tokenize("槐政办字〔2021〕4号", seg)
    assert all(t.protected for t in toks.tokens if t.word.startswith("槐"))


def test_plan_finds_unknown_words_and_stray_characters_but_not_place_names():
    seg = get_segmenter()
    triggers = plan(tokenize("放管复", seg), {})
    assert [[w.text for w in t.windows] for t in triggers] == [["放管复"]]
    triggers = plan(tokenize("营商环竟", seg), {"营商": 90})
    assert [w.text for w in triggers[0].windows] == ["营商环竟", "环竟"]
    assert [w.weak for w in triggers[0].windows] == [False, True]
    triggers = plan(tokenize("一网通半", seg), {"一网通": 50, "半": 90})
    assert triggers[0].weak and triggers[0].windows[0].text == "一网通半"
    # 大理市: a place the index does not know, not a typo.
    assert plan(tokenize("大理市", seg), {}) == []
    assert plan(tokenize("放管服", seg), {"放管服": 7}) == []
    many = plan(tokenize("放管复 营商环竟 双招双应 一网通半 减税降废", seg), {"营商": 9})
    assert len(many) == suggest.MAX_TRIGGERS


# -- with the database --------------------------------------------------------------------

ENTRIES = [
    IndexEntry(object_id=1, title="深化放管服改革优化营商环境的实施意见",
               body="推进一网通办，开展双招双引，实行网格化管理。", org_id=10, year=2021,
               genre="意见", validity="valid"),
    IndexEntry(object_id=2, title="放管服改革工作要点",
               body="持续优化营商环境，推进一网通办和双招双引，加强网格化管理。", org_id=20,
               year=2022, genre="其他"),
    IndexEntry(object_id=3, title="关于做好疫情防控工作的通知",
               body="各街道落实网格化管理，做好复工复产。", org_id=10, year=2022, genre="通知"),
    IndexEntry(object_id=4, title="减税降费政策草稿", body="减税降费的草稿内容。", org_id=30,
               is_public=False, status="draft"),
    IndexEntry(object_id=5, title="减税降费实施办法（征求意见稿）", body="减税降费。",
               org_id=30, is_public=False, status="draft"),
]


@pytest.fixture
def corpus(db):
    b = get_backend()
    b.clear()
    b.index(ENTRIES)
    return b


def did_you_mean(page: str) -> tuple[str, dict] | None:
    """(the suggestion's text, its link's parameters) on a search page, or None."""
    m = re.search(r'<p class="did-you-mean">您是不是要找：<a href="\?([^"]*)">(.*?)</a>', page)
    if not m:
        return None
    text = re.sub(r"</?strong>", "", m.group(2))
    return html.unescape(text), parse_qs(html.unescape(m.group(1)))


@pytest.mark.parametrize("typed,meant", [
    ("放管复", "放管服"),
    ("营商环竟", "营商环境"),
    ("一网通半", "一网通办"),
    ("双招双应", "双招双引"),
    ("营商环境境", "营商环境"),
])
def test_typo_gets_a_suggestion_link_on_the_page(corpus, typed, meant):
    resp = Client().get("/search/", {"q": typed})
    page = resp.content.decode()
    assert resp.status_code == 200
    assert did_you_mean(page) == (meant, {"q": [meant]})


def test_a_government_term_in_a_single_entry_is_suggested(db):
    """A new site may hold a government term once (the demo data: 放管服 in its work plan
    only): the term list vouches for it; any other word must be in two entries."""
    b = get_backend()
    b.clear()
    b.index([IndexEntry(object_id=1, title="深化放管服改革的通知", body="加强基础设施建设。"),
             IndexEntry(object_id=2, title="疫情防控通知", body="做好防控。")])
    assert did_you_mean(Client().get("/search/", {"q": "放管复"}).content.decode()) == (
        "放管服", {"q": ["放管服"]})
    assert did_you_mean(Client().get("/search/", {"q": "基础设旋"}).content.decode()) is None
    b.index([IndexEntry(object_id=3, title="基础设施项目", body="基础设施。")])
    assert did_you_mean(Client().get("/search/", {"q": "基础设旋"}).content.decode()) == (
        "基础设施", {"q": ["基础设施"]})


def test_suggestion_link_keeps_the_filters_and_marks_the_corrected_words(corpus):
    page = Client().get("/search/", {"q": "深化放管复改革", "year": "2021", "genre": "意见"}
                        ).content.decode()
    assert did_you_mean(page) == ("深化放管服改革", {
        "q": ["深化放管服改革"], "year": ["2021"], "genre": ["意见"]})
    assert "深化<strong>放管服</strong>改革</a>" in page
    assert "保留当前筛选条件" in page


def test_no_suggestion_that_the_filters_would_leave_empty(corpus):
    page = Client().get("/search/", {"q": "放管复", "year": "2020"}).content.decode()
    assert did_you_mean(page) is None
    assert "您是不是要找" not in page


def test_or_mode_results_get_a_suggestion_too(corpus):
    res = corpus.search("深化放管复改革")
    assert res.mode == "or" and res.total > 0
    page = Client().get("/search/", {"q": "深化放管复改革"}).content.decode()
    assert did_you_mean(page)[0] == "深化放管服改革"
    assert "条结果" in page


def test_correct_query_gets_no_suggestion(corpus):
    page = Client().get("/search/", {"q": "放管服"}).content.decode()
    assert "改革工作要点" in page
    assert "您是不是要找" not in page
    with corpus.cursor() as cur:
        assert suggest.suggest("放管服", corpus.segmenter, cur) is None
        assert suggest.suggest("放管服改革", corpus.segmenter, cur) is None


def test_results_in_and_mode_do_not_even_look(corpus, monkeypatch, settings):
    from gongkai.search.backends.base import SearchBackend

    settings.GONGKAI_SEARCH_MIN_AND_HITS = 3  # three entries hold both words: AND mode

    def fail(*args, **kwargs):
        raise AssertionError("suggest called on an AND-mode result")

    monkeypatch.setattr(SearchBackend, "suggest", fail)
    res = corpus.with_options(min_and_hits=3).search("网格化管理")
    assert res.mode == "and" and res.total == 3
    resp = Client().get("/search/", {"q": "网格化管理"})
    assert resp.status_code == 200 and "您是不是要找" not in resp.content.decode()


def test_quotes_and_exclusions_survive_in_the_suggestion(corpus):
    typed = '“放管复”  -通知 改革'
    page = Client().get("/search/", {"q": typed}).content.decode()
    assert did_you_mean(page)[0] == '“放管服”  -通知 改革'
    with corpus.cursor() as cur:
        # An excluded word is never corrected: nothing else to correct here.
        assert suggest.suggest("改革 -放管复", corpus.segmenter, cur) is None


def test_never_suggests_a_word_only_drafts_hold(corpus):
    # 减税降费 is only in two unpublished drafts of unit 30.
    assert corpus.suggest("减税降废") is None
    page = Client().get("/search/", {"q": "减税降废"}).content.decode()
    assert "您是不是要找" not in page and "减税降费" not in page
    staff = corpus.suggest("减税降废",
                           visibility=Visibility(org_ids=frozenset({30})))
    assert staff is not None and staff.text == "减税降费"
    assert corpus.suggest("减税降废", filters=Filters(years=[2021]),
                          visibility=Visibility(org_ids=frozenset({30}))) is None


def test_percent_and_underscore_typed_by_the_user_are_no_wildcards(corpus):
    with corpus.cursor() as cur:
        def found(text: str, ordered: bool) -> dict:
            pats = patterns(Window(text, 0, 0, (0, len(text))))
            out = suggest._fetch(cur, pats, ordered, scan=True)
            out.update(suggest._scan(cur, {}, pats.tails))
            return out

        for ordered in (True, False):  # prefix ranges, and the scan a linguistic collation uses
            assert "放管服" in found("放管复", ordered)  # the control: it can find it
            # Unescaped, 放%_ / _%服 / __服 would all match 放管服.
            for text in ("放%", "%服", "_服"):
                assert "放管服" not in found(text, ordered), text
    for typed in ("放_服", "放%服", "%", "_", "%%_%", "放管复%"):
        resp = Client().get("/search/", {"q": typed})
        assert resp.status_code in (200, 400)
        got = did_you_mean(resp.content.decode())
        assert got is None or got[0] == typed.replace("放管复", "放管服"), typed


def test_a_mistyped_first_character_needs_the_scan_and_zero_results(corpus, settings):
    with corpus.cursor() as cur:
        assert suggest.suggest("往格化", corpus.segmenter, cur, scan=True) == "网格化"
        with CaptureQueriesContext(corpus_connection(corpus)) as ctx:
            assert suggest.suggest("往格化", corpus.segmenter, cur, scan=False) is None
        assert not [q for q in ctx.captured_queries if "substr" in q["sql"]]
        # Elsewhere in the word no scan is needed: an index range does.
        with CaptureQueriesContext(corpus_connection(corpus)) as ctx:
            assert suggest.suggest("网隔化", corpus.segmenter, cur, scan=False) == "网格化"
        assert not [q for q in ctx.captured_queries if "substr" in q["sql"]]
    page = Client().get("/search/", {"q": "往格化"}).content.decode()
    assert did_you_mean(page)[0] == "网格化"
    settings.GONGKAI_SEARCH_SUGGEST_SCAN = False
    page = Client().get("/search/", {"q": "往格化"}).content.decode()
    assert did_you_mean(page) is None


def test_a_collation_not_in_code_point_order_scans_instead_of_ranges(corpus, monkeypatch):
    # PostgreSQL with zh_CN.UTF-8 sorts by pinyin: term >= '网格' AND term < '网栻' would
    # not hold the terms starting with 网格.
    monkeypatch.setattr(suggest, "_code_point_order", lambda cursor: False)
    with corpus.cursor() as cur:
        with CaptureQueriesContext(corpus_connection(corpus)) as ctx:
            assert suggest.suggest("网隔化", corpus.segmenter, cur, scan=True) == "网格化"
            assert suggest.suggest("往格化", corpus.segmenter, cur, scan=True) == "网格化"
        assert not [q for q in ctx.captured_queries if "term >=" in q["sql"]]
        assert suggest.suggest("网隔化", corpus.segmenter, cur, scan=False) is None
        assert suggest.suggest("放管复", corpus.segmenter, cur, scan=False) == "放管服"


def test_code_point_order_is_only_claimed_where_the_database_sorts_so(corpus):
    with corpus.cursor() as cur:
        cur.execute("SELECT term FROM search_term ORDER BY term")
        terms = [t for (t,) in cur.fetchall()]
        assert len(terms) > 20
        if suggest._code_point_order(cur):
            assert terms == sorted(terms)  # Python sorts str by code point
        assert suggest._code_point_order(cur) or cur.db.vendor != "sqlite"


def corpus_connection(backend):
    from django.db import connections

    return connections[backend.using]


def test_page_never_fails_on_odd_input(corpus):
    c = Client()
    for typed in ["放管复" * 60, "！@#￥%……&*（）", "\\", "'; DROP TABLE search_term; --",
                  '"""', "-", "--放管复", "放 管 复", "😀放管复😀", "放管复" * 20, "\x00放管复",
                  "é放管复", "槐政办字〔2021〕4号", "槐政办子〔2021〕4号 放管复", "a" * 199,
                  "放" * 199, "。" * 50, "“放管复", "-放管复 -营商环竟",
                  "放管复　营商环竟　双招双应"]:
        resp = c.get("/search/", {"q": typed})
        assert resp.status_code in (200, 400), typed
        got = did_you_mean(resp.content.decode())
        if got:
            assert got[0] != typed and got[1]["q"] == [got[0]]
    assert c.get("/search/", {"q": "放管复", "year": "x"}).status_code == 400
    page = c.get("/search/", {"q": "放管复　营商环竟　双招双应"}).content.decode()
    assert did_you_mean(page)[0] == "放管服　营商环境　双招双引"  # three spots, one query


def test_cli_prints_a_suggestion_but_json_stays_a_list(corpus, capsys):
    call_command("search", "放管复")
    out = capsys.readouterr().out
    assert "(no results)" in out and "您是不是要找：放管服" in out
    call_command("search", "放管复", "--json")
    assert json.loads(capsys.readouterr().out) == []
    call_command("search", "放管服", "--json")
    assert [r["id"] for r in json.loads(capsys.readouterr().out)] == [2, 1]
