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


# 国办秘函〔2019〕19号: 动态、要闻类栏目 2 周, 其他栏目 6 个月未更新 counts as not kept up.
FRESH_DAYS = {"dynamic": 14, "other": 183}
DYNAMIC_WORDS = ("动态", "要闻", "新闻", "通知公告", "工作信息")


def directory_fresh_share(org, start, end):
    """Share (%) of the unit's 公开目录 columns kept up to date on ``end``: a column that
    carries documents (no sub-columns) is fresh when its latest public document is at most
    two weeks old for 动态类 columns (by name) and six months for the others; a column
    with nothing in it counts as not fresh (blank). ``start`` is not used: the share is
    the directory's state on ``end``. None when the unit has no such columns."""
    from django.db.models import Max

    from gongkai.disclosure.models import DirectoryNode, NodeKind

    nodes = DirectoryNode.objects.filter(org=org, is_active=True,
                                         kind__in=[NodeKind.DOCUMENTS, NodeKind.DOMAIN])
    parents = set(DirectoryNode.objects.filter(org=org, is_active=True,
                                               parent__isnull=False)
                  .values_list("parent_id", flat=True))
    columns = [(pk, name) for pk, name in nodes.values_list("pk", "name") if pk not in parents]
    if not columns:
        return None
    latest = dict(Document.objects.public().filter(
        node_id__in=[pk for pk, _ in columns], published_at__date__lte=end)
        .values("node_id").annotate(last=Max("published_at")).values_list("node_id", "last"))
    fresh = 0
    for pk, name in columns:
        last = latest.get(pk)
        if last is None:
            continue
        limit = FRESH_DAYS["dynamic" if any(w in name for w in DYNAMIC_WORDS) else "other"]
        if (end - timezone.localdate(last)).days <= limit:
            fresh += 1
    return round(100.0 * fresh / len(columns), 1)
