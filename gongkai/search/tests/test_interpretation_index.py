"""政策解读 are searchable: the index follows every save, publication, withdrawal and import
of an interpretation, and the search page labels them."""

import datetime as dt
import logging

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from gongkai.core.models import Role
from gongkai.disclosure import services
from gongkai.disclosure.models import Interpretation
from gongkai.disclosure.tests.factories import draft, node, published
from gongkai.search.backends import Filters, Visibility, get_backend
from gongkai.search.indexing import interpretation_entry, reindex_all

BODY = "<p>本解读说明冬季供暖补贴的申领条件、补贴标准和办理流程。</p>"


def hits(query, **kwargs):
    return [(h.kind, h.title) for h in get_backend().search(query, **kwargs).hits]


def own(unit):
    return Visibility(org_ids=frozenset({unit.pk}))


@pytest.fixture
def fgj(org, fgj_staff):
    editor, reviewer = fgj_staff
    return org("hyq-fgj"), editor, reviewer


def write(editor, unit, title="《供暖补贴办法》政策解读", body=BODY, documents=(), **kw):
    return services.save_interpretation(actor=editor, org=unit, title=title, kind="text",
                                        body=body, documents=documents, **kw)


def publish(reviewer, it):
    return services.publish_interpretation(actor=reviewer, interpretation=it,
        revision=services.interpretation_revision(it))


def test_published_interpretation_is_found_by_the_public(fgj, indexed):
    unit, editor, reviewer = fgj
    with indexed():
        it = publish(reviewer, write(editor, unit))
    assert hits("供暖补贴 申领条件") == [("interpretation", "《供暖补贴办法》政策解读")]
    hit = get_backend().search("申领条件").hits[0]
    assert (hit.object_id, hit.url, hit.is_public, hit.doc_number, hit.pinned) == (
        it.pk, it.get_absolute_url(), True, "", False)
    # ... and its page opens for anyone
    resp = Client().get(hit.url)
    assert resp.status_code == 200 and "申领条件" in resp.content.decode()


def test_cli_finds_a_published_interpretation(fgj, indexed, capsys):
    import json

    unit, editor, reviewer = fgj
    with indexed():
        it = publish(reviewer, write(editor, unit))
    call_command("search", "供暖补贴", "--json")
    out = json.loads(capsys.readouterr().out)
    assert [(r["title"], r["url"]) for r in out] == [
        ("《供暖补贴办法》政策解读", it.get_absolute_url())]


def test_draft_is_seen_only_by_its_own_units_staff(fgj, org, indexed):
    unit, editor, _ = fgj
    with indexed():
        write(editor, unit, title="供暖补贴解读（草稿）")
    assert hits("供暖补贴") == []
    assert hits("供暖补贴", visibility=own(unit)) == [("interpretation", "供暖补贴解读（草稿）")]
    assert hits("供暖补贴", visibility=own(org("hyq-czj"))) == []
    [hit] = get_backend().search("供暖补贴", visibility=own(unit)).hits
    assert (hit.is_public, hit.status) == (False, "draft")


def test_draft_saved_on_the_staff_page_is_found_by_its_unit_on_the_search_page(
        fgj, org, make_staff, client_for, indexed):
    unit, editor, _ = fgj
    with indexed():
        resp = client_for(editor).post("/xxgk/staff/interpretations/new/", {
            "title": "供暖补贴政策问答", "kind": "text", "body": BODY})
    assert resp.status_code == 302
    it = Interpretation.objects.get(title="供暖补贴政策问答")
    html = client_for(editor).get("/search/", {"q": "供暖补贴"}).content.decode()
    # not public yet: the link opens it on the staff page, not the (absent) public page
    assert (f'<a href="/xxgk/staff/interpretations/{it.pk}/"><mark>供暖补贴</mark>政策问答</a>'
            in html)
    assert "草稿·未公开" in html
    assert client_for(editor).get(f"/xxgk/staff/interpretations/{it.pk}/").status_code == 200
    other = client_for(make_staff("hyq-czj", Role.EDITOR)).get("/search/", {"q": "供暖补贴"})
    assert "政策问答" not in other.content.decode()
    assert "政策问答" not in Client().get("/search/", {"q": "供暖补贴"}).content.decode()


def test_withdrawal_hides_it_from_the_public_but_not_from_its_unit(fgj, indexed):
    unit, editor, reviewer = fgj
    with indexed():
        it = publish(reviewer, write(editor, unit))
    assert hits("供暖补贴") != []
    with indexed():
        services.withdraw_interpretation(actor=reviewer, interpretation=it, reason="内容有误")
    assert hits("供暖补贴") == []
    [hit] = get_backend().search("供暖补贴", visibility=own(unit)).hits
    assert (hit.title, hit.is_public, hit.status) == ("《供暖补贴办法》政策解读", False,
                                                      "withdrawn")
    assert Client().get(it.get_absolute_url()).status_code == 404


def test_editing_the_title_reindexes_it(fgj, indexed):
    unit, editor, reviewer = fgj
    with indexed():
        it = publish(reviewer, write(editor, unit))
    with indexed():
        services.save_interpretation(actor=reviewer, org=unit, interpretation=it,
                                     title="《燃气安全规定》政策解读", kind="text",
                                     body="<p>燃气安全检查要点。</p>")
    assert hits("燃气安全") == [("interpretation", "《燃气安全规定》政策解读")]
    assert hits("供暖补贴") == []


def test_publishing_a_document_with_its_interpretation_makes_both_findable(fgj, indexed):
    unit, editor, reviewer = fgj
    with indexed():
        doc = draft(editor, unit, title="供暖补贴办法", doc_type="normative")
        it = write(editor, unit, documents=[doc])
        services.submit_document(actor=editor, document=doc)
    assert hits("供暖补贴") == []
    with indexed():
        services.publish_document(
            actor=reviewer, document=doc, revision=services.document_revision(doc),
            with_interpretations=[it],
            interpretation_revisions={it.pk: services.interpretation_revision(it)})
    assert sorted(hits("供暖补贴")) == [("document", "供暖补贴办法"),
                                      ("interpretation", "《供暖补贴办法》政策解读")]


def test_imported_interpretation_is_found(fgj, indexed):
    unit, _, _ = fgj
    with indexed():
        services.import_interpretation(actor=None, org=unit, title="图解：供暖补贴怎么领",
                                       kind="graphic", body=BODY, documents=[])
    assert hits("供暖补贴") == [("interpretation", "图解：供暖补贴怎么领")]


def test_typing_a_documents_number_lists_its_interpretation_after_the_document(fgj, indexed):
    unit, editor, reviewer = fgj
    with indexed():
        doc = published(editor, reviewer, unit, title="关于印发供暖补贴办法的通知",
                        doc_number="槐发改字〔2026〕7号", body="<p>补贴办法全文。</p>")
        publish(reviewer, write(editor, unit, title="一图读懂", body="<p>图解。</p>",
                                documents=[doc]))
    res = get_backend().search("槐发改字[2026]7号")
    assert [(h.kind, h.title, h.pinned) for h in res.hits] == [
        ("document", "关于印发供暖补贴办法的通知", True), ("interpretation", "一图读懂", False)]
    # The document withdrawn: its 文号 no longer leads to the interpretation.
    with indexed():
        services.withdraw_document(actor=reviewer, document=doc, reason="内容有误")
    assert hits("槐发改字[2026]7号") == []


def test_number_of_an_unpublished_document_is_not_searchable_through_the_interpretation(
        fgj, indexed):
    unit, editor, reviewer = fgj
    with indexed():
        doc = draft(editor, unit, title="供暖补贴办法", doc_number="槐发改字〔2026〕9号")
        publish(reviewer, write(editor, unit, title="一图读懂", body="<p>图解。</p>",
                                documents=[doc]))
    assert hits("槐发改字〔2026〕9号") == []


def test_reindex_all_rebuilds_documents_and_interpretations(fgj, indexed, capsys):
    unit, editor, reviewer = fgj
    with indexed():
        published(editor, reviewer, unit, title="关于供暖补贴的通知")
        publish(reviewer, write(editor, unit))
        write(editor, unit, title="供暖补贴解读（草稿）")
    get_backend().clear()
    assert hits("供暖补贴") == []
    counts = reindex_all()
    assert (counts["document"], counts["interpretation"]) == (1, 2)
    # Registered sources come along (the 依申请公开 guide is always there).
    assert counts["foi-guide"] == 1
    assert sorted(hits("供暖补贴")) == [("document", "关于供暖补贴的通知"),
                                      ("interpretation", "《供暖补贴办法》政策解读")]
    assert ("interpretation", "供暖补贴解读（草稿）") in hits("供暖补贴", visibility=own(unit))
    get_backend().clear()
    call_command("search", "reindex", "--workers", "0")
    assert "reindexed 1 documents and 2 interpretations" in capsys.readouterr().out
    assert len(hits("供暖补贴")) == 2


def test_entry_facets_put_it_under_its_units_interpretation_node(fgj, indexed):
    unit, editor, reviewer = fgj
    zcjd = node(unit, "zcjd")
    with indexed():
        doc = published(editor, reviewer, unit, title="供暖补贴办法", node=node(unit, "gfxwj"),
                        doc_number="槐发改字〔2026〕7号", doc_type="normative",
                        sync_reason="另行解读")
        it = publish(reviewer, write(editor, unit, documents=[doc]))
    entry = interpretation_entry(Interpretation.objects.get(pk=it.pk))
    assert (entry.kind, entry.object_id, entry.org_id, entry.node_id, entry.genre) == (
        "interpretation", it.pk, unit.pk, zcjd.pk, "政策解读")
    assert entry.year == timezone.localtime(it.published_at).year
    assert (entry.doc_number, entry.validity, entry.doc_type) == ("", "", "")
    assert entry.extra_terms == "槐发改字〔2026〕7号"
    assert entry.body == Interpretation.objects.get(pk=it.pk).body_text


def test_year_of_a_draft_is_the_year_it_was_written(fgj, indexed):
    unit, editor, _ = fgj
    with indexed():
        it = write(editor, unit)
    Interpretation.objects.filter(pk=it.pk).update(
        created_at=timezone.make_aware(dt.datetime(2024, 12, 31, 23, 30)))
    assert interpretation_entry(Interpretation.objects.get(pk=it.pk)).year == 2024


def test_search_page_labels_the_interpretation_and_lets_readers_narrow_to_them(fgj, indexed):
    unit, editor, reviewer = fgj
    node(unit, "zcjd")  # the unit's 公开目录, with its 政策解读 node
    with indexed():
        doc = published(editor, reviewer, unit, title="供暖补贴办法",
                        body="<p>供暖补贴发放。</p>")
        it = publish(reviewer, write(editor, unit, documents=[doc]))
    c = Client()
    html = c.get("/search/", {"q": "供暖补贴"}).content.decode()
    assert "找到 <strong>2</strong> 条结果" in html
    label = '<span class="badge badge-kind">政策解读</span> <a href="%s">'
    assert label % it.get_absolute_url() in html
    assert label % doc.get_absolute_url() not in html
    assert f'解读的文件：<a href="{doc.get_absolute_url()}">《供暖补贴办法》</a>' in html
    # the 体裁 facet offers 政策解读; the 公开目录 facet names the unit's 政策解读 node
    assert '政策解读 <span class="count">(1)</span>' in html
    assert f'政策解读（{unit.short_name}） <span class="count">(1)</span>' in html
    narrowed = c.get("/search/", {"q": "供暖补贴", "genre": "政策解读"}).content.decode()
    assert "找到 <strong>1</strong> 条结果" in narrowed
    assert f'href="{it.get_absolute_url()}"' in narrowed
    doc_hit = f'<a href="{doc.get_absolute_url()}"><mark>供暖补贴</mark>办法</a>'
    assert doc_hit in html and doc_hit not in narrowed
    filtered = get_backend().search("供暖补贴", filters=Filters(kind="interpretation")).hits
    assert [h.object_id for h in filtered] == [it.pk]


def test_with_redis_the_index_update_is_queued_as_a_background_job(fgj, indexed, settings,
                                                                   monkeypatch):
    from gongkai.search import tasks

    queued = []
    monkeypatch.setattr(tasks.index_interpretation_task, "delay", queued.append)
    monkeypatch.setattr(tasks.index_document_task, "delay", lambda pk: None)
    settings.REDIS_URL = "redis://127.0.0.1:6379/0"
    settings.CELERY_TASK_ALWAYS_EAGER = False
    unit, editor, reviewer = fgj
    with indexed():
        it = publish(reviewer, write(editor, unit))
    assert queued and set(queued) == {it.pk}
    assert hits("供暖补贴") == []  # not indexed in the request
    tasks.index_interpretation_task(it.pk)  # what the worker runs
    assert hits("供暖补贴") == [("interpretation", "《供暖补贴办法》政策解读")]


def test_a_failing_index_never_breaks_the_save(fgj, indexed, monkeypatch, caplog):
    from gongkai.search import indexing

    def broken(pk):
        raise RuntimeError("index down")

    monkeypatch.setattr(indexing, "index_interpretation", broken)
    unit, editor, _ = fgj
    with caplog.at_level(logging.ERROR, logger="gongkai.search.indexing"), indexed():
        it = write(editor, unit)
    assert Interpretation.objects.filter(pk=it.pk).exists()
    assert f"indexing interpretation {it.pk} failed" in caplog.text
    assert "供暖" not in caplog.text  # ids in the log, never content


def test_deleted_interpretation_leaves_the_index(fgj, indexed):
    from gongkai.search.indexing import index_interpretation

    unit, editor, reviewer = fgj
    with indexed():
        it = publish(reviewer, write(editor, unit))
    pk = it.pk
    Interpretation.objects.filter(pk=pk).delete()
    index_interpretation(pk)
    assert hits("供暖补贴") == []
