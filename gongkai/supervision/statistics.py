"""Supervision's own statistics (registered in apps.py), read by its evaluation like any app's."""

from __future__ import annotations

from django.db.models import F


def findings_on_time(org, start, end):
    """Share (%) of findings due in the period that were closed by their deadline."""
    from gongkai.supervision.models import Finding, FindingStatus

    due = Finding.objects.filter(org=org, due__gte=start, due__lte=end)
    total = due.count()
    if not total:
        return None
    closed = due.filter(status=FindingStatus.CLOSED, closed_at__date__lte=F("due")).count()
    return round(100.0 * closed / total, 1)


def training_count(org, start, end):
    from gongkai.supervision.models import TrainingSession

    sessions = TrainingSession.objects.filter(date__gte=start, date__lte=end)
    if not sessions.exists():
        return None
    return sessions.filter(orgs=org).count()


def progress_share(org, start, end):
    """Share (%) of the unit's tasks in plans of the period's years with progress reported."""
    from gongkai.supervision.models import Assignment, AssignmentStatus

    tasks = Assignment.objects.filter(org=org, task__plan__year__gte=start.year,
                                      task__plan__year__lte=end.year)
    total = tasks.count()
    if not total:
        return None
    reported = tasks.exclude(status=AssignmentStatus.OPEN).count()
    return round(100.0 * reported / total, 1)
