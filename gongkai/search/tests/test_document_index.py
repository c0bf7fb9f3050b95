"""The index follows every publish, edit and withdrawal of a real Document."""

import json

import pytest
from django.core.management import CommandError, call_command

from gongkai.core.models import Role
from gongkai.disclosure import services
from gongkai.disclosure.tests.factories import draft, published
from gongkai.search.backends import Visibility, get_backend


def titles(query, **kwargs):
    return [h.title for h in get_backend().search(query, **kwargs).hits]


def test_published_document_is_found_and_a_draft_is_not(org, fgj_staff, indexed):
    editor, reviewer = fgj_staff
    with indexed():
        published(editor, reviewer, org("hyq-fgj"), title="关于冬季供暖保障的通知")
        draft(editor, org("hyq-fgj"), title="关于春季植树活动的通知（草稿）",
              body="<p>植树活动安排</p>", doc_number="")
    assert titles("供暖保障") == ["关于冬季供暖保障的通知"]
    assert titles("植树活动") == []


def test_edit_of_a_published_document_updates_the_index(org, fgj_staff, indexed):
    editor, reviewer = fgj_staff
    with indexed():
        doc = published(editor, reviewer, org("hyq-fgj"), title="关于冬季供暖保障的通知")
    with indexed():
        services.update_document(actor=reviewer, document=doc, note="更正标题",
                                 title="关于冬季燃气安全的通知", body="<p>注意燃气。</p>")
    assert titles("燃气安全") == ["关于冬季燃气安全的通知"]
    assert titles("供暖保障") == []


def test_withdrawn_document_leaves_public_search(org, fgj_staff, indexed):
    editor, reviewer = fgj_staff
    with indexed():
        doc = published(editor, reviewer, org("hyq-fgj"), title="关于冬季供暖保障的通知")
    with indexed():
        services.withdraw_document(actor=reviewer, document=doc, reason="内容有误")
    assert titles("供暖保障") == []
    # Its own unit still finds it, marked as not public.
    hits = get_backend().search("供暖保障", visibility=Visibility(
        org_ids=frozenset({org("hyq-fgj").pk}))).hits
    assert [(h.title, h.is_public, h.status) for h in hits] == [
        ("关于冬季供暖保障的通知", False, "withdrawn")]


def test_docnum_typed_with_square_brackets_finds_the_document_first(org, fgj_staff, indexed):
    editor, reviewer = fgj_staff
    with indexed():
        published(editor, reviewer, org("hyq-fgj"), title="关于做好供暖工作的通知",
                  doc_number="槐发改字〔2026〕7号")
        published(editor, reviewer, org("hyq-fgj"), title="槐发改字2026年供暖工作总结",
                  doc_number="槐发改字〔2026〕8号", body="<p>槐发改字 2026 供暖 7号楼</p>")
    assert titles("槐发改字[2026]7号")[0] == "关于做好供暖工作的通知"


@pytest.mark.parametrize("workers", [[], ["--workers", "0"], ["--workers", "2"]])
def test_reindex_rebuilds_the_index_from_documents(org, fgj_staff, indexed, capsys, workers):
    editor, reviewer = fgj_staff
    with indexed():
        published(editor, reviewer, org("hyq-fgj"), title="关于冬季供暖保障的通知")
        published(editor, reviewer, org("hyq-fgj"), title="供暖保障工作简报")
    get_backend().clear()
    assert titles("供暖保障") == []
    call_command("search", "reindex", *workers)
    assert "reindexed 2 documents" in capsys.readouterr().out
    assert sorted(titles("供暖保障")) == ["供暖保障工作简报", "关于冬季供暖保障的通知"]


def test_reindex_refuses_a_nonsense_worker_count(db):
    with pytest.raises(CommandError, match="--workers must be between 0 and 64"):
        call_command("search", "reindex", "--workers", "-1")


def test_cli_prints_public_results_as_json(org, fgj_staff, indexed, capsys):
    editor, reviewer = fgj_staff
    with indexed():
        doc = published(editor, reviewer, org("hyq-fgj"), title="关于冬季供暖保障的通知")
        draft(editor, org("hyq-fgj"), title="供暖保障草稿", doc_number="")
    call_command("search", "供暖保障", "--json", "--limit", "5")
    out = json.loads(capsys.readouterr().out)
    assert [(r["id"], r["title"], r["url"]) for r in out] == [
        (doc.pk, "关于冬季供暖保障的通知", doc.get_absolute_url())]
    assert set(out[0]) == {"id", "external_id", "title", "score", "url"}


def test_cli_multi_search_prints_one_list_a_line_in_order(org, fgj_staff, indexed, capsys,
                                                          tmp_path):
    editor, reviewer = fgj_staff
    with indexed():
        published(editor, reviewer, org("hyq-fgj"), title="关于冬季供暖保障的通知")
        published(editor, reviewer, org("hyq-fgj"), title="关于燃气安全检查的通知",
                  doc_number="槐发改字〔2026〕3号", body="<p>检查燃气管道。</p>")
    f = tmp_path / "q.txt"
    f.write_text("燃气安全\n没有这个词语啊\n供暖\n", encoding="utf-8")
    call_command("search", "--queries", str(f), "--json")
    lines = [json.loads(ln) for ln in capsys.readouterr().out.splitlines()]
    assert [[r["title"] for r in ln] for ln in lines] == [
        ["关于燃气安全检查的通知"], [], ["关于冬季供暖保障的通知"]]


def test_cli_rejects_bad_arguments_with_status_2(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError) as exc:
        call_command("search", "--queries", "/nonexistent/file")
    assert exc.value.returncode == 2
    with pytest.raises(CommandError) as exc:
        call_command("search")
    assert exc.value.returncode == 2


def test_staff_of_another_unit_do_not_see_the_draft(org, make_staff, indexed):
    editor = make_staff("hyq-fgj", Role.EDITOR)
    with indexed():
        draft(editor, org("hyq-fgj"), title="供暖补贴办法草稿", doc_number="")
    own = Visibility(org_ids=frozenset({org("hyq-fgj").pk}))
    other = Visibility(org_ids=frozenset({org("hyq-czj").pk}))
    assert titles("供暖补贴", visibility=own) == ["供暖补贴办法草稿"]
    assert titles("供暖补贴", visibility=other) == []


def test_with_redis_the_index_update_is_queued_as_a_background_job(org, fgj_staff, indexed,
                                                                   settings, monkeypatch):
    from gongkai.search import tasks

    queued = []
    monkeypatch.setattr(tasks.index_document_task, "delay", queued.append)
    settings.REDIS_URL = "redis://127.0.0.1:6379/0"
    settings.CELERY_TASK_ALWAYS_EAGER = False
    editor, reviewer = fgj_staff
    with indexed():
        doc = published(editor, reviewer, org("hyq-fgj"), title="关于冬季供暖保障的通知")
    assert doc.pk in queued
    assert titles("供暖保障") == []  # not indexed in the request
    tasks.index_document_task(doc.pk)  # what the worker runs
    assert titles("供暖保障") == ["关于冬季供暖保障的通知"]
