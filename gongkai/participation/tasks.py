"""Periodic job: purge the unit pages whose 公众参与 column changed by the clock (a
consultation opened or closed). Celery beat, or `gongkai participation sweep` from cron."""

from celery import shared_task


@shared_task(name="participation.sweep")
def sweep() -> int:
    from gongkai.participation import panel

    return panel.sweep()
