"""State changes of the core app: one transaction and one audit entry each."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from gongkai.core import audit
from gongkai.core.calendar import calendar_changed
from gongkai.core.models import CalendarDay, CalendarYear, Organization, Role, StaffProfile
from gongkai.core.permissions import is_coordinator, require


@transaction.atomic
def mark_calendar_day(
    *, actor, date: dt.date, is_workday: bool, name: str = "", check_permission: bool = True
) -> CalendarDay:
    """Record ``date`` as a holiday or a workday; this wins over the package data."""
    if check_permission:
        require(is_coordinator(actor), "只有公开办协调员可以调整工作日历。")
    existing = CalendarDay.objects.filter(date=date).first()
    before = audit.snapshot(existing, ["is_workday", "name"]) if existing else {}
    day, _ = CalendarDay.objects.update_or_create(
        date=date, defaults={"is_workday": is_workday, "name": name[:100]}
    )
    audit.record(
        actor=actor, action="calendar.mark", target=day,
        changes=audit.diff(before, audit.snapshot(day, ["is_workday", "name"])),
        summary=f"{date:%Y-%m-%d} 设为{'工作日' if is_workday else '休息日'}",
    )
    transaction.on_commit(lambda: calendar_changed.send(sender=CalendarDay, actor=actor,
                                                        dates=[date]))
    return day


@transaction.atomic
def unmark_calendar_day(*, actor, date: dt.date, check_permission: bool = True) -> None:
    if check_permission:
        require(is_coordinator(actor), "只有公开办协调员可以调整工作日历。")
    day = CalendarDay.objects.filter(date=date).first()
    if day is None:
        return
    before = audit.snapshot(day, ["is_workday", "name"])
    audit.record(actor=actor, action="calendar.unmark", target=day,
                 changes=audit.diff(before, {}), summary=f"{date:%Y-%m-%d} 恢复默认")
    day.delete()
    transaction.on_commit(lambda: calendar_changed.send(sender=CalendarDay, actor=actor,
                                                        dates=[date]))


@transaction.atomic
def declare_calendar_year(*, actor, year: int, source: str,
                          check_permission: bool = True) -> CalendarYear:
    """Declare that ``year``'s holidays have all been entered (no more Mon-Fri warning)."""
    if check_permission:
        require(is_coordinator(actor), "只有公开办协调员可以调整工作日历。")
    obj, created = CalendarYear.objects.update_or_create(year=year, defaults={"source": source})
    audit.record(actor=actor, action="calendar.declare_year", target=obj,
                 changes={"year": {"before": None if created else year, "after": year},
                          "source": {"before": None, "after": source}},
                 summary=f"{year}年节假日安排录入完毕")
    transaction.on_commit(lambda: calendar_changed.send(sender=CalendarYear, actor=actor,
                                                        dates=[dt.date(year, 1, 1)]))
    return obj


@transaction.atomic
def create_staff(
    *, actor, username: str, password: str | None, display_name: str, org: Organization,
    role: Role | str, email: str = "", check_permission: bool = True,
) -> StaffProfile:
    """Create a staff account with its unit and role. The password must pass the policy."""
    if check_permission:
        from gongkai.core.permissions import is_admin

        require(is_admin(actor), "只有系统管理员可以创建账号。")
    User = get_user_model()
    user = User(username=username, email=email)
    if password:
        validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    profile = StaffProfile.objects.create(user=user, org=org, role=role, display_name=display_name)
    audit.record(actor=actor, action="staff.create", target=profile, org=org,
                 changes=audit.diff({}, {"username": username, "org": org.name,
                                         "role": str(Role(role).label)}),
                 summary=f"创建账号 {username}")
    return profile


@transaction.atomic
def upsert_organization(*, actor, code: str, name: str, kind: str, parent: Organization | None,
                        credit_code: str = "", **extra) -> tuple[Organization, bool]:
    existing = Organization.objects.filter(code=code).first()
    fields = ["name", "kind", "parent_id", "credit_code", *extra.keys()]
    before = audit.snapshot(existing, fields) if existing else {}
    org, created = Organization.objects.update_or_create(
        code=code,
        defaults={"name": name, "kind": kind, "parent": parent, "credit_code": credit_code,
                  **extra},
    )
    changes = audit.diff(before, audit.snapshot(org, fields))
    if created or changes:
        audit.record(actor=actor, action="org.create" if created else "org.update", target=org,
                     org=org, changes=changes)
    return org, created
