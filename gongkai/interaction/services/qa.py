"""一号答: question-and-answer entries from staff and from answered messages."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.core import audit
from gongkai.core.models import Organization
from gongkai.core.permissions import can_edit, can_review, require
from gongkai.disclosure import privacy
from gongkai.interaction.crypto import decrypt
from gongkai.interaction.models import Consent, Message, MStatus, QAEntry, QStatus


def _check(question: str, answer: str) -> tuple[str, str]:
    question, answer = (question or "").strip(), (answer or "").strip()
    errors = {}
    if not question:
        errors["question"] = "请填写问题。"
    elif len(question) > 300:
        errors["question"] = "问题不能超过300字。"
    if not answer:
        errors["answer"] = "请填写答复。"
    if errors:
        raise ValidationError(errors)
    return question, answer


@transaction.atomic(durable=True)
def create_qa(*, actor, org: Organization, question: str, answer: str, basis: str = "",
              doc_ids=(), valid_until: dt.date | None = None) -> QAEntry:
    require(can_edit(actor, org), "只能为本单位编写一号答问答。")
    question, answer = _check(question, answer)
    entry = QAEntry.objects.create(question=question, answer=answer, org=org,
                                   basis=(basis or "").strip()[:500],
                                   doc_ids=[int(i) for i in doc_ids], valid_until=valid_until,
                                   created_by=actor)
    audit.record(actor=actor, action="hdjl.qa.create", target=entry, org=org)
    return entry


@transaction.atomic(durable=True)
def qa_from_message(*, actor, message: Message) -> QAEntry:
    """An answered message becomes a draft Q&A, anonymised, only with the writer's consent."""
    msg = Message.objects.get(pk=message.pk)
    require(msg.org_id is not None and can_edit(actor, msg.org_id),
            "只能将本单位答复的来信转为问答。")
    if msg.status != MStatus.ANSWERED or msg.consent == Consent.NONE:
        raise ValidationError("只有来信人同意公开且已答复的来信可以转为一号答问答。")
    reply = msg.sent_replies().last()
    name = decrypt(msg.name_enc)

    def anonymise(text: str) -> str:
        text = privacy.redact(text)
        return text.replace(name, "来信人") if len(name) >= 2 else text

    question = anonymise(f"{msg.subject}：{msg.body}")[:300]
    entry = QAEntry.objects.create(question=question, answer=anonymise(reply.text),
                                   org=msg.org, basis=msg.policy_title,
                                   doc_ids=[msg.doc_id] if msg.doc_id else [],
                                   source_message=msg, created_by=actor)
    audit.record(actor=actor, action="hdjl.qa.from_message", target=entry, org=msg.org,
                 summary=f"来自来信 {msg.number}")
    return entry


@transaction.atomic(durable=True)
def publish_qa(*, actor, entry: QAEntry) -> QAEntry:
    entry = QAEntry.objects.select_for_update().get(pk=entry.pk)
    require(can_review(actor, entry.org_id), "只有本单位审核人或公开办协调员可以发布问答。")
    require(getattr(actor, "pk", None) != entry.created_by_id,
            "不能审核发布自己编写的问答（先审后发）。")
    if entry.status == QStatus.PUBLISHED:
        raise ValidationError("该问答已发布。")
    hits = privacy.scan(f"{entry.question}\n{entry.answer}")
    if hits:
        raise ValidationError(f"发现疑似个人信息：{privacy.summarize(hits)}。请修改后再发布。")
    before = entry.status
    entry.status = QStatus.PUBLISHED
    entry.flag_reason = ""
    entry.reviewed_by = actor
    entry.published_at = timezone.now()
    entry.save()
    audit.record(actor=actor, action="hdjl.qa.publish", target=entry, org=entry.org,
                 changes={"status": {"before": before, "after": QStatus.PUBLISHED}})
    return entry


@transaction.atomic(durable=True)
def withdraw_qa(*, actor, entry: QAEntry, reason: str) -> QAEntry:
    """Take a published answer off the site (and out of site search) at once, with a reason;
    it can be corrected and published again through review."""
    entry = QAEntry.objects.select_for_update().get(pk=entry.pk)
    require(can_review(actor, entry.org_id), "只有本单位审核人或公开办协调员可以撤下问答。")
    if entry.status != QStatus.PUBLISHED:
        raise ValidationError("该问答未发布，无需撤下。")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写撤下原因。"})
    entry.status = QStatus.WITHDRAWN
    entry.flag_reason = reason[:300]
    entry.save(update_fields=["status", "flag_reason", "updated_at"])
    audit.record(actor=actor, action="hdjl.qa.withdraw", target=entry, org=entry.org,
                 summary=reason[:200],
                 changes={"status": {"before": QStatus.PUBLISHED, "after": QStatus.WITHDRAWN}})
    return entry


@transaction.atomic(durable=True)
def flag_stale_qa(*, on: dt.date, stale_doc_ids=frozenset()) -> int:
    """Published answers past their date, or resting on a repealed/expired policy, go back
    to review (the caller passes the ids of such documents)."""
    flagged = 0
    for entry in QAEntry.objects.select_for_update().filter(status=QStatus.PUBLISHED):
        reason = ""
        if entry.valid_until and entry.valid_until < on:
            reason = f"有效期已于{entry.valid_until:%Y-%m-%d}届满"
        elif set(entry.doc_ids) & set(stale_doc_ids):
            reason = "所依据的政策文件已废止或失效"
        if reason:
            entry.status = QStatus.FLAGGED
            entry.flag_reason = reason
            entry.save(update_fields=["status", "flag_reason", "updated_at"])
            flagged += 1
    audit.record(actor=None, action="hdjl.qa.flag_stale", summary=f"{flagged} 条问答待复核")
    return flagged
