"""Number sequences that never hand out the same number twice.

One atomic ``INSERT ... ON CONFLICT DO UPDATE ... RETURNING`` statement, so two
concurrent requests on PostgreSQL (row lock on the conflicting key) or SQLite
(database write lock) always get different numbers. SQLite ≥ 3.35 is needed for
RETURNING.
"""

from __future__ import annotations

from django.db import connection, transaction


def next_value(key: str) -> int:
    """Increment the counter ``key`` (created at 1) and return its new value."""
    if not key or len(key) > 200:
        raise ValueError("sequence key must be 1-200 characters")
    sql = (
        'INSERT INTO core_sequence ("key", "value") VALUES (%s, 1) '
        'ON CONFLICT ("key") DO UPDATE SET "value" = core_sequence."value" + 1 '
        'RETURNING "value"'
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [key])
        return int(cursor.fetchone()[0])


def current_value(key: str) -> int:
    from gongkai.core.models import Sequence

    return Sequence.objects.filter(key=key).values_list("value", flat=True).first() or 0
