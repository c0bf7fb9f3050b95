"""After the period: group and dispose opinions, then review and publish the 意见采纳情况."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.core import audit
from gongkai.core.permissions import can_edit, require
from gongkai.participation.models import (
    Consultation,
    Disposition,
    FeedbackReport,
    Opinion,
    OpinionGroup,
    Review,
)
from gongkai.participation.notify import mail_feedback_published
from gongkai.participation.panel import unit_page_on_commit
from gongkai.participation.search import reindex_on_commit
from gongkai.participation.services.common import (
    Blocked,
    check_reviewer,
    check_revision,
    clean_text,
    content_hash,
)


def _closed(c: Consultation) -> None:
    if not c.is_published or c.ends_at > timezone.now():
        raise ValidationError("征求意见截止后才能处理意见。")
    if c.is_withdrawn:
        raise ValidationError("该征求意见已撤回，无需处理意见和公布采纳情况。")


def report_problems(c: Consultation) -> list[str]:
    """Why the report cannot be published yet."""
    problems = []
    pending = [op for op in c.opinions.filter(hidden_reason="").select_related("group")
               if not op.final_disposition()]
    if pending:
        problems.append(f"还有{len(pending)}条意见未处理。")
    for op in c.opinions.filter(hidden_reason="").select_related("group"):
        if op.final_disposition() in (Disposition.REJECTED, Disposition.PARTLY) and \
                not op.final_reason().strip():
            problems.append(f"意见{op.pk}未说明不予采纳或部分采纳的理由。")
    for g in c.groups.filter(concentrated=True, disposition=Disposition.REJECTED):
        if len(g.reason.strip()) < 10:
            problems.append(f"较为集中的意见“{g.title}”不予采纳，须向社会说明理由（至少10字）。")
    return problems


def report_revision(report: FeedbackReport) -> str:
    c = report.consultation
    ops = [[op.pk, op.body, op.article_id, op.channel, op.group_id, op.disposition, op.reason,
            op.hidden_reason, op.publish_name] for op in c.opinions.order_by("pk")]
    groups = [[g.pk, g.title, g.concentrated, g.disposition, g.reason]
              for g in c.groups.order_by("pk")]
    return content_hash({"summary": report.summary, "opinions": ops, "groups": groups})


@transaction.atomic(durable=True)
def group_opinions(*, actor, consultation: Consultation, title: str, opinion_ids,
                   concentrated: bool = False) -> OpinionGroup:
    c = Consultation.objects.select_for_update().get(pk=consultation.pk)
    require(can_edit(actor, c.org), "您不能处理该单位的意见。")
    _closed(c)
    title = clean_text(title, 200)
    if not title:
        raise ValidationError({"title": "请填写归类名称。"})
    ops = list(c.opinions.filter(pk__in=[int(i) for i in opinion_ids if str(i).isdecimal()]))
    if not ops:
        raise ValidationError("请至少选择一条意见。")
    g = OpinionGroup.objects.create(consultation=c, title=title, concentrated=concentrated)
    Opinion.objects.filter(pk__in=[o.pk for o in ops]).update(group=g)
    _report_edited(c)
    audit.record(actor=actor, action="gzcy.opinion.group", target=c, org=c.org,
                 summary=f"{title}：{len(ops)}条", changes={"opinions": {
                     "before": [], "after": [o.pk for o in ops]}})
    return g


def _report_edited(c: Consultation) -> None:
    """A change to dispositions voids a submission (the reviewer approved other content)."""
    FeedbackReport.objects.filter(consultation=c, review_status=Review.PENDING).update(
        review_status=Review.DRAFT)


@transaction.atomic(durable=True)
def dispose(*, actor, consultation: Consultation, disposition: str, reason: str,
            opinion: Opinion | None = None, group: OpinionGroup | None = None):
    """采纳 / 部分采纳 / 不予采纳 one opinion or a group, with the reason published."""
    c = Consultation.objects.select_for_update().get(pk=consultation.pk)
    require(can_edit(actor, c.org), "您不能处理该单位的意见。")
    _closed(c)
    if FeedbackReport.objects.filter(consultation=c, review_status=Review.PUBLISHED).exists():
        raise ValidationError("采纳情况已公布，不能再修改处理结果。")
    if disposition not in Disposition.values:
        raise ValidationError({"disposition": "请选择处理结果。"})
    reason = clean_text(reason, 3000)
    if disposition != Disposition.ADOPTED and not reason:
        raise ValidationError({"reason": "部分采纳或不予采纳须说明理由。"})
    if (opinion is None) == (group is None):
        raise ValidationError("请选择一条意见或一个归类。")
    if group is not None:
        target = OpinionGroup.objects.get(pk=group.pk, consultation=c)
        if target.concentrated and disposition == Disposition.REJECTED and len(reason) < 10:
            raise ValidationError(
                {"reason": "较为集中的意见不予采纳，须向社会说明理由（至少10字）。"})
        before = target.disposition
        target.disposition, target.reason = disposition, reason
        target.save(update_fields=["disposition", "reason"])
        label = f"归类“{target.title}”"
    else:
        target = Opinion.objects.get(pk=opinion.pk, consultation=c)
        before = target.disposition
        target.disposition, target.reason = disposition, reason
        target.disposed_by, target.disposed_at = actor, timezone.now()
        target.save(update_fields=["disposition", "reason", "disposed_by", "disposed_at"])
        label = f"意见{target.pk}"
    _report_edited(c)
    audit.record(actor=actor, action="gzcy.opinion.dispose", target=c, org=c.org,
                 summary=f"{label}：{dict(Disposition.choices)[disposition]}",
                 changes={"disposition": {"before": before, "after": disposition}})
    return target


@transaction.atomic(durable=True)
def save_report(*, actor, consultation: Consultation, summary: str) -> FeedbackReport:
    c = Consultation.objects.select_for_update().get(pk=consultation.pk)
    require(can_edit(actor, c.org), "您不能编写该单位的采纳情况。")
    _closed(c)
    report, created = FeedbackReport.objects.get_or_create(consultation=c,
                                                           defaults={"created_by": actor})
    if report.is_published:
        raise ValidationError("采纳情况已公布，不能修改。")
    report.summary = clean_text(summary, 20_000)
    report.review_status = Review.DRAFT
    report.save()
    audit.record(actor=actor, action="gzcy.report.save", target=report, org=c.org)
    return report


@transaction.atomic(durable=True)
def submit_report(*, actor, report: FeedbackReport) -> FeedbackReport:
    r = FeedbackReport.objects.select_for_update().select_related("consultation").get(
        pk=report.pk)
    require(can_edit(actor, r.org), "您不能提交该单位的采纳情况。")
    if r.review_status != Review.DRAFT:
        raise ValidationError("只有草稿可以提交审核。")
    problems = report_problems(r.consultation)
    if problems:
        raise Blocked(problems)
    r.review_status, r.submitted_by, r.return_reason = Review.PENDING, actor, ""
    r.save(update_fields=["review_status", "submitted_by", "return_reason", "updated_at"])
    audit.record(actor=actor, action="gzcy.report.submit", target=r, org=r.org)
    return r


@transaction.atomic(durable=True)
def publish_report(*, actor, report: FeedbackReport, revision: str) -> FeedbackReport:
    """Publish the report the reviewer saw, and tell each commenter who left contact
    details (their opinion is flagged; the notifier sends from there)."""
    r = FeedbackReport.objects.select_for_update().select_related("consultation").get(
        pk=report.pk)
    check_reviewer(actor, r, r.org)
    if r.review_status != Review.PENDING:
        raise ValidationError("只有待审核的采纳情况可以发布。")
    check_revision(report_revision(r), revision)
    problems = report_problems(r.consultation)
    if problems:
        raise Blocked(problems)
    now = timezone.now()
    r.review_status, r.reviewed_by, r.approved_hash, r.published_at = (
        Review.PUBLISHED, actor, revision, now)
    r.save()
    to_tell = r.consultation.opinions.exclude(contact_encrypted="").filter(
        notified_at__isnull=True, hidden_reason="")
    ids = list(to_tell.values_list("pk", flat=True))
    notified = to_tell.update(notified_at=now)
    transaction.on_commit(lambda: mail_feedback_published(ids))
    audit.record(actor=actor, action="gzcy.report.publish", target=r, org=r.org,
                 summary=f"通知留有联系方式的意见人{notified}人",
                 changes={"revision": {"before": "", "after": revision[:10]}})
    reindex_on_commit(consultation=r.consultation)
    unit_page_on_commit(r.org)
    return r


@transaction.atomic(durable=True)
def return_report(*, actor, report: FeedbackReport, reason: str) -> FeedbackReport:
    r = FeedbackReport.objects.select_for_update().select_related("consultation").get(
        pk=report.pk)
    check_reviewer(actor, r, r.org)
    reason = clean_text(reason, 500)
    if not reason:
        raise ValidationError({"reason": "退回须填写理由。"})
    if r.review_status != Review.PENDING:
        raise ValidationError("只有待审核的采纳情况可以退回。")
    r.review_status, r.return_reason = Review.DRAFT, reason
    r.save(update_fields=["review_status", "return_reason", "updated_at"])
    audit.record(actor=actor, action="gzcy.report.return", target=r, org=r.org, summary=reason)
    return r
