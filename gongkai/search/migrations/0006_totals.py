"""PostgreSQL: the index's totals (entries, words) in a one-row table kept by every write,
so a search reads them instead of counting every row (a full scan at 1M entries). SQLite
reads them from FTS5's own averages record and needs nothing."""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE TABLE search_totals (id integer PRIMARY KEY CHECK (id = 1), "
                          "entries bigint NOT NULL, words bigint NOT NULL)")
    schema_editor.execute("INSERT INTO search_totals SELECT 1, count(*), "
                          "coalesce(sum(length), 0) FROM search_searchentry")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TABLE IF EXISTS search_totals")


class Migration(migrations.Migration):
    dependencies = [("search", "0005_filter_tokens")]
    operations = [migrations.RunPython(forwards, backwards)]
