"""Supervision's own statistics (registered in apps.py), read by its evaluation like any app's."""

from __future__ import annotations

from django.db.models import F, Q


def findings_on_time(org, start, end):
    """Share (%) of findings due in the period that were closed by their deadline."""
    from gongkai.supervision.models import Finding, FindingStatus

    due = Finding.objects.filter(org=org, due__gte=start, due__lte=end)
    total = due.count()
    if not total:
        return None
    closed = due.filter(status=FindingStatus.CLOSED, closed_at__date__lte=F("due")).count()
    return round(100.0 * closed / total, 1)


def _standing(org, start, end):
    """The unit's findings that stood on the site at some time in [start, end]: found by
    the end, not closed before the start."""
    from gongkai.supervision.models import Finding

    return (Finding.objects.filter(org=org, found_at__date__lte=end)
            .exclude(closed_at__date__lt=start))


def veto_findings(org, start, end) -> list:
    """19号 单项否决 findings that fail the unit for the period: standing in the period and
    either still open at its end, or closed after their deadline (not rectified on time).
    One rectified by its deadline does not."""
    from gongkai.supervision.models import FindingStatus

    late = (Q(closed_at__isnull=True) | ~Q(status=FindingStatus.CLOSED)
            | Q(closed_at__date__gt=end) | Q(closed_at__date__gt=F("due")))
    return list(_standing(org, start, end).filter(veto=True).filter(late).order_by("due", "id"))


def inspection_score(org, start, end):
    """19号's 100-point deduction score of the unit's findings that stood in the period
    (each costs its deduction even if later rectified: the problem was on the site; on-time
    rectification is rewarded by ``findings_on_time``). None when no inspection ran in the
    period and nothing stood: the site was not checked, which is not 100 (nor 0)."""
    from gongkai.supervision.models import InspectionRun

    standing = _standing(org, start, end)
    if not standing.exists() and not InspectionRun.objects.filter(
            started_at__date__gte=start, started_at__date__lte=end).exists():
        return None
    lost = sum(float(d) for d in standing.values_list("deduction", flat=True))
    return max(0.0, 100.0 - lost)


def unit_audiences(org) -> set[str]:
    """Which training audiences a unit has people in: every unit has a 分管领导; 信息员 and
    审核人 by its staff accounts' roles; 公开办工作人员 at the coordinating office (or where a
    coordinator works); 街道工作人员 at a 街道."""
    from gongkai.core.models import OrgKind, Role

    roles = set(org.staff.values_list("role", flat=True))
    out = {"leader"}
    out |= {r for r in (Role.EDITOR, Role.REVIEWER) if r in roles}
    if org.is_coordinating or Role.COORDINATOR in roles:
        out.add("office")
    if org.kind == OrgKind.SUBDISTRICT:
        out.add("subdistrict")
    return {str(a) for a in out}


def training_sessions_for(org, start, end) -> list:
    """Sessions in the period meant for the unit: their audience includes one of the unit's
    role holders (a session with no audience given is meant for everyone)."""
    from gongkai.supervision.models import TrainingSession

    mine = unit_audiences(org)
    return [s for s in TrainingSession.objects.filter(date__gte=start, date__lte=end)
            if not s.audience or mine & set(s.audience)]


def training_count(org, start, end):
    """Share (%) of the period's sessions meant for the unit that it attended; None when
    there were none for it (no training is missing data, not a zero)."""
    from gongkai.supervision.models import TrainingSession

    due = training_sessions_for(org, start, end)
    if not due:
        return None
    attended = set(TrainingSession.objects.filter(pk__in=[s.pk for s in due], orgs=org)
                   .values_list("pk", flat=True))
    return round(100.0 * len(attended) / len(due), 1)


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
