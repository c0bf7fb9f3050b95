"""Periodic jobs: publish scheduled documents (Celery beat, or `gongkai documents
publish-due` from cron when there is no worker)."""

from celery import shared_task


@shared_task(name="disclosure.publish_due")
def publish_due() -> int:
    from gongkai.disclosure import services

    return services.publish_due()


@shared_task(name="disclosure.publish_sweep")
def publish_sweep() -> int:
    from gongkai.disclosure import publishing

    return publishing.sweep()
