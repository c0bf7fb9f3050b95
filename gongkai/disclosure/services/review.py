"""先审后发: return, publish (now or scheduled) and withdraw documents.

An approval is bound to the revision the reviewer saw: the review page sends its content
hash, publishing refuses when the text has changed since, and a scheduled publication goes
out only while the text still has the approved hash."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.core import audit
from gongkai.core.permissions import can_review, require
from gongkai.disclosure import privacy, rules
from gongkai.disclosure.models import Document, Interpretation, Status
from gongkai.disclosure.services.common import (
    PublishBlocked,
    _changed,
    _check_interpretation_revision,
    _check_revision,
    _email_allow,
    _interpretation_changed,
    _publish_now,
    _revision,
    authors,
    document_revision,
)


def _check_reviewer(actor, doc: Document) -> None:
    require(can_review(actor, doc.org), "只有本单位审核人或公开办协调员可以审核。")
    me = getattr(actor, "pk", None)
    own = {doc.created_by_id, doc.submitted_by_id} - {None}
    require(me not in own, "不能审核自己起草或提交的文件（先审后发）。")
    require(me not in authors(doc),
            "您修改过本版本的内容，不能审核（先审后发），须由本单位其他审核人审核。")


@transaction.atomic
def return_document(*, actor, document: Document, reason: str) -> Document:
    doc = Document.objects.select_for_update().get(pk=document.pk)
    _check_reviewer(actor, doc)
    if doc.status != Status.PENDING:
        raise ValidationError("只有待审核的文件可以退回。")
    if not (reason or "").strip():
        raise ValidationError({"reason": "退回须填写理由。"})
    doc.status = Status.DRAFT
    doc.return_reason = reason.strip()[:500]
    doc.save(update_fields=["status", "return_reason", "updated_at"])
    audit.record(actor=actor, action="xxgk.document.return", target=doc, summary=reason[:300],
                 changes={"status": {"before": "pending", "after": "draft"}})
    _changed(doc.pk)
    return doc


def privacy_hits(doc: Document) -> list[privacy.Hit]:
    return privacy.scan(f"{doc.title}\n{doc.body_text}", _email_allow())


def publish_problems(doc: Document, *, privacy_reason: str = "", sync_reason: str = "",
                     with_interpretations=()) -> list[str]:
    """Why ``doc`` cannot be published now (empty list: it can)."""
    problems = []
    hits = privacy_hits(doc)
    if hits and not privacy_reason.strip():
        problems.append(f"发现疑似个人信息：{privacy.summarize(hits)}。请删除或遮蔽后再发布，"
                        "或填写确需公开的理由。")
    has_published = doc.pk is not None and doc.interpretations.filter(
        status=Status.PUBLISHED).exists()
    blocker = rules.sync_blocker(
        doc_type=doc.doc_type, is_important=doc.is_important, attribute=doc.attribute,
        has_published_interpretation=has_published,
        publishing_interpretation=bool(list(with_interpretations)), reason=sync_reason,
    )
    if blocker:
        problems.append(blocker)
    return problems


@transaction.atomic
def publish_document(*, actor, document: Document, revision: str, privacy_reason: str = "",
                     sync_reason: str = "", with_interpretations=(),
                     interpretation_revisions=None, at=None) -> Document:
    """先审后发: a reviewer of the unit who wrote no part of it publishes a pending
    document, now or at ``at``. ``revision`` is the content hash of the text the reviewer
    saw (``document_revision``); if the text changed since, nothing happens. Linked draft
    interpretations in ``with_interpretations`` are published in the same action (三同步),
    each bound likewise by ``interpretation_revisions`` ({pk: hash})."""
    doc = Document.objects.select_for_update().get(pk=document.pk)
    require(can_review(actor, doc.org), "只有本单位审核人或公开办协调员可以审核。")
    _check_revision(doc, revision)
    if doc.status != Status.PENDING:
        raise ValidationError("只有待审核的文件可以发布。")
    _check_reviewer(actor, doc)
    seen = interpretation_revisions or {}
    interps = [Interpretation.objects.select_for_update().get(pk=it.pk)
               for it in with_interpretations]
    for it in interps:
        if not it.documents.filter(pk=doc.pk).exists():
            raise ValidationError("同步发布的解读须已关联本文件。")
        require(can_review(actor, it.org), "您不能发布该单位的政策解读。")
        if it.status != Status.PUBLISHED:
            _check_interpretation_revision(it, seen.get(it.pk))
            require(getattr(actor, "pk", None) not in authors(it),
                    f"您参与编写了政策解读《{it.title}》，不能审核发布（先审后发）。")
    problems = publish_problems(doc, privacy_reason=privacy_reason, sync_reason=sync_reason,
                                with_interpretations=interps)
    if problems:
        raise PublishBlocked(problems)
    now = timezone.now()
    doc.reviewed_by = actor
    doc.approved_hash = revision
    doc.privacy_reason = privacy_reason.strip()[:500]
    doc.sync_reason = sync_reason.strip()[:500] if not interps else ""
    if at is not None and at > now:
        doc.status = Status.SCHEDULED
        doc.scheduled_at = at
    else:
        _publish_now(doc, actor, now)
    doc.save()
    if doc.status == Status.PUBLISHED:
        doc.contributors.clear()
    for it in interps:
        if it.status != Status.PUBLISHED:
            it.status = Status.PUBLISHED
            it.published_at = doc.published_at or at or now
            it.reviewed_by = actor
            it.approved_hash = seen[it.pk]
            it.save(update_fields=["status", "published_at", "reviewed_by", "approved_hash",
                                   "updated_at"])
            it.contributors.clear()
            _interpretation_changed(it.pk)
    rev = _revision(doc, actor, "publish" if doc.status == Status.PUBLISHED else "schedule")
    hits = privacy_hits(doc)
    audit.record(
        actor=actor, action="xxgk.document.publish" if doc.status == Status.PUBLISHED
        else "xxgk.document.schedule", target=doc,
        changes={"status": {"before": "pending", "after": doc.status},
                 "revision": {"before": "", "after": f"第{rev.number}版 {revision[:10]}"},
                 "index_number": {"before": "", "after": doc.index_number},
                 "interpretations": {"before": [], "after": [it.title for it in interps]}},
        summary="；".join(x for x in [
            f"未同步解读理由：{doc.sync_reason}" if doc.sync_reason else "",
            f"个人信息检查：{privacy.summarize(hits)}，理由：{doc.privacy_reason}" if hits else "",
            f"定时发布：{at:%Y-%m-%d %H:%M}" if doc.status == Status.SCHEDULED else "",
        ] if x),
    )
    _changed(doc.pk)
    return doc


def publish_due(*, now=None) -> int:
    """Publish every scheduled document whose time has come (command / Celery beat)."""
    now = now or timezone.now()
    count = 0
    for pk in Document.objects.filter(status=Status.SCHEDULED, scheduled_at__lte=now
                                      ).values_list("pk", flat=True):
        if _publish_scheduled(document_id=pk, now=now):
            count += 1
    return count


@transaction.atomic
def _publish_scheduled(*, document_id: int, now) -> bool:
    doc = Document.objects.select_for_update().get(pk=document_id)
    if doc.status != Status.SCHEDULED:
        return False
    if not doc.approved_hash or document_revision(doc) != doc.approved_hash:
        # Every service edit already voids the review; this catches changes made around
        # them (admin, a linked record removed), so an unreviewed text never goes out.
        doc.status, doc.scheduled_at, doc.approved_hash = Status.DRAFT, None, ""
        doc.return_reason = ("定时发布时发现内容与审核通过的版本不一致，未发布，已退回草稿。"
                             "请重新提交审核。")
        doc.save(update_fields=["status", "scheduled_at", "approved_hash", "return_reason",
                                "updated_at"])
        _revision(doc, None, "unschedule", doc.return_reason)
        audit.record(actor=None, action="xxgk.document.schedule_void", target=doc,
                     summary=doc.return_reason,
                     changes={"status": {"before": "scheduled", "after": "draft"}})
        _changed(doc.pk)
        return False
    _publish_now(doc, None, doc.scheduled_at or now)
    doc.save()
    doc.contributors.clear()
    early = doc.interpretations.filter(status=Status.PUBLISHED,
                                       published_at__gt=doc.published_at)
    early_ids = list(early.values_list("pk", flat=True))
    early.update(published_at=doc.published_at)
    for pk in early_ids:
        _interpretation_changed(pk)
    _revision(doc, None, "publish")
    audit.record(actor=None, action="xxgk.document.publish", target=doc,
                 summary="定时发布", changes={"status": {"before": "scheduled",
                                                         "after": "published"}})
    _changed(doc.pk)
    return True


@transaction.atomic
def withdraw_document(*, actor, document: Document, reason: str) -> Document:
    """撤回: the record and its page stay; the page says it was withdrawn and why."""
    doc = Document.objects.select_for_update().get(pk=document.pk)
    require(can_review(actor, doc.org), "只有本单位审核人或公开办协调员可以撤回。")
    if doc.status not in (Status.PUBLISHED, Status.SCHEDULED):
        raise ValidationError("只有已发布或定时发布的文件可以撤回。")
    if not (reason or "").strip():
        raise ValidationError({"reason": "撤回须填写理由。"})
    before = doc.status
    doc.status = Status.WITHDRAWN if before == Status.PUBLISHED else Status.DRAFT
    doc.withdrawn_at = timezone.now() if before == Status.PUBLISHED else None
    doc.withdraw_reason = reason.strip()[:500]
    doc.scheduled_at = None
    doc.approved_hash = ""
    doc.save()
    _revision(doc, actor, "withdraw", reason)
    audit.record(actor=actor, action="xxgk.document.withdraw", target=doc, summary=reason[:300],
                 changes={"status": {"before": before, "after": doc.status}})
    _changed(doc.pk)
    return doc
