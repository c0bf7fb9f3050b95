"""The audit log: every service function writes exactly one entry per state change."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from typing import Any

from django.db import models

from gongkai.core.models import AuditEntry, Organization

# Field names whose values must never be copied into the log (personal data, secrets).
REDACTED_FIELDS = frozenset({"password", "id_number", "id_number_encrypted", "tracking_code",
                             "tracking_code_hash", "phone", "email", "address"})


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return str(value)


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The current values of ``fields`` (default: all concrete fields) as JSON values."""
    names = fields or [f.attname for f in instance._meta.concrete_fields]
    return {name: _jsonable(getattr(instance, name, None)) for name in names}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """``{field: {"before": old, "after": new}}`` for every field that changed."""
    changes = {}
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        if old != new:
            if key in REDACTED_FIELDS:
                old, new = ("***" if old else old), ("***" if new else new)
            changes[key] = {"before": old, "after": new}
    return changes


def actor_label(user) -> str:
    if user is None or not getattr(user, "is_authenticated", False):
        return "系统"
    profile = getattr(user, "staff_profile", None)
    if profile is not None:
        return f"{profile.display_name}（{user.get_username()}）"
    return user.get_username()


def record(
    *,
    actor,
    action: str,
    target: models.Model | None = None,
    org: Organization | None = None,
    changes: dict | None = None,
    summary: str = "",
    target_label: str | None = None,
) -> AuditEntry:
    """Append one entry. Call inside the service's transaction."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    if org is None and target is not None:
        org = getattr(target, "org", None) if isinstance(getattr(target, "org", None),
                                                          Organization) else None
    return AuditEntry.objects.create(
        actor=user,
        actor_label=actor_label(user),
        org=org,
        action=action,
        summary=summary[:300],
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None and target.pk is not None else "",
        target_repr=(target_label if target_label is not None else str(target or ""))[:300],
        changes=_jsonable(changes or {}),
    )
