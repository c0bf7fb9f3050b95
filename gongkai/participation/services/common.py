"""Review binding shared by the catalog, consultations and feedback reports."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.core.exceptions import ValidationError

from gongkai.core.permissions import can_review, require

SCHEME = "gzcy-rev-1"


class Blocked(ValidationError):
    """A publish refused for reasons listed to the reviewer."""


def content_hash(content: Any) -> str:
    text = json.dumps([SCHEME, content], ensure_ascii=False, sort_keys=True, default=str,
                      separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def check_reviewer(actor, obj, org) -> None:
    require(can_review(actor, org), "只有本单位审核人或公开办协调员可以审核。")
    me = getattr(actor, "pk", None)
    own = {getattr(obj, "created_by_id", None), obj.submitted_by_id} - {None}
    require(me not in own, "不能审核自己起草或提交的内容（先审后发）。")


def check_revision(current: str, seen: str) -> None:
    if not seen or current != seen:
        raise ValidationError("内容在您审核后已被修改，请重新打开审核页面核对后再发布。")


def clean_text(value: str, limit: int) -> str:
    return (value or "").replace("\x00", "").strip()[:limit]
