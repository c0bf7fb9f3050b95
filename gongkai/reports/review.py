"""The review workflow of annual reports: one transaction and one audit entry per verb.

草稿 → 待审核 (submit) → 已审核 (approve) → 已发布 (publish); a reviewer may return a report
under review, or reopen a published one for correction.

Review binding: approval records a hash of exactly what the reviewer saw — the three texts,
the 上年结转 explanation and every figure of the tables. Publishing recomputes it and refuses
if anything changed since (an edit, or records that moved the computed figures). Nobody who
drafted or edited a report may approve it (four eyes).

条例 Art. 49–50: the report on year Y is published by 31 January of Y+1 (31 March for the
government's own report); it cannot be published before 1 January of Y+1 — the year is
not over.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from gongkai.core import audit
from gongkai.core.models import AuditEntry
from gongkai.core.permissions import can_edit, can_review, require
from gongkai.reports import exports
from gongkai.reports.models import AnnualReport, ReportStatus
from gongkai.reports.services import _snap, document_for, state

# Audit actions that change a report's content: whoever did one of them edited it.
EDIT_ACTIONS = ("reports.open", "reports.save", "reports.import_figures", "reports.submit")


class PublishBlocked(ValidationError):
    """Publishing refused: the messages (Chinese) name the failing column or applications."""


def _today() -> dt.date:
    return timezone.localdate()


def publishable_from(year: int) -> dt.date:
    return dt.date(year + 1, 1, 1)


def content_hash(report: AnnualReport, st=None) -> str:
    """SHA-256 of what a reviewer approves: texts and every figure as the form shows them."""
    st = st or state(report.org, report.year, report)
    content = {"overview": report.overview, "problems": report.problems,
               "other": report.other, "carry_note": report.carry_note,
               "figures": st.data.to_json(), "carried_out": sorted(st.carried_out)}
    raw = json.dumps(content, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(raw.encode()).hexdigest()


def editors(report: AnnualReport) -> set[int]:
    """Ids of the users who drafted, edited or submitted ``report``."""
    ids = set(AuditEntry.objects.filter(
        target_type=f"{report._meta.app_label}.{report._meta.model_name}",
        target_id=str(report.pk), action__in=EDIT_ACTIONS, actor__isnull=False,
    ).values_list("actor_id", flat=True))
    if report.submitted_by_id:
        ids.add(report.submitted_by_id)
    return ids


def _locked(report: AnnualReport) -> AnnualReport:
    return AnnualReport.objects.select_for_update().select_related("org").get(pk=report.pk)


@transaction.atomic
def submit_report(*, actor, report: AnnualReport) -> AnnualReport:
    report = _locked(report)
    require(can_edit(actor, report.org), "只能提交本单位的年度报告。")
    if report.status != ReportStatus.DRAFT:
        raise ValidationError("只有草稿可以提交审核。")
    before = _snap(report)
    report.status, report.return_reason, report.submitted_by = ReportStatus.REVIEW, "", actor
    report.approved_hash, report.approved_by, report.approved_at = "", None, None
    report.save()
    audit.record(actor=actor, action="reports.submit", target=report, org=report.org,
                 changes=audit.diff(before, _snap(report)),
                 summary=f"{report.year}年度报告提交审核")
    return report


@transaction.atomic
def approve_report(*, actor, report: AnnualReport) -> AnnualReport:
    """The reviewer approves exactly what is shown now; the hash binds the publication to it."""
    report = _locked(report)
    require(can_review(actor, report.org), "只有本单位审核人或公开办协调员可以审核年度报告。")
    if report.status not in (ReportStatus.REVIEW, ReportStatus.APPROVED):
        raise ValidationError("只有待审核的报告可以审核通过。")
    if actor.pk in editors(report):
        raise ValidationError("您参与了本报告的编辑或提交，不能审核本报告，请由其他审核人审核。")
    st = state(report.org, report.year, report)
    if st.blockers(report.carry_note):
        raise PublishBlocked(st.blockers(report.carry_note))
    before = _snap(report)
    report.status = ReportStatus.APPROVED
    report.approved_hash = content_hash(report, st)
    report.approved_by, report.approved_at = actor, timezone.now()
    report.save()
    audit.record(actor=actor, action="reports.approve", target=report, org=report.org,
                 changes={**audit.diff(before, _snap(report)),
                          "approved_hash": {"before": None, "after": report.approved_hash}},
                 summary=f"{report.year}年度报告审核通过")
    return report


@transaction.atomic
def return_report(*, actor, report: AnnualReport, reason: str) -> AnnualReport:
    report = _locked(report)
    require(can_review(actor, report.org), "只有本单位审核人或公开办协调员可以退回年度报告。")
    if report.status not in (ReportStatus.REVIEW, ReportStatus.APPROVED):
        raise ValidationError("只有待审核或已审核未发布的报告可以退回。")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写退回理由。"})
    before = _snap(report)
    report.status, report.return_reason = ReportStatus.DRAFT, reason[:500]
    report.approved_hash, report.approved_by, report.approved_at = "", None, None
    report.save()
    audit.record(actor=actor, action="reports.return", target=report, org=report.org,
                 changes=audit.diff(before, _snap(report)), summary=f"退回：{reason[:100]}")
    return report


def _document_body(report: AnnualReport, doc: exports.ReportDocument) -> str:
    return render_to_string("reports/document_body.html", {"doc": doc, "report": report,
                                                           "grids": doc.grids()})


@transaction.atomic
def publish_report(*, actor, report: AnnualReport) -> AnnualReport:
    """Freeze the figures and publish into the unit's 公开年报 node.

    Refused (PublishBlocked) before 1 January of the following year, when the content
    changed since approval, when the form's check fails — the message names the column —
    or when 上年结转 differs from last year's published 结转下年度 without an explanation."""
    report = _locked(report)
    require(can_review(actor, report.org), "只有本单位审核人或公开办协调员可以发布年度报告。")
    if report.status != ReportStatus.APPROVED:
        raise ValidationError("请先提交审核，审核通过后才能发布。")
    start = publishable_from(report.year)
    if _today() < start:
        raise PublishBlocked([f"{report.year}年度报告须在年度结束后发布：最早可于"
                              f"{start:%Y年%-m月%-d日}发布，法定期限为{report.due:%Y年%-m月%-d日}。"])
    st = state(report.org, report.year, report)
    if content_hash(report, st) != report.approved_hash:
        raise PublishBlocked(["审核通过后，报告正文或表格数据已发生变化，"
                              "发布的内容须与审核的内容一致：请重新审核后再发布。"])
    problems = st.blockers(report.carry_note)
    if problems:
        raise PublishBlocked(problems)
    from gongkai.disclosure.services import publish_annual_report

    before = _snap(report)
    report.figures = st.data.to_json()
    report.carried_out_refs = st.carried_out
    report.status = ReportStatus.PUBLISHED
    # The date of first publication stays the publication date; a correction after a
    # reopen is recorded by the document's revisions, not by moving the date.
    report.published_at = report.published_at or timezone.now()
    report.published_by = actor
    report.return_reason = ""
    doc = document_for(report, st)
    report.document = publish_annual_report(actor=actor, org=report.org, year=report.year,
                                            title=report.title,
                                            body=_document_body(report, doc))
    report.save()
    audit.record(actor=actor, action="reports.publish", target=report, org=report.org,
                 changes=audit.diff(before, _snap(report)),
                 summary=f"发布{report.year}年度报告（一+二={st.data.section3['1']['total']}"
                         f"+{st.data.section3['2']['total']}）")
    return report


@transaction.atomic
def reopen_report(*, actor, report: AnnualReport, reason: str) -> AnnualReport:
    """Back to draft for a correction; the published text stays public until republished."""
    report = _locked(report)
    require(can_review(actor, report.org), "只有本单位审核人或公开办协调员可以撤回年度报告。")
    if not report.is_published:
        raise ValidationError("只有已发布的报告可以撤回修改。")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写撤回修改的理由。"})
    before = _snap(report)
    report.status, report.return_reason = ReportStatus.DRAFT, reason[:500]
    report.approved_hash, report.approved_by, report.approved_at = "", None, None
    report.save()
    audit.record(actor=actor, action="reports.reopen", target=report, org=report.org,
                 changes=audit.diff(before, _snap(report)), summary=f"撤回修改：{reason[:100]}")
    return report
