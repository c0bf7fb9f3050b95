"""`/healthz` for the load balancer: database, replica lag, cache, Celery queue, disk.

Answered by a middleware placed first, so neither the Host check (a balancer probes by IP)
nor the HTTPS redirect nor sessions stand in the way. 200 when every check passes, 503
otherwise; the body names each check with its number, never a secret or a stack trace.
"""

from __future__ import annotations

import json
import logging
import secrets
import shutil
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.http import HttpResponse

logger = logging.getLogger("gongkai.health")


def check_database() -> dict:
    with connections["default"].cursor() as cur:
        cur.execute("SELECT 1")
        cur.fetchone()
    return {"ok": True}


def replica_aliases() -> list[str]:
    """The read replicas: every DATABASES alias beside default."""
    return [alias for alias in settings.DATABASES if alias != "default"]


def replica_lag(alias: str) -> float:
    """Seconds a PostgreSQL streaming replica is behind; 0 for a primary or SQLite."""
    connection = connections[alias]
    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cur:
        # Caught up (received = replayed) is no lag even when the primary is idle.
        cur.execute(
            "SELECT CASE WHEN NOT pg_is_in_recovery() "
            "OR pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 "
            "ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)"
            " END")
        return round(float(cur.fetchone()[0]), 1)


def check_replicas() -> dict:
    """Lag of each read replica."""
    limit = settings.GONGKAI_HEALTH_MAX_REPLICA_LAG
    lags = {alias: replica_lag(alias) for alias in replica_aliases()}
    return {"ok": all(v <= limit for v in lags.values()), "lag_seconds": lags,
            "limit_seconds": limit}


def check_cache() -> dict:
    key, value = "gongkai:healthz", secrets.token_hex(8)
    cache.set(key, value, 30)
    return {"ok": cache.get(key) == value}


def check_queue() -> dict:
    """Tasks waiting in the Celery queue on Redis; without Redis tasks run in the request."""
    if not settings.REDIS_URL:
        return {"ok": True, "mode": "eager"}
    import redis

    client = redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_timeout=2)
    try:
        waiting = int(client.llen(settings.GONGKAI_HEALTH_QUEUE_NAME))
    finally:
        client.close()
    limit = settings.GONGKAI_HEALTH_MAX_QUEUE
    return {"ok": waiting <= limit, "waiting": waiting, "limit": limit}


def check_disk() -> dict:
    """Free space where uploads and letters are written."""
    path = Path(settings.MEDIA_ROOT)
    while not path.exists() and path != path.parent:
        path = path.parent
    free_mb = shutil.disk_usage(path).free // (1024 * 1024)
    limit = settings.GONGKAI_HEALTH_MIN_FREE_MB
    return {"ok": free_mb >= limit, "free_mb": free_mb, "min_free_mb": limit}


CHECKS: dict[str, Callable[[], dict]] = {
    "database": check_database, "replicas": check_replicas, "cache": check_cache,
    "queue": check_queue, "disk": check_disk,
}


def run_checks() -> tuple[bool, dict]:
    results = {}
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            result = check()
        except Exception as exc:  # a check that cannot run is a failed check
            logger.warning("health check %s failed: %s", name, exc)
            result = {"ok": False, "error": type(exc).__name__}
        result["ms"] = round((time.perf_counter() - started) * 1000, 1)
        results[name] = result
    return all(r["ok"] for r in results.values()), results


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path != settings.GONGKAI_HEALTH_PATH:
            return self.get_response(request)
        ok, results = run_checks()
        body = json.dumps({"status": "ok" if ok else "fail", "checks": results})
        response = HttpResponse(body, status=200 if ok else 503,
                                content_type="application/json")
        response["Cache-Control"] = "no-store"
        return response
