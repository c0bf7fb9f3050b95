"""先审后发 bound to the text that was reviewed (issue #14 point 1).

Scenario (a): the reviewer opens version A, the 信息员 changes it to B; the reviewer's click
must not put B online. Scenario (b): a reviewer edits someone else's pending text and then
tries to publish their own words. Both for documents and for 政策解读."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gongkai.core.models import AuditEntry, Role
from gongkai.core.tests.helpers import one_page_pdf
from gongkai.disclosure import revision, services
from gongkai.disclosure.models import Document, Interpretation, Status
from gongkai.disclosure.tests.factories import draft, hidden

PDF = one_page_pdf()


# --- the hash itself (no database) ----------------------------------------------------------


def _content(**over):
    fields = {"title": "关于做好供暖工作的通知", "body": "<p>请做好供暖保障。</p>",
              "doc_number": "槐政办字〔2026〕12号", "written_date": dt.date(2026, 11, 20),
              "node_id": 7, "is_important": False}
    fields.update(over.pop("fields", {}))
    args = {"org_id": 3, "links": {"amends": [5, 4], "co_issuers": [], "replaces": []},
            "attachments": [("通知原件", "pdf", "ab" * 32)]}
    args.update(over)
    return revision.document_content(fields, **args)


def test_hash_is_stable_and_ignores_key_and_link_order():
    a = revision.content_hash(_content())
    again = _content(links={"replaces": [], "co_issuers": [], "amends": [4, 5]})
    assert revision.content_hash(again) == a
    assert len(a) == 64 and revision.short(a) == a[:10]


@pytest.mark.parametrize("change", [
    {"fields": {"title": "关于做好供暖工作的通知（修订）"}},
    {"fields": {"body": "<p>请做好供暖保障！</p>"}},
    {"fields": {"doc_number": "槐政办字〔2026〕13号"}},
    {"fields": {"written_date": dt.date(2026, 11, 21)}},
    {"fields": {"node_id": 8}},
    {"fields": {"is_important": True}},
    {"org_id": 4},
    {"links": {"amends": [4], "co_issuers": [], "replaces": []}},
    {"links": {"amends": [4, 5], "co_issuers": [9], "replaces": []}},
    {"attachments": [("通知原件", "pdf", "cd" * 32)]},
    {"attachments": [("通知扫描件", "pdf", "ab" * 32)]},
    {"attachments": []},
])
def test_any_public_change_changes_the_hash(change):
    assert revision.content_hash(_content(**change)) != revision.content_hash(_content())


def test_interpretation_hash_covers_the_documents_it_explains():
    base = revision.interpretation_content({"title": "解读", "body": "b"}, org_id=1,
                                           document_ids=[2, 1])
    same = revision.interpretation_content({"body": "b", "title": "解读"}, org_id=1,
                                           document_ids=[1, 2])
    other = revision.interpretation_content({"title": "解读", "body": "b"}, org_id=1,
                                            document_ids=[1])
    assert revision.content_hash(base) == revision.content_hash(same)
    assert revision.content_hash(base) != revision.content_hash(other)


def test_file_checksum():
    assert revision.checksum(b"abc") == revision.checksum_stream([b"a", b"bc"])
    assert revision.checksum(b"abc") != revision.checksum(b"abd")


# --- documents -------------------------------------------------------------------------------


@pytest.fixture
def unit(org):
    return org("hyq-fgj")


@pytest.fixture
def people(unit, make_staff):
    return (make_staff(unit, Role.EDITOR), make_staff(unit, Role.REVIEWER),
            make_staff(unit, Role.REVIEWER))


def _pending(editor, unit, **fields):
    doc = draft(editor, unit, **fields)
    services.submit_document(actor=editor, document=doc)
    return Document.objects.get(pk=doc.pk)


def _actions(doc):
    return list(AuditEntry.objects.filter(target_id=str(doc.pk),
                                          target_type="disclosure.document")
                .order_by("id").values_list("action", flat=True))


@pytest.mark.django_db
def test_a_reviewer_who_saw_version_a_cannot_publish_version_b(unit, people):
    editor, reviewer, _ = people
    doc = _pending(editor, unit, body="<p>版本A：补贴每户500元。</p>")
    seen_a = services.document_revision(doc)  # the reviewer opens the review page

    services.update_document(actor=editor, document=doc, body="<p>版本B：补贴每户50元。</p>")
    doc.refresh_from_db()
    assert doc.status == Status.DRAFT  # the edit voided the pending review
    assert "审核已失效" in doc.return_reason
    assert "xxgk.document.update" in _actions(doc)

    # Even after the 信息员 resubmits, the click made on version A's page does nothing.
    services.submit_document(actor=editor, document=doc)
    with pytest.raises(services.StaleRevision) as exc:
        services.publish_document(actor=reviewer, document=doc, revision=seen_a,
                                  sync_reason="无需解读")
    message = exc.value.messages[0]
    assert "您审阅的第1版已不是当前内容" in message and "现为第2版" in message
    doc.refresh_from_db()
    assert doc.status == Status.PENDING and not doc.is_public() and not doc.approved_hash
    assert "xxgk.document.publish" not in _actions(doc)

    # Having read version B, the same reviewer may publish it; the approval records B.
    seen_b = services.document_revision(doc)
    published = services.publish_document(actor=reviewer, document=doc, revision=seen_b,
                                          sync_reason="无需解读")
    assert published.is_public() and published.approved_hash == seen_b
    assert "版本B" in published.body
    assert doc.revisions.get(action="publish").content_hash == seen_b


@pytest.mark.django_db
def test_stale_click_refused_on_draft_says_it_went_back_to_draft(unit, people):
    editor, reviewer, _ = people
    doc = _pending(editor, unit)
    seen = services.document_revision(doc)
    services.update_document(actor=editor, document=doc, title="改过的标题")
    with pytest.raises(services.StaleRevision, match="已退回草稿"):
        services.publish_document(actor=reviewer, document=doc, revision=seen)
    with pytest.raises(services.StaleRevision):
        services.publish_document(actor=reviewer, document=doc, revision="")
    assert Document.objects.get(pk=doc.pk).status == Status.DRAFT


@pytest.mark.django_db
def test_a_reviewer_who_edits_a_pending_document_cannot_publish_it(unit, people, client_for):
    editor, reviewer, other_reviewer = people
    doc = _pending(editor, unit, title="信息员起草的文件")
    services.update_document(actor=reviewer, document=doc, body="<p>审核人改写的正文</p>")
    doc.refresh_from_db()
    assert doc.status == Status.DRAFT
    assert reviewer.pk in services.authors(doc)

    services.submit_document(actor=editor, document=doc)
    with pytest.raises(PermissionDenied, match="您修改过本版本的内容"):
        services.publish_document(actor=reviewer, document=doc,
                                  revision=services.document_revision(doc))
    assert not Document.objects.get(pk=doc.pk).is_public()
    # Not in their queue; the page tells them why and offers no publish button.
    c = client_for(reviewer)
    assert "信息员起草的文件" not in c.get("/xxgk/staff/review/").content.decode()
    page = c.get(f"/xxgk/staff/{doc.pk}/review/").content.decode()
    assert "您起草、提交或修改过本版本" in page and "pub-submit" not in page
    # Another reviewer, who wrote nothing of it, may publish it.
    assert services.publish_document(actor=other_reviewer, document=doc,
                                     revision=services.document_revision(doc)).is_public()
    doc.refresh_from_db()
    assert doc.contributors.count() == 0  # the next revision starts with no authors


@pytest.mark.django_db
def test_saving_unchanged_content_keeps_the_review(unit, people):
    editor, reviewer, _ = people
    doc = _pending(editor, unit)
    services.update_document(actor=reviewer, document=doc, title=doc.title)
    doc.refresh_from_db()
    assert doc.status == Status.PENDING and reviewer.pk not in services.authors(doc)


@pytest.mark.django_db
def test_attachment_changes_void_the_review(unit, people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    editor, reviewer, _ = people
    doc = _pending(editor, unit)
    seen = services.document_revision(doc)
    att = services.add_attachment(actor=editor, document=doc,
                                  upload=SimpleUploadedFile("附件.pdf", PDF))
    assert att.sha256 == revision.checksum(PDF)
    doc.refresh_from_db()
    assert doc.status == Status.DRAFT
    services.submit_document(actor=editor, document=doc)
    with pytest.raises(services.StaleRevision):
        services.publish_document(actor=reviewer, document=doc, revision=seen)
    # Same name, other bytes: a different revision.
    with_first = services.document_revision(doc)
    services.remove_attachment(actor=editor, attachment=att)
    services.add_attachment(actor=editor, document=doc, name="附件",
                            upload=SimpleUploadedFile("附件.pdf", PDF + b"% changed\n"))
    assert services.document_revision(doc) != with_first


@pytest.mark.django_db
def test_editing_a_scheduled_document_cancels_the_schedule(unit, people):
    editor, reviewer, _ = people
    doc = _pending(editor, unit)
    later = timezone.now() + dt.timedelta(hours=2)
    doc = services.publish_document(actor=reviewer, document=doc, at=later,
                                    revision=services.document_revision(doc))
    assert doc.status == Status.SCHEDULED
    # The 信息员 (not a reviewer) may change it: that only takes it off the schedule.
    services.update_document(actor=editor, document=doc, doc_number="槐政办字〔2026〕99号")
    doc.refresh_from_db()
    assert doc.status == Status.DRAFT and doc.scheduled_at is None and not doc.approved_hash
    assert services.publish_due(now=later + dt.timedelta(minutes=1)) == 0
    assert not Document.objects.get(pk=doc.pk).is_public()


@pytest.mark.django_db
def test_publish_due_refuses_a_text_changed_behind_the_services(unit, people):
    editor, reviewer, _ = people
    doc = _pending(editor, unit)
    later = timezone.now() + dt.timedelta(hours=2)
    services.publish_document(actor=reviewer, document=doc, at=later,
                              revision=services.document_revision(doc))
    Document.objects.filter(pk=doc.pk).update(body="<p>未经审核的内容</p>")  # e.g. admin
    assert services.publish_due(now=later + dt.timedelta(minutes=1)) == 0
    doc.refresh_from_db()
    assert doc.status == Status.DRAFT and not doc.is_public()
    assert "与审核通过的版本不一致" in doc.return_reason
    assert "xxgk.document.schedule_void" in _actions(doc)


@pytest.mark.django_db
def test_unchanged_scheduled_document_still_goes_out(unit, people):
    editor, reviewer, _ = people
    doc = _pending(editor, unit)
    later = timezone.now() + dt.timedelta(hours=2)
    services.publish_document(actor=reviewer, document=doc, at=later,
                              revision=services.document_revision(doc))
    assert services.publish_due(now=later + dt.timedelta(minutes=1)) == 1
    assert Document.objects.get(pk=doc.pk).is_public()


@pytest.mark.django_db
def test_review_page_stale_click_reopens_the_page_with_the_reason(unit, people, client_for):
    editor, reviewer, _ = people
    doc = _pending(editor, unit, body="<p>版本A</p>")
    c = client_for(reviewer)
    page = c.get(f"/xxgk/staff/{doc.pk}/review/").content.decode()
    seen = hidden(page, "pub-revision")
    assert seen == services.document_revision(doc)
    assert "第1版" in page and revision.short(seen) in page

    services.update_document(actor=editor, document=doc, body="<p>版本B</p>")
    services.submit_document(actor=editor, document=doc)
    r = c.post(f"/xxgk/staff/{doc.pk}/review/", {
        "pub-submit": "1", "pub-revision": seen, "pub-sync_reason": "无需解读"})
    assert r.status_code == 302 and r["Location"].endswith(f"/xxgk/staff/{doc.pk}/review/")
    assert any("已不是当前内容" in str(m) for m in get_messages(r.wsgi_request))
    assert not Document.objects.get(pk=doc.pk).is_public()
    fresh = c.get(r["Location"]).content.decode()
    assert "版本B" in fresh and hidden(fresh, "pub-revision") == services.document_revision(doc)


# --- 政策解读 ----------------------------------------------------------------------------------


def _interpretation(editor, unit, doc, body="<p>解读A：每户补贴500元。</p>"):
    return services.save_interpretation(actor=editor, org=unit, title="《供暖通知》解读",
                                        kind="text", body=body, documents=[doc])


@pytest.mark.django_db
def test_interpretation_reviewer_who_saw_a_cannot_publish_b(unit, people, client_for):
    editor, reviewer, _ = people
    it = _interpretation(editor, unit, draft(editor, unit))
    c = client_for(reviewer)
    page = c.get(f"/xxgk/staff/interpretations/{it.pk}/").content.decode()
    seen_a = hidden(page, "revision")

    services.save_interpretation(actor=editor, org=unit, interpretation=it, title=it.title,
                                 kind="text", body="<p>解读B：每户补贴50元。</p>",
                                 documents=list(it.documents.all()))
    r = c.post(f"/xxgk/staff/interpretations/{it.pk}/", {"publish": "1", "revision": seen_a})
    assert r.status_code == 302
    assert any("在您打开页面后被修改" in str(m) for m in get_messages(r.wsgi_request))
    it.refresh_from_db()
    assert it.status == Status.DRAFT and not it.approved_hash

    page = c.get(f"/xxgk/staff/interpretations/{it.pk}/").content.decode()
    c.post(f"/xxgk/staff/interpretations/{it.pk}/",
           {"publish": "1", "revision": hidden(page, "revision")})
    it.refresh_from_db()
    assert it.is_public() and "解读B" in it.body
    assert it.approved_hash == services.interpretation_revision(it)


@pytest.mark.django_db
def test_relinking_an_interpretation_is_a_new_revision(unit, people):
    editor, reviewer, _ = people
    first, second = draft(editor, unit), draft(editor, unit, title="另一份文件")
    it = _interpretation(editor, unit, first)
    seen = services.interpretation_revision(it)
    services.save_interpretation(actor=editor, org=unit, interpretation=it, title=it.title,
                                 kind="text", body=it.body, documents=[second])
    with pytest.raises(services.StaleRevision):
        services.publish_interpretation(actor=reviewer, interpretation=it, revision=seen)


@pytest.mark.django_db
def test_a_reviewer_who_edits_an_interpretation_cannot_publish_it(unit, people, client_for):
    editor, reviewer, other_reviewer = people
    it = _interpretation(editor, unit, draft(editor, unit))
    services.save_interpretation(actor=reviewer, org=unit, interpretation=it, title=it.title,
                                 kind="text", body="<p>审核人改写的解读</p>",
                                 documents=list(it.documents.all()))
    with pytest.raises(PermissionDenied, match="您修改过本解读的内容"):
        services.publish_interpretation(actor=reviewer, interpretation=it,
                                        revision=services.interpretation_revision(it))
    page = client_for(reviewer).get(f"/xxgk/staff/interpretations/{it.pk}/").content.decode()
    assert 'name="publish"' not in page and "编写或修改过本解读的人不能审核发布" in page
    assert Interpretation.objects.get(pk=it.pk).status == Status.DRAFT
    published = services.publish_interpretation(
        actor=other_reviewer, interpretation=it, revision=services.interpretation_revision(it))
    assert published.is_public()


@pytest.mark.django_db
def test_co_published_interpretation_is_bound_too(unit, people):
    editor, reviewer, other_reviewer = people
    doc = _pending(editor, unit, doc_type="normative")
    it = _interpretation(editor, unit, doc)
    seen_doc = services.document_revision(doc)
    seen_it = services.interpretation_revision(it)
    services.save_interpretation(actor=editor, org=unit, interpretation=it, title=it.title,
                                 kind="text", body="<p>解读改了</p>", documents=[doc])
    with pytest.raises(services.StaleRevision, match="政策解读"):
        services.publish_document(actor=reviewer, document=doc, revision=seen_doc,
                                  with_interpretations=[it],
                                  interpretation_revisions={it.pk: seen_it})
    assert Document.objects.get(pk=doc.pk).status == Status.PENDING
    assert Interpretation.objects.get(pk=it.pk).status == Status.DRAFT
    # A reviewer who rewrote the interpretation cannot co-publish it either.
    services.save_interpretation(actor=reviewer, org=unit, interpretation=it, title=it.title,
                                 kind="text", body="<p>审核人写的解读</p>", documents=[doc])
    fresh = {it.pk: services.interpretation_revision(it)}
    with pytest.raises(PermissionDenied, match="参与编写了政策解读"):
        services.publish_document(actor=reviewer, document=doc, revision=seen_doc,
                                  with_interpretations=[it], interpretation_revisions=fresh)
    published = services.publish_document(actor=other_reviewer, document=doc,
                                          revision=seen_doc, with_interpretations=[it],
                                          interpretation_revisions=fresh)
    it.refresh_from_db()
    assert published.is_public() and it.is_public() and it.approved_hash == fresh[it.pk]


@pytest.mark.django_db
def test_publishing_without_a_revision_is_a_chinese_error(unit, people):
    editor, reviewer, _ = people
    doc = _pending(editor, unit)
    with pytest.raises(ValidationError) as exc:
        services.publish_document(actor=reviewer, document=doc, revision="not-a-hash")
    assert "请重新打开审核页面" in exc.value.messages[0]


@pytest.mark.django_db
def test_documents_scheduled_before_binding_keep_their_approval(unit, people):
    import importlib

    from django.apps import apps

    editor, reviewer, _ = people
    doc = _pending(editor, unit)
    later = timezone.now() + dt.timedelta(hours=2)
    services.publish_document(actor=reviewer, document=doc, at=later,
                              revision=services.document_revision(doc))
    Document.objects.filter(pk=doc.pk).update(approved_hash="")  # as before migration 0003
    importlib.import_module(
        "gongkai.disclosure.migrations.0003_bind_existing_scheduled_approvals").bind(apps, None)
    assert Document.objects.get(pk=doc.pk).approved_hash == services.document_revision(doc)
    assert services.publish_due(now=later + dt.timedelta(minutes=1)) == 1
