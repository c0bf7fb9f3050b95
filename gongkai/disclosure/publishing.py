"""Which published pages (gongkai.core.publish) a change of 主动公开 content affects.

A document's change purges its own pages, the pages of the documents and 政策解读 that link
to it, its unit's 公开 home with every directory list and feed of the unit, the district-wide
lists, the portal home and the sitemap. Everything else stays published.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from gongkai.core import publish

# The public pages of this app that may be published for anonymous visitors. Lists with a
# query string (filters, ?page=2) and search results are never published.
PAGES = (
    "portal:home", "sitemap",
    "disclosure:index", "disclosure:documents", "disclosure:policy_library",
    "disclosure:interpretations", "disclosure:interpretation",
    "disclosure:document", "disclosure:document_print",
    "disclosure:unit", "disclosure:node",
    "disclosure:feed_rss", "disclosure:feed_atom",
    "disclosure:node_feed_rss", "disclosure:node_feed_atom",
)
# Pages every document or interpretation change may show up on.
DISTRICT_PAGES = ("/", "/sitemap.xml", "/xxgk/", "/xxgk/wj/", "/xxgk/zcwj/")


def _doc_tree(pk: int) -> str:
    return f"/xxgk/doc/{pk}/"


def _unit_trees(code: str) -> list[str]:
    # The unit home /xxgk/<code>/ and every directory list below it; its feeds.
    return [f"/xxgk/{code}/", f"/xxgk/feed/{code}/"]


def document_pages(document_id: int) -> tuple[list[str], list[str]]:
    """(paths, trees) that show document ``document_id``."""
    from gongkai.disclosure.models import Document

    paths, trees = list(DISTRICT_PAGES), [_doc_tree(document_id)]
    doc = Document.objects.filter(pk=document_id).select_related("org").first()
    if doc is None:  # a deleted draft: it was never on a list
        return paths, trees
    trees += _unit_trees(doc.org.code)
    linked = set()
    for name in ("related", "amends", "amended_by", "replaces", "replaced_by"):
        linked.update(getattr(doc, name).values_list("pk", flat=True))
    trees += [_doc_tree(pk) for pk in linked]
    for it_pk, org_code in doc.interpretations.values_list("pk", "org__code"):
        paths.append(f"/xxgk/zcjd/{it_pk}/")
        trees += _unit_trees(org_code)
    for issue in doc.gazette_issues.all():
        paths.append(issue.get_absolute_url())
    return paths, trees


def interpretation_pages(interpretation_id: int) -> tuple[list[str], list[str]]:
    from gongkai.disclosure.models import Interpretation

    paths = [*DISTRICT_PAGES, "/xxgk/zcjd/", f"/xxgk/zcjd/{interpretation_id}/"]
    trees: list[str] = []
    it = Interpretation.objects.filter(pk=interpretation_id).select_related("org").first()
    if it is not None:
        trees += _unit_trees(it.org.code)
        for doc_pk, org_code in it.documents.values_list("pk", "org__code"):
            trees += [_doc_tree(doc_pk), *_unit_trees(org_code)]
    return paths, trees


def on_document_changed(sender=None, document_id=None, **kwargs) -> None:
    publish.purge(*document_pages(document_id))


def on_interpretation_changed(sender=None, interpretation_id=None, **kwargs) -> None:
    publish.purge(*interpretation_pages(interpretation_id))


def sweep(*, minutes: int = 5, now: dt.datetime | None = None) -> int:
    """Purge again the pages of every document and 政策解读 changed in the last ``minutes``.

    Purges run on commit in the process that made the change; one that died in between
    would leave a withdrawn page published. Run every minute (Celery beat, or
    `gongkai documents publish-sweep` from cron), this bounds that case to a minute."""
    from django.utils import timezone

    from gongkai.disclosure.models import Document, Interpretation

    since = (now or timezone.now()) - dt.timedelta(minutes=minutes)
    n = 0
    for pk in Document.objects.filter(updated_at__gte=since).values_list("pk", flat=True):
        publish.purge(*document_pages(pk))
        n += 1
    for pk in Interpretation.objects.filter(updated_at__gte=since).values_list("pk", flat=True):
        publish.purge(*interpretation_pages(pk))
        n += 1
    return n


def _later(paths=(), trees=()) -> None:
    paths, trees = list(paths), list(trees)
    transaction.on_commit(lambda: publish.purge(paths, trees))


def on_links_changed(sender, instance, action, pk_set, model, **kwargs) -> None:
    """Links between documents, to 政策解读 and to 公报 are shown on both ends."""
    from gongkai.disclosure.models import Document, GazetteIssue, Interpretation

    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    objects = [instance]
    if pk_set:
        objects += list(model.objects.filter(pk__in=pk_set))
    elif action == "pre_clear":
        # Before a clear the links are still there: both ends of each.
        for field in instance._meta.many_to_many:
            if field.remote_field.through is sender:
                objects += list(getattr(instance, field.name).all())
        for rel in instance._meta.related_objects:
            if rel.many_to_many and rel.through is sender:
                objects += list(getattr(instance, rel.get_accessor_name()).all())
    trees, paths = [], []
    for obj in objects:
        if isinstance(obj, Document):
            trees.append(_doc_tree(obj.pk))
        elif isinstance(obj, Interpretation):
            paths.append(f"/xxgk/zcjd/{obj.pk}/")
        elif isinstance(obj, GazetteIssue):
            paths.append(obj.get_absolute_url())
    _later(paths, trees)


def on_node_saved(sender, instance, **kwargs) -> None:
    """A directory change shows on the unit's lists and on the pages of its documents."""
    from gongkai.core.models import Organization
    from gongkai.disclosure.models import Document

    code = Organization.objects.filter(pk=instance.org_id).values_list("code", flat=True).first()
    trees = _unit_trees(code) if code else []
    trees += [_doc_tree(pk) for pk in Document.objects.filter(node_id=instance.pk)
              .values_list("pk", flat=True)]
    _later(["/sitemap.xml"], trees)


def on_sitemap_source_saved(sender, instance, **kwargs) -> None:
    _later(["/sitemap.xml"])


def on_regulation_saved(sender, instance, **kwargs) -> None:
    """A document of the same title links to the law in the 法规库 (document_detail)."""
    from gongkai.disclosure.models import Document

    _later(["/sitemap.xml"], [_doc_tree(pk) for pk in Document.objects.filter(
        title=instance.title).values_list("pk", flat=True)])


def on_unit_page_changed(sender=None, org_code: str = "", **kwargs) -> None:
    """Another app's column on the unit home (registry.unit_panel) changed."""
    from django.urls import reverse

    if org_code:
        publish.purge([reverse("disclosure:unit", args=[org_code])])


def on_unit_saved(sender, instance, **kwargs) -> None:
    """A unit's name or state shows in headers and lists everywhere."""
    transaction.on_commit(publish.purge_all)


def connect() -> None:
    from gongkai.core.models import Organization
    from gongkai.core.signals import unit_page_changed
    from gongkai.disclosure.models import (
        DirectoryNode,
        Document,
        GazetteIssue,
        Interpretation,
        Regulation,
    )
    from gongkai.disclosure.signals import document_changed, interpretation_changed

    publish.register_pages(*PAGES)
    unit_page_changed.connect(on_unit_page_changed, dispatch_uid="publish-unit-panel")
    document_changed.connect(on_document_changed, dispatch_uid="publish-document")
    interpretation_changed.connect(on_interpretation_changed,
                                   dispatch_uid="publish-interpretation")
    for through in (Document.related.through, Document.amends.through,
                    Document.replaces.through, Interpretation.documents.through,
                    GazetteIssue.documents.through):
        m2m_changed.connect(on_links_changed, sender=through,
                            dispatch_uid=f"publish-links-{through.__name__}")
    for signal in (post_save, post_delete):
        signal.connect(on_node_saved, sender=DirectoryNode, dispatch_uid="publish-node")
        signal.connect(on_unit_saved, sender=Organization, dispatch_uid="publish-unit")
        signal.connect(on_sitemap_source_saved, sender=GazetteIssue,
                       dispatch_uid="publish-sitemap-GazetteIssue")
        signal.connect(on_regulation_saved, sender=Regulation,
                       dispatch_uid="publish-sitemap-Regulation")
