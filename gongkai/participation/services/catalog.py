"""重大行政决策事项目录: draft, review and publish a unit's annual catalog and its items
(the stages of an item are in ``stages``)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.core import audit
from gongkai.core.permissions import can_edit, require
from gongkai.participation.models import (
    PROCEDURES,
    Catalog,
    Decision,
    DecisionStatus,
    Review,
)
from gongkai.participation.panel import unit_page_on_commit
from gongkai.participation.search import reindex_on_commit
from gongkai.participation.services.common import (
    check_reviewer,
    check_revision,
    clean_text,
    content_hash,
)

ITEM_FIELDS = ["seq", "title", "undertaker", "basis", "planned", "procedures", "adjustment",
               "added_in_adjustment"]


def item_rows(catalog: Catalog) -> list[dict]:
    rows = []
    for d in catalog.items.order_by("seq", "pk"):
        row = {f: getattr(d, f) for f in ITEM_FIELDS}
        row["id"] = d.pk
        row["dropped"] = d.status == DecisionStatus.ADJUSTED
        rows.append(row)
    return rows


def catalog_revision(catalog: Catalog) -> str:
    return content_hash({"org": catalog.org_id, "year": catalog.year,
                         "items": item_rows(catalog)})


@transaction.atomic(durable=True)
def create_catalog(*, actor, org, year: int) -> Catalog:
    require(can_edit(actor, org), "您不能编制该单位的目录。")
    if not 2000 <= int(year) <= 2100:
        raise ValidationError({"year": "年度不正确。"})
    if Catalog.objects.filter(org=org, year=year).exists():
        raise ValidationError({"year": f"{org.name}{year}年度目录已存在。"})
    cat = Catalog.objects.create(org=org, year=year, created_by=actor)
    audit.record(actor=actor, action="gzcy.catalog.create", target=cat, org=org)
    return cat


def _clean_item(data: dict) -> dict:
    procedures = [p for p in data.get("procedures") or [] if p in dict(PROCEDURES)]
    out = {
        "title": clean_text(data.get("title"), 200),
        "undertaker": clean_text(data.get("undertaker"), 100),
        "basis": clean_text(data.get("basis"), 2000),
        "planned": clean_text(data.get("planned"), 50),
        "procedures": procedures,
    }
    if not out["title"] or not out["undertaker"]:
        raise ValidationError("决策事项名称和承办单位不能为空。")
    return out


def _edited(cat: Catalog) -> None:
    """Any edit voids an earlier submission: the reviewer must see the new text."""
    if cat.review_status == Review.PENDING:
        cat.review_status = Review.DRAFT
        cat.save(update_fields=["review_status", "updated_at"])


@transaction.atomic(durable=True)
def add_item(*, actor, catalog: Catalog, data: dict) -> Decision:
    cat = Catalog.objects.select_for_update().get(pk=catalog.pk)
    require(can_edit(actor, cat.org), "您不能修改该单位的目录。")
    if cat.is_published:
        raise ValidationError("目录已发布，年中增加事项请使用“调整”，并说明理由。")
    fields = _clean_item(data)
    seq = (cat.items.order_by("-seq").values_list("seq", flat=True).first() or 0) + 1
    item = Decision.objects.create(catalog=cat, seq=seq, **fields)
    _edited(cat)
    audit.record(actor=actor, action="gzcy.item.add", target=item, org=cat.org,
                 changes={"title": {"before": "", "after": item.title}})
    return item


@transaction.atomic(durable=True)
def adjust_item(*, actor, catalog: Catalog, reason: str, item: Decision | None = None,
                data: dict | None = None, drop: bool = False) -> Decision:
    """A change to a published catalog: add an item, change one, or drop one (status
    已调整), always with the reason published next to it. The catalog goes back to review."""
    cat = Catalog.objects.select_for_update().get(pk=catalog.pk)
    require(can_edit(actor, cat.org), "您不能修改该单位的目录。")
    reason = clean_text(reason, 2000)
    if not reason:
        raise ValidationError({"reason": "调整目录须说明理由。"})
    if item is None:
        fields = _clean_item(data or {})
        seq = (cat.items.order_by("-seq").values_list("seq", flat=True).first() or 0) + 1
        target = Decision.objects.create(catalog=cat, seq=seq, added_in_adjustment=True,
                                         adjustment=reason, **fields)
        action = "gzcy.item.adjust_add"
    else:
        target = Decision.objects.select_for_update().get(pk=item.pk, catalog=cat)
        if data:
            for k, v in _clean_item(data).items():
                setattr(target, k, v)
        if drop:
            target.status = DecisionStatus.ADJUSTED
        target.adjustment = reason
        target.save()
        action = "gzcy.item.adjust_drop" if drop else "gzcy.item.adjust"
    cat.review_status = Review.DRAFT if not cat.is_published else Review.PENDING
    cat.submitted_by = actor
    cat.save(update_fields=["review_status", "submitted_by", "updated_at"])
    audit.record(actor=actor, action=action, target=target, org=cat.org, summary=reason)
    return target


@transaction.atomic(durable=True)
def submit_catalog(*, actor, catalog: Catalog) -> Catalog:
    cat = Catalog.objects.select_for_update().get(pk=catalog.pk)
    require(can_edit(actor, cat.org), "您不能提交该单位的目录。")
    if not cat.items.exists():
        raise ValidationError("目录中还没有事项。")
    cat.review_status = Review.PENDING
    cat.submitted_by = actor
    cat.save(update_fields=["review_status", "submitted_by", "updated_at"])
    audit.record(actor=actor, action="gzcy.catalog.submit", target=cat, org=cat.org)
    return cat


@transaction.atomic(durable=True)
def publish_catalog(*, actor, catalog: Catalog, revision: str) -> Catalog:
    cat = Catalog.objects.select_for_update().get(pk=catalog.pk)
    check_reviewer(actor, cat, cat.org)
    if cat.review_status != Review.PENDING:
        raise ValidationError("只有待审核的目录可以发布。")
    check_revision(catalog_revision(cat), revision)
    first = cat.published_at is None
    cat.review_status = Review.PUBLISHED
    cat.reviewed_by = actor
    cat.approved_hash = revision
    cat.published_at = cat.published_at or timezone.now()
    cat.snapshot = item_rows(cat)
    cat.save()
    audit.record(actor=actor, action="gzcy.catalog.publish" if first else "gzcy.catalog.republish",
                 target=cat, org=cat.org,
                 changes={"revision": {"before": "", "after": revision[:10]}})
    reindex_on_commit(catalog=cat)
    unit_page_on_commit(cat.org)
    return cat


@transaction.atomic(durable=True)
def return_catalog(*, actor, catalog: Catalog, reason: str) -> Catalog:
    cat = Catalog.objects.select_for_update().get(pk=catalog.pk)
    check_reviewer(actor, cat, cat.org)
    reason = clean_text(reason, 500)
    if not reason:
        raise ValidationError({"reason": "退回须填写理由。"})
    if cat.review_status != Review.PENDING:
        raise ValidationError("只有待审核的目录可以退回。")
    cat.review_status = Review.DRAFT if cat.published_at is None else Review.PUBLISHED
    cat.return_reason = reason
    cat.save(update_fields=["review_status", "return_reason", "updated_at"])
    audit.record(actor=actor, action="gzcy.catalog.return", target=cat, org=cat.org,
                 summary=reason)
    return cat
