"""Celery tasks of core (scheduled by settings.CELERY_BEAT_SCHEDULE)."""

from celery import shared_task


@shared_task(name="core.holiday_notice_reminder")
def holiday_notice_reminder() -> int:
    from gongkai.core.reminders import send_notice_reminder

    return send_notice_reminder()
