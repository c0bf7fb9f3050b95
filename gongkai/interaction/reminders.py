"""Daily run: mail each unit its letters due soon or overdue, mail the coordinators the
letters unanswered for three months, and send stale 一号答 answers back to review.

Mails carry numbers, dates and subjects only — never the writer's name or contact data.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.utils import timezone

from gongkai.core.calendar import get_calendar
from gongkai.core.models import Role
from gongkai.interaction import clock, services, stats
from gongkai.interaction.models import CoPart, CPStatus, Message, MStatus, QAEntry, QStatus

log = logging.getLogger("gongkai.interaction")


def due_soon_or_late(today: dt.date) -> list[tuple[Message, int]]:
    cal = get_calendar()
    rows = []
    for m in Message.objects.filter(status__in=[MStatus.HANDLING, MStatus.REVIEW],
                                    due_date__isnull=False).select_related("org"):
        left = clock.remaining(cal, today, m.due_date)
        if left <= clock.SOON_WD:
            rows.append((m, left))
    return rows


def co_parts_due(today: dt.date) -> list[tuple[CoPart, int]]:
    """Co-handlers' parts not yet submitted whose deadline is near or past."""
    cal = get_calendar()
    rows = []
    for p in CoPart.objects.filter(
            message__status__in=[MStatus.HANDLING, MStatus.REVIEW], due_date__isnull=False,
    ).exclude(status=CPStatus.SUBMITTED).select_related("org", "message"):
        left = clock.remaining(cal, today, p.due_date)
        if left <= clock.SOON_WD:
            rows.append((p, left))
    return rows


def workbench_notices(user, today: dt.date) -> list:
    """On a handler's workbench: their unit's letters and co-handling parts due soon or
    overdue (the coordinator has the dashboard)."""
    from django.urls import reverse

    from gongkai.core.permissions import can_edit, is_coordinator

    if is_coordinator(user):
        return []

    def state(left: int) -> str:
        return f"已超期{-left}个工作日" if left < 0 else f"剩余{left}个工作日"

    out = []
    for m, left in due_soon_or_late(today):
        if can_edit(user, m.org_id):
            out.append(("warning" if left < 0 else "info",
                        f"区长信箱来信 {m.number}：答复期限 {m.due_date:%Y-%m-%d}（{state(left)}）",
                        reverse("interaction:staff_detail", args=[m.pk])))
    for p, left in co_parts_due(today):
        if can_edit(user, p.org_id):
            out.append(("warning" if left < 0 else "info",
                        f"区长信箱协办意见 {p.message.number}：提交期限 "
                        f"{p.due_date:%Y-%m-%d}（{state(left)}）",
                        reverse("interaction:staff_detail", args=[p.message_id])))
    for kind, obj, url in proposals_and_topics_due(today):
        if not can_edit(user, obj.org_id):
            continue
        days = (obj.deadline - today).days
        when = f"已超期{-days}天" if days < 0 else f"剩余{days}天"
        text = (f"建议提案 {obj.year}年第{obj.number}号：办理期限 {obj.deadline:%Y-%m-%d}（{when}）"
                if kind == "proposal" else
                f"热点回应「{obj.term}」：回应期限 {obj.deadline:%Y-%m-%d}（{when}）")
        out.append(("warning" if days < 0 else "info", text, url))
    return out


PROPOSAL_SOON_DAYS = 15  # calendar days before a 建议提案's deadline it shows on the workbench
TOPIC_SOON_DAYS = 3


def proposals_and_topics_due(today: dt.date) -> list[tuple[str, object, str]]:
    """Unanswered 建议提案 and open 热点回应 whose deadline is near or past, with the page
    where the unit acts on them."""
    from django.urls import reverse

    from gongkai.interaction.models import Proposal, TopicResponse

    out: list[tuple[str, object, str]] = []
    for p in Proposal.objects.filter(answered_date__isnull=True,
                                     deadline__lte=today + dt.timedelta(PROPOSAL_SOON_DAYS)):
        out.append(("proposal", p, reverse("interaction:staff_proposal", args=[p.pk])))
    for t in TopicResponse.objects.filter(closed_date__isnull=True,
                                          deadline__lte=today + dt.timedelta(TOPIC_SOON_DAYS)):
        out.append(("topic", t, reverse("interaction:staff_topics")))
    return out


def _emails(users) -> list[str]:
    return sorted({u.email for u in users if u.email})


def stale_policy_ids() -> set[int]:
    """Documents a 一号答 answer may rest on that are repealed or expired."""
    from gongkai.disclosure.models import Document, Validity

    ids = {i for e in QAEntry.objects.filter(status=QStatus.PUBLISHED) for i in e.doc_ids}
    return set(Document.objects.filter(pk__in=ids, validity__in=[
        Validity.REPEALED, Validity.EXPIRED]).values_list("pk", flat=True))


def run_daily(today: dt.date | None = None) -> dict:
    today = today or timezone.localdate()
    flagged = services.flag_stale_qa(on=today, stale_doc_ids=stale_policy_ids())
    users = get_user_model().objects.filter(is_active=True, staff_profile__isnull=False)
    by_org = defaultdict(list)
    for m, left in due_soon_or_late(today):
        state = f"已超期{-left}个工作日" if left < 0 else f"剩余{left}个工作日"
        by_org[m.org].append(f"- {m.number} {m.subject}：答复期限 {m.due_date:%Y-%m-%d}（{state}）")
    for p, left in co_parts_due(today):
        state = f"已超期{-left}个工作日" if left < 0 else f"剩余{left}个工作日"
        by_org[p.org].append(f"- {p.message.number} {p.message.subject}：协办意见提交期限 "
                             f"{p.due_date:%Y-%m-%d}（{state}）")
    sender = getattr(settings, "DEFAULT_FROM_EMAIL", None)
    mails = 0
    for org, lines in by_org.items():
        to = _emails(users.filter(staff_profile__org=org))
        if to:
            send_mail(f"区长信箱：{len(lines)}件来信即将到期或已超期", "\n".join(lines),
                      sender, to, fail_silently=True)
            mails += 1
    alarms = stats.alarms(today)
    approaching = stats.approaching(today)
    if alarms or approaching:
        to = _emails(users.filter(staff_profile__role__in=[Role.COORDINATOR, Role.ADMIN]))
        lines = [f"- {m.number} {m.subject}（{m.received_date:%Y-%m-%d}收到）" for m in alarms]
        if approaching:
            lines += ["", "即将满3个月未回复："] + [
                f"- {m.number} {m.subject}（{line:%Y-%m-%d}满3个月）" for m, line in approaching]
        if to:
            send_mail(f"区长信箱预警：{len(alarms)}件来信超过3个月未回复，"
                      f"{len(approaching)}件即将满3个月", "\n".join(lines), sender, to,
                      fail_silently=True)
            mails += 1
    log.info("interaction daily: %s mails, %s alarms, %s Q&A flagged", mails, len(alarms),
             flagged)
    return {"mails": mails, "alarms": len(alarms), "flagged": flagged,
            "due": sum(len(v) for v in by_org.values())}
