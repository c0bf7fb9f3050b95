"""公开目录: seeding and editing a unit's directory nodes."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from gongkai.core import audit
from gongkai.core.models import Organization
from gongkai.core.permissions import is_coordinator, require
from gongkai.disclosure.directory import flatten
from gongkai.disclosure.models import (
    DirectoryNode,
    NodeKind,
)


@transaction.atomic
def seed_directory(*, actor, org: Organization, check_permission: bool = True) -> int:
    """Create the standard 公开目录 nodes ``org`` lacks; returns how many were added."""
    if check_permission:
        require(is_coordinator(actor), "只有公开办协调员可以编辑公开目录。")
    existing = {n.code: n for n in DirectoryNode.objects.filter(org=org)}
    added = 0
    for code, name, kind, limit, parent_code, order in flatten():
        if code in existing:
            continue
        existing[code] = DirectoryNode.objects.create(
            org=org, code=code, name=name, kind=kind, time_limit_wd=limit,
            parent=existing.get(parent_code) if parent_code else None, sort_order=order * 10,
        )
        added += 1
    audit.record(actor=actor, action="xxgk.directory.seed", org=org, target=org,
                 summary=f"{org.name}公开目录：新增 {added} 个栏目")
    return added


def ensure_directory(org: Organization) -> None:
    """Seed the directory once, for units that have none yet (system action)."""
    if not DirectoryNode.objects.filter(org=org).exists():
        seed_directory(actor=None, org=org, check_permission=False)


@transaction.atomic
def save_node(*, actor, org: Organization, node: DirectoryNode | None = None, name: str,
              code: str, parent: DirectoryNode | None = None, time_limit_wd: int = 20,
              kind: str = NodeKind.DOCUMENTS, description: str = "", sort_order: int = 100,
              is_active: bool = True, check_permission: bool = True) -> DirectoryNode:
    if check_permission:
        require(is_coordinator(actor), "只有公开办协调员可以编辑公开目录。")
    if parent is not None and parent.org_id != org.pk:
        raise ValidationError({"parent": "上级栏目须属于同一单位。"})
    if not 1 <= int(time_limit_wd) <= 20:
        raise ValidationError(
            {"time_limit_wd": "公开时限须在1至20个工作日之间（条例第二十六条）。"})
    if node is not None and parent is not None and parent.pk in node.descendant_ids():
        raise ValidationError({"parent": "不能把栏目移到它自己的下级。"})
    clash = DirectoryNode.objects.filter(org=org, code=code)
    if node is not None:
        clash = clash.exclude(pk=node.pk)
    if clash.exists():
        raise ValidationError({"code": "栏目代码已被使用。"})
    before = audit.snapshot(node, ["name", "code", "parent_id", "time_limit_wd", "kind",
                                   "is_active"]) if node else {}
    node = node or DirectoryNode(org=org)
    node.name, node.code, node.parent, node.time_limit_wd = name, code, parent, time_limit_wd
    node.kind, node.description, node.sort_order, node.is_active = (kind, description,
                                                                    sort_order, is_active)
    node.save()
    audit.record(actor=actor, action="xxgk.node.save", org=org, target=node,
                 changes=audit.diff(before, audit.snapshot(node, list(before) or [
                     "name", "code", "parent_id", "time_limit_wd", "kind", "is_active"])))
    return node
