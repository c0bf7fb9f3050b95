"""Checksums of Chinese identity numbers, free of the ORM."""

from __future__ import annotations

import datetime as dt

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

_CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def id_card_check_digit(first17: str) -> str:
    total = sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def id_card_valid(value: str) -> bool:
    """An 18-digit 居民身份证号码 (GB 11643-1999): digits, a real birth date, the check digit."""
    if not isinstance(value, str) or len(value) != 18:
        return False
    value = value.upper()
    if not value[:17].isascii() or not value[:17].isdigit() or value[17] not in "0123456789X":
        return False
    try:
        birth = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    if birth.year < 1900 or birth > dt.date.today():
        return False
    return id_card_check_digit(value[:17]) == value[17]


def credit_code_check_char(first17: str) -> str:
    total = sum(_CREDIT_ALPHABET.index(c) * w for c, w in zip(first17, _CREDIT_WEIGHTS,
                                                                 strict=True))
    return _CREDIT_ALPHABET[(31 - total % 31) % 31]


def credit_code_valid(value: str) -> bool:
    """An 18-character 统一社会信用代码 (GB 32100-2015) with its check character."""
    if not isinstance(value, str) or len(value) != 18:
        return False
    value = value.upper()
    if any(c not in _CREDIT_ALPHABET for c in value):
        return False
    return credit_code_check_char(value[:17]) == value[17]
