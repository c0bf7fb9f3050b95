"""Published 政府信息公开工作年度报告 in the site search by their text (总体情况, 存在的主要
问题, 其他事项), not their tables: a page of figures matches every number and makes no
snippet. A ``core.registry.search_source``; indexed again when the report's document in the
公开年报 node changes (publication sends disclosure's ``document_changed``)."""

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
    from gongkai.reports.models import AnnualReport

    for report in AnnualReport.objects.filter(published_at__isnull=False).select_related(
            "org"):
        yield report_entry(report)


def on_document_changed(sender, document_id: int, deleted: bool = False, **kwargs) -> None:
    try:
        from gongkai.reports.models import AnnualReport
        from gongkai.search.backends import get_backend

        found = list(AnnualReport.objects.filter(document_id=document_id).select_related("org"))
        if found:
            get_backend().index([report_entry(r) for r in found])
    except Exception:
        log.exception("search: indexing 年度报告 failed; run a full reindex")


def connect() -> None:
    from gongkai.core import registry
    from gongkai.disclosure.signals import document_changed

    registry.search_source("reports", entries, labels={REPORT: LABEL})
    document_changed.connect(on_document_changed, dispatch_uid="reports-search")
