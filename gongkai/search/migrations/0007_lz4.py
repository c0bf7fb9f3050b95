"""PostgreSQL: the entries' text and tsvector compressed with lz4 instead of pglz, where the
server has it (PostgreSQL 14+, built with lz4 as distributions ship it). Compressing is
about a quarter of writing an entry and decompressing a tsvector is most of scoring one:
lz4 does both several times faster, at a slightly larger size. Rows keep the method they
were written with; `gongkai search reindex` rewrites them all."""

from django.db import migrations

COLUMNS = ("vector", "text")


def _has_lz4(schema_editor) -> bool:
    with schema_editor.connection.cursor() as cur:
        cur.execute("SELECT 'lz4' = ANY(enumvals) FROM pg_settings "
                    "WHERE name = 'default_toast_compression'")
        row = cur.fetchone()
    return bool(row and row[0])


def _set(schema_editor, method: str) -> None:
    if schema_editor.connection.vendor != "postgresql" or not _has_lz4(schema_editor):
        return
    for column in COLUMNS:
        schema_editor.execute(f"ALTER TABLE search_searchentry ALTER COLUMN {column} "
                              f"SET COMPRESSION {method}")


def forwards(apps, schema_editor):
    _set(schema_editor, "lz4")


def backwards(apps, schema_editor):
    _set(schema_editor, "pglz")


class Migration(migrations.Migration):
    dependencies = [("search", "0006_totals")]
    operations = [migrations.RunPython(forwards, backwards)]
