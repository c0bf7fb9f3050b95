"""RSS and Atom feeds per unit and per directory node."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

from gongkai.core.models import Organization
from gongkai.disclosure.models import DirectoryNode, Document

FEED_SIZE = 30
# The catalogue fields travel as extra elements in their own namespace (and in the text, for
# readers that show only the description).
NS = "urn:gongkai:catalogue"
CATALOGUE = (("indexNumber", "索引号"), ("docNumber", "文号"), ("issuer", "发布机构"),
             ("writtenDate", "成文日期"))


class _CatalogueMixin:
    def root_attributes(self):
        attrs = super().root_attributes()
        attrs["xmlns:gk"] = NS
        return attrs

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name, _label in CATALOGUE:
            if item.get(name):
                handler.addQuickElement(f"gk:{name}", item[name])


class CatalogueRss(_CatalogueMixin, Rss201rev2Feed):
    pass


class CatalogueAtom(_CatalogueMixin, Atom1Feed):
    pass


def catalogue_fields(item: Document) -> dict[str, str]:
    return {"indexNumber": item.index_number, "docNumber": item.doc_number,
            "issuer": item.org.name,
            "writtenDate": item.written_date.isoformat() if item.written_date else ""}


class UnitFeed(Feed):
    feed_type = CatalogueRss

    def get_object(self, request, org_code, node_code=None):
        org = get_object_or_404(Organization, code=org_code, is_active=True)
        node = get_object_or_404(DirectoryNode, org=org, code=node_code,
                                 is_active=True) if node_code else None
        return org, node

    def title(self, obj):
        org, node = obj
        return f"{org.name}·{node.name}" if node else f"{org.name}政府信息公开"

    def link(self, obj):
        org, node = obj
        return node.get_absolute_url() if node else f"/xxgk/{org.code}/"

    def description(self, obj):
        return f"{self.title(obj)}最新主动公开信息"

    def items(self, obj):
        org, node = obj
        qs = Document.objects.public().select_related("org")
        if node:
            qs = qs.filter(node_id__in=node.descendant_ids())
        elif org.parent_id is None:  # the district government's feed: the whole district
            qs = qs.filter(org_id__in=org.descendant_ids())
        else:
            qs = qs.filter(org=org)
        return qs[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        fields = catalogue_fields(item)
        head = "；".join(f"{label}：{fields[name]}" for name, label in CATALOGUE
                        if fields[name])
        return f"{head}。{item.summary or (item.body_text or '')[:200]}"

    def item_extra_kwargs(self, item):
        return catalogue_fields(item)

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.org.name


class UnitAtomFeed(UnitFeed):
    feed_type = CatalogueAtom
    subtitle = UnitFeed.description
