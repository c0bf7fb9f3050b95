"""Daily reminders: applications due within 3 working days or overdue, per handling unit.

Mails carry numbers, dates and a link only — never the applicant's name or contact data.
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
from gongkai.foi import services
from gongkai.foi.clock import remaining_workdays
from gongkai.foi.models import Application, Status

log = logging.getLogger("gongkai.foi")
SOON_WD = 3


def due_soon_or_late(today: dt.date) -> list[tuple[Application, int]]:
    cal = get_calendar()
    rows = []
    for app in Application.objects.exclude(status=Status.CLOSED).filter(
            answer_due__isnull=False).select_related("org"):
        left = remaining_workdays(cal, today, app.answer_due)
        if left <= SOON_WD:
            rows.append((app, left))
    return rows


def _line(app: Application, left: int) -> str:
    state = f"已超期{-left}个工作日" if left < 0 else f"剩余{left}个工作日"
    return f"- {app.number}：答复期限 {app.answer_due:%Y-%m-%d}（{state}）"


def _recipients(org) -> list[str]:
    users = get_user_model().objects.filter(is_active=True, staff_profile__org=org).exclude(
        email="")
    emails = sorted({u.email for u in users})
    if org is not None and org.email and org.email not in emails:
        emails.append(org.email)
    return emails


def notify_due_changes(moved: list[tuple[int | None, str, dt.date | None, dt.date | None]],
                       *, reason: str) -> int:
    """Tell each handling unit which of its applications' due dates a calendar change moved
    ((org id, number, old, new) rows; numbers and dates only). Returns the mails sent."""
    from gongkai.core.models import Organization

    by_org = defaultdict(list)
    for org_id, number, old, new in moved:
        by_org[org_id].append((number, old, new))
    base = getattr(settings, "GONGKAI_BASE_URL", "").rstrip("/")
    orgs = {o.pk: o for o in Organization.objects.filter(pk__in=[k for k in by_org if k])}
    sent = 0
    for org_id, rows in by_org.items():
        to = _recipients(orgs.get(org_id)) if org_id in orgs else []
        if not to:
            continue
        lines = [f"因{reason}，以下政府信息公开申请的答复期限已重新计算：", ""]
        lines += [f"- {number}：{old or '—'} → {new or '—'}" for number, old, new in rows]
        lines += ["", f"办理入口：{base}/ysqgk/staff/"]
        try:
            send_mail(f"【依申请公开】{len(rows)}件申请的答复期限已调整", "\n".join(lines),
                      settings.DEFAULT_FROM_EMAIL, to)
        except OSError:  # the calendar change is saved; a mail server outage is logged
            log.exception("foi: could not mail due-date changes to unit %s", org_id)
            continue
        sent += 1
    return sent


def send_reminders(today: dt.date | None = None) -> int:
    """Close expired corrections/fee waits, then mail each unit and the coordinators."""
    today = today or timezone.localdate()
    services.close_expired(today=today)
    by_org = defaultdict(list)
    for app, left in due_soon_or_late(today):
        by_org[app.org].append((app, left))
    base = getattr(settings, "GONGKAI_BASE_URL", "").rstrip("/")
    sent = 0
    for org, rows in by_org.items():
        to = _recipients(org) if org is not None else []
        if not to:
            continue
        body = "\n".join(["以下政府信息公开申请即将到期或已超期，请及时办理：", "",
                          *[_line(a, left) for a, left in rows], "",
                          f"办理入口：{base}/ysqgk/staff/"])
        send_mail(f"【依申请公开】{len(rows)}件申请即将到期或已超期", body,
                  settings.DEFAULT_FROM_EMAIL, to)
        sent += 1
    all_rows = [r for rows in by_org.values() for r in rows]
    late = [(a, left) for a, left in all_rows if left < 0]
    unassigned = by_org.get(None, [])
    coord = sorted({u.email for u in get_user_model().objects.filter(
        is_active=True, staff_profile__role__in=[Role.COORDINATOR, Role.ADMIN]).exclude(
        email="")})
    waiting = list(Application.objects.filter(
        status=Status.SUBMITTED, submitted_at__date__lt=today).order_by("submitted_at"))
    if coord and (late or unassigned or waiting):
        lines = ["全区依申请公开督办提示：", ""]
        for a, left in late + [r for r in unassigned if r[1] >= 0]:
            unit = a.org.name if a.org else "待分办"
            lines.append(f"{_line(a, left)}（{unit}）")
        if waiting:
            lines += ["", f"待确认收到的网上申请{len(waiting)}件（确认之日为收到申请之日）："]
            lines += [f"- {a.number}：{timezone.localtime(a.submitted_at):%Y-%m-%d}提交"
                      for a in waiting]
        send_mail(f"【依申请公开】全区{len(late)}件已超期", "\n".join(lines),
                  settings.DEFAULT_FROM_EMAIL, coord)
        sent += 1
    log.info("foi reminders: %d mails, %d applications due soon or late", sent, len(all_rows))
    return sent
