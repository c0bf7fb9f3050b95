"""Background indexing (Celery, when Redis is configured; eager otherwise)."""

from celery import shared_task


@shared_task(name="gongkai.search.tasks.index_document")
def index_document_task(document_id: int) -> None:
    from gongkai.search.indexing import index_document

    index_document(document_id)


@shared_task(name="gongkai.search.tasks.index_interpretation")
def index_interpretation_task(interpretation_id: int) -> None:
    from gongkai.search.indexing import index_interpretation

    index_interpretation(interpretation_id)


@shared_task(name="gongkai.search.tasks.reindex")
def reindex_task() -> dict[str, int]:
    from gongkai.search.indexing import reindex_all

    return reindex_all()
