"""The answer clock of a 区长信箱 message, free of the ORM.

Counting convention (RULES.md §2, as for FOI): the day of an event is not counted; day 1
is the first working day after it. A unit must reply within ``answer_wd`` working days
(default 5) after the message was routed to it. A message still unanswered three calendar
months after it was received fails the national inspection (国办秘函〔2019〕19号): that is
an alarm on the coordinator's dashboard, whatever the unit's own deadline says.
"""

from __future__ import annotations

import calendar as _pycal
import datetime as dt
import statistics

from gongkai.core.workdays import Calendar

DEFAULT_ANSWER_WD = 5
SOON_WD = 2  # "即将到期" within this many working days
ALARM_MONTHS = 3

LATE = "late"
SOON = "soon"
ALARM = "alarm"
OK = "ok"


def due_date(cal: Calendar, routed: dt.date, answer_wd: int = DEFAULT_ANSWER_WD) -> dt.date:
    """The last day to reply: the ``answer_wd``-th working day after routing."""
    return cal.add(routed, answer_wd)


def add_months(d: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, clamped to the month's end (31 Jan + 1 = 28/29 Feb)."""
    m = d.month - 1 + months
    year, month = d.year + m // 12, m % 12 + 1
    return dt.date(year, month, min(d.day, _pycal.monthrange(year, month)[1]))


def alarm_date(received: dt.date) -> dt.date:
    """The first day on which an unanswered message counts as 超过3个月未回复."""
    return add_months(received, ALARM_MONTHS)


def remaining(cal: Calendar, today: dt.date, due: dt.date) -> int:
    """Working days left until ``due`` (0 on the day; negative when overdue)."""
    if due >= today:
        return cal.count(today, due)
    return -cal.count(due, today)


def flag(cal: Calendar, today: dt.date, received: dt.date, due: dt.date | None,
         answered_before: bool = False) -> str:
    """The worst state of an open message on ``today``: alarm, late, soon or ok. A message
    reopened after an answer (``answered_before``) was answered: no three-month alarm."""
    if today >= alarm_date(received) and not answered_before:
        return ALARM
    if due is None:
        return OK
    left = remaining(cal, today, due)
    if left < 0:
        return LATE
    if left <= SOON_WD:
        return SOON
    return OK


def workdays_taken(cal: Calendar, routed: dt.date, answered: dt.date) -> int:
    """Working days from routing to the reply (a reply on the routing day took 0)."""
    if answered <= routed:
        return 0
    return cal.count(routed, answered)


def median(values: list[int | float]) -> float | None:
    return float(statistics.median(values)) if values else None
