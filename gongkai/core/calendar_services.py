"""Importing the State Council's annual holiday notice into the calendar in force."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from gongkai.core import audit
from gongkai.core.calendar import calendar_changed
from gongkai.core.holiday_notice import Notice, parse
from gongkai.core.models import CalendarDay, CalendarYear
from gongkai.core.permissions import is_coordinator, require


@transaction.atomic
def import_holiday_notice(*, actor, text: str, check_permission: bool = True) -> Notice:
    """Set the year of the notice in ``text`` exactly as the notice says, and declare it complete.

    Earlier marks for that year are replaced (the notice is the whole truth for its year).
    Raises ``NoticeError`` (nothing changed) if the text is not such a notice.
    """
    if check_permission:
        require(is_coordinator(actor), "只有公开办协调员可以调整工作日历。")
    notice = parse(text)
    year = notice.year
    old = {d.date.isoformat(): [d.is_workday, d.name]
           for d in CalendarDay.objects.filter(date__year=year)}
    CalendarDay.objects.filter(date__year=year).delete()
    marks = [(d, False, n) for d, n in notice.holidays.items()]
    marks += [(d, True, n) for d, n in notice.workdays.items()]
    # Dates of the notice outside its year (rare: a 调休 Sunday in late December) replace
    # whatever mark those dates had.
    CalendarDay.objects.filter(date__in=[d for d, _, _ in marks if d.year != year]).delete()
    CalendarDay.objects.bulk_create(
        [CalendarDay(date=d, is_workday=w, name=n[:100]) for d, w, n in sorted(marks)])
    obj, _ = CalendarYear.objects.update_or_create(year=year,
                                                   defaults={"source": notice.source[:200]})
    new = {d.isoformat(): [w, n] for d, w, n in marks}
    audit.record(
        actor=actor, action="calendar.import_notice", target=obj,
        changes={k: {"before": old.get(k), "after": new.get(k)}
                 for k in sorted(set(old) | set(new)) if old.get(k) != new.get(k)},
        summary=(f"导入{notice.source}：放假{len(notice.holidays)}天，"
                 f"调休上班{len(notice.workdays)}天，{year}年节假日安排录入完毕"),
    )
    dates = sorted({dt.date(year, 1, 1), *(d for d, _, _ in marks)})
    transaction.on_commit(lambda: calendar_changed.send(sender=CalendarYear, actor=actor,
                                                        dates=dates))
    return notice
