"""RSS and Atom feeds per unit and per directory node."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed

from gongkai.core.models import Organization
from gongkai.disclosure.models import DirectoryNode, Document

FEED_SIZE = 30


class UnitFeed(Feed):
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
        qs = qs.filter(node_id__in=node.descendant_ids()) if node else qs.filter(org=org)
        return qs[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary or (item.body_text or "")[:200]

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.org.name


class UnitAtomFeed(UnitFeed):
    feed_type = Atom1Feed
    subtitle = UnitFeed.description
