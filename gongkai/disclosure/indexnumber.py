"""索引号 generation: pattern from settings, serial per unit per year (RULES.md §1)."""

from __future__ import annotations

DEFAULT_PATTERN = "{credit_code}/{year}-{serial:05d}"


class IndexPatternError(ValueError):
    pass


def format_index_number(pattern: str, *, credit_code: str, org_code: str, year: int,
                        serial: int, month: int = 1) -> str:
    """Fill ``pattern``; fields: credit_code, org_code, year, month, serial."""
    try:
        return pattern.format(credit_code=credit_code or org_code, org_code=org_code, year=year,
                              month=month, serial=serial)
    except (KeyError, IndexError, ValueError) as exc:
        raise IndexPatternError(f"bad GONGKAI_INDEX_NUMBER_PATTERN {pattern!r}: {exc}") from exc


def sequence_key(org_id: int, year: int) -> str:
    return f"index:{org_id}:{year}"


def allocate(org, year: int, month: int = 1, pattern: str | None = None) -> str:
    """The next 索引号 of ``org`` for ``year``; never the same twice (core.sequences)."""
    from django.conf import settings

    from gongkai.core.sequences import next_value

    pattern = pattern or getattr(settings, "GONGKAI_INDEX_NUMBER_PATTERN", DEFAULT_PATTERN)
    serial = next_value(sequence_key(org.pk, year))
    return format_index_number(pattern, credit_code=org.credit_code, org_code=org.code,
                               year=year, month=month, serial=serial)
