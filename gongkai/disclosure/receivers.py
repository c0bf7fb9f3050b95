"""Keep derived dates current when a coordinator changes the working-day calendar."""

from __future__ import annotations

from gongkai.core.calendar import get_calendar
from gongkai.disclosure import rules


def recompute_publish_by(sender=None, dates=None, **kwargs) -> int:
    """Publish-by dates of unpublished documents written before the changed dates."""
    from gongkai.disclosure.models import Document, Status

    if not dates:
        return 0
    cal = get_calendar()
    latest = max(dates)
    qs = (Document.objects.filter(written_date__isnull=False, written_date__lte=latest,
                                  status__in=[Status.DRAFT, Status.PENDING, Status.SCHEDULED])
          .select_related("node").only("id", "written_date", "publish_by", "node__time_limit_wd"))
    changed = []
    for doc in qs.iterator(chunk_size=500):
        limit = doc.node.time_limit_wd if doc.node_id else rules.DEFAULT_LIMIT_WD
        due = rules.publish_by(cal, doc.written_date, limit)
        if due != doc.publish_by:
            doc.publish_by = due
            changed.append(doc)
    Document.objects.bulk_update(changed, ["publish_by"], batch_size=500)
    return len(changed)
