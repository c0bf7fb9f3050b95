"""先审后发 for replies: the unit's handler writes, a reviewer who did not write it approves
the exact text they saw (content hash), and only then is the reply sent to the writer."""

from __future__ import annotations

import hashlib

from django.core.exceptions import ValidationError
from django.db import transaction

from gongkai.core import audit
from gongkai.core.calendar import get_calendar
from gongkai.core.permissions import can_edit, can_review, require
from gongkai.interaction import clock
from gongkai.interaction.models import Message, MStatus, Reply, RStatus
from gongkai.interaction.services import coparts
from gongkai.interaction.services.common import today

MAX_REPLY = 10000


class StaleRevision(ValidationError):
    """The reply changed after the reviewer opened it."""


def reply_revision(reply: Reply) -> str:
    """Content hash of what the reviewer approves: the message it answers and the text."""
    raw = f"{reply.message_id}\n{reply.org_id}\n{reply.text}"
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic(durable=True)
def submit_reply(*, actor, message: Message, text: str, outstanding_note: str = "") -> Reply:
    """The lead unit's handler submits a reply for review (a new version each time). While
    a co-handler's part is outstanding, only with a recorded reason (``outstanding_note``)."""
    msg = Message.objects.select_for_update().get(pk=message.pk)
    require(msg.org_id is not None and can_edit(actor, msg.org_id),
            "只有主办单位的工作人员可以答复。")
    if msg.status != MStatus.HANDLING:
        raise ValidationError("只有办理中的来信可以提交答复。")
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "请填写答复内容。"})
    if len(text) > MAX_REPLY:
        raise ValidationError({"text": f"答复内容不能超过{MAX_REPLY}字。"})
    missing = coparts.outstanding(msg)
    note = (outstanding_note or "").strip()[:500] if missing else ""
    if missing and not note:
        names = "、".join(p.org.short_name or p.org.name for p in missing)
        raise ValidationError({"outstanding_note": f"协办单位（{names}）的意见尚未提交。"
                               "请等待其提交，或填写不等待协办意见即提交审核的理由。"})
    reply = Reply.objects.create(message=msg, org=msg.org, text=text, written_by=actor,
                                 co_outstanding_note=note)
    msg.status = MStatus.REVIEW
    msg.save(update_fields=["status", "updated_at"])
    audit.record(actor=actor, action="hdjl.reply.submit", target=msg, org=msg.org,
                 summary=f"协办意见未齐即提交：{note}"[:300] if note else "",
                 changes={"status": {"before": MStatus.HANDLING, "after": MStatus.REVIEW}})
    return reply


def _check_reviewer(actor, reply: Reply) -> None:
    require(can_review(actor, reply.org_id), "只有主办单位审核人或公开办协调员可以审核答复。")
    require(getattr(actor, "pk", None) != reply.written_by_id,
            "不能审核自己撰写的答复（先审后发），须由其他审核人审核。")


@transaction.atomic(durable=True)
def approve_reply(*, actor, reply: Reply, revision: str) -> Reply:
    """Approve and send: the message is answered today; the clock records on-time or not."""
    reply = Reply.objects.select_for_update().get(pk=reply.pk)
    msg = Message.objects.select_for_update().get(pk=reply.message_id)
    _check_reviewer(actor, reply)
    if reply.status != RStatus.PENDING or msg.status != MStatus.REVIEW:
        raise ValidationError("只有待审核的答复可以审核发出。")
    if revision != reply_revision(reply):
        raise StaleRevision("答复内容在您打开后已被修改，请重新查看后再审核。")
    on = today()
    reply.status = RStatus.SENT
    reply.reviewed_by = actor
    reply.approved_hash = revision
    reply.sent_date = on
    reply.save()
    msg.status = MStatus.ANSWERED
    msg.answered_date = on
    routed = msg.routed_date or msg.received_date
    msg.answer_workdays = clock.workdays_taken(get_calendar(), routed, on)
    msg.on_time = msg.due_date is None or on <= msg.due_date
    msg.save()
    _mail_writer(msg, reply)
    audit.record(actor=actor, action="hdjl.reply.approve", target=msg, org=msg.org,
                 changes={"status": {"before": MStatus.REVIEW, "after": MStatus.ANSWERED},
                          "revision": {"before": "", "after": revision[:10]},
                          "on_time": {"before": None, "after": msg.on_time}})
    return reply


def _mail_writer(msg: Message, reply: Reply) -> None:
    """Send the approved reply to the writer's e-mail, if they gave one, after commit."""
    from django.conf import settings
    from django.core.mail import send_mail

    from gongkai.interaction.crypto import decrypt

    address = decrypt(msg.email_enc)
    if not address:
        return
    subject = f"您的来信 {msg.number} 已答复"
    body = (f"您于{msg.received_date:%Y年%m月%d日}提交的来信《{msg.subject}》已由"
            f"{reply.org.name}答复：\n\n{reply.text}\n\n"
            "您可凭信件编号和查询码在网站“政民互动—查询来信办理进度”中查看并评价答复。")
    transaction.on_commit(lambda: send_mail(subject, body, getattr(
        settings, "DEFAULT_FROM_EMAIL", None), [address], fail_silently=True))


@transaction.atomic(durable=True)
def return_reply(*, actor, reply: Reply, reason: str) -> Reply:
    reply = Reply.objects.select_for_update().get(pk=reply.pk)
    msg = Message.objects.select_for_update().get(pk=reply.message_id)
    _check_reviewer(actor, reply)
    if reply.status != RStatus.PENDING:
        raise ValidationError("只有待审核的答复可以退回。")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "退回须填写理由。"})
    reply.status = RStatus.RETURNED
    reply.return_reason = reason[:500]
    reply.reviewed_by = actor
    reply.save()
    msg.status = MStatus.HANDLING
    msg.save(update_fields=["status", "updated_at"])
    audit.record(actor=actor, action="hdjl.reply.return", target=msg, org=msg.org,
                 summary=reason[:300],
                 changes={"status": {"before": MStatus.REVIEW, "after": MStatus.HANDLING}})
    return reply


def can_edit_message(user, msg: Message) -> bool:
    return msg.org_id is not None and can_edit(user, msg.org_id)
