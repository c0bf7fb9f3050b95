"""Celery tasks of 依申请公开 (scheduled by settings.CELERY_BEAT_SCHEDULE)."""

from celery import shared_task


@shared_task
def daily_reminders() -> int:
    from gongkai.foi.reminders import send_reminders

    return send_reminders()
