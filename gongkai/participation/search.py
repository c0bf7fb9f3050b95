"""Consultations, catalog items and 意见采纳情况 in the site search, through the search
app's public interface (``gongkai.search.backends``: IndexEntry, get_backend).

Each service that changes what the public sees calls ``reindex_on_commit`` inside its
transaction; the entries are written after commit, and a failure is logged, never raised
(the user's change is committed; a stale index must not become an error page).

``entries()`` is registered as a search source (``core.registry.search_source``), so a full
rebuild (`gongkai search reindex`) keeps these entries.
"""

from __future__ import annotations

import logging

from django.db import transaction

log = logging.getLogger(__name__)

CONSULTATION = "gzcy-consultation"
DECISION = "gzcy-decision"
FEEDBACK = "gzcy-feedback"
GENRE = "公众参与"


def consultation_entry(c):
    from gongkai.search.backends import IndexEntry

    when = c.published_at or c.starts_at
    body = "\n".join([c.explanation, c.draft_text, c.contact])
    title = f"{c.title}（已撤回）" if c.is_withdrawn else c.title
    return IndexEntry(kind=CONSULTATION, object_id=c.pk, title=title, body=body,
                      org_id=c.org_id, year=when.year if when else None, genre=GENRE,
                      status=c.review_status, is_public=c.is_published,
                      url=c.get_absolute_url(), published_at=c.published_at,
                      extra_terms="征求意见")


def feedback_entry(r):
    from django.urls import reverse

    from gongkai.participation import queries
    from gongkai.search.backends import IndexEntry

    c = r.consultation
    lines = [r.summary] + [f"{o.body} {o.disposition_label()} {o.final_reason()}"
                           for o in queries.visible_opinions(c)] if r.is_published else []
    return IndexEntry(kind=FEEDBACK, object_id=r.pk, title=str(r), body="\n".join(lines),
                      org_id=c.org_id, year=r.published_at.year if r.published_at else None,
                      genre=GENRE, status=r.review_status, is_public=r.is_published,
                      url=reverse("participation:feedback", args=[c.pk]),
                      published_at=r.published_at, extra_terms="意见采纳情况")


def decision_entry(d, row):
    from gongkai.search.backends import IndexEntry

    cat = d.catalog
    body = "\n".join(x for x in [row.get("undertaker", ""), row.get("basis", ""),
                                 row.get("adjustment", "")] + [
        f"{s.get_kind_display()} {s.title} {s.summary}"
        for s in d.stages.filter(review_status="published")] if x)
    return IndexEntry(kind=DECISION, object_id=d.pk, title=row.get("title", d.title),
                      body=body, org_id=cat.org_id, year=cat.year, genre=GENRE,
                      status="published", is_public=True, url=d.get_absolute_url(),
                      published_at=cat.published_at, extra_terms="重大行政决策")


def entries():
    """Every entry of this app (for a full rebuild of the index)."""
    from gongkai.participation.models import Catalog, Consultation, Decision, FeedbackReport

    for c in Consultation.objects.all():
        yield consultation_entry(c)
    for r in FeedbackReport.objects.select_related("consultation"):
        yield feedback_entry(r)
    for cat in Catalog.objects.filter(published_at__isnull=False):
        items = {d.pk: d for d in Decision.objects.filter(catalog=cat).select_related(
            "catalog")}
        for row in cat.snapshot:
            if row["id"] in items:
                yield decision_entry(items[row["id"]], row)


def _write(consultation_ids=(), catalog_ids=(), decision_ids=()) -> None:
    try:
        from gongkai.participation.models import Catalog, Consultation, Decision
        from gongkai.search.backends import get_backend

        out = []
        for c in Consultation.objects.filter(pk__in=consultation_ids).select_related("report"):
            out.append(consultation_entry(c))
            report = getattr(c, "report", None)
            if report is not None:
                out.append(feedback_entry(report))
        wanted = set(decision_ids)
        for cat in Catalog.objects.filter(pk__in=catalog_ids, published_at__isnull=False):
            wanted |= {row["id"] for row in cat.snapshot}
        for d in Decision.objects.filter(pk__in=wanted).select_related("catalog"):
            row = next((r for r in d.catalog.snapshot if r["id"] == d.pk), None)
            if row is not None:
                out.append(decision_entry(d, row))
        if out:
            get_backend().index(out)
    except Exception:
        log.exception("search: indexing 公众参与 failed; run a full reindex")


def reindex_on_commit(*, consultation=None, catalog=None, decision=None) -> None:
    ids = {"consultation_ids": [consultation.pk] if consultation is not None else [],
           "catalog_ids": [catalog.pk] if catalog is not None else [],
           "decision_ids": [decision.pk] if decision is not None else []}
    transaction.on_commit(lambda: _write(**ids))
