"""The content hash that binds a reviewer's approval to the exact text they saw (先审后发).

Plain functions, no database: the services gather what goes public and pass plain values.
The hash covers everything a citizen would see once published, so any change after the
reviewer opened the page — a word of the body, a 文号, a date, an attachment, the directory
node, a linked document — makes the approval stale."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

# Bumped if what the hash covers changes, so old approvals never match a new scheme.
SCHEME = "gk-rev-1"


def _plain(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted(_plain(v) for v in value)
    return value


def content_hash(content: Mapping[str, Any]) -> str:
    """SHA-256 over a canonical JSON form of ``content`` (key order does not matter)."""
    text = json.dumps([SCHEME, _plain(content)], ensure_ascii=False, sort_keys=True,
                      separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def checksum(data: bytes) -> str:
    """SHA-256 of an uploaded file's bytes."""
    return hashlib.sha256(data).hexdigest()


def checksum_stream(chunks: Iterable[bytes]) -> str:
    h = hashlib.sha256()
    for chunk in chunks:
        h.update(chunk)
    return h.hexdigest()


def document_content(fields: Mapping[str, Any], *, org_id: int | None,
                     links: Mapping[str, Iterable[int]],
                     attachments: Iterable[tuple[str, str, str]]) -> dict:
    """What goes public with a document: its fields, issuing unit, the linked documents it
    names itself (co-issuers, amends, replaces) and each attachment as (name, kind, sha256)
    in display order."""
    return {
        "fields": dict(fields),
        "org": org_id,
        "links": {name: sorted(ids) for name, ids in links.items()},
        "attachments": [list(a) for a in attachments],
    }


def interpretation_content(fields: Mapping[str, Any], *, org_id: int | None,
                           document_ids: Iterable[int]) -> dict:
    """What goes public with a 政策解读: its fields, unit and the documents it explains."""
    return {"fields": dict(fields), "org": org_id, "documents": sorted(document_ids)}


def short(digest: str) -> str:
    """The few characters shown to people (enough to tell revisions apart on a page)."""
    return (digest or "")[:10]
