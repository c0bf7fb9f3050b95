"""Writers' personal data: encrypted at rest with the project's field key, masked in lists."""

from __future__ import annotations

from gongkai.foi.crypto import decrypt, encrypt, new_tracking_code, tracking_hash

__all__ = ["decrypt", "encrypt", "mask_name", "mask_phone", "new_tracking_code",
           "tracking_hash"]


def mask_name(name: str) -> str:
    """张三 → 张*, 欧阳娜娜 → 欧***."""
    name = (name or "").strip()
    if not name:
        return ""
    return name[0] + "*" * max(1, len(name) - 1)


def mask_phone(phone: str) -> str:
    digits = (phone or "").strip()
    if len(digits) < 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]
