"""Published 政府信息公开工作年度报告 in the site search by their text (总体情况, 存在的主要
问题, 其他事项), not their tables: a page of figures matches every number and makes no
snippet. Only published reports are in the search (staff find drafts on their workbench). A
``core.registry.search_source``; a report's entry follows every save of it (publication
adds it, reopening for a correction removes it), written after commit.

A report published through the workflow is also a document in the unit's 公开年报 node
(``report.document``), indexed as every document is: that entry is the one a citizen finds
(the page the 公开目录 lists, with its 索引号, and still public while a correction is being
made), so such a report has no entry of its own — one report, one result. Only a published
report without its document (none was made for it) is indexed here."""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)

REPORT = "annual-report"
LABEL = "公开年报"


def report_entry(report):
    from gongkai.search.backends import IndexEntry

    body = "\n".join(x for x in (report.overview, report.problems, report.other,
                                 report.carry_note) if x)
    return IndexEntry(kind=REPORT, object_id=report.pk, title=report.title, body=body,
                      org_id=report.org_id, year=report.year, genre=LABEL,
                      status=report.status, is_public=report.is_published,
                      url=report.get_absolute_url(), published_at=report.published_at,
                      extra_terms="政府信息公开工作年度报告 年报")


def entries():
    from gongkai.reports.models import AnnualReport, ReportStatus

    for report in AnnualReport.objects.filter(
            status=ReportStatus.PUBLISHED, document__isnull=True).select_related("org"):
        yield report_entry(report)


def has_entry(report) -> bool:
    """Whether ``report`` is in the search as itself (not as its document)."""
    return report is not None and report.is_published and report.document_id is None


def _write(report_id: int) -> None:
    try:
        from gongkai.reports.models import AnnualReport
        from gongkai.search.backends import get_backend

        report = AnnualReport.objects.filter(pk=report_id).select_related("org").first()
        if not has_entry(report):
            get_backend().delete([report_id], kind=REPORT)
        else:
            get_backend().index([report_entry(report)])
    except Exception:  # the report is saved; a stale index must not become an error page
        log.exception("search: indexing 年度报告 %s failed; run a full reindex", report_id)


def on_report_saved(sender, instance, **kwargs) -> None:
    from django.db import transaction

    report_id = instance.pk
    transaction.on_commit(lambda: _write(report_id))


def connect() -> None:
    from django.db.models.signals import post_delete, post_save

    from gongkai.core import registry
    from gongkai.reports.models import AnnualReport

    registry.search_source("reports", entries, labels={REPORT: LABEL})
    post_save.connect(on_report_saved, sender=AnnualReport, dispatch_uid="reports-search")
    post_delete.connect(on_report_saved, sender=AnnualReport,
                        dispatch_uid="reports-search-delete")
