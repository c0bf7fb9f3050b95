"""Celery tasks of annual reports (scheduled by settings.CELERY_BEAT_SCHEDULE)."""

from celery import shared_task


@shared_task(name="reports.deadline_reminder")
def deadline_reminder() -> int:
    from gongkai.reports.reminders import send_deadline_reminders

    return send_deadline_reminders()
