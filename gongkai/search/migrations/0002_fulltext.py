"""The full-text half of the index, per database engine.

SQLite: an FTS5 table whose rowid is SearchEntry.id; columns hold space-joined segmented
words (the unicode61 tokenizer then only splits on the spaces). PostgreSQL: a tsvector
column built from the same words (title weight A, 文号 B, body D) with a GIN index, and a
document-frequency table so ranking can weigh rare words above common ones (BM25-style).
"""

from django.db import migrations

SQLITE_UP = [
    "CREATE VIRTUAL TABLE search_fts USING fts5("
    "title, docnum, body, tokenize = 'unicode61 remove_diacritics 0')",
]
SQLITE_DOWN = ["DROP TABLE IF EXISTS search_fts"]

POSTGRES_UP = [
    "ALTER TABLE search_searchentry ADD COLUMN vector tsvector NOT NULL DEFAULT ''::tsvector",
    "CREATE INDEX search_entry_vector ON search_searchentry USING gin (vector)",
    "CREATE TABLE search_term (term text PRIMARY KEY, df integer NOT NULL DEFAULT 0)",
]
POSTGRES_DOWN = [
    "DROP TABLE IF EXISTS search_term",
    "DROP INDEX IF EXISTS search_entry_vector",
    "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS vector",
]


def forwards(apps, schema_editor):
    statements = {"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}.get(
        schema_editor.connection.vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    statements = {"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}.get(
        schema_editor.connection.vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
