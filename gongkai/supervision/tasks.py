"""The scheduled site inspection (Celery beat, daily; or `gongkai inspect` from cron)."""

from celery import shared_task


@shared_task(name="gongkai.supervision.tasks.inspect_site")
def inspect_site() -> dict:
    from django.conf import settings

    from gongkai.supervision import inspect

    if not (getattr(settings, "GONGKAI_BASE_URL", "")
            or getattr(settings, "GONGKAI_SUPERVISION_CRAWL", {}).get("base_url")):
        return {"skipped": "GONGKAI_BASE_URL is not set"}
    run = inspect.run(actor=None)
    return {"pages": run.pages, "opened": run.opened, "closed": run.closed,
            "escalated": run.escalated, "stale_media": monitor_media()}


@shared_task(name="gongkai.supervision.tasks.inspect_now")
def inspect_now(base_url: str, user_id: int | None = None) -> int:
    """An inspection the coordinator asked for, run by a worker when Redis is configured."""
    from django.contrib.auth import get_user_model

    from gongkai.supervision import inspect

    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    return inspect.run(actor=user, base_url=base_url).pk


def monitor_media() -> int:
    """Read every active 政务新媒体 account's feed; the number found stale."""
    from gongkai.supervision.models import MediaStatus, NewMediaAccount
    from gongkai.supervision.services import newmedia

    accounts = NewMediaAccount.objects.filter(status=MediaStatus.ACTIVE).exclude(feed_url="")
    return sum(1 for a in accounts if newmedia.monitor(a))
