"""Celery tasks of 政民互动 (scheduled by settings.CELERY_BEAT_SCHEDULE)."""

from celery import shared_task


@shared_task
def daily() -> dict:
    from gongkai.interaction.reminders import run_daily

    return run_daily()
