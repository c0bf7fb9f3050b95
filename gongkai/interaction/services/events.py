"""访谈, 开放日, 网络问政, 发布会: events, registration without an account, questions, the
published record and the follow-up of what was promised."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.core import audit
from gongkai.core.models import Organization
from gongkai.core.permissions import can_edit, can_review, require
from gongkai.disclosure import privacy
from gongkai.interaction import crypto
from gongkai.interaction.models import Commitment, Event, EventKind, EventQuestion, Registration


@transaction.atomic(durable=True)
def create_event(*, actor, org: Organization, kind: str, title: str, starts_at,
                 description: str = "", location: str = "", guests: str = "",
                 capacity: int = 0) -> Event:
    require(can_edit(actor, org), "只能为本单位创建活动。")
    if kind not in EventKind.values:
        raise ValidationError({"kind": "请选择活动类型。"})
    if not (title or "").strip():
        raise ValidationError({"title": "请填写标题。"})
    event = Event.objects.create(kind=kind, title=title.strip()[:200], org=org,
                                 starts_at=starts_at, description=description.strip(),
                                 location=location.strip()[:200], guests=guests.strip()[:500],
                                 capacity=max(0, int(capacity or 0)), created_by=actor)
    audit.record(actor=actor, action="hdjl.event.create", target=event, org=org)
    return event


@transaction.atomic(durable=True)
def register(*, event: Event, name: str, phone: str) -> tuple[Registration, str]:
    """Registration with a confirmation code (shown once); refuses when full or past."""
    ev = Event.objects.select_for_update().get(pk=event.pk)
    name, phone = (name or "").strip(), "".join((phone or "").split())
    if not name or not phone:
        raise ValidationError("请填写姓名和联系电话。")
    if ev.capacity <= 0:
        raise ValidationError("本活动不接受报名。")
    if ev.starts_at <= timezone.now():
        raise ValidationError("活动已开始，报名已截止。")
    if ev.registrations.count() >= ev.capacity:
        raise ValidationError("报名人数已满。")
    code = crypto.new_tracking_code()
    reg = Registration.objects.create(event=ev, name_enc=crypto.encrypt(name[:50]),
                                      phone_enc=crypto.encrypt(phone[:30]),
                                      code_hash=crypto.tracking_hash(code))
    audit.record(actor=None, action="hdjl.event.register", target=ev, org=ev.org,
                 summary=f"第{ev.registrations.count()}名报名")
    return reg, code


@transaction.atomic(durable=True)
def ask_question(*, event: Event, text: str) -> EventQuestion:
    text = (text or "").strip()
    if not text:
        raise ValidationError("请填写问题。")
    if len(text) > 500:
        raise ValidationError("问题不能超过500字。")
    q = EventQuestion.objects.create(event=event, text=privacy.redact(text))
    audit.record(actor=None, action="hdjl.event.question", target=event, org=event.org)
    return q


@transaction.atomic(durable=True)
def answer_question(*, actor, question: EventQuestion, answer: str) -> EventQuestion:
    q = EventQuestion.objects.select_for_update().select_related("event").get(pk=question.pk)
    require(can_review(actor, q.event.org_id), "只有主办单位审核人或公开办协调员可以公开回答。")
    if not (answer or "").strip():
        raise ValidationError("请填写回答。")
    q.answer = answer.strip()
    q.public = True
    q.save()
    audit.record(actor=actor, action="hdjl.event.answer", target=q.event, org=q.event.org)
    return q


@transaction.atomic(durable=True)
def publish_record(*, actor, event: Event, record: str, video_url: str = "") -> Event:
    ev = Event.objects.select_for_update().get(pk=event.pk)
    require(can_review(actor, ev.org_id), "只有主办单位审核人或公开办协调员可以发布实录。")
    hits = privacy.scan(record or "")
    if hits:
        raise ValidationError(f"实录中发现疑似个人信息：{privacy.summarize(hits)}。"
                              "请修改后再发布。")
    ev.record = (record or "").strip()
    ev.video_url = (video_url or "").strip()[:200]
    ev.save()
    audit.record(actor=actor, action="hdjl.event.record", target=ev, org=ev.org)
    return ev


@transaction.atomic(durable=True)
def add_commitment(*, actor, event: Event, text: str, org: Organization,
                   deadline: dt.date) -> Commitment:
    require(can_edit(actor, event.org_id), "只有主办单位可以登记承诺事项。")
    if not (text or "").strip():
        raise ValidationError("请填写承诺事项。")
    c = Commitment.objects.create(event=event, text=text.strip()[:500], org=org,
                                  deadline=deadline)
    audit.record(actor=actor, action="hdjl.event.commit", target=event, org=org,
                 summary=c.text[:300])
    return c


@transaction.atomic(durable=True)
def close_commitment(*, actor, commitment: Commitment, result: str,
                     on: dt.date | None = None) -> Commitment:
    c = Commitment.objects.select_for_update().get(pk=commitment.pk)
    require(can_edit(actor, c.org_id), "只有责任单位可以登记落实情况。")
    if not (result or "").strip():
        raise ValidationError("请填写落实情况。")
    c.result = result.strip()
    c.done_date = on or timezone.localdate()
    c.save()
    audit.record(actor=actor, action="hdjl.event.commit_done", target=c.event, org=c.org,
                 summary=c.text[:300])
    return c
