"""Publishing an answered exchange (consent + privacy scan) and the writer's rating."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.core import audit
from gongkai.core.calendar import get_calendar
from gongkai.core.permissions import can_review, require
from gongkai.disclosure import privacy
from gongkai.interaction import clock
from gongkai.interaction.models import Consent, Message, MStatus, Rating
from gongkai.interaction.services import coparts
from gongkai.interaction.services.common import answer_workdays, today


class PublishBlocked(ValidationError):
    """Publishing refused: no consent, or personal data found without a reason."""


def exchange_text(msg: Message) -> str:
    parts = [msg.subject, msg.body] + [r.text for r in msg.sent_replies()]
    return "\n".join(parts)


def privacy_hits(msg: Message) -> list:
    allow = tuple(getattr(settings, "GONGKAI_PRIVACY_EMAIL_ALLOW",
                          privacy.DEFAULT_EMAIL_ALLOW_SUFFIXES))
    return privacy.scan(exchange_text(msg), allow)


@transaction.atomic(durable=True)
def publish_message(*, actor, message: Message, privacy_reason: str = "") -> Message:
    msg = Message.objects.select_for_update().get(pk=message.pk)
    require(can_review(actor, msg.org_id), "只有主办单位审核人或公开办协调员可以公开来信。")
    if msg.status != MStatus.ANSWERED:
        raise PublishBlocked("只有已答复的来信可以公开。")
    if msg.consent == Consent.NONE:
        raise PublishBlocked("来信人不同意公开，不能公开。")
    if msg.published:
        raise PublishBlocked("该来信已公开。")
    hits = privacy_hits(msg)
    if hits and not (privacy_reason or "").strip():
        raise PublishBlocked(f"发现疑似个人信息：{privacy.summarize(hits)}。请先处理，"
                             "或填写确需公开的理由。")
    msg.published = True
    msg.published_at = timezone.now()
    msg.privacy_reason = (privacy_reason or "").strip()[:500]
    msg.save()
    audit.record(actor=actor, action="hdjl.message.publish", target=msg, org=msg.org,
                 summary=f"个人信息检查：{privacy.summarize(hits)}" if hits else "",
                 changes={"published": {"before": False, "after": True}})
    return msg


@transaction.atomic(durable=True)
def unpublish_message(*, actor, message: Message, reason: str) -> Message:
    msg = Message.objects.select_for_update().get(pk=message.pk)
    require(can_review(actor, msg.org_id), "只有主办单位审核人或公开办协调员可以撤回公开。")
    if not msg.published:
        raise ValidationError("该来信未公开。")
    if not (reason or "").strip():
        raise ValidationError({"reason": "撤回公开须填写理由。"})
    msg.published = False
    msg.save()
    audit.record(actor=actor, action="hdjl.message.unpublish", target=msg, org=msg.org,
                 summary=reason.strip()[:300],
                 changes={"published": {"before": True, "after": False}})
    return msg


@transaction.atomic(durable=True)
def rate_message(*, message: Message, rating: str, note: str = "") -> Message:
    """The writer rates the reply; the first 不满意 reopens the message once."""
    msg = Message.objects.select_for_update().get(pk=message.pk)
    if rating not in Rating.values:
        raise ValidationError({"rating": "请选择满意、基本满意或不满意。"})
    if msg.status != MStatus.ANSWERED:
        raise ValidationError("来信答复后才能评价。")
    if msg.rating:
        raise ValidationError("您已评价过本次答复。")
    note = (note or "").strip()[:500]
    changes = {"rating": {"before": "", "after": rating}}
    if rating == Rating.UNSATISFIED and not msg.reopened:
        on = today()
        msg.reopened = True
        msg.status = MStatus.HANDLING
        msg.routed_date = on
        msg.due_date = clock.due_date(get_calendar(), on, answer_workdays())
        msg.answered_date = None
        msg.rating_note = f"首次答复评价：不满意。{note}"[:500]
        coparts.restart_open_parts(msg, on)
        changes["status"] = {"before": MStatus.ANSWERED, "after": MStatus.HANDLING}
    else:
        msg.rating = rating
        msg.rating_note = (msg.rating_note + " " + note).strip()[:500]
    msg.save()
    audit.record(actor=None, action="hdjl.message.rate", target=msg, org=msg.org,
                 changes=changes, summary="不满意，重新办理" if "status" in changes else "")
    return msg
