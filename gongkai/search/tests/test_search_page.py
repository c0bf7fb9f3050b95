"""The public search page /search/: results, filters, snippets, paging, errors, staff view."""

from django.test import Client

from gongkai.core.models import Role
from gongkai.disclosure.tests import factories
from gongkai.disclosure.tests.factories import draft, published


def test_page_lists_results_with_marked_snippet_and_keeps_the_query(org, fgj_staff, indexed):
    editor, reviewer = fgj_staff
    with indexed():
        doc = published(editor, reviewer, org("hyq-fgj"), title="关于冬季供暖保障的通知",
                        body="<p>各街道要做好供暖保障，确保居民温暖过冬。</p>")
    resp = Client().get("/search/", {"q": "供暖保障"})
    html = resp.content.decode()
    assert resp.status_code == 200
    assert "找到 <strong>1</strong> 条结果" in html
    assert doc.get_absolute_url() in html
    assert "<mark>供暖保障</mark>" in html  # in the title and in the snippet
    assert "确保居民温暖过冬" in html
    assert 'value="供暖保障"' in html  # the header box and the page box keep the query
    assert "槐荫区发展和改革局" in html  # the unit facet shows the unit's name


def test_public_page_does_not_show_drafts(org, fgj_staff, indexed):
    editor, _ = fgj_staff
    with indexed():
        draft(editor, org("hyq-fgj"), title="供暖补贴办法草稿", doc_number="")
    html = Client().get("/search/", {"q": "供暖补贴"}).content.decode()
    assert "供暖补贴办法草稿" not in html
    assert "没有找到相关文件" in html


def test_staff_page_shows_own_unit_draft_marked_not_public(org, make_staff, client_for,
                                                          indexed):
    editor = make_staff("hyq-fgj", Role.EDITOR)
    with indexed():
        doc = draft(editor, org("hyq-fgj"), title="供暖补贴办法草稿", doc_number="")
    # The draft's public page is 404 until it is published: the hit opens the workbench.
    staff_url = f"/xxgk/staff/{doc.pk}/"
    link = f'href="{staff_url}"'
    mine = client_for(editor)
    html = mine.get("/search/", {"q": "供暖补贴"}).content.decode()
    assert link in html and "草稿·未公开" in html
    assert f'href="{doc.get_absolute_url()}"' not in html
    assert mine.get(staff_url).status_code == 200
    other = client_for(make_staff("hyq-czj", Role.EDITOR))
    assert link not in other.get("/search/", {"q": "供暖补贴"}).content.decode()


def test_year_filter_link_narrows_the_results(org, fgj_staff, indexed):
    import datetime as dt

    editor, reviewer = fgj_staff
    with indexed():
        old = published(editor, reviewer, org("hyq-fgj"), title="2025年供暖通知",
                        written_date=dt.date(2025, 11, 1), doc_number="")
        new = published(editor, reviewer, org("hyq-fgj"), title="2026年供暖通知",
                        written_date=dt.date(2026, 11, 1), doc_number="")
    c = Client()
    html = c.get("/search/", {"q": "供暖通知"}).content.decode()
    assert "2025年 <span class=\"count\">(1)</span>" in html
    html = c.get("/search/", {"q": "供暖通知", "year": "2025"}).content.decode()
    assert f'href="{old.get_absolute_url()}"' in html
    assert f'href="{new.get_absolute_url()}"' not in html
    assert "清除筛选" in html


def test_paging_shows_the_next_page(org, fgj_staff, indexed):
    editor, reviewer = fgj_staff
    with indexed():
        for i in range(12):
            published(editor, reviewer, org("hyq-fgj"), title=f"供暖通知第{i + 1}期",
                      doc_number="")
    c = Client()
    first = c.get("/search/", {"q": "供暖"}).content.decode()
    assert "第 1 / 2 页" in first and "下一页" in first
    second = c.get("/search/", {"q": "供暖", "page": "2"}).content.decode()
    assert second.count('class="hit"') == 2


def test_bad_input_gets_a_chinese_message_not_an_error_page(db):
    c = Client()
    for params in ({"q": "供暖", "page": "abc"}, {"q": "供暖", "year": "二〇二六"},
                   {"q": "供暖", "page": "99999999"}, {"q": '"""'}, {"q": "x" * 300}):
        resp = c.get("/search/", params)
        assert resp.status_code == 400, params
        assert 'role="alert"' in resp.content.decode()
    for q in ['房租 NEAR(', "AND OR", "(((", "*", "'", "-"]:
        assert Client().get("/search/", {"q": q}).status_code in (200, 400)


def test_empty_query_asks_for_words(db):
    resp = Client().get("/search/")
    assert resp.status_code == 200 and "请输入检索词" in resp.content.decode()


def test_capped_count_is_shown_as_more_than(org, fgj_staff, indexed, monkeypatch):
    from gongkai.search.backends.base import SearchBackend

    editor, reviewer = fgj_staff
    with indexed():
        for i in range(3):
            published(editor, reviewer, org("hyq-fgj"), title=f"供暖保障通知第{i + 1}号",
                      body="<p>做好供暖保障。</p>")
    monkeypatch.setattr(SearchBackend, "count_cap", 2)
    monkeypatch.setattr(SearchBackend, "facet_cap", 2)
    html = Client().get("/search/", {"q": "供暖保障"}).content.decode()
    assert "找到超过 <strong>2</strong> 条结果" in html
    assert "以下数字按前 2 条结果统计" in html
    assert all(f"通知第{i + 1}号" in html for i in range(3))  # every hit is still listed


def test_withdrawn_document_is_gone_from_the_very_next_search_page(org, fgj_staff, indexed):
    from gongkai.disclosure import services

    editor, reviewer = fgj_staff
    with indexed():
        doc = published(editor, reviewer, org("hyq-fgj"), title="关于冬季供暖保障的通知",
                        body="<p>各街道要做好供暖保障。</p>")
    c = Client()
    assert doc.get_absolute_url() in c.get("/search/", {"q": "供暖保障"}).content.decode()
    with indexed():
        services.withdraw_document(actor=reviewer, document=doc, reason="内容有误")
    html = c.get("/search/", {"q": "供暖保障"}).content.decode()
    assert doc.get_absolute_url() not in html
    assert "没有找到相关文件" in html


def test_renamed_unit_and_node_are_named_anew_on_the_next_search(org, fgj_staff, indexed):
    """Unit and node names are kept between searches (gongkai/search/labels.py): a rename
    shows at once."""
    editor, reviewer = fgj_staff
    unit = org("hyq-fgj")
    node = factories.node(unit, "tzgg")
    with indexed():
        published(editor, reviewer, unit, title="关于冬季供暖保障的通知", node=node)
    c = Client()
    html = c.get("/search/", {"q": "供暖保障"}).content.decode()
    assert "槐荫区发展和改革局" in html
    unit.name, unit.short_name = "槐荫区发展改革委员会", "发改委"
    unit.save(update_fields=["name", "short_name"])
    node.name = "通知公告（新）"
    node.save(update_fields=["name"])
    html = c.get("/search/", {"q": "供暖保障"}).content.decode()
    assert "槐荫区发展和改革局" not in html
    assert "槐荫区发展改革委员会" in html  # the result's unit and the unit facet
    assert "通知公告（新）（发改委）" in html  # the 公开目录 facet


def test_hit_and_facet_texts_are_escaped_and_a_chosen_filter_is_announced(org, fgj_staff,
                                                                           indexed):
    """The result and facet lists (rendered in Python: gongkai/search/templatetags) escape
    what they show, give the date in Beijing time, and mark the chosen filter for screen
    readers with a link that removes it."""
    import datetime as dt

    from gongkai.disclosure.models import Document
    from gongkai.search.indexing import index_document

    editor, reviewer = fgj_staff
    unit = org("hyq-fgj")
    unit.name = "槐荫区发展<和>改革局 & 物价"
    unit.save(update_fields=["name"])
    with indexed():
        doc = published(editor, reviewer, unit, title="供暖<b>通知</b>说明",
                        written_date=dt.date(2025, 11, 1), doc_number="")
    # Published at 01:30 on 2 November, Beijing time.
    Document.objects.filter(pk=doc.pk).update(
        published_at=dt.datetime(2025, 11, 1, 17, 30, tzinfo=dt.UTC))
    index_document(doc.pk)
    c = Client()
    html = c.get("/search/", {"q": "供暖"}).content.decode()
    assert "&lt;b&gt;" in html and "<b>" not in html
    assert '<p class="meta">槐荫区发展&lt;和&gt;改革局 &amp; 物价　2025-11-02</p>' in html
    assert "槐荫区发展&lt;和&gt;改革局 &amp; 物价 <span class=\"count\">(1)</span>" in html
    assert 'aria-current="true"' not in html
    html = c.get("/search/", {"q": "供暖", "year": "2025"}).content.decode()
    assert ('<li><a href="?q=%E4%BE%9B%E6%9A%96" aria-current="true" class="on">2025年 '
            '<span class="count">(1)</span><span class="visually-hidden">，已选，点击取消</span>'
            "</a></li>") in html
    assert '<section>\n      <h3>年份</h3>' in html


def test_page_from_the_kept_shell_is_the_page_rendered_whole(org, fgj_staff, indexed,
                                                            monkeypatch):
    """The search page is base.html's shell kept per variant with the results spliced in
    (gongkai/core/shell.py): byte for byte what rendering search/search.html gives, for the
    public and 关怀版 pages, a query with markup, no query and a bad page number."""
    from gongkai.core.shell import ShellPage

    editor, reviewer = fgj_staff
    with indexed():
        published(editor, reviewer, org("hyq-fgj"), title="关于冬季供暖保障的通知",
                  body="<p>各街道要做好供暖保障 & “温暖过冬”。</p>")
    requests = [{"q": "供暖保障"}, {"q": '<b>供暖</b> "保障" & 通知'}, {},
                {"q": "供暖", "page": "x"}, {"q": "没有这样的词语"}]
    pages = {}
    for whole in (False, True, False):
        if whole:
            monkeypatch.setattr(ShellPage, "parts", lambda self, request: None)
        else:
            monkeypatch.undo()
        for elder in ("0", "1"):
            client = Client()
            client.cookies["elder"] = elder
            for params in requests:
                resp = client.get("/search/", params)
                pages.setdefault((elder, tuple(params.items())), set()).add(
                    (resp.status_code, resp.content))
    assert all(len(v) == 1 for v in pages.values())
    assert {status for v in pages.values() for status, _ in v} == {200, 400}
    assert any(b'class="elder"' in html for v in pages.values() for _, html in v)
    assert any(b"&lt;b&gt;" in html for v in pages.values() for _, html in v)
    assert any(b"<mark>" in html for v in pages.values() for _, html in v)


def test_a_page_with_flash_messages_is_rendered_whole_and_shows_them(rf, monkeypatch):
    """The kept shell has no messages: a request with some gets base.html rendered."""
    from django.contrib.messages import get_messages

    from gongkai.core.shell import ShellPage

    page = ShellPage("search/shell_probe.html", ("query_title", "search_query", "content"))
    request = rf.get("/search/")
    monkeypatch.setattr("gongkai.core.shell.get_messages", lambda request: ["已保存"])
    assert page.parts(request) is None
    monkeypatch.setattr("gongkai.core.shell.get_messages", get_messages)
    request._messages = []
    parts = page.parts(request)
    assert parts[:3] == ("query_title", "search_query", "content") and len(parts) == 7
    assert "<title>" in parts[3] and "</html>" in parts[-1]
