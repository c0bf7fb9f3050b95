"""Importing a work plan into the 台账, and resolving unit names it did not match."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from gongkai.core import audit
from gongkai.core.models import Organization
from gongkai.core.permissions import is_coordinator, require
from gongkai.supervision import planparse
from gongkai.supervision.models import Assignment, NameAlias, Plan, PlanTask


def plan_text(data: bytes, filename: str) -> str:
    """The text of an uploaded plan: UTF-8 (or GB18030) text, or a DOCX's paragraphs."""
    if filename.lower().endswith(".docx"):
        import io
        import zipfile

        import docx

        try:
            document = docx.Document(io.BytesIO(data))
        except (zipfile.BadZipFile, KeyError, ValueError) as exc:
            raise ValidationError("无法读取该 DOCX 文件，请确认文件完整。") from exc
        return "\n".join(p.text for p in document.paragraphs)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError("文件编码无法识别，请上传 UTF-8 文本或 DOCX 文件。")


def units() -> list[planparse.Unit]:
    return [planparse.Unit(o.pk, o.name, o.short_name, o.kind)
            for o in Organization.objects.filter(is_active=True)]


def aliases() -> dict[str, int]:
    return dict(NameAlias.objects.values_list("name", "org_id"))


def _assign(task: PlanTask, parsed: planparse.ParsedTask, all_units, alias_map) -> list[str]:
    named, grouped, unknown = planparse.resolve(parsed.names, parsed.groups, all_units,
                                                alias_map)
    existing = set(task.assignments.values_list("org_id", flat=True))
    for org_id in named:
        if org_id not in existing:
            Assignment.objects.create(task=task, org_id=org_id, named=True)
    for org_id in grouped:
        if org_id not in existing:
            Assignment.objects.create(task=task, org_id=org_id, named=False)
    task.unresolved = unknown
    task.save(update_fields=["unresolved"])
    return unknown


@transaction.atomic(durable=True)
def import_plan(*, actor, text: str, source_name: str = "", year: int | None = None,
                check_permission: bool = True) -> Plan:
    """Parse ``text`` into a plan with its tasks and unit assignments.

    Importing the same plan (same year and title) again updates task texts and adds
    assignments for units matched since; progress already reported is kept.
    """
    if check_permission:
        require(is_coordinator(actor), "只有公开办协调员可以导入工作要点。")
    parsed = planparse.parse(text)
    if not parsed.tasks:
        raise ValidationError("; ".join(parsed.warnings) or "没有识别出任务。")
    year = year or parsed.year
    if not year:
        raise ValidationError("无法从文件中识别年度，请填写年度。")
    title = parsed.title or f"{year}年政务公开工作要点"
    plan, created = Plan.objects.get_or_create(
        year=year, title=title,
        defaults={"doc_number": parsed.doc_number, "source_name": source_name[:200],
                  "imported_by": actor if getattr(actor, "is_authenticated", False) else None})
    all_units, alias_map = units(), aliases()
    unresolved: list[str] = []
    for i, pt in enumerate(parsed.tasks):
        task, _ = PlanTask.objects.update_or_create(
            plan=plan, code=pt.code,
            defaults={"order": i, "section_title": pt.section_title[:200],
                      "title": pt.title[:200], "text": pt.text,
                      "responsibility": pt.responsibility[:500]})
        for name in _assign(task, pt, all_units, alias_map):
            if name not in unresolved:
                unresolved.append(name)
    plan.unresolved = unresolved
    plan.save(update_fields=["unresolved"])
    audit.record(actor=actor, action="dc.plan.import", target=plan,
                 summary=f"{'导入' if created else '重新导入'}{plan.title}："
                         f"{len(parsed.tasks)} 项任务，"
                         f"{len(unresolved)} 个单位名称待匹配")
    return plan


@transaction.atomic(durable=True)
def add_alias(*, actor, plan: Plan, name: str, org: Organization | None) -> int:
    """Remember the coordinator's answer for an unmatched name — a unit, or None for "not a
    unit of this platform" — and apply it to every plan still asking about it. Returns how
    many tasks the unit was given."""
    require(is_coordinator(actor), "只有公开办协调员可以匹配单位名称。")
    if name not in plan.unresolved:
        raise ValidationError("该名称不在待匹配列表中。")
    before = NameAlias.objects.filter(name=name).first()
    NameAlias.objects.update_or_create(name=name, defaults={
        "org": org, "created_by": actor if getattr(actor, "is_authenticated", False) else None})
    added = 0
    for p in Plan.objects.select_for_update().order_by("pk"):
        if name not in p.unresolved:
            continue
        for task in p.tasks.all():
            if name not in task.unresolved:
                continue
            if org is not None:
                a, made = Assignment.objects.get_or_create(task=task, org=org,
                                                           defaults={"named": True})
                if not made and not a.named:
                    a.named = True
                    a.save(update_fields=["named"])
                added += 1
            task.unresolved = [n for n in task.unresolved if n != name]
            task.save(update_fields=["unresolved"])
        p.unresolved = [n for n in p.unresolved if n != name]
        p.save(update_fields=["unresolved"])
    target = org.name if org is not None else "非本平台单位（不分配任务）"
    audit.record(actor=actor, action="dc.plan.alias", target=plan, org=org,
                 changes={"alias": {"before": str(before.org_id or "") if before else None,
                                    "after": str(org.pk) if org else ""}},
                 summary=f"「{name}」确定为{target}" + (f"，{added} 项任务" if org else ""))
    return added


@transaction.atomic(durable=True)
def remove_alias(*, actor, alias: NameAlias) -> None:
    """Forget an answer: plans imported from now on ask about the name again (tasks
    already given to the unit stay with it)."""
    require(is_coordinator(actor), "只有公开办协调员可以维护单位别名。")
    label = str(alias)
    audit.record(actor=actor, action="dc.plan.alias_remove", target=alias,
                 target_label=label[:300], org=alias.org, summary=f"删除单位别名：{label}")
    alias.delete()
