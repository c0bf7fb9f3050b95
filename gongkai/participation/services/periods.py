"""After publication: extend a consultation's end instant (only later) or withdraw it
(撤回), each with a reason shown on its public page.

Both are public-facing, so both are bound to review: the unit's staff request the change,
and it takes effect only when the unit's 审核人 or the 公开办 — not the requester —
approves exactly what was requested (its content hash). Nothing is deleted: a withdrawn
consultation keeps its page and opinions, shows the reason and refuses new comments."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.core import audit
from gongkai.core.permissions import can_edit, require
from gongkai.participation.models import (
    ChangeKind,
    Consultation,
    FeedbackReport,
    PeriodChange,
    Review,
)
from gongkai.participation.panel import unit_page_on_commit
from gongkai.participation.search import reindex_on_commit
from gongkai.participation.services.common import (
    check_reviewer,
    check_revision,
    clean_text,
    content_hash,
)

MAX_DAYS = 366  # an extension keeps the whole period within a year


def change_revision(ch: PeriodChange) -> str:
    return content_hash({"consultation": ch.consultation_id, "kind": ch.kind,
                         "old_ends_at": ch.old_ends_at, "new_ends_at": ch.new_ends_at,
                         "reason": ch.reason})


def _when(value: dt.datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def _check_extension(c: Consultation, new_ends_at, now: dt.datetime) -> None:
    if c.is_withdrawn:
        raise ValidationError("该征求意见已撤回，不能延长。")
    if c.ends_at <= now:
        raise ValidationError("征求意见已截止，不能延长；如需继续听取意见，请重新发起征求意见。")
    if not isinstance(new_ends_at, dt.datetime):
        raise ValidationError({"new_ends_at": "请填写延长后的截止时间。"})
    if new_ends_at <= c.ends_at:
        raise ValidationError({"new_ends_at": "延长后的截止时间须晚于原截止时间"
                                              f"（{_when(c.ends_at)}）。"})
    if new_ends_at - c.starts_at > dt.timedelta(days=MAX_DAYS):
        raise ValidationError({"new_ends_at": "征求意见期（含延长）不能超过一年。"})


def _check_withdrawal(c: Consultation) -> None:
    if c.is_withdrawn:
        raise ValidationError("该征求意见已撤回。")
    if FeedbackReport.objects.filter(consultation=c, review_status=Review.PUBLISHED).exists():
        raise ValidationError("意见采纳情况已公布，不能撤回该征求意见。")


def _locked_published(consultation: Consultation) -> Consultation:
    c = Consultation.objects.select_for_update().select_related("org").get(pk=consultation.pk)
    if not c.is_published:
        raise ValidationError("只有已发布的征求意见可以延长或撤回；未发布的请直接修改。")
    return c


@transaction.atomic(durable=True)
def request_change(*, actor, consultation: Consultation, kind: str, reason: str,
                   new_ends_at=None) -> PeriodChange:
    """Ask for an extension (``new_ends_at``) or a withdrawal, with the public reason."""
    c = _locked_published(consultation)
    require(can_edit(actor, c.org), "您不能变更该单位的征求意见。")
    if kind not in ChangeKind.values:
        raise ValidationError({"kind": "请选择延长或撤回。"})
    reason = clean_text(reason, 500)
    if not reason:
        raise ValidationError({"reason": "请填写理由，理由将在征求意见页面公开。"})
    if c.period_changes.filter(status=Review.PENDING).exists():
        raise ValidationError("已有一项延长或撤回申请待审核，请等待审核结果。")
    now = timezone.now()
    if kind == ChangeKind.EXTEND:
        _check_extension(c, new_ends_at, now)
    else:
        _check_withdrawal(c)
        new_ends_at = None
    ch = PeriodChange.objects.create(consultation=c, kind=kind, old_ends_at=c.ends_at,
                                     new_ends_at=new_ends_at, reason=reason,
                                     requested_by=actor, requested_at=now)
    audit.record(actor=actor, action=f"gzcy.consultation.{kind}_request", target=c, org=c.org,
                 summary=f"{ch.get_kind_display()}：{reason}",
                 changes={"ends_at": {"before": _when(c.ends_at),
                                      "after": _when(new_ends_at)}} if new_ends_at else {})
    return ch


@transaction.atomic(durable=True)
def approve_change(*, actor, change: PeriodChange, revision: str) -> PeriodChange:
    """Apply the requested change as the reviewer saw it."""
    ch = PeriodChange.objects.select_for_update().get(pk=change.pk)
    c = _locked_published(ch.consultation)
    check_reviewer(actor, ch, c.org)
    if ch.status != Review.PENDING:
        raise ValidationError("该申请已处理。")
    check_revision(change_revision(ch), revision)
    now = timezone.now()
    if ch.kind == ChangeKind.EXTEND:
        if c.ends_at != ch.old_ends_at:
            raise ValidationError("截止时间在申请后已变化，请退回后重新申请。")
        _check_extension(c, ch.new_ends_at, now)
        before = _when(c.ends_at)
        c.ends_at = ch.new_ends_at
        c.save(update_fields=["ends_at", "updated_at"])
        changes = {"ends_at": {"before": before, "after": _when(c.ends_at)}}
        action = "gzcy.consultation.extend"
    else:
        _check_withdrawal(c)
        c.withdrawn_at, c.withdrawn_reason = now, ch.reason
        c.save(update_fields=["withdrawn_at", "withdrawn_reason", "updated_at"])
        changes = {"withdrawn": {"before": "", "after": _when(now)}}
        action = "gzcy.consultation.withdraw"
    ch.status, ch.reviewed_by, ch.approved_hash, ch.applied_at = (
        Review.PUBLISHED, actor, revision, now)
    ch.save(update_fields=["status", "reviewed_by", "approved_hash", "applied_at"])
    audit.record(actor=actor, action=action, target=c, org=c.org, summary=ch.reason,
                 changes=changes)
    reindex_on_commit(consultation=c)
    unit_page_on_commit(c.org)
    return ch


@transaction.atomic(durable=True)
def return_change(*, actor, change: PeriodChange, reason: str) -> PeriodChange:
    ch = PeriodChange.objects.select_for_update().select_related("consultation__org").get(
        pk=change.pk)
    c = ch.consultation
    check_reviewer(actor, ch, c.org)
    reason = clean_text(reason, 500)
    if not reason:
        raise ValidationError({"reason": "退回须填写理由。"})
    if ch.status != Review.PENDING:
        raise ValidationError("该申请已处理。")
    ch.status, ch.reviewed_by, ch.return_reason = Review.DRAFT, actor, reason
    ch.save(update_fields=["status", "reviewed_by", "return_reason"])
    audit.record(actor=actor, action=f"gzcy.consultation.{ch.kind}_return", target=c,
                 org=c.org, summary=reason)
    return ch
