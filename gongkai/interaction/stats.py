"""Per-unit statistics of the 区长信箱: received, answered on time, median working days,
satisfaction. Published as a table and registered for the evaluation (``registry``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from gongkai.interaction import clock
from gongkai.interaction.models import Message, MStatus, Rating


@dataclass
class UnitRow:
    org_id: int
    name: str
    received: int = 0
    answered: int = 0
    on_time: int = 0
    rated: int = 0
    satisfied: int = 0
    median_days: float | None = None

    @property
    def on_time_share(self) -> float | None:
        return round(100 * self.on_time / self.answered, 1) if self.answered else None

    @property
    def satisfaction(self) -> float | None:
        return round(100 * self.satisfied / self.rated, 1) if self.rated else None


def _messages(start: dt.date, end: dt.date):
    return (Message.objects.exclude(status=MStatus.MERGED)
            .filter(received_date__gte=start, received_date__lte=end, org__isnull=False))


def unit_rows(start: dt.date, end: dt.date, org_id: int | None = None) -> list[UnitRow]:
    qs = _messages(start, end)
    if org_id is not None:
        qs = qs.filter(org_id=org_id)
    rows: dict[int, UnitRow] = {}
    days: dict[int, list[int]] = {}
    for m in qs.select_related("org").only(
            "org__name", "org__short_name", "org_id", "status", "on_time", "rating",
            "answer_workdays"):
        row = rows.setdefault(m.org_id, UnitRow(m.org_id, m.org.short_name or m.org.name))
        row.received += 1
        if m.status == MStatus.ANSWERED:
            row.answered += 1
            row.on_time += 1 if m.on_time else 0
            if m.answer_workdays is not None:
                days.setdefault(m.org_id, []).append(m.answer_workdays)
        if m.rating:
            row.rated += 1
            row.satisfied += 1 if m.rating in (Rating.SATISFIED, Rating.BASIC) else 0
    for pk, row in rows.items():
        row.median_days = clock.median(days.get(pk, []))
    return sorted(rows.values(), key=lambda r: (-r.received, r.name))


def _one(org, start, end) -> UnitRow | None:
    rows = unit_rows(start, end, getattr(org, "pk", org))
    return rows[0] if rows else None


def received(org, start, end):
    row = _one(org, start, end)
    return row.received if row else None


def on_time_share(org, start, end):
    row = _one(org, start, end)
    return row.on_time_share if row else None


def median_days(org, start, end):
    row = _one(org, start, end)
    return row.median_days if row else None


def satisfaction(org, start, end):
    row = _one(org, start, end)
    return row.satisfaction if row else None


def alarms(today: dt.date) -> list[Message]:
    """Open messages unanswered three calendar months after receipt (the inspection's red
    line); no month is shorter than 28 days, so the database narrows by 84 days first."""
    candidates = _never_answered().filter(
        received_date__lte=today - dt.timedelta(days=28 * clock.ALARM_MONTHS),
    ).select_related("org").order_by("received_date")
    return [m for m in candidates if today >= clock.alarm_date(m.received_date)]


def _never_answered():
    """Open messages without any sent reply: one reopened after a 不满意 had its answer
    in time and is tracked by its new due date, not by the three-month line."""
    from gongkai.interaction.models import Reply, RStatus

    return Message.objects.filter(
        status__in=[MStatus.NEW, MStatus.HANDLING, MStatus.REVIEW]).exclude(
        pk__in=Reply.objects.filter(status=RStatus.SENT).values("message_id"))


APPROACHING_DAYS = 15


def approaching(today: dt.date, days: int = APPROACHING_DAYS) -> list[tuple[Message, dt.date]]:
    """Open messages that will cross the three-month line within ``days`` calendar days,
    with the day they would: the office still has time to get them answered."""
    candidates = _never_answered().filter(
        received_date__lte=today + dt.timedelta(days=days) - dt.timedelta(
            days=28 * clock.ALARM_MONTHS),
    ).select_related("org").order_by("received_date")
    out = []
    for m in candidates:
        line = clock.alarm_date(m.received_date)
        if today < line <= today + dt.timedelta(days=days):
            out.append((m, line))
    return out


def unanswered_by_unit(end: dt.date) -> dict[int | None, int]:
    """``unanswered_3_months`` for every unit at once: {org id (None: not routed): count}."""
    from gongkai.interaction.models import Reply, RStatus

    latest = end - dt.timedelta(days=28 * clock.ALARM_MONTHS)
    answered = Reply.objects.filter(status=RStatus.SENT, sent_date__lte=end).values(
        "message_id")
    out: dict[int | None, int] = {}
    for org_id, received in (Message.objects.exclude(status=MStatus.MERGED)
                             .filter(received_date__lte=latest).exclude(pk__in=answered)
                             .values_list("org_id", "received_date")):
        if clock.alarm_date(received) <= end:
            out[org_id] = out.get(org_id, 0) + 1
    return out


def _as_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        from django.utils import timezone

        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def unanswered_3_months(org, start, end) -> int:
    """Messages received at least three calendar months before ``end`` with no reply sent
    by ``end`` (the inspection's red line, 国办秘函〔2019〕19号): per lead unit, or site-wide
    (including messages never routed) when ``org`` is None. ``start`` is not used: the
    count is the state on ``end``. Merged duplicates are answered through their original."""
    from gongkai.interaction.models import Reply, RStatus

    end = _as_date(end)
    # received on or before this day → three months have passed by ``end``
    latest = end - dt.timedelta(days=28 * clock.ALARM_MONTHS)
    qs = Message.objects.exclude(status=MStatus.MERGED).filter(received_date__lte=latest)
    if org is not None:
        qs = qs.filter(org_id=getattr(org, "pk", org))
    answered = Reply.objects.filter(status=RStatus.SENT, sent_date__lte=end).values(
        "message_id")
    qs = qs.exclude(pk__in=answered)
    return sum(1 for d in qs.values_list("received_date", flat=True)
               if clock.alarm_date(d) <= end)
