"""Masking of personal data on staff pages (identity numbers, credit codes)."""

from __future__ import annotations

VISIBLE = 4


def mask_tail(value: str | None, visible: int = VISIBLE) -> str:
    """Every character but the last ``visible`` replaced by ``*``; short values entirely."""
    value = value or ""
    if not value:
        return ""
    if len(value) <= visible + 2:
        return "*" * len(value)
    return "*" * (len(value) - visible) + value[-visible:]
