import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from gongkai.core.models import AuditEntry, Role
from gongkai.disclosure import services
from gongkai.disclosure.models import Document, Status
from gongkai.disclosure.signals import document_changed
from gongkai.disclosure.tests.factories import draft, node

pytestmark = pytest.mark.django_db


@pytest.fixture
def fgj(org, make_staff):
    unit = org("hyq-fgj")
    return unit, make_staff(unit, Role.EDITOR), make_staff(unit, Role.REVIEWER)


def test_doc_number_is_stored_canonical_and_unparseable_is_flagged(fgj):
    unit, editor, _ = fgj
    doc = draft(editor, unit, doc_number="槐发改字（２０２６）０７号")
    assert doc.doc_number == "槐发改字〔2026〕7号"
    assert (doc.doc_number_prefix, doc.doc_number_year, doc.doc_number_serial) == \
        ("槐发改字", 2026, 7)
    assert doc.doc_number_valid
    odd = draft(editor, unit, doc_number="发改2026-7")
    assert odd.doc_number == "发改2026-7" and not odd.doc_number_valid


def test_publish_by_follows_node_time_limit(fgj):
    unit, editor, _ = fgj
    doc = draft(editor, unit, written_date=dt.date(2021, 6, 23), node=node(unit, "gfxwj"))
    assert doc.publish_by == dt.date(2021, 7, 21)
    fast = draft(editor, unit, written_date=dt.date(2021, 6, 23), node=node(unit, "tzgg"))
    assert fast.publish_by == dt.date(2021, 6, 30)


def test_full_path_draft_submit_publish_writes_one_audit_entry_per_step(
        fgj, django_capture_on_commit_callbacks):
    unit, editor, reviewer = fgj
    seen = []

    def receiver(sender, document_id, deleted, **kw):
        seen.append((document_id, deleted))

    document_changed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            doc = draft(editor, unit)
        with django_capture_on_commit_callbacks(execute=True):
            services.submit_document(actor=editor, document=doc)
        with django_capture_on_commit_callbacks(execute=True):
            doc = services.publish_document(actor=reviewer, document=doc,
                                            revision=services.document_revision(doc))
    finally:
        document_changed.disconnect(receiver)
    assert doc.status == Status.PUBLISHED and doc.is_public()
    assert doc.index_number == f"{unit.credit_code}/2026-00001"
    assert Document.objects.public().filter(pk=doc.pk).exists()
    actions = list(AuditEntry.objects.filter(
        target_id=str(doc.pk), target_type="disclosure.document").order_by("id")
                   .values_list("action", flat=True))
    assert actions == ["xxgk.document.create", "xxgk.document.submit", "xxgk.document.publish"]
    assert seen == [(doc.pk, False)] * 3


def test_nobody_reviews_their_own_draft(fgj, make_staff):
    unit, _, reviewer = fgj
    doc = draft(reviewer, unit)
    services.submit_document(actor=reviewer, document=doc)
    with pytest.raises(PermissionDenied):
        services.publish_document(actor=reviewer, document=doc,
                                  revision=services.document_revision(doc))
    other = make_staff(unit, Role.REVIEWER)
    published = services.publish_document(actor=other, document=doc,
                                          revision=services.document_revision(doc))
    assert published.status == Status.PUBLISHED


def test_editors_cannot_publish_and_other_units_cannot_review(fgj, org, make_staff):
    unit, editor, _ = fgj
    doc = draft(editor, unit)
    services.submit_document(actor=editor, document=doc)
    seen = services.document_revision(doc)
    with pytest.raises(PermissionDenied):
        services.publish_document(actor=make_staff(unit, Role.EDITOR), document=doc,
                                  revision=seen)
    with pytest.raises(PermissionDenied):
        services.publish_document(actor=make_staff("hyq-czj", Role.REVIEWER), document=doc,
                                  revision=seen)
    with pytest.raises(PermissionDenied):
        draft(make_staff("hyq-czj", Role.EDITOR), unit)
    coordinator = make_staff("hyq-zfb", Role.COORDINATOR)
    assert services.publish_document(actor=coordinator, document=doc,
                                     revision=services.document_revision(doc)).is_public()


def test_return_needs_reason_and_goes_back_to_draft(fgj):
    unit, editor, reviewer = fgj
    doc = draft(editor, unit)
    services.submit_document(actor=editor, document=doc)
    with pytest.raises(ValidationError):
        services.return_document(actor=reviewer, document=doc, reason=" ")
    doc = services.return_document(actor=reviewer, document=doc, reason="文号有误")
    assert doc.status == Status.DRAFT and doc.return_reason == "文号有误"


def test_privacy_hit_blocks_until_redacted_or_reason(fgj):
    unit, editor, reviewer = fgj
    doc = draft(editor, unit, body="<p>联系人手机：13812345678</p>")
    services.submit_document(actor=editor, document=doc)
    with pytest.raises(services.PublishBlocked) as exc:
        services.publish_document(actor=reviewer, document=doc,
                                  revision=services.document_revision(doc))
    assert "手机号码 1 处" in exc.value.messages[0]
    assert "13812345678" not in exc.value.messages[0]
    # The drafter masks the number (which returns the document to draft) and resubmits.
    services.update_document(actor=editor, document=doc, body="<p>联系人手机：138****5678</p>")
    services.submit_document(actor=editor, document=doc)
    assert services.publish_document(actor=reviewer, document=doc,
                                     revision=services.document_revision(doc)).is_public()
    other = draft(editor, unit, body="<p>举报电话13812345678（单位公开电话）</p>")
    services.submit_document(actor=editor, document=other)
    published = services.publish_document(actor=reviewer, document=other,
                                          revision=services.document_revision(other),
                                          privacy_reason="公开的工作电话")
    assert published.privacy_reason == "公开的工作电话"


def test_withdraw_keeps_record_and_says_why(fgj):
    unit, editor, reviewer = fgj
    doc = draft(editor, unit)
    services.submit_document(actor=editor, document=doc)
    services.publish_document(actor=reviewer, document=doc,
                              revision=services.document_revision(doc))
    with pytest.raises(PermissionDenied):
        services.withdraw_document(actor=editor, document=doc, reason="x")
    doc = services.withdraw_document(actor=reviewer, document=doc, reason="内容已过时")
    assert doc.status == Status.WITHDRAWN and not doc.is_public()
    assert Document.objects.filter(pk=doc.pk).exists()


def test_correction_after_publication_needs_note_and_is_listed(fgj):
    unit, editor, reviewer = fgj
    doc = draft(editor, unit)
    services.submit_document(actor=editor, document=doc)
    services.publish_document(actor=reviewer, document=doc,
                              revision=services.document_revision(doc))
    with pytest.raises(PermissionDenied):
        services.update_document(actor=editor, document=doc, title="改", note="x")
    with pytest.raises(ValidationError):
        services.update_document(actor=reviewer, document=doc, title="改标题")
    services.update_document(actor=reviewer, document=doc, note="更正标题",
                             title="关于做好2026年冬季供暖工作的通知（更正）")
    assert [r.note for r in doc.corrections()] == ["更正标题"]
    assert list(doc.revisions.values_list("action", "is_correction")) == [
        ("create", False), ("publish", False), ("edit", True)]


def test_scheduled_publishing_publishes_due_documents(fgj):
    unit, editor, reviewer = fgj
    doc = draft(editor, unit)
    services.submit_document(actor=editor, document=doc)
    later = timezone.now() + dt.timedelta(hours=2)
    doc = services.publish_document(actor=reviewer, document=doc,
                                    revision=services.document_revision(doc), at=later)
    assert doc.status == Status.SCHEDULED and not doc.index_number
    assert services.publish_due() == 0
    assert services.publish_due(now=later + dt.timedelta(minutes=1)) == 1
    doc.refresh_from_db()
    assert doc.is_public() and doc.published_at == later and doc.index_number


def test_not_public_attribute_requires_legal_reason(fgj):
    unit, editor, _ = fgj
    with pytest.raises(ValidationError):
        draft(editor, unit, attribute="not_public")
    doc = draft(editor, unit, attribute="not_public", attribute_reason="art16_process")
    assert doc.get_attribute_reason_display().startswith("第十六条")
