"""Hot topics assigned for a response and tracked to closure."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.core import audit
from gongkai.core.models import Organization
from gongkai.core.permissions import can_edit, is_coordinator, require
from gongkai.interaction.models import TopicResponse

SNAPSHOT_DAYS = 30  # the period whose per-source counts are kept with an assignment


@transaction.atomic(durable=True)
def assign_topic(*, actor, term: str, org: Organization, deadline: dt.date,
                 channel: str = "") -> TopicResponse:
    require(is_coordinator(actor), "只有公开办协调员可以交办热点回应。")
    term = (term or "").strip()
    if not term:
        raise ValidationError("请填写热点话题。")
    from gongkai.interaction import hot

    t = TopicResponse.objects.create(
        term=term[:100], org=org, deadline=deadline, channel=(channel or "").strip()[:200],
        assigned_by=actor,
        sources=[[label, n] for label, n in hot.term_sources(term[:100], timezone.localdate(),
                                                             SNAPSHOT_DAYS)])
    audit.record(actor=actor, action="hdjl.topic.assign", target=t, org=org,
                 summary=f"{t.term}，期限{deadline:%Y-%m-%d}")
    return t


@transaction.atomic(durable=True)
def close_topic(*, actor, topic: TopicResponse, result: str) -> TopicResponse:
    t = TopicResponse.objects.select_for_update().get(pk=topic.pk)
    require(can_edit(actor, t.org_id), "只有回应单位可以登记回应情况。")
    if t.closed_date:
        raise ValidationError("该热点回应已办结。")
    if not (result or "").strip():
        raise ValidationError("请填写回应情况（在何处发布了什么）。")
    t.result = result.strip()
    t.closed_date = timezone.localdate()
    t.save()
    audit.record(actor=actor, action="hdjl.topic.close", target=t, org=t.org,
                 summary=t.result[:300])
    return t
