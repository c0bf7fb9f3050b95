import datetime as dt

from gongkai.participation import rules

TZ = rules.TZ


def t(*args):
    return dt.datetime(*args, tzinfo=TZ)


def test_major_decision_needs_30_days_or_a_reason():
    start = t(2026, 12, 1, 9)
    assert rules.period_problems(start, start + dt.timedelta(days=30), major=True) == []
    short = rules.period_problems(start, start + dt.timedelta(days=29), major=True)
    assert short and "30日" in short[0]
    assert rules.period_problems(start, start + dt.timedelta(days=10), major=True,
                                 reason="防汛应急，时间紧急") == []
    # Ordinary consultations have no statutory minimum here.
    assert rules.period_problems(start, start + dt.timedelta(days=7), major=False) == []
    assert rules.period_problems(start, start, major=False)


def test_feedback_due_and_overdue_in_shanghai_time():
    # Closed at 23:30 Shanghai on Dec 31 = 15:30 UTC: the due date counts from the Shanghai day.
    ends = dt.datetime(2026, 12, 31, 15, 30, tzinfo=dt.UTC)
    assert rules.feedback_due(ends, 30) == dt.date(2027, 1, 30)
    on_time = t(2027, 1, 30, 23, 59)
    late = t(2027, 1, 31, 0, 1)
    assert not rules.is_overdue(ends, on_time, late, 30)
    assert rules.is_overdue(ends, None, late, 30)
    assert rules.is_overdue(ends, late, late, 30)
