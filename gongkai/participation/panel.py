"""The 公众参与 column on each unit's public page (``registry.unit_panel``), and the purge
of that published page whenever what the column shows changes.

The column lists the unit's consultations open now (with their end instant) first, then
those about to open, then those awaiting the 意见采纳情况, then closed ones linked to their
published reports, and the unit's latest published catalog; "more" goes to the unit's
filtered participation list. A withdrawn consultation is not listed (its page stays)."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

log = logging.getLogger(__name__)

MAX_AWAITING = 5
MAX_REPORTED = 5


def _when(value: dt.datetime) -> str:
    local = timezone.localtime(value)
    return f"{local.year}年{local.month}月{local.day}日{local:%H:%M}"


def provider(org):
    from gongkai.core.registry import Link
    from gongkai.participation import queries
    from gongkai.participation.models import Review

    now = timezone.now()
    live = queries.public_consultations(org).filter(withdrawn_at__isnull=True)
    running = list(live.filter(ends_at__gt=now).order_by("ends_at", "pk"))
    closed = live.filter(ends_at__lte=now)
    published = {"report__review_status": Review.PUBLISHED}
    links = []
    for c in running:
        if c.starts_at <= now:
            links.append(Link(c.title, c.get_absolute_url(),
                              f"征求意见中，{_when(c.ends_at)}截止"))
    for c in running:
        if c.starts_at > now:
            links.append(Link(c.title, c.get_absolute_url(),
                              f"{_when(c.starts_at)}开始征求意见"))
    for c in closed.exclude(**published).order_by("-ends_at", "-pk")[:MAX_AWAITING]:
        links.append(Link(c.title, c.get_absolute_url(),
                          f"已于{_when(c.ends_at)}截止，意见处理中"))
    for c in closed.filter(**published).select_related("report").order_by(
            "-report__published_at", "-pk")[:MAX_REPORTED]:
        links.append(Link(f"{c.title}意见采纳情况",
                          reverse("participation:feedback", args=[c.pk]),
                          f"{_when(c.report.published_at)}公布"))
    cat = queries.public_catalogs(org).order_by("-year").first()
    if cat is not None:
        links.append(Link(str(cat), cat.get_absolute_url(), "重大行政决策事项目录"))
    if not links:
        return None
    more = Link(f"{org.short_name or org.name}全部公众参与事项",
                f"{reverse('participation:index')}?org={org.code}")
    return links, more


def _send(org_code: str) -> None:
    from gongkai.core.signals import unit_page_changed
    from gongkai.participation.models import Consultation

    try:
        unit_page_changed.send(sender=Consultation, org_code=org_code)
    except Exception:  # a purge failure must not turn a committed change into an error
        log.exception("participation: purge of unit page %s failed", org_code)


def unit_page_on_commit(org) -> None:
    """Inside a service's transaction: purge the unit's published page after commit."""
    code = org.code
    transaction.on_commit(lambda: _send(code))


def sweep(*, minutes: int = 5, now: dt.datetime | None = None) -> int:
    """Consultations open and close by the clock, not by a change: purge the unit page of
    every one whose start or end instant passed in the last ``minutes`` (run every minute:
    Celery beat, or `gongkai participation sweep` from cron). Returns the units purged."""
    from django.db.models import Q

    from gongkai.participation.models import Consultation, Review

    now = now or timezone.now()
    since = now - dt.timedelta(minutes=minutes)
    codes = set(Consultation.objects.filter(review_status=Review.PUBLISHED).filter(
        Q(starts_at__gt=since, starts_at__lte=now) | Q(ends_at__gt=since, ends_at__lte=now))
        .values_list("org__code", flat=True))
    for code in sorted(codes):
        _send(code)
    return len(codes)
