"""The annual-report deadline (条例 Art. 49–50) on the workbench and by mail.

部门 and 街道 publish the report on year Y by 31 January of Y+1, the district government
by 31 March. A report can be drafted any time but published only from 1 January of Y+1.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone

from gongkai.core.models import Organization, Role
from gongkai.reports.models import AnnualReport, ReportStatus, due_date

log = logging.getLogger("gongkai.reports")
MAIL_DAYS_LEFT = (30, 14, 7, 3, 1, 0)


def report_year(today: dt.date) -> int:
    """The year whose report is being prepared: this year in December, else last year."""
    return today.year if today.month == 12 else today.year - 1


def status_of(org: Organization, year: int) -> str:
    report = AnnualReport.objects.filter(org=org, year=year).only("status").first()
    return report.get_status_display() if report else "未编制"


def deadline_text(org: Organization, year: int, today: dt.date) -> str | None:
    """What the unit should know about its report on ``year`` today; None if nothing."""
    due = due_date(org, year)
    if AnnualReport.objects.filter(org=org, year=year, status=ReportStatus.PUBLISHED).exists():
        return None
    left = (due - today).days
    state = status_of(org, year)
    law = "（《中华人民共和国政府信息公开条例》第四十九条、第五十条）"
    if left < 0:
        return f"{year}年度政府信息公开工作年度报告已逾期{-left}天未公布{law}，当前状态：{state}。"
    if today.year == year and today.month == 12:
        return (f"{year}年度政府信息公开工作年度报告须于{due:%Y年%-m月%-d日}前公布{law}，"
                f"现在可以起草，{year + 1}年1月1日起方可发布。当前状态：{state}。")
    if today.year > year and left <= 90:
        return (f"{year}年度政府信息公开工作年度报告须于{due:%Y年%-m月%-d日}前公布{law}，"
                f"还剩{left}天。当前状态：{state}。")
    return None


def workbench_notices(user, today: dt.date) -> list[tuple[str, str, str]]:
    from gongkai.core.permissions import is_coordinator, profile_of

    year = report_year(today)
    profile = profile_of(user)
    out = []
    if profile is not None and profile.org is not None and profile.org.is_active:
        text = deadline_text(profile.org, year, today)
        if text:
            level = "warning" if today > due_date(profile.org, year) or \
                (due_date(profile.org, year) - today).days <= 14 else "info"
            out.append((level, text, reverse("reports:edit", args=[profile.org.code, year])
                        if AnnualReport.objects.filter(org=profile.org, year=year).exists()
                        else reverse("reports:staff_index")))
    if is_coordinator(user) and today.month in (12, 1, 2, 3):
        missing = _unpublished(year)
        if missing:
            out.append(("info", f"全区{year}年度报告：{len(missing)}个单位尚未发布"
                                f"（部门、街道须于{year + 1}年1月31日前公布）。",
                        reverse("reports:summary") + f"?year={year}"))
    return out


def _unpublished(year: int) -> list[Organization]:
    done = set(AnnualReport.objects.filter(year=year, status=ReportStatus.PUBLISHED)
               .values_list("org_id", flat=True))
    return [o for o in Organization.district_units().order_by("sort_order", "code")
            if o.pk not in done]


def send_deadline_reminders(today: dt.date | None = None) -> int:
    """Mail each unit whose report is not published, 30/14/7/3/1/0 days before its deadline
    and on Mondays once overdue."""
    today = today or timezone.localdate()
    year = report_year(today)
    base = getattr(settings, "GONGKAI_BASE_URL", "").rstrip("/")
    sent = 0
    for org in _unpublished(year):
        left = (due_date(org, year) - today).days
        if not (left in MAIL_DAYS_LEFT or (left < 0 and today.weekday() == 0)):
            continue
        text = deadline_text(org, year, today)
        to = sorted({u.email for u in get_user_model().objects.filter(
            is_active=True, staff_profile__org=org,
            staff_profile__role__in=[Role.EDITOR, Role.REVIEWER]).exclude(email="")})
        if not text or not to:
            continue
        send_mail(f"【公开年报】{year}年度报告" + ("已逾期" if left < 0 else f"还剩{left}天"),
                  f"{text}\n\n编制入口：{base}{reverse('reports:staff_index')}",
                  settings.DEFAULT_FROM_EMAIL, to)
        sent += 1
    log.info("reports: %d deadline reminders for %d", sent, year)
    return sent
