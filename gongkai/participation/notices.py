"""Workbench notices of 公众参与 (``registry.notices``): 意见采纳情况 overdue or due within a
week, and extension/withdrawal requests and decision stages waiting for this reviewer."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

SOON_DAYS = 7


def workbench_notices(user, today: dt.date) -> list[tuple[str, str, str]]:
    from gongkai.core.permissions import can_review, profile_of, scope
    from gongkai.participation.models import PeriodChange, Review, Stage
    from gongkai.participation.staff_views import overdue_rows

    if profile_of(user) is None:
        return []
    out = []
    rows = overdue_rows(user)
    late = [r for r in rows if r["overdue"]]
    soon = [r for r in rows if not r["overdue"] and (r["due"] - today).days <= SOON_DAYS]
    url = reverse("participation:staff_overdue")
    if late:
        out.append(("warning", f"公众参与：{len(late)}项征求意见逾期未公布意见采纳情况。", url))
    if soon:
        out.append(("info", f"公众参与：{len(soon)}项征求意见的采纳情况须在{SOON_DAYS}日内公布。",
                    url))
    waiting = [ch for ch in scope(PeriodChange.objects.filter(status=Review.PENDING)
                                  .select_related("consultation__org"), user,
                                  field="consultation__org")
               if can_review(user, ch.consultation.org) and ch.requested_by_id != user.pk]
    if waiting:
        out.append(("info", f"公众参与：{len(waiting)}项延长或撤回征求意见的申请待您审核。",
                    reverse("participation:staff_consultation",
                            args=[waiting[0].consultation_id])))
    stages = [st for st in scope(Stage.objects.filter(review_status=Review.PENDING)
                                 .select_related("decision__catalog__org"), user,
                                 field="decision__catalog__org")
              if can_review(user, st.decision.org)
              and user.pk not in {st.created_by_id, st.submitted_by_id}]
    if stages:
        out.append(("info", f"公众参与：{len(stages)}项重大行政决策环节待您审核发布。",
                    reverse("participation:staff_item", args=[stages[0].decision_id])))
    return out
