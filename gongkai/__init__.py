"""gongkai (公开): a platform for a district government's 政务公开 work."""

__version__ = "0.1.0"

# Bind @shared_task to the configured Celery app as soon as Django loads the project.
from gongkai.celery import app as celery_app  # noqa: F401
