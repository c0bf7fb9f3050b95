"""Helpers shared by the 政民互动 services."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone


def today() -> dt.date:
    return timezone.localdate()


def answer_workdays() -> int:
    """Working days a unit has to reply (setting GONGKAI_INTERACTION_ANSWER_WD, default 5)."""
    from gongkai.interaction.clock import DEFAULT_ANSWER_WD

    value = getattr(settings, "GONGKAI_INTERACTION_ANSWER_WD", DEFAULT_ANSWER_WD)
    try:
        value = int(value)
    except (TypeError, ValueError):
        return DEFAULT_ANSWER_WD
    return value if 1 <= value <= 60 else DEFAULT_ANSWER_WD


DEFAULT_CO_WD = 3


def co_workdays() -> int:
    """Working days a co-handling unit has to submit its part (setting
    GONGKAI_INTERACTION_CO_WD, default 3, never more than the lead unit's own time)."""
    value = getattr(settings, "GONGKAI_INTERACTION_CO_WD", DEFAULT_CO_WD)
    try:
        value = int(value)
    except (TypeError, ValueError):
        value = DEFAULT_CO_WD
    value = value if 1 <= value <= 60 else DEFAULT_CO_WD
    return min(value, answer_workdays())
