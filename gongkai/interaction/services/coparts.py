"""协办: each co-handling unit writes its part of the reply, has it reviewed inside the unit
(by someone who did not write it, bound to the text seen) and submits it to the lead unit,
which composes the final reply. The lead cannot send the final reply for review while a
part is outstanding unless it records why (``replies.submit_reply``)."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.core.exceptions import ValidationError
from django.db import transaction

from gongkai.core import audit
from gongkai.core.calendar import get_calendar
from gongkai.core.permissions import can_edit, can_review, require
from gongkai.core.uploads import original_name
from gongkai.interaction.models import CoPart, CPStatus, Message, MStatus
from gongkai.interaction.services.common import co_workdays, today

MAX_PART = 5000
EDITABLE = (CPStatus.OPEN, CPStatus.DRAFT, CPStatus.RETURNED)


def open_parts(msg: Message, co_orgs, on: dt.date) -> None:
    """At routing (inside its transaction): one part per co-handler, with its deadline;
    parts of units no longer co-handling are dropped."""
    due = get_calendar().add(on, co_workdays())
    keep = {o.pk for o in co_orgs}
    msg.co_parts.exclude(org_id__in=keep).delete()
    for o in co_orgs:
        part, created = CoPart.objects.get_or_create(message=msg, org=o,
                                                     defaults={"due_date": due})
        if not created and not part.is_submitted:
            part.due_date = due
            part.save(update_fields=["due_date", "updated_at"])


def restart_open_parts(msg: Message, on: dt.date) -> None:
    """A letter reopened after a 不满意: parts still outstanding get a fresh deadline."""
    due = get_calendar().add(on, co_workdays())
    msg.co_parts.exclude(status=CPStatus.SUBMITTED).update(due_date=due)


def drop_open_parts(msg: Message) -> None:
    """A message sent back to the 公开办: parts not yet submitted are void."""
    msg.co_parts.exclude(status=CPStatus.SUBMITTED).delete()


def outstanding(msg: Message) -> list[CoPart]:
    return list(msg.co_parts.exclude(status=CPStatus.SUBMITTED).select_related("org"))


def part_revision(part: CoPart) -> str:
    raw = f"{part.message_id}\n{part.org_id}\n{part.text}\n{part.attachment.name or ''}"
    return hashlib.sha256(raw.encode()).hexdigest()


def _lock(part: CoPart) -> tuple[CoPart, Message]:
    part = CoPart.objects.select_for_update().select_related("org").get(pk=part.pk)
    msg = Message.objects.select_for_update().get(pk=part.message_id)
    return part, msg


def _check_open(msg: Message) -> None:
    if msg.status not in (MStatus.HANDLING, MStatus.REVIEW):
        raise ValidationError("该来信已不在办理中，不能再修改协办意见。")


@transaction.atomic(durable=True)
def save_part(*, actor, part: CoPart, text: str, attachment=None,
              remove_attachment: bool = False) -> CoPart:
    """The co-handler's handler saves a draft of the unit's part (text, optional file)."""
    part, msg = _lock(part)
    require(can_edit(actor, part.org_id), "只有该协办单位的工作人员可以撰写协办意见。")
    _check_open(msg)
    if part.status not in EDITABLE:
        raise ValidationError("协办意见已提交审核或已提交主办单位，不能修改。")
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "请填写协办意见。"})
    if len(text) > MAX_PART:
        raise ValidationError({"text": f"协办意见不能超过{MAX_PART}字。"})
    before = part.status
    part.text = text
    if remove_attachment and part.attachment:
        part.attachment.delete(save=False)
        part.attachment_name = ""
    if attachment is not None:
        part.attachment = attachment
        part.attachment_name = original_name(attachment)
    part.status = CPStatus.DRAFT
    part.written_by = actor
    part.save()
    audit.record(actor=actor, action="hdjl.copart.save", target=msg, org=part.org,
                 summary=f"{part.org.name}协办意见草稿",
                 changes={"co_status": {"before": before, "after": part.status}})
    return part


@transaction.atomic(durable=True)
def submit_part(*, actor, part: CoPart) -> CoPart:
    """Send the draft for review inside the co-handling unit."""
    part, msg = _lock(part)
    require(can_edit(actor, part.org_id), "只有该协办单位的工作人员可以提交协办意见。")
    _check_open(msg)
    if part.status != CPStatus.DRAFT or not part.text:
        raise ValidationError("请先保存协办意见草稿，再提交本单位审核。")
    part.status = CPStatus.PENDING
    part.save(update_fields=["status", "updated_at"])
    audit.record(actor=actor, action="hdjl.copart.submit", target=msg, org=part.org,
                 changes={"co_status": {"before": CPStatus.DRAFT, "after": CPStatus.PENDING}})
    return part


def _check_reviewer(actor, part: CoPart) -> None:
    require(can_review(actor, part.org_id), "只有该协办单位的审核人可以审核协办意见。")
    require(getattr(actor, "pk", None) != part.written_by_id,
            "不能审核自己撰写的协办意见，须由本单位其他审核人审核。")


@transaction.atomic(durable=True)
def approve_part(*, actor, part: CoPart, revision: str) -> CoPart:
    """The unit's reviewer approves the exact text seen; the part goes to the lead unit."""
    part, msg = _lock(part)
    _check_reviewer(actor, part)
    _check_open(msg)
    if part.status != CPStatus.PENDING:
        raise ValidationError("只有本单位审核中的协办意见可以审核通过。")
    if revision != part_revision(part):
        raise ValidationError("协办意见在您打开后已被修改，请重新查看后再审核。")
    part.status = CPStatus.SUBMITTED
    part.reviewed_by = actor
    part.approved_hash = revision
    part.return_reason = ""
    part.submitted_date = today()
    part.save()
    late = part.due_date is not None and part.submitted_date > part.due_date
    audit.record(actor=actor, action="hdjl.copart.approve", target=msg, org=part.org,
                 summary=f"{part.org.name}协办意见提交主办单位" + ("（超期）" if late else ""),
                 changes={"co_status": {"before": CPStatus.PENDING,
                                        "after": CPStatus.SUBMITTED},
                          "revision": {"before": "", "after": revision[:10]}})
    return part


@transaction.atomic(durable=True)
def return_part(*, actor, part: CoPart, reason: str) -> CoPart:
    part, msg = _lock(part)
    _check_reviewer(actor, part)
    if part.status != CPStatus.PENDING:
        raise ValidationError("只有本单位审核中的协办意见可以退回。")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "退回须填写理由。"})
    part.status = CPStatus.RETURNED
    part.return_reason = reason[:500]
    part.reviewed_by = actor
    part.save()
    audit.record(actor=actor, action="hdjl.copart.return", target=msg, org=part.org,
                 summary=reason[:300],
                 changes={"co_status": {"before": CPStatus.PENDING,
                                        "after": CPStatus.RETURNED}})
    return part


def visible_text(user, part: CoPart) -> bool:
    """Another unit sees a part only once it is submitted to the lead unit; the unit
    itself (and the 公开办) sees its drafts."""
    return part.is_submitted or can_edit(user, part.org_id)
