"""Numbers about a unit's 依申请公开 over a period, registered for the supervision evaluation."""

from __future__ import annotations

from django.db.models import Avg, F

from gongkai.foi.models import AppealOutcome, AppealRecord, Application, QualityCheck


def on_time_share(org, start, end):
    """Share (%) of applications closed in the period by their answer deadline."""
    closed = Application.objects.filter(org=org, closed_date__gte=start, closed_date__lte=end,
                                        answer_due__isnull=False)
    total = closed.count()
    if not total:
        return None
    return round(100.0 * closed.filter(closed_date__lte=F("answer_due")).count() / total, 1)


def corrected_count(org, start, end):
    """复议/诉讼 concluded in the period with the unit's answer corrected."""
    concluded = AppealRecord.objects.filter(application__org=org, concluded_date__gte=start,
                                            concluded_date__lte=end)
    if not concluded.exists():
        return None
    return concluded.filter(outcome=AppealOutcome.CORRECTED).count()


def quality_score(org, start, end):
    """Average 抽检 score of the unit's applications checked in the period."""
    avg = QualityCheck.objects.filter(application__org=org, at__date__gte=start,
                                      at__date__lte=end).aggregate(a=Avg("score"))["a"]
    return None if avg is None else round(float(avg), 1)
