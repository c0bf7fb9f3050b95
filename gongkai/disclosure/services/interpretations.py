"""政策解读: save, publish, withdraw, import.

A 政策解读 goes public after review like a document: publishing is bound to the content
hash of the text the reviewer saw, and nobody who wrote part of it may publish it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.core import audit
from gongkai.core.models import Organization
from gongkai.core.permissions import can_edit, can_review, require
from gongkai.disclosure import privacy
from gongkai.disclosure.models import Interpretation, Status
from gongkai.disclosure.services.common import (
    PublishBlocked,
    _changed,
    _check_interpretation_revision,
    _contributed,
    _email_allow,
    _interpretation_changed,
    authors,
    interpretation_revision,
)
from gongkai.disclosure.text import plain_text, sanitize


@transaction.atomic
def save_interpretation(*, actor, org: Organization, interpretation: Interpretation | None = None,
                        title: str, kind: str, body: str = "", media_url: str = "",
                        documents=()) -> Interpretation:
    """Create or edit a 政策解读 linked to documents the actor may see. A change makes the
    actor a contributor to the text, who then may not publish it."""
    require(can_edit(actor, org), "您不能为该单位编写政策解读。")
    given = interpretation
    if interpretation is not None:
        interpretation = Interpretation.objects.select_for_update().get(pk=interpretation.pk)
    if interpretation is not None and interpretation.status == Status.PUBLISHED:
        require(can_review(actor, org), "已发布的解读只能由审核人修改。")
    if not (title or "").strip():
        raise ValidationError({"title": "请填写标题。"})
    docs = list(documents)
    for d in docs:
        require(can_edit(actor, d.org), "只能关联本单位可见的文件。")
    it = interpretation or Interpretation(
        org=org, created_by=actor if getattr(actor, "pk", None) else None)
    before = audit.snapshot(it, ["title", "kind", "media_url", "status"]) if it.pk else {}
    before_hash = interpretation_revision(it) if it.pk else ""
    it.title, it.kind, it.media_url = title.strip(), kind, media_url
    it.body = sanitize(body)
    it.body_text = plain_text(it.body)
    it.save()
    it.documents.set(docs)
    if interpretation_revision(it) != before_hash:
        _contributed(it, actor)
    audit.record(actor=actor, action="xxgk.interpretation.save", target=it, org=org,
                 changes=audit.diff(before, audit.snapshot(it, ["title", "kind", "media_url",
                                                                "status"])))
    for d in docs:
        _changed(d.pk)
    _interpretation_changed(it.pk)
    if given is not None:
        given.refresh_from_db()  # callers keep using the object they passed
    return it


@transaction.atomic
def publish_interpretation(*, actor, interpretation: Interpretation, revision: str
                           ) -> Interpretation:
    """Publish a 政策解读 as the reviewer saw it: ``revision`` is the content hash their
    page showed (``interpretation_revision``); if the text changed since, nothing happens."""
    it = Interpretation.objects.select_for_update().get(pk=interpretation.pk)
    require(can_review(actor, it.org), "只有本单位审核人或公开办协调员可以发布解读。")
    _check_interpretation_revision(it, revision)
    if it.status == Status.PUBLISHED:
        raise ValidationError("该解读已发布。")
    require(it.created_by_id != getattr(actor, "pk", None), "不能审核自己编写的解读（先审后发）。")
    require(getattr(actor, "pk", None) not in authors(it),
            "您修改过本解读的内容，不能审核发布（先审后发），须由本单位其他审核人审核。")
    hits = privacy.scan(f"{it.title}\n{it.body_text}", _email_allow())
    if hits:
        raise PublishBlocked([f"发现疑似个人信息：{privacy.summarize(hits)}。请删除后再发布。"])
    before = it.status
    it.status = Status.PUBLISHED
    it.published_at = it.published_at or timezone.now()
    it.reviewed_by = actor
    it.approved_hash = revision
    it.save()
    it.contributors.clear()
    audit.record(actor=actor, action="xxgk.interpretation.publish", target=it, org=it.org,
                 changes={"status": {"before": before, "after": "published"},
                          "revision": {"before": "", "after": revision[:10]}})
    for pk in it.documents.values_list("pk", flat=True):
        _changed(pk)
    _interpretation_changed(it.pk)
    return it


@transaction.atomic
def withdraw_interpretation(*, actor, interpretation: Interpretation, reason: str
                            ) -> Interpretation:
    it = Interpretation.objects.select_for_update().get(pk=interpretation.pk)
    require(can_review(actor, it.org), "只有本单位审核人或公开办协调员可以撤回解读。")
    if not (reason or "").strip():
        raise ValidationError({"reason": "撤回须填写理由。"})
    it.status = Status.WITHDRAWN
    it.save(update_fields=["status", "updated_at"])
    audit.record(actor=actor, action="xxgk.interpretation.withdraw", target=it, org=it.org,
                 summary=reason[:300])
    for pk in it.documents.values_list("pk", flat=True):
        _changed(pk)
    _interpretation_changed(it.pk)
    return it


@transaction.atomic
def import_interpretation(*, actor, org: Organization, title: str, kind: str, body: str,
                          documents, published_at=None) -> tuple[Interpretation, bool]:
    """Upsert a published interpretation by (org, title) for imports and demo data."""
    it = Interpretation.objects.filter(org=org, title=title).first()
    created = it is None
    it = it or Interpretation(org=org, title=title)
    it.kind = kind
    it.body = sanitize(body)
    it.body_text = plain_text(it.body)
    it.status = Status.PUBLISHED
    it.published_at = it.published_at or published_at or timezone.now()
    it.save()
    docs = list(documents)
    it.documents.set(docs)
    audit.record(actor=actor, action="xxgk.interpretation.import", target=it, org=org,
                 summary=f"{'导入' if created else '更新'}政策解读")
    for d in docs:
        _changed(d.pk)
    _interpretation_changed(it.pk)
    return it, created
