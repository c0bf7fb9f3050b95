"""培训 sessions (分级分类: level and audience), their materials, and who attended (read by
the evaluation: ``statistics.training_count``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from gongkai.core import audit
from gongkai.core.permissions import is_coordinator, require
from gongkai.core.uploads import validate_upload
from gongkai.supervision.models import (
    TrainingAudience,
    TrainingLevel,
    TrainingMaterial,
    TrainingSession,
)


def _links(text: str) -> list[tuple[str, str]]:
    """Lines of 「名称 链接」 or just 「链接」 → [(title, link)]; a link must be an address."""
    out = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        title, _, link = line.rpartition(" ")
        link = link.strip()
        if not (link.startswith("/") or link.startswith(("https://", "http://"))):
            raise ValidationError(f"培训材料链接「{line[:60]}」不是网址。")
        out.append(((title.strip() or link)[:200], link[:500]))
    return out


@transaction.atomic(durable=True)
def save_training(*, actor, title: str, date: dt.date, level: str, materials: str = "",
                  orgs=(), audience=(), material_file=None, material_links: str = "",
                  session: TrainingSession | None = None) -> TrainingSession:
    require(is_coordinator(actor), "只有公开办协调员可以登记培训。")
    if not (title or "").strip():
        raise ValidationError("请填写培训主题。")
    if level not in TrainingLevel.values:
        raise ValidationError("培训层级无效。")
    audience = list(dict.fromkeys(audience or ()))
    if not audience:
        raise ValidationError(
            "请选择培训对象（分管领导、公开办工作人员、信息员、审核人或街道工作人员）。")
    if any(a not in TrainingAudience.values for a in audience):
        raise ValidationError("培训对象无效。")
    links = _links(material_links)
    if material_file is not None:
        validate_upload(material_file)
    created = session is None
    session = session or TrainingSession()
    session.title, session.date, session.level = title.strip(), date, level
    session.audience = audience
    session.materials = materials or ""
    session.save()
    session.orgs.set(list(orgs))
    for name, link in links:
        TrainingMaterial.objects.create(session=session, title=name, link=link)
    if material_file is not None:
        TrainingMaterial.objects.create(session=session, file=material_file,
                                        title=Path(material_file.name).name[:200])
    who = "、".join(session.audience_labels())
    n_materials = len(links) + (material_file is not None)
    audit.record(actor=actor, action="dc.training.save", target=session,
                 summary=f"{'登记' if created else '修改'}培训（{who}），"
                         f"参训单位 {len(list(orgs))} 个，材料 {n_materials} 件")
    return session
