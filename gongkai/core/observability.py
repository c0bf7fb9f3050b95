"""Request ids, timing and slow-request logs; an optional JSON log format.

Every request gets an id (the proxy's X-Request-ID when it is sane, else a new one), sent
back in the X-Request-ID header and attached to every log line written while the request
runs, so one request's lines can be found together. A request slower than
GONGKAI_SLOW_REQUEST_MS is logged as a warning with its timing; GONGKAI_ACCESS_LOG logs
every request. GONGKAI_LOG_FORMAT=json writes one JSON object a line for log collectors.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import re
import time
import uuid

from django.conf import settings

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
_SANE_ID = re.compile(r"[A-Za-z0-9._:-]{8,64}")
logger = logging.getLogger("gongkai.request")


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every record (empty outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", ""):
            record.request_id = request_id_var.get()
        return True


# Attributes every LogRecord has; anything else was passed as ``extra`` and goes in the JSON.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        data = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in data and not key.startswith("_"):
                data[key] = value if isinstance(value, str | int | float | bool | None) \
                    else str(value)
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False)


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        rid = incoming if _SANE_ID.fullmatch(incoming) else uuid.uuid4().hex
        request.request_id = rid
        token = request_id_var.set(rid)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
        finally:
            ms = round((time.perf_counter() - started) * 1000, 1)
            request_id_var.reset(token)
        response["X-Request-ID"] = rid
        fields = {"request_id": rid, "method": request.method, "path": request.path,
                  "status": response.status_code, "duration_ms": ms}
        if ms >= settings.GONGKAI_SLOW_REQUEST_MS:
            logger.warning("slow request %s %s %s in %.0f ms", request.method, request.path,
                           response.status_code, ms, extra={**fields, "slow": True})
        elif settings.GONGKAI_ACCESS_LOG:
            logger.info("%s %s %s in %.0f ms", request.method, request.path,
                        response.status_code, ms, extra=fields)
        return response
