"""Commenters' personal data: encrypted at rest with the FOI field key, masked for staff.

Kept behind this module so the encryption scheme can change in one place."""

from __future__ import annotations

from gongkai.foi.crypto import decrypt, encrypt, new_tracking_code, tracking_hash

__all__ = ["decrypt", "encrypt", "mask", "new_code", "code_hash"]


def mask(value: str) -> str:
    """张三丰 -> 张**, 13812345678 -> 138****5678, a@b.cn -> a***@b.cn."""
    value = value or ""
    if not value:
        return ""
    if "@" in value:
        local, _, domain = value.partition("@")
        return f"{local[:1]}***@{domain}"
    if len(value) >= 7 and sum(c.isdigit() for c in value) >= 7:
        return f"{value[:3]}****{value[-4:]}"
    return value[:1] + "*" * max(1, len(value) - 1)


def new_code() -> str:
    return new_tracking_code()


def code_hash(code: str) -> str:
    return tracking_hash("gzcy:" + (code or "").replace("\x00", ""))
