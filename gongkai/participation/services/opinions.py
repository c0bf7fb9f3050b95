"""Opinions: citizens comment online until the end instant; staff enter written opinions
received by post, e-mail or at meetings; moderation hides with a logged reason, never deletes."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.core import audit
from gongkai.core.permissions import can_edit, require
from gongkai.participation import privacy
from gongkai.participation.models import Article, Channel, Consultation, Opinion
from gongkai.participation.services.common import clean_text

MAX_BODY = 5000


class ClosedError(ValidationError):
    pass


def _article(c: Consultation, article_id) -> Article | None:
    if article_id in (None, ""):
        return None
    try:
        return c.articles.get(pk=int(article_id))
    except (ValueError, TypeError, Article.DoesNotExist):
        raise ValidationError({"article": "所选条款不存在。"}) from None


@transaction.atomic(durable=True)
def submit_comment(*, consultation: Consultation, body: str, article_id=None, name: str = "",
                   contact: str = "", publish_name: bool = False, now=None
                   ) -> tuple[Opinion, str]:
    """A citizen's online opinion. Returns it with the code to look up its disposition.

    The clock is read here, inside the transaction, with the consultation row locked: a
    page opened before the end instant cannot submit after it."""
    c = Consultation.objects.select_for_update().get(pk=consultation.pk)
    now = now or timezone.now()
    if not c.is_published:
        raise ClosedError("该征求意见尚未发布，不能提交意见。")
    if c.is_withdrawn:
        raise ClosedError("该征求意见已撤回，不再接收意见。感谢您的关注。")
    if now < c.starts_at:
        raise ClosedError("征求意见尚未开始，请在开始后再提交。")
    if now >= c.ends_at:
        raise ClosedError("征求意见已截止，不能再提交意见。感谢您的关注。")
    body = clean_text(body, MAX_BODY + 1)
    if not body:
        raise ValidationError({"body": "请填写意见内容。"})
    if len(body) > MAX_BODY:
        raise ValidationError({"body": f"意见内容不能超过{MAX_BODY}字。"})
    name, contact = clean_text(name, 50), clean_text(contact, 100)
    code = privacy.new_code()
    op = Opinion.objects.create(
        consultation=c, article=_article(c, article_id), channel=Channel.ONLINE, body=body,
        name_encrypted=privacy.encrypt(name), contact_encrypted=privacy.encrypt(contact),
        publish_name=bool(publish_name and name), code_hash=privacy.code_hash(code),
        received_at=now)
    audit.record(actor=None, action="gzcy.opinion.submit", target=op, org=c.org,
                 target_label=f"《{c.title}》意见{op.pk}",
                 summary=op.article.label if op.article_id else "针对全文")
    return op, code


@transaction.atomic(durable=True)
def enter_opinion(*, actor, consultation: Consultation, channel: str, body: str,
                  received_at, article_id=None, name: str = "", contact: str = "",
                  publish_name: bool = False) -> Opinion:
    """A written opinion received by post, e-mail, at a 座谈会 or 听证会, entered by staff."""
    c = Consultation.objects.select_for_update().get(pk=consultation.pk)
    require(can_edit(actor, c.org), "您不能为该单位录入意见。")
    if channel not in Channel.values or channel == Channel.ONLINE:
        raise ValidationError({"channel": "请选择意见来源渠道。"})
    if not c.is_published:
        raise ValidationError("征求意见发布后才能录入意见。")
    if c.is_withdrawn:
        raise ValidationError("该征求意见已撤回，不再录入意见。")
    if received_at is None or received_at > timezone.now():
        raise ValidationError({"received_at": "请填写收到时间（不能晚于现在）。"})
    body = clean_text(body, MAX_BODY)
    if not body:
        raise ValidationError({"body": "请填写意见内容。"})
    op = Opinion.objects.create(
        consultation=c, article=_article(c, article_id), channel=channel, body=body,
        name_encrypted=privacy.encrypt(clean_text(name, 50)),
        contact_encrypted=privacy.encrypt(clean_text(contact, 100)),
        publish_name=bool(publish_name and name), received_at=received_at, entered_by=actor)
    audit.record(actor=actor, action="gzcy.opinion.enter", target=op, org=c.org,
                 target_label=f"《{c.title}》意见{op.pk}", summary=op.get_channel_display())
    return op


@transaction.atomic(durable=True)
def hide_opinion(*, actor, opinion: Opinion, reason: str, note: str = "") -> Opinion:
    op = Opinion.objects.select_for_update().select_related("consultation").get(pk=opinion.pk)
    require(can_edit(actor, op.consultation.org), "您不能处理该单位的意见。")
    if reason not in Opinion.HIDE_REASONS:
        raise ValidationError({"reason": "请选择隐藏理由（垃圾信息、辱骂攻击、含个人信息）。"})
    op.hidden_reason = reason
    op.hidden_note = clean_text(note, 300)
    op.save(update_fields=["hidden_reason", "hidden_note"])
    audit.record(actor=actor, action="gzcy.opinion.hide", target=op, org=op.consultation.org,
                 target_label=f"《{op.consultation.title}》意见{op.pk}",
                 summary=f"{Opinion.HIDE_REASONS[reason]} {op.hidden_note}".strip())
    return op
