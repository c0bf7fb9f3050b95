from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "gongkai.search"
    label = "search"
    verbose_name = "全文检索"

    def ready(self) -> None:
        from gongkai.disclosure.signals import document_changed
        from gongkai.search.indexing import on_document_changed

        document_changed.connect(on_document_changed, dispatch_uid="search-index-document")
