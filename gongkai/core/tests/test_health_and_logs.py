"""/healthz for the load balancer; request ids, slow-request warnings, JSON log lines."""

import json
import logging
import os

import pytest
import redis
from django.test import Client

from gongkai.core.observability import JsonFormatter, RequestIdFilter

pytestmark = pytest.mark.django_db


def _health(**headers):
    r = Client().get("/healthz", **headers)
    return r.status_code, json.loads(r.content)


def test_healthy_site_answers_200_with_every_check_even_by_ip_address():
    status, body = _health(HTTP_HOST="10.20.0.7")  # the balancer probes by IP, not by name
    assert status == 200 and body["status"] == "ok"
    assert set(body["checks"]) == {"database", "replicas", "cache", "queue", "disk"}
    assert all(c["ok"] for c in body["checks"].values())


def test_a_full_disk_or_a_broken_cache_fails_the_probe(settings, monkeypatch):
    settings.GONGKAI_HEALTH_MIN_FREE_MB = 10**12
    status, body = _health()
    assert status == 503 and body["status"] == "fail"
    assert body["checks"]["disk"]["ok"] is False and body["checks"]["database"]["ok"]
    settings.GONGKAI_HEALTH_MIN_FREE_MB = 1
    from django.core.cache.backends.dummy import DummyCache

    from gongkai.core import health

    monkeypatch.setattr(health, "cache", DummyCache("lost", {}))  # stores nothing
    status, body = _health()
    assert status == 503 and body["checks"]["cache"]["ok"] is False


def test_celery_queue_length_is_read_from_redis(settings):
    url = os.environ.get("GONGKAI_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    queue = f"gongkai-health-test-{os.getpid()}"
    settings.REDIS_URL = settings.CELERY_BROKER_URL = url
    settings.GONGKAI_HEALTH_QUEUE_NAME = queue
    settings.GONGKAI_HEALTH_MAX_QUEUE = 2
    client = redis.Redis.from_url(url)
    client.delete(queue)
    try:
        queue_check = _health()[1]["checks"]["queue"]
        assert queue_check["ok"] and queue_check["waiting"] == 0
        client.rpush(queue, "a", "b", "c")
        status, body = _health()
        assert status == 503 and body["checks"]["queue"]["waiting"] == 3
    finally:
        client.delete(queue)
        client.close()


def test_unreachable_redis_is_a_failed_check_not_a_500(settings):
    settings.REDIS_URL = settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    status, body = _health()
    assert status == 503 and body["checks"]["queue"] == {
        "ok": False, "error": "ConnectionError", "ms": body["checks"]["queue"]["ms"]}


def test_every_response_carries_a_request_id_and_keeps_a_sane_incoming_one():
    r = Client().get("/", HTTP_X_REQUEST_ID="lb-7f3a-99c2-0001")
    assert r["X-Request-ID"] == "lb-7f3a-99c2-0001"
    r = Client().get("/", HTTP_X_REQUEST_ID="<script>alert(1)</script>")
    assert len(r["X-Request-ID"]) == 32 and "<" not in r["X-Request-ID"]


def test_slow_requests_are_logged_with_timing_and_request_id(settings, caplog):
    settings.GONGKAI_SLOW_REQUEST_MS = 0.001
    with caplog.at_level(logging.INFO, logger="gongkai.request"):
        r = Client().get("/xxgk/")
    slow = [rec for rec in caplog.records if getattr(rec, "slow", False)]
    assert len(slow) == 1 and slow[0].levelno == logging.WARNING
    assert slow[0].request_id == r["X-Request-ID"] and slow[0].path == "/xxgk/"
    assert slow[0].duration_ms > 0 and slow[0].status == 200
    settings.GONGKAI_SLOW_REQUEST_MS = 60_000
    caplog.clear()
    Client().get("/xxgk/")
    assert not [rec for rec in caplog.records if rec.name == "gongkai.request"]


def test_json_log_lines_hold_the_request_fields_and_the_id_of_the_request():
    from gongkai.core.observability import request_id_var

    record = logging.LogRecord("gongkai.request", logging.WARNING, __file__, 1,
                               "slow request %s", ("/xxgk/",), None)
    record.duration_ms, record.status = 1234.5, 200
    token = request_id_var.set("req-0123456789")
    try:
        RequestIdFilter().filter(record)
    finally:
        request_id_var.reset(token)
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "slow request /xxgk/" and line["level"] == "WARNING"
    assert line["request_id"] == "req-0123456789"
    assert line["duration_ms"] == 1234.5 and line["status"] == 200
    assert line["time"].endswith("+00:00")


def test_a_replica_alias_is_probed_and_a_lag_beyond_the_limit_fails(monkeypatch):
    """A read replica (any DATABASES alias beside default) reports its lag in seconds."""
    from gongkai.core import health

    assert health.replica_lag("default") == 0.0  # a primary (or SQLite) is never behind
    lags = {"replica": 12.0}
    monkeypatch.setattr(health, "replica_aliases", lambda: ["replica"])
    monkeypatch.setattr(health, "replica_lag", lambda alias: lags[alias])
    assert health.check_replicas()["ok"] and _health()[0] == 200
    lags["replica"] = 45.0
    status, body = _health()
    assert status == 503 and body["checks"]["replicas"]["lag_seconds"] == {"replica": 45.0}
