from django.apps import AppConfig
from django.db.models.signals import post_migrate


class SearchConfig(AppConfig):
    name = "gongkai.search"
    label = "search"
    verbose_name = "全文检索"

    def ready(self) -> None:
        from gongkai.disclosure.signals import document_changed, interpretation_changed
        from gongkai.search.indexing import on_document_changed, on_interpretation_changed

        document_changed.connect(on_document_changed, dispatch_uid="search-index-document")
        interpretation_changed.connect(on_interpretation_changed,
                                       dispatch_uid="search-index-interpretation")
        post_migrate.connect(_forget_orphans, sender=self, dispatch_uid="search-orphans")
        from gongkai.search import labels, result_cache

        labels.connect()
        result_cache.connect(self)


def _forget_orphans(sender, using="default", **kwargs) -> None:
    """`flush` (and every transactional test's teardown) empties the entries table but not
    the engine's own tables (FTS5 rows, document frequencies, top lists), which Django does
    not manage; with no entry left, they are emptied too. It follows every `migrate` and
    `flush` (Django sends post_migrate after both) and touches nothing while entries exist."""
    from django.db import connections

    connection = connections[using]
    tables = set(connection.introspection.table_names())
    if not {"search_searchentry", "search_term"} <= tables:
        return  # search's migrations have not run on this database yet
    from gongkai.search.backends import get_backend

    backend = get_backend(using=using)
    with backend.cursor() as cur:
        if not backend._index_is_empty(cur):
            return
        cur.execute("SELECT 1 FROM search_term LIMIT 1")
        if cur.fetchone() is None and backend._totals(cur) == (0, 0):
            return
    backend.clear()
