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
            "escalated": run.escalated}
