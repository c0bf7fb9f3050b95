"""The backend contract: a backend is chosen by dotted path with options in settings, each
search keeps its state on its own compiler and results (never on the shared backend
object), and 您是不是要找 is a backend method the search page calls."""

import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.utils.html import format_html

from gongkai.search import suggest
from gongkai.search.backends import (
    Filters,
    IndexEntry,
    backend_class,
    backend_name_for,
    get_backend,
)
from gongkai.search.backends.postgres import PostgresBackend
from gongkai.search.backends.sqlite import SQLiteBackend
from gongkai.search.tests.compilers import compile_with
from gongkai.search.tests.test_impact import _corpus

# The engine of the database the tests run on, subclassed as a site would.
ENGINE = {"sqlite": SQLiteBackend, "postgresql": PostgresBackend}[connection.vendor]


class MarkedBackend(ENGINE):
    """A site's own backend: titles marked, and its own 您是不是要找."""

    def search(self, raw, **kwargs):
        results = super().search(raw, **kwargs)
        for h in results.hits:
            h.title_html = format_html("【站内】{}", h.title_html)
        return results

    def suggest(self, raw, **kwargs):
        return suggest.Correction(text="供暖保障", parts=[("供暖保障", True)])


SearchBackend = MarkedBackend  # as a module names its backend (Wagtail's convention)

DOCS = [IndexEntry(object_id=1, title="供暖保障工作通知", body="做好今冬供暖保障。", year=2021),
        IndexEntry(object_id=2, title="疫情防控简报", body="加强疫情防控。", year=2020),
        IndexEntry(object_id=3, title="放管服改革工作要点", body="持续优化营商环境。", year=2021)]


def test_the_aliases_and_the_engine_default_still_choose_the_shipped_backends(db, settings):
    settings.GONGKAI_SEARCH_BACKEND = None
    assert type(get_backend()) is ENGINE
    assert backend_class("sqlite") is SQLiteBackend
    assert backend_class("postgres") is PostgresBackend
    settings.GONGKAI_SEARCH_BACKEND = ENGINE.name
    assert backend_name_for() == ENGINE.name and type(get_backend()) is ENGINE


@pytest.mark.parametrize("path", [f"{__name__}.MarkedBackend", __name__])
def test_a_backend_named_by_dotted_path_serves_the_search_page(db, settings, path):
    settings.GONGKAI_SEARCH_BACKEND = path
    settings.GONGKAI_SEARCH_BACKEND_OPTIONS = {"min_and_hits": 1, "fast_depth": 7}
    backend = get_backend()
    assert type(backend) is MarkedBackend
    assert (backend.min_and_hits, backend.fast_depth) == (1, 7)
    assert type(backend).fast_depth != 7  # an option is the object's, not the class's
    backend.clear()
    backend.index(DOCS)
    html = Client().get("/search/", {"q": "供暖保障"}).content.decode()
    assert "【站内】<mark>供暖保障</mark>工作通知" in html


def test_the_search_page_asks_the_backend_for_did_you_mean(db, settings):
    settings.GONGKAI_SEARCH_BACKEND = f"{__name__}.MarkedBackend"
    get_backend().index(DOCS)
    html = Client().get("/search/", {"q": "没有这个词汇"}).content.decode()
    assert "您是不是要找" in html and "<strong>供暖保障</strong>" in html


def test_the_shipped_backends_suggest_from_their_own_vocabulary(db):
    backend = get_backend()
    backend.clear()
    backend.index(DOCS)
    assert backend.suggest("放管复").text == "放管服"
    # ... and only what the same filters would find
    assert backend.suggest("放管复", filters=Filters(years=[2020])) is None


def test_bad_backend_settings_say_what_is_wrong(db, settings):
    with pytest.raises(ValueError, match="unknown search backend"):
        get_backend("elastic")
    with pytest.raises(ValueError, match="unknown search backend"):
        get_backend("gongkai.search.nowhere.Backend")
    with pytest.raises(ValueError, match="not a SearchBackend"):
        get_backend("gongkai.search.suggest.Correction")
    settings.GONGKAI_SEARCH_BACKEND_OPTIONS = {"fast_dpeth": 7}
    with pytest.raises(TypeError, match="fast_dpeth"):
        get_backend()


def test_the_results_carry_what_the_search_did(db):
    backend = get_backend()
    backend.clear()
    backend.index(DOCS)
    both = backend.search("供暖 防控")  # no entry holds both: any word, and it says so
    assert both.or_fallback and both.partial_matches and both.total_counted
    one = backend.with_options(min_and_hits=1).search("供暖保障")
    assert not one.or_fallback and one.total == 1 and one.total_counted


@pytest.mark.django_db(transaction=True)
def test_two_searches_at_once_on_one_backend_keep_their_own_state(settings):
    """One backend object shared by two threads (as a worker's threads share it): an
    approximate page from the top lists and a filtered search that declines the lists
    run at the same time, each paused inside the search until the other got as far; each
    result still says what its own search did."""
    settings.GONGKAI_SEARCH_LIST_MIN_DF = 5
    settings.GONGKAI_SEARCH_LIST_SIZE = 15
    backend = get_backend()
    backend.clear()
    same = [IndexEntry(object_id=i, title="防控通知", body="企业，疫情，房租", year=2020)
            for i in range(1, 31)]
    others = _corpus(70, seed=5)
    for e in others:
        e.object_id += 100
    backend.index(same + others)
    compile_with(backend, _few_matches=lambda *args: None)  # about the lists
    alone = {"approx": backend.search("防控", limit=10),
             "filtered": backend.search("防控", filters=Filters(years=[2021]), limit=10)}
    assert alone["approx"].approximate and not alone["approx"].declined
    assert alone["filtered"].declined == "filter" and not alone["filtered"].approximate

    real = backend.query_compiler_class._fast_page
    both_inside = threading.Barrier(2, timeout=20)

    def paused(self, *args, **kwargs):
        page = real(self, *args, **kwargs)
        both_inside.wait()  # the other search has set its state too
        return page

    compile_with(backend, _fast_page=paused)
    found, failed = {}, []

    def run(key, **kwargs):
        try:
            found[key] = backend.search("防控", limit=10, **kwargs)
        except Exception as exc:  # reported below
            failed.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=("approx",)),
               threading.Thread(target=run, args=("filtered",),
                                kwargs={"filters": Filters(years=[2021])})]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not failed and set(found) == {"approx", "filtered"}
    for key, results in found.items():
        assert (results.approximate, results.declined) == (
            alone[key].approximate, alone[key].declined), key
        assert [h.object_id for h in results.hits] == [h.object_id for h in alone[key].hits]
    assert not hasattr(backend, "fast_approximate") and not hasattr(backend, "fast_declined")
