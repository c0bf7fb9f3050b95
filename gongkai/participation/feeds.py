"""RSS of 公众参与: consultations as they open for comment and 意见采纳情况 as published,
for the whole district or one unit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.timezone import localtime

from gongkai.core.models import Organization
from gongkai.participation.models import Consultation, FeedbackReport, Review

FEED_SIZE = 30


@dataclass
class Item:
    title: str
    url: str
    text: str
    when: datetime
    org: str


class ParticipationFeed(Feed):
    def get_object(self, request, org_code=None):
        if org_code is None:
            return None
        return get_object_or_404(Organization, code=org_code, is_active=True)

    def title(self, obj):
        return f"{obj.name}公众参与" if obj else "公众参与"

    def link(self, obj):
        url = reverse("participation:index")
        return f"{url}?org={obj.code}" if obj else url

    def description(self, obj):
        return f"{self.title(obj)}：征求意见和意见采纳情况"

    def items(self, obj):
        cs = Consultation.objects.filter(review_status=Review.PUBLISHED).select_related("org")
        rs = FeedbackReport.objects.filter(review_status=Review.PUBLISHED).select_related(
            "consultation__org")
        if obj is not None:
            cs, rs = cs.filter(org=obj), rs.filter(consultation__org=obj)
        out = [Item(f"征求意见：{c.title}{'（已撤回）' if c.is_withdrawn else ''}",
                    c.get_absolute_url(),
                    f"征求意见时间：{localtime(c.starts_at):%Y-%m-%d %H:%M} 至 "
                    f"{localtime(c.ends_at):%Y-%m-%d %H:%M}（北京时间）"
                    + (f"。已撤回：{c.withdrawn_reason}" if c.is_withdrawn else ""),
                    max(c.published_at or c.starts_at, c.starts_at), c.org.name)
               for c in cs.order_by("-starts_at")[:FEED_SIZE]]
        out += [Item(str(r), reverse("participation:feedback", args=[r.consultation_id]),
                     (r.summary or "")[:200], r.published_at, r.consultation.org.name)
                for r in rs.order_by("-published_at")[:FEED_SIZE]]
        return sorted(out, key=lambda i: i.when, reverse=True)[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_link(self, item):
        return item.url

    def item_description(self, item):
        return item.text

    def item_pubdate(self, item):
        return item.when

    def item_author_name(self, item):
        return item.org
