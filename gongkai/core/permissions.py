"""Per-unit permissions. Every view and service asks here; templates only mirror it.

A staff member sees and edits records of their own unit and the units below it
(a 街道 sees its 社区). The 公开办 coordinator and the system administrator see
every unit. Only 审核人 (and the coordinator for the units they supervise) review
and publish.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from gongkai.core.models import Organization, Role, StaffProfile


def profile_of(user) -> StaffProfile | None:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    try:
        return user.staff_profile
    except StaffProfile.DoesNotExist:
        return None


def is_staff_member(user) -> bool:
    return profile_of(user) is not None


def is_coordinator(user) -> bool:
    p = profile_of(user)
    return p is not None and p.role in (Role.COORDINATOR, Role.ADMIN)


def is_admin(user) -> bool:
    p = profile_of(user)
    return p is not None and p.role == Role.ADMIN


def visible_org_ids(user) -> set[int] | None:
    """Ids of the units whose records ``user`` may see; ``None`` means every unit."""
    p = profile_of(user)
    if p is None:
        return set()
    if p.role in (Role.COORDINATOR, Role.ADMIN):
        return None
    cache = getattr(user, "_gongkai_visible_orgs", None)
    if cache is None:
        cache = p.org.descendant_ids()
        user._gongkai_visible_orgs = cache
    return cache


def scope(qs: QuerySet, user, field: str = "org") -> QuerySet:
    """Restrict ``qs`` to records whose ``field`` is a unit ``user`` may see."""
    ids = visible_org_ids(user)
    if ids is None:
        return qs
    return qs.filter(**{f"{field}__in": ids})


def visible_orgs(user) -> QuerySet:
    return scope(Organization.objects.all(), user, field="pk")


def can_view(user, org: Organization | int | None) -> bool:
    if org is None:
        return is_coordinator(user)
    ids = visible_org_ids(user)
    org_id = org if isinstance(org, int) else org.pk
    return ids is None or org_id in ids


def can_edit(user, org: Organization | int | None) -> bool:
    """Draft and change records of ``org``: any staff role of a visible unit."""
    return can_view(user, org) and is_staff_member(user)


def can_review(user, org: Organization | int | None) -> bool:
    """Review and publish for ``org``: its 审核人, or the coordinator."""
    p = profile_of(user)
    if p is None:
        return False
    if p.role in (Role.COORDINATOR, Role.ADMIN):
        return True
    return p.role == Role.REVIEWER and can_view(user, org)


def require(condition: bool, message: str = "您没有权限执行此操作。") -> None:
    if not condition:
        raise PermissionDenied(message)


def staff_required(view=None, *, coordinator: bool = False, admin: bool = False):
    """Views for staff: anonymous users go to login, others without a role get 403."""

    def decorate(fn):
        @wraps(fn)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not is_staff_member(user):
                raise PermissionDenied("此账号未分配单位和角色，请联系系统管理员。")
            if admin and not is_admin(user):
                raise PermissionDenied("只有系统管理员可以执行此操作。")
            if coordinator and not is_coordinator(user):
                raise PermissionDenied("只有公开办协调员可以执行此操作。")
            return fn(request, *args, **kwargs)

        return wrapper

    return decorate(view) if view is not None else decorate
