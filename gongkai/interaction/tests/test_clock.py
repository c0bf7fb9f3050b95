"""The answer clock, without a database."""

import datetime as dt

from gongkai.core.workdays import Calendar
from gongkai.interaction import clock

CAL = Calendar()  # the package calendar: 2026 holidays known


def test_due_is_fifth_working_day_after_routing_skipping_weekend():
    # Friday 2026-11-06 routed: day 1 is Monday 9th, day 5 is Friday 13th.
    assert clock.due_date(CAL, dt.date(2026, 11, 6)) == dt.date(2026, 11, 13)


def test_due_skips_national_day_holiday():
    # Routed 2026-09-30 (Wed): 1-8 Oct holiday (Oct 10 Saturday is a 调休 workday).
    due = clock.due_date(CAL, dt.date(2026, 9, 30))
    assert due > dt.date(2026, 10, 8)
    assert CAL.count(dt.date(2026, 9, 30), due) == 5


def test_three_month_alarm_clamps_month_end():
    assert clock.alarm_date(dt.date(2026, 11, 30)) == dt.date(2027, 2, 28)
    assert clock.alarm_date(dt.date(2026, 1, 15)) == dt.date(2026, 4, 15)


def test_flags():
    received = dt.date(2026, 11, 2)
    due = dt.date(2026, 11, 13)
    assert clock.flag(CAL, dt.date(2026, 11, 5), received, due) == clock.OK
    assert clock.flag(CAL, dt.date(2026, 11, 12), received, due) == clock.SOON
    assert clock.flag(CAL, dt.date(2026, 11, 13), received, due) == clock.SOON
    assert clock.flag(CAL, dt.date(2026, 11, 16), received, due) == clock.LATE
    assert clock.flag(CAL, dt.date(2027, 2, 2), received, due) == clock.ALARM
    # reopened after an answer: late by its new due date, never the three-month alarm
    assert clock.flag(CAL, dt.date(2027, 2, 2), received, due, answered_before=True) \
        == clock.LATE
    assert clock.flag(CAL, dt.date(2027, 2, 1), received, None) == clock.OK


def test_remaining_and_taken():
    assert clock.remaining(CAL, dt.date(2026, 11, 13), dt.date(2026, 11, 13)) == 0
    assert clock.remaining(CAL, dt.date(2026, 11, 16), dt.date(2026, 11, 13)) == -1
    assert clock.workdays_taken(CAL, dt.date(2026, 11, 6), dt.date(2026, 11, 9)) == 1
    assert clock.workdays_taken(CAL, dt.date(2026, 11, 6), dt.date(2026, 11, 6)) == 0


def test_median():
    assert clock.median([]) is None
    assert clock.median([1, 5, 3]) == 3.0
    assert clock.median([1, 2, 3, 4]) == 2.5
