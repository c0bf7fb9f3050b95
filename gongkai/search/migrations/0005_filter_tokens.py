"""SQLite: the FTS5 table gets a fourth column of filter tokens (unit, node, year,
有效性, 体裁, 文件类型, kind), so a filtered search is one FTS5 intersection. The table is
rebuilt from the existing one (no reindex needed); entry lengths now count the tokens, and
the top lists' fingerprint changes with them (they are unused until `gongkai search
reindex` writes them afresh). PostgreSQL: nothing."""

from django.db import migrations

from gongkai.search.backends.sqlite import META_TOKENS, meta_sql

TOKENIZE = "tokenize = 'unicode61 remove_diacritics 0'"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    run = schema_editor.execute
    run(f"CREATE VIRTUAL TABLE search_fts_new USING fts5(title, docnum, body, meta, {TOKENIZE})")
    run("INSERT INTO search_fts_new (rowid, title, docnum, body, meta) "
        f"SELECT f.rowid, f.title, f.docnum, f.body, {meta_sql('e')} FROM search_fts f "
        "JOIN search_searchentry e ON e.id = f.rowid")
    run("DROP TABLE search_fts")
    run("ALTER TABLE search_fts_new RENAME TO search_fts")
    run(f"UPDATE search_searchentry SET length = length + {META_TOKENS}")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    run = schema_editor.execute
    run(f"CREATE VIRTUAL TABLE search_fts_old USING fts5(title, docnum, body, {TOKENIZE})")
    run("INSERT INTO search_fts_old (rowid, title, docnum, body) "
        "SELECT rowid, title, docnum, body FROM search_fts")
    run("DROP TABLE search_fts")
    run("ALTER TABLE search_fts_old RENAME TO search_fts")
    run(f"UPDATE search_searchentry SET length = max(0, length - {META_TOKENS})")


class Migration(migrations.Migration):
    dependencies = [("search", "0004_impact_lists")]
    operations = [migrations.RunPython(forwards, backwards)]
