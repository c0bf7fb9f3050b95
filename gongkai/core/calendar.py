"""The calendar in force: package data plus the coordinator's records in the database."""

from __future__ import annotations

import django.dispatch
from django.db import OperationalError, ProgrammingError, connection
from django.db.models import Count, Max

from gongkai.core.models import CalendarDay, CalendarYear
from gongkai.core.workdays import PACKAGE_CALENDAR, Calendar

# Sent after a coordinator changes the calendar; receivers recompute dependent dates
# (e.g. the due dates of running applications). kwargs: actor, dates (list of date).
calendar_changed = django.dispatch.Signal()

_cache: dict = {"stamp": None, "calendar": None}


def _stamp():
    days = CalendarDay.objects.aggregate(n=Count("id"), t=Max("updated_at"))
    years = CalendarYear.objects.aggregate(n=Count("id"), t=Max("updated_at"))
    return (days["n"], days["t"], years["n"], years["t"])


def get_calendar() -> Calendar:
    """The calendar in force, rebuilt only when the database records change.

    Before `gongkai migrate` has created the tables (a fresh install running the
    arithmetic commands), the official package calendar alone is in force.
    """
    try:
        stamp = _stamp()
    except (OperationalError, ProgrammingError):
        if connection.in_atomic_block:
            raise
        return PACKAGE_CALENDAR
    if _cache["stamp"] != stamp or _cache["calendar"] is None:
        overrides = dict(CalendarDay.objects.values_list("date", "is_workday"))
        complete = frozenset(CalendarYear.objects.values_list("year", flat=True))
        _cache["calendar"] = Calendar(overrides=overrides, complete_years=complete)
        _cache["stamp"] = stamp
    return _cache["calendar"]
