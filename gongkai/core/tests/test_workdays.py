"""The working-day arithmetic, without a database."""

import datetime as dt

import pytest

from gongkai.core.workdays import PACKAGE_CALENDAR, Calendar, CalendarError

D = dt.date


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (D(2026, 11, 2), 20, D(2026, 11, 30)),
        # Mid-Autumn + National Day 2026, with Saturday 10 October worked.
        (D(2026, 9, 21), 20, D(2026, 10, 26)),
        # Spring Festival 2026 with Saturdays 14 and 28 February worked.
        (D(2026, 2, 6), 20, D(2026, 3, 12)),
        (D(2026, 11, 2), 7, D(2026, 11, 11)),
        (D(2026, 11, 2), 0, D(2026, 11, 2)),
        # Friday + 1 = Monday.
        (D(2026, 11, 6), 1, D(2026, 11, 9)),
    ],
)
def test_add_counts_holidays_and_adjusted_workdays(start, n, expected):
    assert PACKAGE_CALENDAR.add(start, n) == expected


def test_adjusted_saturday_is_a_workday_and_golden_week_is_not():
    assert PACKAGE_CALENDAR.is_workday(D(2026, 10, 10))
    assert not PACKAGE_CALENDAR.is_workday(D(2026, 10, 5))
    assert not PACKAGE_CALENDAR.is_workday(D(2026, 10, 11))


def test_count_excludes_start_and_includes_end():
    assert PACKAGE_CALENDAR.count(D(2026, 11, 2), D(2026, 11, 30)) == 20
    assert PACKAGE_CALENDAR.count(D(2026, 11, 2), D(2026, 11, 2)) == 0
    assert PACKAGE_CALENDAR.count(D(2026, 11, 6), D(2026, 11, 9)) == 1


def test_count_and_add_are_inverse_across_a_year_end():
    start = D(2025, 12, 20)
    end = PACKAGE_CALENDAR.add(start, 15)
    assert PACKAGE_CALENDAR.count(start, end) == 15
    assert not PACKAGE_CALENDAR.is_workday(D(2026, 1, 1))


def test_unknown_year_falls_back_to_statutory_holidays_with_a_warning():
    result = PACKAGE_CALENDAR.add(D(2026, 12, 28), 10)
    # No 2027 notice: 2027-01-01 (Friday) is 元旦 by 《全国年节及纪念日放假办法》.
    assert result == D(2027, 1, 12)
    warnings = PACKAGE_CALENDAR.warnings(D(2026, 12, 28), result)
    assert len(warnings) == 1 and "2027" in warnings[0]
    assert PACKAGE_CALENDAR.warnings(D(2026, 1, 1), D(2026, 12, 31)) == []


def test_overrides_win_over_the_package_and_declared_years_need_no_warning():
    cal = Calendar(overrides={D(2027, 1, 1): False, D(2026, 11, 9): False},
                   complete_years=frozenset({2027}))
    assert not cal.is_workday(D(2027, 1, 1))
    assert cal.add(D(2026, 11, 6), 1) == D(2026, 11, 10)
    assert cal.warnings(D(2026, 12, 1), D(2027, 3, 1)) == []


def test_negative_and_reversed_inputs_are_errors():
    with pytest.raises(CalendarError):
        PACKAGE_CALENDAR.add(D(2026, 1, 1), -1)
    with pytest.raises(CalendarError):
        PACKAGE_CALENDAR.count(D(2026, 2, 1), D(2026, 1, 1))
