"""Typed parsing of query parameters and path pieces, free of the ORM.

Every view reads its query string through these helpers, so junk (Unicode digits that pass
``str.isdigit()``, NUL bytes PostgreSQL refuses, surrogates, numbers wider than a database
integer, 3,000-character strings) never reaches ``int()`` or a query. A bad value either
falls back to the default (``strict=False``, for filters a page can simply ignore) or raises
``BadParameter``, which ``core.middleware.BadParameterMiddleware`` turns into the site's
400 page with a Chinese message.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable

# The widest integer every supported database stores (PostgreSQL bigint, SQLite INTEGER).
DB_INT_MAX = 2**63 - 1
_ASCII_INT = re.compile(r"[+-]?[0-9]{1,19}")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
MIN_YEAR, MAX_YEAR = 1949, 2100


class BadParameter(ValueError):
    """A query parameter or path piece the page cannot use; ``message`` is shown (Chinese)."""

    def __init__(self, message: str = "请求参数无效，请返回上一页重新选择。", name: str = ""):
        super().__init__(message)
        self.message = message
        self.name = name


def _fail(strict: bool, default, message: str, name: str):
    if strict:
        raise BadParameter(message, name)
    return default


def clean_text(value, *, max_len: int = 200, default: str = "", strip: bool = True) -> str:
    """Free text: NUL, other control characters and lone surrogates removed, cut to
    ``max_len`` characters. Never raises: free text has no wrong value, only a cleaned one."""
    if value is None:
        return default
    if not isinstance(value, str):
        value = str(value)
    # Cc (controls incl. NUL, except tab and newlines), Cs (surrogates), Co (private use)
    # and Cn (unassigned) cannot be stored everywhere or mean nothing in a filter.
    out = "".join(ch for ch in value if ch in "\t\n\r" or unicodedata.category(ch) not in (
        "Cc", "Cs", "Co", "Cn"))
    if strip:
        out = out.strip()
    return out[:max_len]


def is_clean(value: str) -> bool:
    """True when ``value`` holds nothing ``clean_text`` would remove (bar the length)."""
    return clean_text(value, max_len=len(value) + 1, strip=False) == value


def parse_int(value, *, min: int | None = 0, max: int | None = DB_INT_MAX, default=None,
              strict: bool = False, name: str = "", label: str = "参数") -> int | None:
    """An ASCII decimal integer within [min, max]. Empty or missing gives ``default``."""
    if value is None or (isinstance(value, str) and value.strip() == ""):
        return default
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    else:
        text = str(value).strip()
        # ASCII only: int() accepts "١٢" and "１２" but str.isdigit() also passes "²".
        if not _ASCII_INT.fullmatch(text):
            return _fail(strict, default, f"{label}须为数字。", name)
        number = int(text)
    lo = -DB_INT_MAX if min is None else min
    hi = DB_INT_MAX if max is None else max
    if not lo <= number <= hi:
        return _fail(strict, default, f"{label}须在 {lo} 至 {hi} 之间。", name)
    return number


def parse_id(value, *, default=None, strict: bool = False, name: str = "") -> int | None:
    """A database id: a positive integer that fits a bigint."""
    return parse_int(value, min=1, max=DB_INT_MAX, default=default, strict=strict, name=name,
                     label="编号")


def parse_ids(values: Iterable, *, limit: int = 20) -> list[int] | None:
    """Several ids (a repeated parameter); None when any of them is not one."""
    out = []
    for v in list(values)[:limit]:
        n = parse_id(v)
        if n is None:
            return None
        out.append(n)
    return out


def parse_year(value, *, min: int = MIN_YEAR, max: int = MAX_YEAR, default=None,
               strict: bool = False, name: str = "year") -> int | None:
    return parse_int(value, min=min, max=max, default=default, strict=strict, name=name,
                     label="年份")


def parse_date(value, *, default=None, strict: bool = False, name: str = "") -> dt.date | None:
    """An ISO date (YYYY-MM-DD) that exists in the calendar."""
    if value is None or (isinstance(value, str) and value.strip() == ""):
        return default
    text = str(value).strip()
    if _ISO_DATE.fullmatch(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
    return _fail(strict, default, "日期无效，请按“年-月-日”填写，例如 2026-01-31。", name)


def parse_choice(value, choices: Iterable, *, default=None, strict: bool = False,
                 name: str = ""):
    """One of ``choices`` (values, or (value, label) pairs as in Django's choices)."""
    if value is None or value == "":
        return default
    allowed = {c[0] if isinstance(c, (tuple, list)) else c for c in choices}
    if value in allowed:
        return value
    return _fail(strict, default, "所选项目无效，请从页面上的选项中选择。", name)


def parse_page(value, *, max: int = 10_000) -> int:
    """A page number for a paginator: 1 when missing or junk (the pager shows page 1)."""
    return parse_int(value, min=1, max=max, default=1)


def parse_slug(value, *, max_len: int = 64, default=None) -> str | None:
    """A code as used in URLs (unit and node codes): ASCII letters, digits, - and _."""
    if value is None or value == "":
        return default
    text = str(value).strip()
    if len(text) <= max_len and re.fullmatch(r"[-A-Za-z0-9_]+", text):
        return text
    return default
