"""The stages of a catalog item's timeline (决策草案、专家论证、会议审议情况、决策结果 …):
drafted by the unit's staff, approved by a reviewer who did not write them against the
content hash of what they saw, and public only once published (先审后发)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.core import audit
from gongkai.core.permissions import can_edit, require
from gongkai.participation import policydocs
from gongkai.participation.models import (
    Consultation,
    Decision,
    DecisionStatus,
    Review,
    Stage,
    StageKind,
)
from gongkai.participation.search import reindex_on_commit
from gongkai.participation.services.common import (
    check_reviewer,
    check_revision,
    clean_text,
    content_hash,
)

STAGE_FIELDS = ["kind", "title", "date", "summary", "url", "consultation_id", "doc_id",
                "interp_id", "ref_title", "attendees", "attendee_uptake", "skipped_reason"]

_STATUS_AFTER = {StageKind.CONSULTATION: DecisionStatus.CONSULTING,
                 StageKind.MEETING: DecisionStatus.DELIBERATED,
                 StageKind.RESULT: DecisionStatus.DECIDED}


def stage_revision(stage: Stage) -> str:
    """What the reviewer sees of a stage: every field the public timeline shows."""
    return content_hash({"decision": stage.decision_id,
                         **{f: getattr(stage, f) for f in STAGE_FIELDS}})


def _clean(item: Decision, *, kind: str, title: str = "", date=None, summary: str = "",
           url: str = "", consultation: Consultation | None = None, attendees: str = "",
           attendee_uptake: str = "", skipped_reason: str = "", ref: str = "") -> dict:
    """The stage's fields, checked. The link is one of: a consultation of the unit, a
    document or 政策解读 of the platform picked by staff (``ref`` "doc:12" / "interp:3"; a
    typed path of such a page counts as picked), or a typed external address."""
    if kind not in StageKind.values:
        raise ValidationError({"kind": "环节不正确。"})
    url = clean_text(url, 500)
    if url and not url.startswith(("/", "https://", "http://")):
        raise ValidationError({"url": "链接须为站内路径（以 / 开头）或 http(s) 地址。"})
    key = policydocs.parse_key(ref) if ref else None
    if ref and key is None:
        raise ValidationError({"ref": "所选文件不正确，请重新检索选择。"})
    if key is None and url:
        key = policydocs.from_path(url)  # a typed page address of a document: a pick
        url = "" if key is not None else url
    elif key is not None and url:
        raise ValidationError("站内文件和外部链接只能选择一种。")
    picked = None
    if key is not None:
        picked = policydocs.get(*key)
        if picked is None or not picked.live:
            raise ValidationError({"ref": "所选文件不存在、已撤回或未公开，不能作为链接。"})
    skipped_reason = clean_text(skipped_reason, 500)
    if consultation is not None and consultation.org_id != item.org.pk:
        raise ValidationError({"consultation": "只能关联本单位的征求意见。"})
    if consultation is not None and (picked or url):
        raise ValidationError("一个环节只能关联一项：征求意见、站内文件或外部链接。")
    if not skipped_reason and not (url or consultation or picked or (summary or "").strip()):
        raise ValidationError("请填写情况说明或链接；未开展的环节须填写理由。")
    return {
        "kind": kind,
        "title": clean_text(title, 200) or (picked.title[:200] if picked else ""),
        "date": date,
        "doc_id": picked.pk if picked and picked.kind == policydocs.DOC else None,
        "interp_id": picked.pk if picked and picked.kind == policydocs.INTERP else None,
        "ref_title": picked.title[:300] if picked else "",
        "summary": clean_text(summary, 5000), "url": url, "consultation": consultation,
        "attendees": clean_text(attendees, 5000),
        "attendee_uptake": clean_text(attendee_uptake, 5000),
        "skipped_reason": skipped_reason,
    }


def _item(decision: Decision, actor) -> Decision:
    item = Decision.objects.select_for_update().select_related("catalog__org").get(
        pk=decision.pk)
    require(can_edit(actor, item.org), "您不能修改该单位的决策事项。")
    return item


def _stage(stage: Stage) -> Stage:
    return Stage.objects.select_for_update().select_related("decision__catalog__org").get(
        pk=stage.pk)


@transaction.atomic(durable=True)
def add_stage(*, actor, decision: Decision, submit: bool = False, **data) -> Stage:
    """Record a stage as a draft: done (with its link) or skipped (with reason). Nothing
    is public until a reviewer publishes it; ``submit`` hands it to review at once."""
    item = _item(decision, actor)
    stage = Stage.objects.create(decision=item, created_by=actor, **_clean(item, **data))
    if submit:
        stage.review_status, stage.submitted_by = Review.PENDING, actor
        stage.save(update_fields=["review_status", "submitted_by"])
    audit.record(actor=actor, action="gzcy.stage.skip" if stage.skipped_reason
                 else "gzcy.stage.add", target=item, org=item.org,
                 summary=stage.skipped_reason or stage.get_kind_display(),
                 changes={"stage": {"before": "", "after": str(stage)},
                          "review_status": {"before": "", "after": stage.review_status}})
    return stage


@transaction.atomic(durable=True)
def update_stage(*, actor, stage: Stage, **data) -> Stage:
    """Change a stage not yet published. A submitted one goes back to draft: the reviewer
    must see the new content. A published stage is corrected by a new stage."""
    s = _stage(stage)
    require(can_edit(actor, s.decision.org), "您不能修改该单位的决策事项。")
    if s.is_published:
        raise ValidationError("已公开的环节不能修改；如需更正，请新增一条环节记录说明。")
    before = str(s)
    for k, v in _clean(s.decision, **data).items():
        setattr(s, k, v)
    s.review_status = Review.DRAFT
    s.save()
    audit.record(actor=actor, action="gzcy.stage.edit", target=s.decision, org=s.decision.org,
                 summary=s.get_kind_display(),
                 changes={"stage": {"before": before, "after": str(s)},
                          "review_status": {"before": stage.review_status,
                                            "after": Review.DRAFT}})
    return s


@transaction.atomic(durable=True)
def submit_stage(*, actor, stage: Stage) -> Stage:
    s = _stage(stage)
    require(can_edit(actor, s.decision.org), "您不能提交该单位的决策事项。")
    if s.review_status != Review.DRAFT:
        raise ValidationError("只有草稿可以提交审核。")
    s.review_status, s.submitted_by, s.return_reason = Review.PENDING, actor, ""
    s.save(update_fields=["review_status", "submitted_by", "return_reason", "updated_at"])
    audit.record(actor=actor, action="gzcy.stage.submit", target=s.decision,
                 org=s.decision.org, summary=str(s))
    return s


@transaction.atomic(durable=True)
def publish_stage(*, actor, stage: Stage, revision: str) -> Stage:
    """Publish exactly the stage the reviewer saw; the item's status follows it."""
    s = _stage(stage)
    item = Decision.objects.select_for_update().get(pk=s.decision_id)
    check_reviewer(actor, s, s.decision.org)
    if s.review_status != Review.PENDING:
        raise ValidationError("只有待审核的环节可以发布。")
    check_revision(stage_revision(s), revision)
    if s.consultation_id and not s.consultation.is_published:
        raise ValidationError("关联的征求意见尚未发布，请先发布征求意见。")
    s.review_status, s.reviewed_by, s.approved_hash = Review.PUBLISHED, actor, revision
    s.published_at = timezone.now()
    s.save()
    new_status = _STATUS_AFTER.get(s.kind)
    if new_status and not s.skipped_reason and item.status != DecisionStatus.ADJUSTED:
        item.status = new_status
        item.save(update_fields=["status"])
    audit.record(actor=actor, action="gzcy.stage.publish", target=item, org=s.decision.org,
                 summary=str(s), changes={"revision": {"before": "", "after": revision[:10]}})
    reindex_on_commit(decision=item)
    return s


@transaction.atomic(durable=True)
def return_stage(*, actor, stage: Stage, reason: str) -> Stage:
    s = _stage(stage)
    check_reviewer(actor, s, s.decision.org)
    reason = clean_text(reason, 500)
    if not reason:
        raise ValidationError({"reason": "退回须填写理由。"})
    if s.review_status != Review.PENDING:
        raise ValidationError("只有待审核的环节可以退回。")
    s.review_status, s.return_reason = Review.DRAFT, reason
    s.save(update_fields=["review_status", "return_reason", "updated_at"])
    audit.record(actor=actor, action="gzcy.stage.return", target=s.decision,
                 org=s.decision.org, summary=reason)
    return s
