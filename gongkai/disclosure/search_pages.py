"""Each unit's 政府信息公开指南 and 公开制度 pages in the site search (a
``core.registry.search_source``): one entry per page, its text the node's description and
the guide (制度) document it shows. Indexed again when a document of such a node changes,
and by every full reindex."""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)

PAGE = "xxgk-guide"
LABEL = "办事指南"


def _kinds():
    from gongkai.disclosure.models import NodeKind

    return (NodeKind.GUIDE, NodeKind.SYSTEM)


def page_entry(node):
    from gongkai.disclosure.models import Document
    from gongkai.search.backends import IndexEntry

    doc = (Document.objects.public().filter(node=node).order_by("-published_at", "-pk")
           .only("body_text").first())
    body = "\n".join(x for x in (node.description, doc.body_text if doc else "") if x)
    public = node.is_active and node.org.is_active
    return IndexEntry(kind=PAGE, object_id=node.pk, title=f"{node.org.name}{node.name}",
                      body=body, org_id=node.org_id, node_id=node.pk, genre=LABEL,
                      status="published" if public else "withdrawn", is_public=public,
                      url=node.get_absolute_url(),
                      extra_terms=f"{node.get_kind_display()} 政府信息公开 办事指南")


def entries():
    from gongkai.disclosure.models import DirectoryNode

    for node in DirectoryNode.objects.filter(kind__in=_kinds()).select_related("org"):
        yield page_entry(node)


def on_document_changed(sender, document_id: int, deleted: bool = False, **kwargs) -> None:
    """A guide or 制度 document changed: its page's entry follows. Logged, never raised."""
    try:
        from gongkai.disclosure.models import DirectoryNode
        from gongkai.search.backends import get_backend

        nodes = list(DirectoryNode.objects.filter(kind__in=_kinds(), documents__pk=document_id)
                     .select_related("org"))
        if nodes:
            get_backend().index([page_entry(n) for n in nodes])
    except Exception:
        log.exception("search: indexing 公开指南 pages failed; run a full reindex")


def connect() -> None:
    from gongkai.core import registry
    from gongkai.disclosure.signals import document_changed

    registry.search_source("disclosure-pages", entries, labels={PAGE: LABEL})
    document_changed.connect(on_document_changed, dispatch_uid="disclosure-search-pages")
