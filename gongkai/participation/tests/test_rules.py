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


def test_late_publication_counts_30_days_from_the_day_of_publication():
    import datetime as dt

    from gongkai.participation.rules import TZ, late_publish_problems

    start = dt.datetime(2026, 3, 1, 9, 0, tzinfo=TZ)
    end = dt.datetime(2026, 4, 10, 17, 0, tzinfo=TZ)
    # Published on time, or a non-major one, or with a reason: nothing to say.
    assert late_publish_problems(start, start, end, major=True) == []
    late = dt.datetime(2026, 3, 15, 10, 0, tzinfo=TZ)
    assert late_publish_problems(late, start, end, major=False) == []
    assert late_publish_problems(late, start, end, major=True, reason="情况紧急") == []
    # 3月15日 to 4月10日: 26 days.
    assert "只有26日" in late_publish_problems(late, start, end, major=True)[0]
    # 3月11日 to 4月10日 is 30 days, whatever the hour of publication.
    ok = dt.datetime(2026, 3, 11, 23, 59, tzinfo=TZ)
    assert late_publish_problems(ok, start, end, major=True) == []
