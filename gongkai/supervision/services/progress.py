"""Quarterly progress of each unit's tasks, 督查 notices and the 回头看 of last year's plan."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.core import audit
from gongkai.core.permissions import can_edit, is_coordinator, require
from gongkai.core.uploads import validate_upload
from gongkai.supervision.models import (
    Assignment,
    AssignmentStatus,
    Notice,
    Plan,
    PlanTask,
    Progress,
)


def quarter_of(day: dt.date) -> str:
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def _check_links(evidence: str) -> str:
    links = [x.strip() for x in evidence.splitlines() if x.strip()]
    for link in links:
        if not (link.startswith("/") or link.startswith("https://")
                or link.startswith("http://")):
            raise ValidationError(
                f"佐证链接「{link[:60]}」不是网址，请填写本单位已公开信息的链接。")
    return "\n".join(links)


@transaction.atomic(durable=True)
def report_progress(*, actor, assignment: Assignment, text: str, evidence: str = "",
                    attachment=None, done: bool = False, quarter: str | None = None
                    ) -> Progress:
    require(can_edit(actor, assignment.org), "只能报送本单位任务的进展。")
    text = (text or "").strip()
    if not text:
        raise ValidationError("请填写工作进展。")
    evidence = _check_links(evidence or "")
    if attachment is not None:
        validate_upload(attachment)
    progress = Progress.objects.create(
        assignment=assignment, quarter=quarter or quarter_of(timezone.localdate()), text=text,
        evidence=evidence, done=done, created_by=actor if actor.is_authenticated else None,
        **({"attachment": attachment} if attachment is not None else {}))
    before = assignment.status
    assignment.status = AssignmentStatus.DONE if done else AssignmentStatus.REPORTED
    assignment.save(update_fields=["status"])
    audit.record(actor=actor, action="dc.progress.report", target=assignment,
                 org=assignment.org, changes={"status": {"before": before,
                                                         "after": assignment.status}},
                 summary=f"{progress.quarter} 报送进展{'（已完成）' if done else ''}")
    return progress


@transaction.atomic(durable=True)
def send_notice(*, actor, org, text: str, due: dt.date, plan: Plan | None = None) -> Notice:
    require(is_coordinator(actor), "只有公开办协调员可以发出督查通知。")
    if not (text or "").strip():
        raise ValidationError("请填写督查事项。")
    if due < timezone.localdate():
        raise ValidationError("办理期限不能早于今天。")
    notice = Notice.objects.create(org=org, plan=plan, text=text.strip(), due=due)
    audit.record(actor=actor, action="dc.notice.send", target=notice, org=org,
                 target_label=f"督查通知（{org.name}）", summary=f"期限 {due}")
    return notice


@transaction.atomic(durable=True)
def answer_notice(*, actor, notice: Notice, answer: str) -> Notice:
    require(can_edit(actor, notice.org), "只能回复本单位的督查通知。")
    if not (answer or "").strip():
        raise ValidationError("请填写办理情况。")
    if notice.answered_at is not None:
        raise ValidationError("该督查通知已回复。")
    notice.answer, notice.answered_at = answer.strip(), timezone.now()
    notice.save(update_fields=["answer", "answered_at"])
    late = timezone.localdate() > notice.due
    audit.record(actor=actor, action="dc.notice.answer", target=notice, org=notice.org,
                 summary="回复督查通知" + ("（逾期）" if late else ""))
    return notice


@transaction.atomic(durable=True)
def carry_over(*, actor, source: Plan, target: Plan, rectify_by: dt.date) -> int:
    """回头看: every unfinished assignment of ``source`` becomes a task of ``target``."""
    require(is_coordinator(actor), "只有公开办协调员可以开展回头看。")
    if source.pk == target.pk or source.year >= target.year:
        raise ValidationError("回头看的来源须为上一年度的工作要点。")
    pending = Assignment.objects.filter(task__plan=source).exclude(
        status=AssignmentStatus.DONE).select_related("task", "org")
    count = 0
    order = (target.tasks.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    for a in pending:
        code = f"回头看{a.task.code}"
        task, made = PlanTask.objects.get_or_create(
            plan=target, code=code,
            defaults={"order": order, "section_title": f"{source.year}年度未完成任务回头看",
                      "title": a.task.title, "text": a.task.text,
                      "responsibility": a.task.responsibility, "due": rectify_by})
        order += made
        _, created = Assignment.objects.get_or_create(
            task=task, org=a.org, defaults={"named": a.named, "carried_from": a,
                                            "rectify_by": rectify_by})
        count += created
    audit.record(actor=actor, action="dc.plan.carry_over", target=target,
                 summary=f"{source.year}年度未完成任务 {count} 项转入回头看，整改期限 {rectify_by}")
    return count
