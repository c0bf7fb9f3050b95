"""Evaluation of units over a period from the registered statistics (and manual scores)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.core import audit, registry
from gongkai.core.models import Organization, OrgKind
from gongkai.core.permissions import is_coordinator, require
from gongkai.supervision import scoring, statistics
from gongkai.supervision.models import Evaluation, Score

EVALUATED_KINDS = (OrgKind.OFFICE, OrgKind.DEPARTMENT, OrgKind.SUBDISTRICT)
MANUAL_LABELS = {"manual.third_party": "第三方评估得分", "manual.special_review": "专项评议得分"}


def weights() -> dict:
    out = {k: dict(v) for k, v in scoring.DEFAULT_WEIGHTS.items()}
    for key, w in getattr(settings, "GONGKAI_SUPERVISION_WEIGHTS", {}).items():
        out.setdefault(key, {"weight": 0, "full": 100, "zero": 0}).update(w)
    return out


def indicator_values(org, start: dt.date, end: dt.date) -> tuple[dict, dict]:
    """(values, labels) of every registered statistic for ``org`` over the period."""
    values, labels = {}, dict(MANUAL_LABELS)
    for key, stat in registry.statistics().items():
        labels[key] = stat.label
        try:
            value = stat.compute(org, start, end)
        except Exception:
            value = None
        values[key] = None if value is None else float(value)
    return values, labels


def veto_items(org, start: dt.date, end: dt.date) -> list[dict]:
    """The 单项否决 findings that fail ``org`` for the period, as kept on its Score."""
    return [{"id": f.pk, "label": f.label, "url": f.url, "due": f.due.isoformat(),
             "status": f.get_status_display(),
             "closed": timezone.localtime(f.closed_at).date().isoformat() if f.closed_at else ""}
            for f in statistics.veto_findings(org, start, end)]


@transaction.atomic(durable=True)
def run_evaluation(*, actor, title: str, start: dt.date, end: dt.date,
                   manual: dict[int, dict[str, float]] | None = None,
                   orgs=None) -> Evaluation:
    require(is_coordinator(actor), "只有公开办协调员可以开展评估。")
    if end < start:
        raise ValidationError("截止日期不能早于起始日期。")
    if not (title or "").strip():
        raise ValidationError("请填写评估名称。")
    manual = manual or {}
    evaluation = Evaluation.objects.create(title=title.strip(), start=start, end=end)
    units = list(orgs if orgs is not None else
                 Organization.objects.filter(is_active=True, kind__in=EVALUATED_KINDS))
    w = weights()
    results = {}
    for org in units:
        values, labels = indicator_values(org, start, end)
        for key, value in manual.get(org.pk, {}).items():
            if value is not None:
                values[key] = float(value)
        total, lines = scoring.evaluate(values, labels, w)
        results[org.pk] = (org, total, lines, manual.get(org.pk, {}),
                           veto_items(org, start, end))
    vetoed = {pk for pk, r in results.items() if r[4]}
    ranks = scoring.rank({k: v[1] for k, v in results.items()}, vetoed)
    Score.objects.bulk_create([
        Score(evaluation=evaluation, org=org, total=Decimal(str(total)), rank=ranks[pk],
              indicators=[{"key": ln.key, "label": ln.label, "value": ln.value,
                           "weight": ln.weight, "points": ln.points} for ln in lines],
              manual=m, vetoes=v)
        for pk, (org, total, lines, m, v) in results.items()])
    audit.record(actor=actor, action="dc.evaluation.run", target=evaluation,
                 summary=f"{evaluation.title}：{len(results)} 个单位，{start}至{end}"
                         + (f"，单项否决 {len(vetoed)} 个" if vetoed else ""))
    return evaluation
