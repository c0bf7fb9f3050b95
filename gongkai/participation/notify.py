"""Tell commenters who left an e-mail address that the 意见采纳情况 is published.

Runs after the publishing transaction commits; a mail failure is logged, never raised
(the report is published either way). Phone numbers are only flagged (``notified_at``)
for staff to call or text: there is no SMS gateway."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.urls import reverse

from gongkai.participation import privacy

log = logging.getLogger(__name__)


def _email(contact: str) -> str | None:
    contact = (contact or "").strip()
    try:
        validate_email(contact)
    except ValidationError:
        return None
    return contact


def mail_feedback_published(opinion_ids: list[int]) -> int:
    from gongkai.participation.models import Opinion

    sent = 0
    for op in Opinion.objects.filter(pk__in=opinion_ids).select_related("consultation"):
        to = _email(privacy.decrypt(op.contact_encrypted))
        if to is None:
            continue
        c = op.consultation
        try:
            send_mail(f"【意见采纳情况】{c.title}",
                      f"您对《{c.title}》提出的意见的采纳情况已经公布。\n"
                      f"查看：{reverse('participation:feedback', args=[c.pk])}\n"
                      "您也可以在“查询我的意见采纳情况”页面凭查询码查看本条意见的处理结果。\n",
                      settings.DEFAULT_FROM_EMAIL, [to])
            sent += 1
        except Exception:
            log.exception("participation: mail to commenter of opinion %s failed", op.pk)
    return sent
