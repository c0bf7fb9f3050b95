"""Statistics read by supervision: compute(org, start, end) -> number or None (no data)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from gongkai.participation import rules
from gongkai.participation.models import Consultation, Opinion, Review


def feedback_days() -> int:
    return int(getattr(settings, "GONGKAI_PARTICIPATION_FEEDBACK_DAYS",
                       rules.DEFAULT_FEEDBACK_DAYS))


def _bounds(start: dt.date, end: dt.date):
    lo = dt.datetime.combine(start, dt.time.min, tzinfo=rules.TZ)
    hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=rules.TZ)
    return lo, hi


def _consultations(org, start, end):
    lo, hi = _bounds(start, end)
    # A withdrawn consultation (撤回) did not run its course: no days, comments or report.
    return Consultation.objects.filter(org=org, review_status=Review.PUBLISHED,
                                       withdrawn_at__isnull=True,
                                       starts_at__gte=lo, starts_at__lt=hi)


def consultations(org, start, end):
    return _consultations(org, start, end).count()


def days_open(org, start, end):
    rows = list(_consultations(org, start, end).values_list("starts_at", "ends_at"))
    if not rows:
        return None
    return round(sum(rules.days_open(s, e) for s, e in rows) / len(rows), 1)


def comments(org, start, end):
    return Opinion.objects.filter(consultation__in=_consultations(org, start, end),
                                  hidden_reason="").count()


def disposed_share(org, start, end):
    ops = list(Opinion.objects.filter(
        consultation__in=_consultations(org, start, end).filter(ends_at__lte=timezone.now()),
        hidden_reason="").select_related("group"))
    if not ops:
        return None
    return round(100 * sum(1 for o in ops if o.final_disposition()) / len(ops), 1)


def on_time_share(org, start, end):
    now = timezone.now()
    closed = list(_consultations(org, start, end).filter(ends_at__lte=now)
                  .select_related("report"))
    due = [c for c in closed if rules.feedback_due(c.ends_at, feedback_days()) < now.astimezone(
        rules.TZ).date() or hasattr(c, "report") and c.report.is_published]
    if not due:
        return None
    ok = 0
    for c in due:
        report = getattr(c, "report", None)
        published = report.published_at if report is not None and report.is_published else None
        if published and not rules.is_overdue(c.ends_at, published, now, feedback_days()):
            ok += 1
    return round(100 * ok / len(due), 1)


STATISTICS = [
    ("consultations", "征求意见次数", consultations, "次"),
    ("days_open", "征求意见平均天数", days_open, "天"),
    ("comments", "收到意见条数", comments, "条"),
    ("disposed_share", "意见处理率", disposed_share, "%"),
    ("feedback_on_time_share", "采纳情况按期公布率", on_time_share, "%"),
]
