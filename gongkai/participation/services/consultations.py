"""征求意见: draft a consultation (text split into 章/条/款), review and publish it, and link
the finally adopted text."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.core import audit
from gongkai.core.permissions import can_edit, require
from gongkai.participation import articles, rules
from gongkai.participation.models import Article, Consultation, Review
from gongkai.participation.panel import unit_page_on_commit
from gongkai.participation.search import reindex_on_commit
from gongkai.participation.services.common import (
    Blocked,
    check_reviewer,
    check_revision,
    clean_text,
    content_hash,
)

FIELDS = ["title", "draft_text", "explanation", "starts_at", "ends_at", "short_period_reason",
          "contact", "decision_id"]


def consultation_revision(c: Consultation) -> str:
    questions = [[q.number, q.kind, q.text, q.options, q.required]
                 for q in c.questions.order_by("number")] if c.pk else []
    return content_hash({f: getattr(c, f) for f in FIELDS} | {"org": c.org_id,
                                                               "questions": questions})


def _apply(c: Consultation, data: dict) -> None:
    c.title = clean_text(data.get("title"), 200)
    c.draft_text = clean_text(data.get("draft_text"), 200_000)
    c.explanation = clean_text(data.get("explanation"), 50_000)
    c.contact = clean_text(data.get("contact"), 2000)
    c.short_period_reason = clean_text(data.get("short_period_reason"), 500)
    c.starts_at, c.ends_at = data.get("starts_at"), data.get("ends_at")
    decision = data.get("decision")
    if decision is not None and decision.org.pk != c.org_id:
        raise ValidationError({"decision": "只能关联本单位目录中的事项。"})
    c.decision = decision
    if not c.title or not c.draft_text:
        raise ValidationError("标题和草案正文不能为空。")
    if not isinstance(c.starts_at, dt.datetime) or not isinstance(c.ends_at, dt.datetime):
        raise ValidationError("请填写开始和截止时间。")
    if c.ends_at <= c.starts_at:
        raise ValidationError({"ends_at": "截止时间须晚于开始时间。"})


def _split(c: Consultation) -> None:
    c.articles.all().delete()
    Article.objects.bulk_create([
        Article(consultation=c, number=a.number, label=a.label[:30], chapter=a.chapter[:200],
                text=a.text) for a in articles.split(c.draft_text)])


@transaction.atomic(durable=True)
def create_consultation(*, actor, org, data: dict) -> Consultation:
    require(can_edit(actor, org), "您不能为该单位发起征求意见。")
    c = Consultation(org=org, created_by=actor)
    _apply(c, data)
    c.save()
    _split(c)
    audit.record(actor=actor, action="gzcy.consultation.create", target=c, org=org)
    return c


@transaction.atomic(durable=True)
def update_consultation(*, actor, consultation: Consultation, data: dict) -> Consultation:
    c = Consultation.objects.select_for_update().get(pk=consultation.pk)
    require(can_edit(actor, c.org), "您不能修改该单位的征求意见。")
    if c.is_published:
        raise ValidationError("已发布的征求意见不能修改草案；如需更正，请撤回后重新发起。")
    before = {f: getattr(c, f) for f in FIELDS}
    _apply(c, data)
    c.review_status = Review.DRAFT
    c.save()
    if before["draft_text"] != c.draft_text:
        _split(c)
    changes = audit.diff(audit._jsonable(before), audit._jsonable(
        {f: getattr(c, f) for f in FIELDS}))
    audit.record(actor=actor, action="gzcy.consultation.update", target=c, org=c.org,
                 changes={k: v for k, v in changes.items() if k != "draft_text"} |
                 ({"draft_text": {"before": "…", "after": "…（已修改）"}}
                  if "draft_text" in changes else {}))
    return c


@transaction.atomic(durable=True)
def submit_consultation(*, actor, consultation: Consultation) -> Consultation:
    c = Consultation.objects.select_for_update().get(pk=consultation.pk)
    require(can_edit(actor, c.org), "您不能提交该单位的征求意见。")
    if c.review_status != Review.DRAFT:
        raise ValidationError("只有草稿可以提交审核。")
    problems = rules.period_problems(c.starts_at, c.ends_at, major=c.decision_id is not None,
                                     reason=c.short_period_reason)
    if problems:
        raise Blocked(problems)
    c.review_status = Review.PENDING
    c.submitted_by = actor
    c.return_reason = ""
    c.save(update_fields=["review_status", "submitted_by", "return_reason", "updated_at"])
    audit.record(actor=actor, action="gzcy.consultation.submit", target=c, org=c.org)
    return c


@transaction.atomic(durable=True)
def publish_consultation(*, actor, consultation: Consultation, revision: str) -> Consultation:
    c = Consultation.objects.select_for_update().get(pk=consultation.pk)
    check_reviewer(actor, c, c.org)
    if c.review_status != Review.PENDING:
        raise ValidationError("只有待审核的征求意见可以发布。")
    check_revision(consultation_revision(c), revision)
    now = timezone.now()
    if c.ends_at <= now:
        raise ValidationError("截止时间已过，不能发布；请修改征求意见期限。")
    # Published after its start instant, it is open only from now: the 30 days of a major
    # decision count from when the public can actually comment.
    problems = rules.late_publish_problems(now, c.starts_at, c.ends_at,
                                           major=c.decision_id is not None,
                                           reason=c.short_period_reason)
    if problems:
        raise Blocked(problems)
    c.review_status = Review.PUBLISHED
    c.reviewed_by = actor
    c.approved_hash = revision
    c.published_at = now
    c.save()
    audit.record(actor=actor, action="gzcy.consultation.publish", target=c, org=c.org,
                 changes={"revision": {"before": "", "after": revision[:10]}})
    reindex_on_commit(consultation=c)
    unit_page_on_commit(c.org)
    return c


@transaction.atomic(durable=True)
def return_consultation(*, actor, consultation: Consultation, reason: str) -> Consultation:
    c = Consultation.objects.select_for_update().get(pk=consultation.pk)
    check_reviewer(actor, c, c.org)
    reason = clean_text(reason, 500)
    if not reason:
        raise ValidationError({"reason": "退回须填写理由。"})
    if c.review_status != Review.PENDING:
        raise ValidationError("只有待审核的征求意见可以退回。")
    c.review_status = Review.DRAFT
    c.return_reason = reason
    c.save(update_fields=["review_status", "return_reason", "updated_at"])
    audit.record(actor=actor, action="gzcy.consultation.return", target=c, org=c.org,
                 summary=reason)
    return c


@transaction.atomic(durable=True)
def set_final_text(*, actor, consultation: Consultation, final_text: str,
                   final_url: str = "") -> Consultation:
    """The text finally adopted, shown article by article against the draft."""
    c = Consultation.objects.select_for_update().get(pk=consultation.pk)
    require(can_edit(actor, c.org), "您不能修改该单位的征求意见。")
    if not c.is_published or c.ends_at > timezone.now():
        raise ValidationError("征求意见结束后才能录入最终通过文本。")
    final_url = clean_text(final_url, 500)
    if final_url and not final_url.startswith(("/", "https://", "http://")):
        raise ValidationError({"final_url": "链接须为站内路径（以 / 开头）或 http(s) 地址。"})
    c.final_text = clean_text(final_text, 200_000)
    c.final_url = final_url
    c.save(update_fields=["final_text", "final_url", "updated_at"])
    audit.record(actor=actor, action="gzcy.consultation.final_text", target=c, org=c.org)
    return c
