"""Annual reports (called by the reports app)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from gongkai.core import audit
from gongkai.core.models import Organization
from gongkai.core.permissions import can_review, require
from gongkai.disclosure.models import (
    DirectoryNode,
    DocType,
    Document,
    DocumentRevision,
    NodeKind,
    Status,
)
from gongkai.disclosure.services.common import (
    _REVISION_FIELDS,
    _apply_fields,
    _changed,
    _publish_now,
)
from gongkai.disclosure.services.directory import ensure_directory


@transaction.atomic
def publish_annual_report(*, actor, org: Organization, year: int, title: str, body: str,
                          external_id: str | None = None) -> Document:
    """Publish the year's 政府信息公开年报 of ``org`` into its 公开年报 node (reports app).

    Compiled from the platform's own records, so the reviewer who publishes it is also its
    author; re-publishing the same year replaces the text and keeps a correction record."""
    require(can_review(actor, org), "只有本单位审核人或公开办协调员可以发布年报。")
    ensure_directory(org)
    node = DirectoryNode.objects.filter(org=org, kind=NodeKind.ANNUAL_REPORT).first()
    external_id = external_id or f"annual-report:{org.code}:{year}"
    doc = Document.objects.filter(external_id=external_id).first()
    now = timezone.now()
    if doc is None:
        doc = Document(org=org, external_id=external_id, created_by=actor, genre="报告",
                       topic="综合政务")
        action = "xxgk.annual_report.publish"
    else:
        action = "xxgk.annual_report.update"
    was_published = doc.pk is not None and doc.status == Status.PUBLISHED
    _apply_fields(doc, {"title": title, "body": body, "node": node,
                        "written_date": doc.written_date or timezone.localdate()})
    doc.reviewed_by = actor
    _publish_now(doc, actor, now)
    doc.save()
    last = doc.revisions.aggregate(n=Max("number"))["n"] or 0
    DocumentRevision.objects.create(
        document=doc, number=last + 1, actor_label=audit.actor_label(actor),
        action="edit" if was_published else "publish", is_correction=was_published,
        note="更新年度报告" if was_published else "",
        data=audit.snapshot(doc, _REVISION_FIELDS))
    audit.record(actor=actor, action=action, target=doc, summary=f"{year}年度报告")
    _changed(doc.pk)
    return doc


def regulatory_counts(org: Organization, year: int) -> dict[str, dict[str, int]]:
    """Annual report table 第二十条第（一）项 for ``org``: per 规章 / 行政规范性文件, the
    number issued in ``year`` (by 成文日期), repealed or expired in ``year``, and valid at
    year end. Counts documents the unit published (withdrawn ones excluded)."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    base = Document.objects.filter(org=org, status=Status.PUBLISHED)
    out = {}
    for doc_type in (DocType.REGULATION, DocType.NORMATIVE):
        qs = base.filter(doc_type=doc_type)
        out[doc_type.value] = {
            "issued": qs.filter(written_date__range=(start, end)).count(),
            "repealed": qs.filter(repealed_date__range=(start, end)).count(),
            "valid": qs.valid_on(end).count(),
        }
    return out
