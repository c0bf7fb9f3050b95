"""Keep the index in step with documents and 政策解读: flatten each into an IndexEntry.

Index maintenance is not a user-facing state change, so it writes no audit entry.
"""

from __future__ import annotations

import datetime as dt
import logging
import os

from django.conf import settings
from django.urls import NoReverseMatch
from django.utils import timezone

from gongkai.core import registry
from gongkai.search.backends import IndexEntry, get_backend

log = logging.getLogger(__name__)
# Withdrawn documents and interpretations stay in the index (non-public), so their own
# unit's staff find them.

DOCUMENT = "document"
INTERPRETATION = "interpretation"
# The 体裁 facet value of every interpretation: lets a reader narrow results to 政策解读
# (documents' 体裁 are 通知, 意见, 办法 ...; the search page shows the value as it is).
INTERPRETATION_GENRE = "政策解读"


def _url(obj) -> str:
    try:
        return obj.get_absolute_url()
    except NoReverseMatch:
        return ""


def document_entry(doc) -> IndexEntry:
    when = doc.written_date or (doc.published_at.date() if doc.published_at else None)
    return IndexEntry(
        kind=DOCUMENT, object_id=doc.pk, external_id=doc.external_id or "",
        title=doc.title, body=doc.body_text or "", org_id=doc.org_id, node_id=doc.node_id,
        year=when.year if when else None, validity=doc.validity or "", genre=doc.genre or "",
        doc_type=doc.doc_type or "", status=doc.status, is_public=doc.is_public(),
        doc_number=doc.doc_number or "", url=_url(doc), published_at=doc.published_at,
        extra_terms=" ".join(x for x in (doc.keywords, doc.index_number) if x),
    )


def interpretation_nodes(org_ids=None) -> dict[int, int]:
    """Each unit's 政策解读 node of its 公开目录 (the one listing its interpretations), by
    unit id; ``org_ids``: only these units."""
    from gongkai.disclosure.models import DirectoryNode, NodeKind

    qs = DirectoryNode.objects.filter(kind=NodeKind.INTERPRETATION, is_active=True)
    if org_ids is not None:
        qs = qs.filter(org_id__in=list(org_ids))
    out: dict[int, int] = {}
    for org_id, pk in qs.order_by("org_id", "sort_order", "id").values_list("org_id", "pk"):
        out.setdefault(org_id, pk)
    return out


def interpretation_entry(it, *, node_ids: dict[int, int] | None = None) -> IndexEntry:
    """An interpretation's entry. Facets: its unit; the unit's 政策解读 node (where the site
    lists it, not the interpreted document's node, whose page does not); the year it was
    published (else written); 体裁 INTERPRETATION_GENRE; no 有效性 or 文件类型 (it is not
    a document). The 文号 of the public documents it interprets are indexed with the
    title's weight, so typing a 文号 finds its interpretation too, but never as the pinned
    文号 match (``doc_number`` stays empty). ``node_ids``: interpretation_nodes(), if the
    caller has it."""
    if node_ids is None:
        node_ids = interpretation_nodes([it.org_id])
    when = it.published_at or it.created_at
    if isinstance(when, dt.datetime) and timezone.is_aware(when):
        when = timezone.localtime(when)
    numbers: list[str] = []
    for d in sorted(it.documents.all(), key=lambda d: d.pk):
        if d.is_public() and d.doc_number and d.doc_number not in numbers:
            numbers.append(d.doc_number)
    return IndexEntry(
        kind=INTERPRETATION, object_id=it.pk, title=it.title, body=it.body_text or "",
        org_id=it.org_id, node_id=node_ids.get(it.org_id), year=when.year if when else None,
        genre=INTERPRETATION_GENRE, status=it.status, is_public=it.is_public(),
        url=_url(it), published_at=it.published_at, extra_terms=" ".join(numbers),
    )


def _documents_prefetch():
    """What interpretation_entry reads of the interpreted documents."""
    from django.db.models import Prefetch

    from gongkai.disclosure.models import Document

    return Prefetch("documents", queryset=Document.objects.only(
        "id", "doc_number", "status", "attribute"))


def index_document(document_id: int) -> None:
    """Index the document's current state, or drop it from the index if it is gone. Its
    interpretations are indexed again too: they carry its 文号 while it is public."""
    from gongkai.disclosure.models import Document

    backend = get_backend()
    doc = Document.objects.filter(pk=document_id).first()
    if doc is None:
        backend.delete([document_id], kind=DOCUMENT)
        return
    entries = [document_entry(doc)]
    its = list(doc.interpretations.prefetch_related(_documents_prefetch()))
    if its:
        nodes = interpretation_nodes({it.org_id for it in its})
        entries += [interpretation_entry(it, node_ids=nodes) for it in its]
    backend.index(entries)


def index_interpretation(interpretation_id: int) -> None:
    """Index the interpretation's current state, or drop it from the index if it is gone."""
    from gongkai.disclosure.models import Interpretation

    backend = get_backend()
    it = (Interpretation.objects.filter(pk=interpretation_id)
          .prefetch_related(_documents_prefetch()).first())
    if it is None:
        backend.delete([interpretation_id], kind=INTERPRETATION)
    else:
        backend.index([interpretation_entry(it)])


def reindex_all(*, batch_size: int = 500, backend=None, workers: int | None = None
                ) -> dict[str, int]:
    """Rebuild the whole index from the documents and interpretations tables and every
    registered search source (``core.registry.search_source``); returns how many of each
    kind were indexed ({"document": n, "interpretation": m, …}). ``workers``: processes
    that segment entries while this one writes (default: one per core, up to 4, once there
    are enough entries to repay starting them)."""
    from gongkai.disclosure.models import Document, Interpretation

    backend = backend or get_backend()
    if workers is None:
        many = Document.objects.count() + Interpretation.objects.count() >= 2000
        workers = max(1, min(4, os.cpu_count() or 1)) if many else 0
    counts = {DOCUMENT: 0, INTERPRETATION: 0}

    def batches(qs):
        last = 0
        while True:
            batch = list(qs.filter(pk__gt=last)[:batch_size])
            if not batch:
                return
            yield batch
            last = batch[-1].pk

    def entries():
        for batch in batches(Document.objects.order_by("pk")):
            counts[DOCUMENT] += len(batch)
            yield from (document_entry(d) for d in batch)
        nodes = interpretation_nodes()
        for batch in batches(Interpretation.objects.order_by("pk").prefetch_related(
                _documents_prefetch())):
            counts[INTERPRETATION] += len(batch)
            yield from (interpretation_entry(it, node_ids=nodes) for it in batch)
        # What other apps keep in the search (公众参与, …), registered in their ready().
        for source in registry.search_sources().values():
            for entry in source():
                counts[entry.kind] = counts.get(entry.kind, 0) + 1
                yield entry

    backend.clear()
    backend.index(entries(), workers=workers)
    return counts


def index_sources(*, backend=None) -> dict[str, int]:
    """Index (add or replace) every entry of the registered search sources — the service
    pages and 公众参与 — without rebuilding documents; returns how many of each kind."""
    backend = backend or get_backend()
    counts: dict[str, int] = {}

    def entries():
        for source in registry.search_sources().values():
            for entry in source():
                counts[entry.kind] = counts.get(entry.kind, 0) + 1
                yield entry

    backend.index(entries())
    return counts


def _follow(kind: str, object_id: int, task, index) -> None:
    """Index a committed change: queued for a worker when Redis is configured, else now.
    A failure is logged, never raised: the user's change is committed, a stale index must
    not turn it into an error page."""
    if getattr(settings, "REDIS_URL", None) and not getattr(
            settings, "CELERY_TASK_ALWAYS_EAGER", False):
        try:
            task.delay(object_id)
            return
        except Exception:  # broker down: index now rather than lose the update
            log.warning("search: queueing index of %s %s failed; indexing inline",
                        kind, object_id, exc_info=True)
    try:
        index(object_id)
    except Exception:
        log.exception("search: indexing %s %s failed; run `gongkai search reindex`",
                      kind, object_id)


def on_document_changed(sender, document_id: int, deleted: bool = False, **kwargs) -> None:
    """Receiver of disclosure's document_changed (sent on commit)."""
    from gongkai.search.tasks import index_document_task

    _follow(DOCUMENT, document_id, index_document_task, index_document)


def on_interpretation_changed(sender, interpretation_id: int, deleted: bool = False,
                              **kwargs) -> None:
    """Receiver of disclosure's interpretation_changed (sent on commit)."""
    from gongkai.search.tasks import index_interpretation_task

    _follow(INTERPRETATION, interpretation_id, index_interpretation_task,
            index_interpretation)
