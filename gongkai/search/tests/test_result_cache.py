"""The search page's results cache (gongkai/search/result_cache.py), on as in production: a
repeated anonymous search is served from the cache, and anything that changes what a public
search page shows — above all a withdrawn document — is there on the very next request."""

from __future__ import annotations

import os
import time
import urllib.parse

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gongkai.core.models import Role
from gongkai.core.tests.test_nginx_front import Browser, front  # noqa: F401 (fixture)
from gongkai.disclosure import services
from gongkai.disclosure.tests.factories import draft, published
from gongkai.search import result_cache

TITLE = "关于冬季供暖保障的通知"
SHOWN = "关于冬季<mark>供暖保障</mark>的通知"  # as a result's title shows it


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.GONGKAI_SEARCH_RESULT_CACHE = 600


def _get(client, q="供暖保障", **params):
    resp = client.get("/search/", {"q": q, **params})
    return resp, resp.content.decode()


def test_a_repeated_search_is_served_from_the_cache_and_revalidated_by_browsers(
        org, fgj_staff, indexed):
    editor, reviewer = fgj_staff
    with indexed():
        published(editor, reviewer, org("hyq-fgj"), title=TITLE)
    head = Client().head("/search/", {"q": "供暖保障"})  # a HEAD's page has no body to keep
    assert head.status_code == 200 and head["X-Search-Cache"] == "miss"
    first, html = _get(Client())
    assert first.status_code == 200 and first["X-Search-Cache"] == "miss" and SHOWN in html
    again, html_again = _get(Client(), q="  供暖保障 ")  # the same query as the page reads it
    assert again["X-Search-Cache"] == "hit" and html_again == html
    for resp in (first, again):
        assert resp["Cache-Control"] == "no-cache" and not resp.cookies
        assert "frame-ancestors 'none'" in resp["Content-Security-Policy"]
    other, _ = _get(Client(), page="2")
    assert other["X-Search-Cache"] == "miss"  # another page is another entry


def test_a_withdrawn_document_leaves_the_kept_page_at_once(org, fgj_staff, indexed):
    editor, reviewer = fgj_staff
    with indexed():
        doc = published(editor, reviewer, org("hyq-fgj"), title=TITLE)
    _get(Client())
    resp, html = _get(Client())
    assert resp["X-Search-Cache"] == "hit" and doc.get_absolute_url() in html
    with indexed():  # the workbench's service, its commit delivered
        services.withdraw_document(actor=reviewer, document=doc, reason="内容有误")
    resp, html = _get(Client())
    assert resp["X-Search-Cache"] == "miss"
    assert SHOWN not in html and doc.get_absolute_url() not in html
    assert "没有找到相关文件" in html


def test_a_published_document_shows_at_once(org, fgj_staff, indexed):
    editor, reviewer = fgj_staff
    _, html = _get(Client())
    assert "没有找到相关文件" in html
    with indexed():
        doc = published(editor, reviewer, org("hyq-fgj"), title=TITLE)
    resp, html = _get(Client())
    assert resp["X-Search-Cache"] == "miss" and doc.get_absolute_url() in html


def test_staff_never_get_nor_fill_the_cache(org, make_staff, client_for, indexed):
    editor = make_staff("hyq-fgj", Role.EDITOR)
    reviewer = make_staff("hyq-fgj", Role.REVIEWER)
    with indexed():
        published(editor, reviewer, org("hyq-fgj"), title=TITLE)
        mine = draft(editor, org("hyq-fgj"), title="供暖保障补贴办法草稿", doc_number="")
    staff = client_for(editor)
    resp, html = _get(staff)  # staff first: their page lists their draft
    assert "<mark>供暖保障</mark>补贴办法草稿" in html and "X-Search-Cache" not in resp
    assert resp["Cache-Control"] == "no-store, private"
    resp, html = _get(Client())  # the public never sees what staff saw
    assert resp["X-Search-Cache"] == "miss" and "补贴办法草稿" not in html
    assert _get(Client())[0]["X-Search-Cache"] == "hit"
    resp, html = _get(staff)  # the kept public page is not served to staff
    assert "X-Search-Cache" not in resp and f"/xxgk/staff/{mine.pk}/" in html


def test_a_visitor_with_a_session_or_messages_is_served_fresh(org, fgj_staff, indexed):
    editor, reviewer = fgj_staff
    with indexed():
        published(editor, reviewer, org("hyq-fgj"), title=TITLE)
    _get(Client())
    for cookie in ("sessionid", "messages", "gongkai_primary"):
        c = Client()
        c.cookies[cookie] = "x"
        resp, html = _get(c)
        assert "X-Search-Cache" not in resp and SHOWN in html, cookie


def test_the_care_mode_page_is_its_own_entry(org, fgj_staff, indexed):
    editor, reviewer = fgj_staff
    with indexed():
        published(editor, reviewer, org("hyq-fgj"), title=TITLE)
    _, plain = _get(Client())
    elder = Client()
    elder.cookies["elder"] = "1"
    resp, html = _get(elder)
    assert resp["X-Search-Cache"] == "miss" and '<body class="elder' in html
    resp, html = _get(elder)
    assert resp["X-Search-Cache"] == "hit" and '<body class="elder' in html
    resp, html = _get(Client())
    assert resp["X-Search-Cache"] == "hit" and html == plain and '<body class="elder' not in html


def test_bad_parameters_give_400_and_are_never_kept(org, fgj_staff, indexed):
    editor, reviewer = fgj_staff
    with indexed():
        published(editor, reviewer, org("hyq-fgj"), title=TITLE)
    for params in ({"page": "0"}, {"page": "abc"}, {"org": "x"}):
        for _ in range(2):
            resp, html = _get(Client(), **params)
            assert resp.status_code == 400 and resp["X-Search-Cache"] == "miss", params
            assert SHOWN not in html
    resp, html = _get(Client())  # the good page is unaffected
    assert resp.status_code == 200 and SHOWN in html


def test_a_failing_cache_serves_the_page_uncached(org, fgj_staff, indexed, monkeypatch):
    editor, reviewer = fgj_staff
    with indexed():
        doc = published(editor, reviewer, org("hyq-fgj"), title=TITLE)

    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    for name in ("get_many", "get", "set", "add"):
        monkeypatch.setattr(result_cache.cache, name, down)
    for _ in range(2):
        resp, html = _get(Client())
        assert resp.status_code == 200 and resp["X-Search-Cache"] == "off" and SHOWN in html
    with indexed():  # writes go on while the cache is down (the bump fails quietly)
        services.withdraw_document(actor=reviewer, document=doc, reason="内容有误")
    resp, html = _get(Client())
    assert resp.status_code == 200 and SHOWN not in html


def test_redis_down_serves_the_page_uncached(org, fgj_staff, indexed, settings):
    editor, reviewer = fgj_staff
    with indexed():
        published(editor, reviewer, org("hyq-fgj"), title=TITLE)
    # Nothing listens on port 1: every cache call fails at once.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:1/15"}}
    resp, html = _get(Client())
    assert resp.status_code == 200 and resp["X-Search-Cache"] == "off" and SHOWN in html


def test_a_renamed_unit_shows_on_the_kept_page_at_once(org, fgj_staff, indexed):
    editor, reviewer = fgj_staff
    unit = org("hyq-fgj")
    with indexed():
        published(editor, reviewer, unit, title=TITLE)
    _get(Client())
    assert _get(Client())[0]["X-Search-Cache"] == "hit"
    with indexed():
        unit.name = "槐荫区发展改革委员会"
        unit.save(update_fields=["name"])
    resp, html = _get(Client())
    assert resp["X-Search-Cache"] == "miss" and "槐荫区发展改革委员会" in html


def test_a_published_or_withdrawn_qa_answer_shows_at_once(org, fgj_staff, indexed):
    from gongkai.interaction.models import QAEntry, QStatus

    _get(Client(), q="供暖补贴怎么申领")
    assert _get(Client(), q="供暖补贴怎么申领")[0]["X-Search-Cache"] == "hit"
    with indexed():
        qa = QAEntry.objects.create(question="供暖补贴怎么申领？", answer="持身份证到街道办理。",
                                    org=org("hyq-fgj"), status=QStatus.PUBLISHED,
                                    published_at=timezone.now())
    url = reverse("interaction:qa_detail", args=[qa.pk])
    resp, html = _get(Client(), q="供暖补贴怎么申领")
    assert resp["X-Search-Cache"] == "miss" and url in html and "一号答" in html
    assert _get(Client(), q="供暖补贴怎么申领")[0]["X-Search-Cache"] == "hit"
    with indexed():
        qa.status = QStatus.WITHDRAWN
        qa.save()
    resp, html = _get(Client(), q="供暖补贴怎么申领")
    assert url not in html


def test_with_redis_every_worker_shares_the_pages(org, fgj_staff, indexed, settings):
    """The production set-up: pages in Redis (not in the worker), dropped the same way."""
    editor, reviewer = fgj_staff
    with indexed():
        doc = published(editor, reviewer, org("hyq-fgj"), title=TITLE)
    prefix = f"gk-search-cache-test-{os.getpid()}"
    settings.CACHES = {"default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache", "KEY_PREFIX": prefix,
        "LOCATION": os.environ.get("GONGKAI_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")}}
    from django.core.cache import cache

    client = cache._cache.get_client()

    def ours():
        return [k for k in client.scan_iter(f"{prefix}:*")]

    try:
        assert not result_cache._pages_in_process()
        assert _get(Client())[0]["X-Search-Cache"] == "miss"
        assert any(b"search:page" in k for k in ours())  # kept in Redis, not the worker
        resp, html = _get(Client())
        assert resp["X-Search-Cache"] == "hit" and SHOWN in html
        with indexed():
            services.withdraw_document(actor=reviewer, document=doc, reason="内容有误")
        resp, html = _get(Client())
        assert resp["X-Search-Cache"] == "miss" and SHOWN not in html
    finally:
        keys = ours()
        if keys:
            client.delete(*keys)


def test_off_when_the_setting_is_zero(org, fgj_staff, indexed, settings):
    settings.GONGKAI_SEARCH_RESULT_CACHE = 0
    editor, reviewer = fgj_staff
    with indexed():
        published(editor, reviewer, org("hyq-fgj"), title=TITLE)
    for _ in range(2):
        resp, html = _get(Client())
        assert "X-Search-Cache" not in resp and SHOWN in html
        assert resp["Cache-Control"] == "no-cache"


@pytest.mark.django_db(transaction=True)
def test_a_withdrawn_document_leaves_the_search_page_through_nginx(front, make_staff,  # noqa: F811
                                                                   org):
    """The real front: nginx does not keep /search/, the application's cache is dropped
    when the withdrawal commits (no test transaction here: real commits)."""
    unit = org("hyq-fgj")
    editor, reviewer = make_staff(unit, Role.EDITOR), make_staff(unit, Role.REVIEWER)
    doc = published(editor, reviewer, unit, title=TITLE)
    public = Browser(front)
    url = "/search/?q=" + urllib.parse.quote("供暖保障")
    _, headers, _ = public.get(url)
    status, headers, page = public.get(url)
    assert status == 200 and headers["X-Search-Cache"] == "hit" and SHOWN in page
    assert headers["Cache-Control"] == "no-cache" and "X-Gongkai-Publish" not in headers

    staff = Browser(front)
    staff.login(reviewer.username)
    status, headers, page = staff.get(url)  # through nginx, with a session: never kept
    assert status == 200 and "X-Search-Cache" not in headers and SHOWN in page
    status, _ = staff.post(f"/xxgk/staff/{doc.pk}/review/",
                           {"wd-reason": "内容有误，撤回更正", "wd-submit": "1"})
    withdrawn = time.monotonic()
    assert status == 200
    status, headers, page = public.get(url)
    assert time.monotonic() - withdrawn <= 1
    assert status == 200 and headers["X-Search-Cache"] == "miss" and SHOWN not in page


def test_a_page_that_will_be_kept_is_rendered_from_the_primary(settings):
    """A miss calls db_router.read_primary: a lagging replica must not fill the cache."""
    from gongkai.core import db_router

    settings.GONGKAI_DB_REPLICAS = ["replica"]
    router = db_router.PrimaryReplicaRouter()
    token = db_router._state.set(db_router._State(replica_ok=True))
    try:
        assert router.db_for_read(None) == "replica"  # an anonymous GET may read a replica
        db_router.read_primary()
        assert router.db_for_read(None) == "default"
    finally:
        db_router._state.reset(token)
