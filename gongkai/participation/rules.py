"""Legal arithmetic of 公众参与, free of the database.

《重大行政决策程序暂行条例》(国务院令第713号) 第十四条: 征求意见的期限一般不少于30日；
因情况紧急等原因需要缩短期限的，应当在征求意见时予以说明.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Shanghai")
MIN_DAYS_MAJOR = 30
DEFAULT_FEEDBACK_DAYS = 30


def days_open(starts_at: dt.datetime, ends_at: dt.datetime) -> float:
    return (ends_at - starts_at).total_seconds() / 86400


def period_problems(starts_at: dt.datetime, ends_at: dt.datetime, *, major: bool,
                    reason: str = "") -> list[str]:
    problems = []
    if ends_at <= starts_at:
        problems.append("截止时间须晚于开始时间。")
    elif major and days_open(starts_at, ends_at) < MIN_DAYS_MAJOR and not (reason or "").strip():
        problems.append("重大行政决策征求意见期限一般不少于30日（国务院令第713号第十四条）；"
                        "缩短期限须填写理由。")
    return problems


def late_publish_problems(now: dt.datetime, starts_at: dt.datetime, ends_at: dt.datetime, *,
                          major: bool, reason: str = "") -> list[str]:
    """Published after its start instant, a consultation is open only from publication: a
    major decision's 30 days then count from the day it is published (calendar days in
    Asia/Shanghai, the day of publication not counted), unless a reason is recorded."""
    if not major or (reason or "").strip() or now <= starts_at:
        return []
    days = (ends_at.astimezone(TZ).date() - now.astimezone(TZ).date()).days
    if days >= MIN_DAYS_MAJOR:
        return []
    return [f"该征求意见自发布之日起算只有{days}日，重大行政决策征求意见期限一般不少于30日"
            "（国务院令第713号第十四条）；请推后截止时间，或填写缩短期限的理由后重新提交。"]


def feedback_due(ends_at: dt.datetime, days: int = DEFAULT_FEEDBACK_DAYS) -> dt.date:
    """The last day (Asia/Shanghai) to publish the 意见采纳情况: ``days`` calendar days
    after the consultation closed."""
    return ends_at.astimezone(TZ).date() + dt.timedelta(days=days)


def is_overdue(ends_at: dt.datetime, published_at: dt.datetime | None, now: dt.datetime,
               days: int = DEFAULT_FEEDBACK_DAYS) -> bool:
    due = feedback_due(ends_at, days)
    when = published_at or now
    return when.astimezone(TZ).date() > due
