"""Anonymous public pages are published as files, and a change purges exactly the pages
that show it (gongkai/core/publish.py, gongkai/disclosure/publishing.py)."""

import pytest
from django.test import Client

from gongkai.core import publish
from gongkai.core.models import Role
from gongkai.disclosure import services

from .factories import node, published

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def publishing(settings):
    settings.GONGKAI_PUBLISH = True


@pytest.fixture
def staff(make_staff):
    return {code: (make_staff(code, Role.EDITOR), make_staff(code, Role.REVIEWER))
            for code in ("hyq-fgj", "hyq-czj")}


def _doc(staff, org, code, **fields):
    editor, reviewer = staff[code]
    fields.setdefault("node", node(org(code), "gfxwj"))
    return published(editor, reviewer, org(code), **fields)


def _visit(*urls):
    anonymous = Client()
    for url in urls:
        response = anonymous.get(url)
        assert response.status_code == 200, url
        assert not response.cookies, url
        assert response["Cache-Control"] == "public, no-cache", url
        if response["Content-Type"].startswith("text/html"):  # staff and 关怀版 see others
            assert "Cookie" in response.get("Vary", ""), url


def test_anonymous_pages_are_published_under_their_path(publishing, staff, org):
    doc = _doc(staff, org, "hyq-fgj")
    _visit("/", f"/xxgk/doc/{doc.pk}/", "/xxgk/hyq-fgj/", "/xxgk/hyq-fgj/gfxwj/",
           "/xxgk/feed/hyq-fgj/rss/", "/sitemap.xml")
    assert publish.published_files() == {
        "index.html", f"xxgk/doc/{doc.pk}/index.html", "xxgk/hyq-fgj/index.html",
        "xxgk/hyq-fgj/gfxwj/index.html", "xxgk/feed/hyq-fgj/rss/index.rss", "sitemap.xml"}
    page = (publish.root() / f"xxgk/doc/{doc.pk}/index.html").read_text()
    assert doc.title in page and "各街道：请做好供暖保障。" in page


def test_what_varies_or_is_not_public_is_never_published(publishing, staff, org, client_for):
    doc = _doc(staff, org, "hyq-fgj")
    client_for(staff["hyq-fgj"][0]).get(f"/xxgk/doc/{doc.pk}/")  # staff: session cookie
    elder = Client()
    elder.cookies["elder"] = "1"
    elder.get(f"/xxgk/doc/{doc.pk}/")
    anonymous = Client()
    anonymous.get("/xxgk/zcwj/?page=1")  # a query string: filters and pages vary
    anonymous.get("/search/", {"q": "供暖"})
    anonymous.get("/ysqgk/apply/")  # a form with a CSRF token
    anonymous.get("/xxgk/doc/999999/")  # 404
    anonymous.head(f"/xxgk/doc/{doc.pk}/")
    assert publish.published_files() == set()


def test_withdrawing_purges_exactly_the_pages_that_show_the_document(publishing, staff, org):
    doc = _doc(staff, org, "hyq-fgj", title="关于槐荫区冬季供暖保障的通知")
    other = _doc(staff, org, "hyq-czj", title="关于财政资金绩效评价的通知")
    pages = ["/", "/xxgk/", "/xxgk/zcwj/", "/sitemap.xml", f"/xxgk/doc/{doc.pk}/",
             f"/xxgk/doc/{doc.pk}/print/", "/xxgk/hyq-fgj/", "/xxgk/hyq-fgj/gfxwj/",
             "/xxgk/feed/hyq-fgj/atom/", f"/xxgk/doc/{other.pk}/", "/xxgk/hyq-czj/",
             "/xxgk/hyq-czj/gfxwj/", "/xxgk/zcjd/"]
    _visit(*pages)
    before = publish.published_files()
    assert len(before) == len(pages)

    services.withdraw_document(actor=staff["hyq-fgj"][1], document=doc, reason="内容有误")
    # The other unit's pages and the 政策解读 list do not show the document: they stay.
    assert publish.published_files() == {
        f"xxgk/doc/{other.pk}/index.html", "xxgk/hyq-czj/index.html",
        "xxgk/hyq-czj/gfxwj/index.html", "xxgk/zcjd/index.html"}
    anonymous = Client()
    page = anonymous.get(f"/xxgk/doc/{doc.pk}/").content.decode()
    assert "撤回" in page and "各街道：请做好供暖保障。" not in page
    assert doc.title not in anonymous.get("/xxgk/hyq-fgj/gfxwj/").content.decode()


def test_linked_documents_and_interpretations_are_purged_with_the_document(
        publishing, staff, org):
    editor, reviewer = staff["hyq-fgj"]
    old = _doc(staff, org, "hyq-fgj", title="关于供暖补贴的旧通知")
    new = _doc(staff, org, "hyq-fgj", title="关于供暖补贴的新通知", replaces=[old])
    it = services.save_interpretation(actor=editor, org=org("hyq-fgj"),
                                      title="《关于供暖补贴的新通知》解读", kind="text",
                                      body="<p>解读正文</p>", documents=[new])
    services.publish_interpretation(actor=reviewer, interpretation=it,
                                    revision=services.interpretation_revision(it))
    _visit(f"/xxgk/doc/{old.pk}/", f"/xxgk/zcjd/{it.pk}/", "/xxgk/hyq-czj/")
    services.withdraw_document(actor=reviewer, document=new, reason="政策调整")
    # The old document's page said it was replaced by the new one; the 解读 listed it.
    assert publish.published_files() == {"xxgk/hyq-czj/index.html"}


def test_a_purge_during_rendering_keeps_the_old_page_out(publishing, staff, org, rf):
    doc = _doc(staff, org, "hyq-fgj")
    started = publish.generation()
    response = Client().get(f"/xxgk/doc/{doc.pk}/")  # rendered before the purge below...
    publish.purge([f"/xxgk/doc/{doc.pk}/"])
    request = rf.get(f"/xxgk/doc/{doc.pk}/")
    request.resolver_match = response.resolver_match
    # ...and written after it: the filler sees the purge and removes its file.
    assert publish.store(request, response, started) is None
    assert publish.published_files() == set()


def test_a_directory_change_purges_the_unit_and_its_documents(publishing, staff, org, make_staff):
    doc = _doc(staff, org, "hyq-fgj")
    _visit(f"/xxgk/doc/{doc.pk}/", "/xxgk/hyq-fgj/", "/xxgk/hyq-fgj/gfxwj/", "/xxgk/hyq-czj/")
    coordinator = make_staff("hyq-zfb", Role.COORDINATOR)
    gfxwj = node(org("hyq-fgj"), "gfxwj")
    services.save_node(actor=coordinator, org=org("hyq-fgj"), node=gfxwj, name="行政规范性文件",
                       code=gfxwj.code, parent=gfxwj.parent, kind=gfxwj.kind)
    assert publish.published_files() == {"xxgk/hyq-czj/index.html"}


def test_the_sweep_catches_a_purge_that_never_ran(publishing, staff, org, monkeypatch):
    """A process that died between commit and purge: the next sweep removes the page."""
    doc = _doc(staff, org, "hyq-fgj")
    _visit(f"/xxgk/doc/{doc.pk}/", "/xxgk/hyq-czj/")
    monkeypatch.setattr(publish, "purge", lambda *a, **k: [])  # the crash
    services.withdraw_document(actor=staff["hyq-fgj"][1], document=doc, reason="内容有误")
    assert f"xxgk/doc/{doc.pk}/index.html" in publish.published_files()
    monkeypatch.undo()
    from gongkai.disclosure import publishing as pages

    assert pages.sweep() >= 1
    assert publish.published_files() == {"xxgk/hyq-czj/index.html"}


def test_a_page_holding_a_csrf_token_is_not_published(publishing, district, rf):
    from django.middleware.csrf import get_token
    from django.test import Client as _Client

    response = _Client().get("/")
    request = rf.get("/")
    request.resolver_match = response.resolver_match
    get_token(request)  # as {% csrf_token %} does
    assert publish.store(request, response, publish.generation()) is None
    assert publish.store(rf.get("/"), response, publish.generation()) is None  # no match


def test_another_apps_unit_panel_change_purges_only_that_unit_home(publishing, staff, org):
    from gongkai.core.signals import unit_page_changed

    doc = _doc(staff, org, "hyq-fgj")
    _visit("/xxgk/hyq-fgj/", "/xxgk/hyq-fgj/gfxwj/", "/xxgk/hyq-czj/", f"/xxgk/doc/{doc.pk}/")
    before = publish.published_files()
    assert "xxgk/hyq-fgj/index.html" in before
    unit_page_changed.send(sender=None, org_code="hyq-fgj")
    assert before - publish.published_files() == {"xxgk/hyq-fgj/index.html"}


def test_a_law_saved_in_the_regulation_library_purges_the_document_of_that_title(
        publishing, staff, org):
    doc = _doc(staff, org, "hyq-fgj", title="中华人民共和国政府信息公开条例")
    other = _doc(staff, org, "hyq-czj", title="关于做好冬季供暖工作的通知")
    _visit(f"/xxgk/doc/{doc.pk}/", f"/xxgk/doc/{other.pk}/", "/xxgk/hyq-czj/")
    services.import_regulation_version(actor=None, title=doc.title, body="第一条 为了保障……")
    assert publish.published_files() == {f"xxgk/doc/{other.pk}/index.html",
                                         "xxgk/hyq-czj/index.html"}
    page = Client().get(f"/xxgk/doc/{doc.pk}/").content.decode()
    assert "本文件已收入法规库" in page
