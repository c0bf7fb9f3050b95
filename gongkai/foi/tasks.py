"""Celery tasks of 依申请公开 (scheduled by settings.CELERY_BEAT_SCHEDULE)."""

from celery import shared_task


@shared_task
def daily_reminders() -> int:
    from gongkai.foi.reminders import send_reminders

    return send_reminders()


@shared_task
def purge_personal_data() -> int:
    """Retention: anonymise applicants past GONGKAI_FOI_PERSONAL_DATA_YEARS (audited)."""
    from gongkai.foi.privacy_services import purge_personal_data as purge

    return len(purge(apply=True).numbers)
