"""Numbers about a unit's 主动公开 over a period, registered for the supervision evaluation."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone

from gongkai.disclosure.models import Attribute, DocType, Document, Status


def on_time_share(org, start, end):
    """Share (%) of public documents due in the period (条例第二十六条, 20 working days)
    that were published by their due date; a due date passed without publication is late."""
    today = timezone.localdate()
    due = Document.objects.filter(org=org, attribute=Attribute.PUBLIC, publish_by__gte=start,
                                  publish_by__lte=min(end, today)).exclude(
        status=Status.WITHDRAWN)
    total = due.count()
    if not total:
        return None
    on_time = sum(1 for published_at, publish_by in
                  due.filter(published_at__isnull=False).values_list("published_at",
                                                                     "publish_by")
                  if timezone.localdate(published_at) <= publish_by)
    return round(100.0 * on_time / total, 1)


def sync_share(org, start, end):
    """三同步: share (%) of normative or important documents published in the period that
    have a published 政策解读."""
    docs = Document.objects.filter(
        Q(doc_type=DocType.NORMATIVE) | Q(is_important=True), org=org, status=Status.PUBLISHED,
        published_at__date__gte=start, published_at__date__lte=end)
    total = docs.count()
    if not total:
        return None
    covered = docs.annotate(n=Count("interpretations", filter=Q(
        interpretations__status=Status.PUBLISHED))).filter(n__gt=0).count()
    return round(100.0 * covered / total, 1)
