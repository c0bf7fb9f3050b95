"""Bulk import of documents (command / demo data)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from gongkai.core import audit
from gongkai.core.models import Organization
from gongkai.disclosure.models import (
    Attribute,
    DirectoryNode,
    DocType,
    Document,
    Status,
)
from gongkai.disclosure.services.common import (
    _REVISION_FIELDS,
    _apply_fields,
    _changed,
    _publish_now,
    _reopen,
    _revision,
)


def _published_at(day: dt.date):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))


@transaction.atomic
def import_record(*, actor, record: dict, default_org: Organization | None = None
                  ) -> tuple[Document, str]:
    """Upsert one imported document by ``external_id`` (system action, no permission check:
    the command runs with server access). Returns (document, outcome) with outcome
    ``created`` / ``updated`` / ``unchanged``. A 主动公开 record with a ``published`` date is
    published at once."""
    from gongkai.disclosure.models import TOPICS

    org = default_org
    if record.get("org"):
        org = Organization.objects.filter(code=record["org"]).first()
        if org is None:
            raise ValidationError(f"unknown org code {record['org']!r}")
    org = org or Organization.root()
    if org is None:
        raise ValidationError("no root unit: run `gongkai orgs import` or `gongkai demo` first")
    doc = Document.objects.select_for_update().filter(external_id=record["external_id"]).first()
    created = doc is None
    if created:
        doc = Document(org=org, external_id=record["external_id"])
    before = audit.snapshot(doc, _REVISION_FIELDS + ["org_id", "published_at"])
    node = None
    category = record.get("category") or ""
    if category:
        node = DirectoryNode.objects.filter(org=org).filter(
            Q(code=category) | Q(name=category)).first()
    doc_type = record.get("doc_type") or doc.doc_type or DocType.OTHER
    if doc_type not in DocType.values:
        raise ValidationError(f"doc_type: unknown value {doc_type!r}")
    doc.org = org
    fields = {
        "title": record["title"], "body": record["body"], "doc_number": record["doc_number"],
        "written_date": record.get("written") or record.get("published"),
        "attribute": record["attribute"], "attribute_reason": record.get("attribute_reason", ""),
        "validity": record.get("validity", ""), "doc_type": doc_type, "node": node,
        "topic": category if (node is None and category in TOPICS) else doc.topic,
    }
    for extra in ("topic", "genre", "keywords", "is_important", "summary", "issuer"):
        if extra in record:
            fields[extra] = record[extra]
    if "genre" not in fields and (not doc.genre or doc.genre == "其他"):
        fields["genre"] = next((g for g in ("通知", "意见", "办法", "决定", "规定", "方案", "公告",
                                            "通告", "报告") if g in record["title"][-8:]), "其他")
    _apply_fields(doc, fields)
    # A withdrawn document stays withdrawn: re-importing must not silently republish it.
    publish = (record.get("published") and doc.attribute == Attribute.PUBLIC
               and doc.status != Status.WITHDRAWN)
    if publish and doc.status != Status.PUBLISHED:
        doc.published_at = _published_at(record["published"])
        _publish_now(doc, actor, doc.published_at)
    elif publish:
        doc.published_at = _published_at(record["published"])
    after = audit.snapshot(doc, _REVISION_FIELDS + ["org_id", "published_at"])
    changes = audit.diff(before, after)
    if not created and not changes:
        return doc, "unchanged"
    doc.save()
    if not created and not publish:
        _reopen(doc)  # imported changes to a pending/scheduled text void its review
    _revision(doc, actor, "import" if created else "edit",
              "" if created else "按导入数据更新")
    audit.record(actor=actor, action="xxgk.document.import", target=doc,
                 summary=f"{'导入' if created else '更新'}：{record['external_id']}",
                 changes={k: v for k, v in changes.items() if k not in ("body",)})
    _changed(doc.pk)
    return doc, "created" if created else "updated"
