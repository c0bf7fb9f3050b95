"""Keep the index in step with documents: flatten a Document into an IndexEntry.

Index maintenance is not a user-facing state change, so it writes no audit entry.
"""

from __future__ import annotations

import logging
import os

from django.conf import settings
from django.urls import NoReverseMatch

from gongkai.search.backends import IndexEntry, get_backend

log = logging.getLogger(__name__)
# Withdrawn documents stay in the index (non-public), so their own unit's staff find them.


def document_entry(doc) -> IndexEntry:
    try:
        url = doc.get_absolute_url()
    except NoReverseMatch:
        url = ""
    when = doc.written_date or (doc.published_at.date() if doc.published_at else None)
    return IndexEntry(
        kind="document", object_id=doc.pk, external_id=doc.external_id or "",
        title=doc.title, body=doc.body_text or "", org_id=doc.org_id, node_id=doc.node_id,
        year=when.year if when else None, validity=doc.validity or "", genre=doc.genre or "",
        doc_type=doc.doc_type or "", status=doc.status, is_public=doc.is_public(),
        doc_number=doc.doc_number or "", url=url, published_at=doc.published_at,
        extra_terms=" ".join(x for x in (doc.keywords, doc.index_number) if x),
    )


def index_document(document_id: int) -> None:
    """Index the document's current state, or drop it from the index if it is gone."""
    from gongkai.disclosure.models import Document

    backend = get_backend()
    doc = Document.objects.filter(pk=document_id).first()
    if doc is None:
        backend.delete([document_id])
    else:
        backend.index([document_entry(doc)])


def reindex_all(*, batch_size: int = 500, backend=None, workers: int | None = None) -> int:
    """Rebuild the whole index from the documents table. ``workers``: processes that
    segment documents while this one writes (default: one per core, up to 4, once there
    are enough documents to repay starting them)."""
    from gongkai.disclosure.models import Document

    backend = backend or get_backend()
    if workers is None:
        many = Document.objects.count() >= 2000
        workers = max(1, min(4, os.cpu_count() or 1)) if many else 0

    def entries():
        qs = Document.objects.order_by("pk")
        last = 0
        while True:
            batch = list(qs.filter(pk__gt=last)[:batch_size])
            if not batch:
                return
            yield from (document_entry(d) for d in batch)
            last = batch[-1].pk

    backend.clear()
    return backend.index(entries(), workers=workers)


def on_document_changed(sender, document_id: int, deleted: bool = False, **kwargs) -> None:
    """Receiver of disclosure's document_changed (sent on commit)."""
    if getattr(settings, "REDIS_URL", None) and not getattr(
            settings, "CELERY_TASK_ALWAYS_EAGER", False):
        from gongkai.search.tasks import index_document_task

        try:
            index_document_task.delay(document_id)
            return
        except Exception:  # broker down: index now rather than lose the update
            log.warning("search: queueing index of document %s failed; indexing inline",
                        document_id, exc_info=True)
    try:
        index_document(document_id)
    except Exception:  # the document change is committed; a stale index must not 500 it
        log.exception("search: indexing document %s failed; run `gongkai search reindex`",
                      document_id)
