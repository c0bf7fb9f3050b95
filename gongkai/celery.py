"""Celery app: background and periodic jobs on Redis when REDIS_URL is set.

Without Redis, settings make tasks run eagerly in the calling process and the
periodic jobs run from management commands (cron or `make`), so one machine needs
nothing else.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")

app = Celery("gongkai")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
