"""Working-day arithmetic (工作日), free of the ORM.

Counting convention (RULES.md §2): the day of an event is not counted; day 1 is the
first working day after it. ``Calendar.add(d, n)`` is the Nth working day after ``d``;
``Calendar.count(a, b)`` counts working days ``x`` with ``a < x <= b``.

A calendar knows the State Council's holidays and 调休 workdays for the years that
``chinesecalendar`` ships (2004-2026 in 1.11.0) plus every year a coordinator has
declared complete. Manual overrides win over the package. For any other year the
statutory holidays of 《全国年节及纪念日放假办法》 (2024 revision) plus weekends are assumed
— without the 调休 the State Council adds each year — and the caller can ask for
``warnings(a, b)``: the result is provisional until the year's notice is imported.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from chinese_calendar import constants as _cc

PACKAGE_HOLIDAYS: dict[date, str] = dict(_cc.holidays)
PACKAGE_WORKDAYS: dict[date, str] = dict(_cc.workdays)
PACKAGE_YEARS: frozenset[int] = frozenset(
    range(min(PACKAGE_HOLIDAYS).year, max(PACKAGE_HOLIDAYS).year + 1)
)

# Tolerate absurd inputs without looping forever: 20 years of working days.
MAX_DAYS = 20 * 366


class CalendarError(ValueError):
    """Raised for input the arithmetic cannot honour (negative counts, reversed ranges)."""


def unknown_year_warning(year: int) -> str:
    return (
        f"{year}年的国务院节假日安排通知尚未录入，暂按《全国年节及纪念日放假办法》规定的"
        "法定节假日和周末推算（未含调休），结果可能随通知发布而变化。"
    )


@lru_cache(maxsize=64)
def statutory_holidays(year: int) -> dict[date, str]:
    """The days off of 《全国年节及纪念日放假办法》 (as revised 2024-11-10) in ``year``.

    元旦 1 day, 春节 除夕 to 初三 (4 days), 清明, 劳动节 5/1-5/2, 端午, 中秋, 国庆 10/1-10/3.
    The lunar and solar-term dates come from the ``holidays`` package, which knows the
    2024 rules; weekends and 调休 are not included (only the annual notice sets those).
    """
    import holidays

    days = holidays.country_holidays("CN", years=year, observed=False, language="zh_CN")
    return {d: ("春节" if name == "农历除夕" else name) for d, name in sorted(days.items())}


@dataclass(frozen=True)
class Calendar:
    """Which dates are working days. Immutable so it can be cached and shared."""

    overrides: Mapping[date, bool] = field(default_factory=dict)
    complete_years: frozenset[int] = frozenset()
    use_package: bool = True
    use_statutory: bool = True

    def known_years(self) -> frozenset[int]:
        base = PACKAGE_YEARS if self.use_package else frozenset()
        return base | self.complete_years

    def year_known(self, year: int) -> bool:
        return year in self.known_years()

    def is_workday(self, d: date) -> bool:
        if d in self.overrides:
            return self.overrides[d]
        if self.use_package and d.year in PACKAGE_YEARS:
            if d in PACKAGE_HOLIDAYS:
                return False
            if d in PACKAGE_WORKDAYS:
                return True
        elif self.use_statutory and d.year not in self.complete_years \
                and d in statutory_holidays(d.year):
            return False
        return d.weekday() < 5

    def day_name(self, d: date) -> str | None:
        """The holiday or 调休 name of ``d`` from the package (or the statute), if any."""
        if self.use_package and d.year in PACKAGE_YEARS:
            return PACKAGE_HOLIDAYS.get(d) or PACKAGE_WORKDAYS.get(d)
        if self.use_statutory and not self.year_known(d.year):
            return statutory_holidays(d.year).get(d)
        return None

    def add(self, start: date, n: int) -> date:
        """The Nth working day after ``start`` (``start`` itself is not counted)."""
        if n < 0:
            raise CalendarError("working-day count must not be negative")
        d = start
        remaining = n
        steps = 0
        while remaining:
            d += timedelta(days=1)
            steps += 1
            if steps > MAX_DAYS:
                raise CalendarError("working-day count too large")
            if self.is_workday(d):
                remaining -= 1
        return d

    def count(self, start: date, end: date) -> int:
        """How many working days ``d`` satisfy ``start < d <= end``."""
        if end < start:
            raise CalendarError("end date is before start date")
        if (end - start).days > MAX_DAYS:
            raise CalendarError("date range too large")
        total = 0
        d = start
        while d < end:
            d += timedelta(days=1)
            if self.is_workday(d):
                total += 1
        return total

    def next_workday(self, d: date) -> date:
        """``d`` itself if it is a working day, else the first working day after it."""
        return d if self.is_workday(d) else self.add(d, 1)

    def unknown_years(self, start: date, end: date) -> list[int]:
        lo, hi = sorted((start, end))
        return [y for y in range(lo.year, hi.year + 1) if not self.year_known(y)]

    def warnings(self, start: date, end: date) -> list[str]:
        """Warnings for every year in [start, end] whose official calendar is missing."""
        return [unknown_year_warning(y) for y in self.unknown_years(start, end)]


PACKAGE_CALENDAR = Calendar()
