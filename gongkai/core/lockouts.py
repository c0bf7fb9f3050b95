"""Login lockouts (django-axes) as the 公开办 sees them on the workbench, and lifting one.

Axes locks a user name *from one address* after AXES_FAILURE_LIMIT wrong passwords, for
AXES_COOLOFF_TIME hours. An official locked out by their own typing can ask the office to
lift the lock instead of waiting; lifting is a state change, so it is audited.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from axes.models import AccessAttempt
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from gongkai.core import audit
from gongkai.core.models import StaffProfile
from gongkai.core.permissions import is_coordinator, require


@dataclass
class Lockout:
    pk: int
    username: str
    ip_address: str
    failures: int
    last_attempt: dt.datetime
    until: dt.datetime
    display_name: str


def _cooloff() -> dt.timedelta:
    return dt.timedelta(hours=float(settings.AXES_COOLOFF_TIME))


def current_lockouts() -> list[Lockout]:
    """Attempts that lock their user name + address right now, newest first."""
    since = timezone.now() - _cooloff()
    attempts = list(AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since,
    ).order_by("-attempt_time")[:200])
    names = dict(StaffProfile.objects.filter(
        user__username__in={a.username for a in attempts}).values_list(
        "user__username", "display_name"))
    return [Lockout(pk=a.pk, username=a.username or "", ip_address=a.ip_address or "",
                    failures=a.failures_since_start, last_attempt=a.attempt_time,
                    until=a.attempt_time + _cooloff(),
                    display_name=names.get(a.username, "")) for a in attempts]


@transaction.atomic
def lift_lockout(*, actor, attempt_id: int, check_permission: bool = True) -> bool:
    """Forget the failed attempts of one user name + address: they may log in again at once.
    False when there was nothing to lift (already expired or lifted by a colleague)."""
    if check_permission:
        require(is_coordinator(actor), "只有公开办协调员可以解除登录锁定。")
    attempt = AccessAttempt.objects.select_for_update().filter(pk=attempt_id).first()
    if attempt is None:
        return False
    profile = StaffProfile.objects.filter(user__username=attempt.username).select_related(
        "org").first()
    audit.record(actor=actor, action="login.unlock", target=attempt,
                 org=profile.org if profile else None,
                 target_label=f"{attempt.username}（{attempt.ip_address}）",
                 changes={"failures": {"before": attempt.failures_since_start, "after": 0}},
                 summary=f"解除账号 {attempt.username} 自 {attempt.ip_address} 的登录锁定")
    attempt.delete()
    return True
