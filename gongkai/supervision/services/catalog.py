"""26+1+n 标准目录: import of the national catalogs, the district's +1 and units' n."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from gongkai.core import audit
from gongkai.core.permissions import can_edit, is_coordinator, require
from gongkai.supervision import catalog
from gongkai.supervision.models import CatalogEntry, CatalogLevel

EDITABLE = ("domain", "item1", "item2", "content", "basis", "time_limit", "subject",
            "channels", "audience", "mode", "tier", "node_urls")


def _may_edit(actor, level: str, org) -> None:
    if level == CatalogLevel.UNIT:
        require(org is not None and can_edit(actor, org), "只能编辑本单位的「n」目录。")
    else:
        require(is_coordinator(actor), "国家和区级目录由公开办维护。")


def _check_urls(text: str) -> str:
    urls = [x.strip() for x in (text or "").splitlines() if x.strip()]
    for u in urls:
        if not u.startswith(("/", "http://", "https://")):
            raise ValidationError(f"栏目地址「{u[:60]}」不是网址。")
    return "\n".join(urls)


@transaction.atomic(durable=True)
def import_catalog(*, actor, data: bytes, filename: str, level: str, org=None
                   ) -> tuple[int, list[str]]:
    """Import the valid rows; return (count, errors of the rows left out, by line)."""
    if level not in CatalogLevel.values:
        raise ValidationError("目录类别无效。")
    _may_edit(actor, level, org)
    parsed = catalog.read(data, filename)
    if not parsed.rows and parsed.errors:
        raise ValidationError(parsed.errors[:50])
    errors = list(parsed.errors)
    made = 0
    for row in parsed.rows:
        try:
            values = dict(row.values)
            values["node_urls"] = _check_urls(values.get("node_urls", ""))
        except ValidationError as exc:
            errors.append(f"第{row.line}行：{exc.messages[0]}")
            continue
        values = {k: v[:CatalogEntry._meta.get_field(k).max_length or 100000]
                  if getattr(CatalogEntry._meta.get_field(k), "max_length", None) else v
                  for k, v in values.items() if k in EDITABLE}
        CatalogEntry.objects.create(level=level, org=org if level == CatalogLevel.UNIT else None,
                                    **values)
        made += 1
    audit.record(actor=actor, action="dc.catalog.import", org=org,
                 target_label=f"标准目录 {filename}"[:300],
                 summary=f"导入{CatalogLevel(level).label} {made} 条，{len(errors)} 行有误未导入")
    return made, errors


@transaction.atomic(durable=True)
def save_entry(*, actor, level: str, org=None, entry: CatalogEntry | None = None,
               **fields) -> CatalogEntry:
    if entry is not None:
        level, org = entry.level, entry.org
    if level == CatalogLevel.NATIONAL and entry is None:
        raise ValidationError("国家标准目录请通过文件导入。")
    _may_edit(actor, level, org)
    if not fields.get("time_limit") or catalog.period_days(fields["time_limit"]) is None:
        raise ValidationError("公开时限无法识别，请写明如「20个工作日」「每季度」。")
    fields["node_urls"] = _check_urls(fields.get("node_urls", ""))
    entry = entry or CatalogEntry(level=level, org=org if level == CatalogLevel.UNIT else None)
    before = audit.snapshot(entry, list(EDITABLE)) if entry.pk else {}
    for k in EDITABLE:
        if k in fields:
            setattr(entry, k, fields[k] or "")
    entry.full_clean()
    entry.save()
    audit.record(actor=actor, action="dc.catalog.save", target=entry, org=entry.org,
                 changes=audit.diff(before, audit.snapshot(entry, list(EDITABLE))),
                 summary=f"保存目录事项「{entry}」"[:300])
    return entry
