"""培训 sessions and who attended (counted by the evaluation)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from gongkai.core import audit
from gongkai.core.permissions import is_coordinator, require
from gongkai.supervision.models import TrainingLevel, TrainingSession


@transaction.atomic(durable=True)
def save_training(*, actor, title: str, date: dt.date, level: str, materials: str = "",
                  orgs=(), session: TrainingSession | None = None) -> TrainingSession:
    require(is_coordinator(actor), "只有公开办协调员可以登记培训。")
    if not (title or "").strip():
        raise ValidationError("请填写培训主题。")
    if level not in TrainingLevel.values:
        raise ValidationError("培训层级无效。")
    created = session is None
    session = session or TrainingSession()
    session.title, session.date, session.level = title.strip(), date, level
    session.materials = materials or ""
    session.save()
    session.orgs.set(list(orgs))
    audit.record(actor=actor, action="dc.training.save", target=session,
                 summary=f"{'登记' if created else '修改'}培训，参训单位 {len(list(orgs))} 个")
    return session
