"""Reminders of the calendar: next year's State Council holiday notice not yet imported.

The notice 「国务院办公厅关于YYYY年部分节假日安排的通知」 usually appears in November; until it
is imported, deadlines in the next year are provisional (statutory holidays only, no 调休).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone

from gongkai.core.calendar import get_calendar
from gongkai.core.models import Role

log = logging.getLogger("gongkai.core")


def missing_notice_year(today: dt.date) -> int | None:
    """Next year, if it is November or December and next year's notice is not in."""
    if today.month < 11:
        return None
    year = today.year + 1
    return None if get_calendar().year_known(year) else year


def notice_text(year: int) -> str:
    return (f"{year}年节假日安排通知（国务院办公厅关于{year}年部分节假日安排的通知）尚未导入："
            f"{year}年的答复期限暂按法定节假日推算，未含调休。通知发布后请在工作日历中导入。")


def workbench_notices(user, today: dt.date) -> list[tuple[str, str, str]]:
    """(level, text, url) for the workbench: coordinators see the missing notice."""
    from gongkai.core.permissions import is_coordinator

    year = missing_notice_year(today)
    if year is None or not is_coordinator(user):
        return []
    return [("warning", notice_text(year), reverse("core:calendar"))]


def send_notice_reminder(today: dt.date | None = None) -> int:
    """Mail the coordinators on Mondays of November and December while the notice is missing."""
    today = today or timezone.localdate()
    year = missing_notice_year(today)
    if year is None or today.weekday() != 0:
        return 0
    to = sorted({u.email for u in get_user_model().objects.filter(
        is_active=True, staff_profile__role__in=[Role.COORDINATOR, Role.ADMIN]).exclude(
        email="")})
    if not to:
        return 0
    base = getattr(settings, "GONGKAI_BASE_URL", "").rstrip("/")
    send_mail(f"【工作日历】{year}年节假日安排通知尚未导入",
              f"{notice_text(year)}\n\n导入入口：{base}{reverse('core:calendar')}",
              settings.DEFAULT_FROM_EMAIL, to)
    log.info("calendar: reminded %d coordinators of the %d notice", len(to), year)
    return 1
