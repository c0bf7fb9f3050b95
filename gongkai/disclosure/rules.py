"""Publication rules free of the ORM: Art. 26 timeliness and 三同步.

Timeliness: a document must be public within the node's limit in working days (20 by
default, 条例 Art. 26) counted from its 成文日期, day 1 being the first working day after it.
三同步: a 规范性文件 or an important policy document published as 主动公开 needs a published
政策解读 in the same action, or a reviewer's recorded reason.
"""

from __future__ import annotations

import datetime as dt

DEFAULT_LIMIT_WD = 20
SOON_WD = 5

LATE = "late"            # publish-by passed, not yet published
SOON = "soon"            # due within SOON_WD working days
ON_TIME = "on_time"      # published on or before publish-by
PUBLISHED_LATE = "published_late"
OPEN = "open"            # not due soon


def publish_by(calendar, written: dt.date | None, limit_wd: int | None) -> dt.date | None:
    if written is None:
        return None
    return calendar.add(written, limit_wd or DEFAULT_LIMIT_WD)


def timeliness(calendar, *, due: dt.date | None, published: dt.date | None, today: dt.date,
               soon_wd: int = SOON_WD) -> str | None:
    """One of the constants above, or None when there is no 成文日期."""
    if due is None:
        return None
    if published is not None:
        return ON_TIME if published <= due else PUBLISHED_LATE
    if today > due:
        return LATE
    if calendar.count(today, due) <= soon_wd:
        return SOON
    return OPEN


def needs_interpretation(*, doc_type: str, is_important: bool, attribute: str) -> bool:
    """Whether 三同步 applies: 规范性文件 or an important policy, published proactively."""
    return attribute == "public" and (doc_type == "normative" or is_important)


def sync_blocker(*, doc_type: str, is_important: bool, attribute: str,
                 has_published_interpretation: bool, publishing_interpretation: bool,
                 reason: str) -> str | None:
    """The Chinese message blocking publication, or None when 三同步 is satisfied."""
    if not needs_interpretation(doc_type=doc_type, is_important=is_important,
                                attribute=attribute):
        return None
    if has_published_interpretation or publishing_interpretation or (reason or "").strip():
        return None
    what = "行政规范性文件" if doc_type == "normative" else "重要政策文件"
    return (f"该文件为{what}，按“三同步”要求须与政策解读同步发布："
            "请同时发布关联的政策解读，或填写暂不解读的理由。")
