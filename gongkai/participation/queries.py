"""Read-side helpers shared by public and staff views and exports."""

from __future__ import annotations

from collections import Counter

from django.db.models import Q
from django.utils import timezone

from gongkai.participation.models import Catalog, Consultation, Opinion, Review


def public_consultations(org=None):
    qs = Consultation.objects.filter(review_status=Review.PUBLISHED).select_related("org")
    if org is not None:
        qs = qs.filter(org=org)
    return qs


def column(org=None) -> dict[str, list[Consultation]]:
    """The 公众参与 column: open first, then awaiting feedback, then closed with reports."""
    now = timezone.now()
    qs = public_consultations(org).select_related("report")
    groups: dict[str, list[Consultation]] = {"open": [], "upcoming": [], "awaiting": [],
                                             "reported": [], "withdrawn": []}
    for c in qs.order_by("ends_at"):
        groups[c.phase(now)].append(c)
    groups["reported"].reverse()
    return groups


def public_catalogs(org=None):
    qs = Catalog.objects.filter(published_at__isnull=False).select_related("org")
    return qs.filter(org=org) if org is not None else qs


def visible_opinions(c: Consultation):
    return c.opinions.filter(hidden_reason="").select_related("article", "group")


def report_counts(c: Consultation) -> dict:
    ops = list(visible_opinions(c))
    by_channel = Counter(o.get_channel_display() for o in ops)
    by_article = Counter((o.article.number, o.article.label) if o.article_id else (0, "针对全文")
                         for o in ops)
    by_result = Counter(o.disposition_label() for o in ops)
    return {"total": len(ops), "hidden": c.opinions.exclude(hidden_reason="").count(),
            "by_channel": sorted(by_channel.items()),
            "by_article": [(label, n) for (_, label), n in sorted(by_article.items())],
            "by_result": sorted(by_result.items())}


def search_opinions(c: Consultation, q: str):
    qs = c.opinions.select_related("article", "group")
    if q:
        qs = qs.filter(Q(body__icontains=q) | Q(article__label=q))
    return qs


def find_by_code(code_hash: str) -> Opinion | None:
    return Opinion.objects.filter(code_hash=code_hash).select_related(
        "consultation", "article", "group", "consultation__report").first()
