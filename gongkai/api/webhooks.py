"""Push an application's status to the integrator that filed it, when it changes."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import urllib.request

from celery import shared_task
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

from gongkai.api.models import ApiSubmission

log = logging.getLogger(__name__)
TIMEOUT = 10


def state_key(app) -> str:
    return f"{app.status}:{app.result}"


def on_application_saved(sender, instance, **kwargs):
    """post_save of foi.Application: queue a notification after the commit if its
    integrator wants them and the status or result moved since the last one."""
    sub = (ApiSubmission.objects.filter(application_id=instance.pk)
           .select_related("token").first())
    if sub is None or not sub.token.webhook_url or sub.notified_status == state_key(instance):
        return
    transaction.on_commit(lambda: notify.delay(sub.pk))


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


@shared_task(ignore_result=True)
def notify(submission_id: int) -> None:
    from gongkai.api.foi_views import status_payload

    sub = (ApiSubmission.objects.select_related("token", "application__addressee")
           .filter(pk=submission_id).first())
    if sub is None or not sub.token.is_usable or not sub.token.webhook_url:
        return
    key = state_key(sub.application)
    if sub.notified_status == key:
        return
    body = json.dumps({"event": "foi.application.status", **status_payload(sub)},
                      cls=DjangoJSONEncoder, ensure_ascii=False).encode()
    if not sub.token.webhook_url.startswith(("https://", "http://")):
        return  # create_token accepts only these; never file: or custom schemes
    request = urllib.request.Request(  # noqa: S310
        sub.token.webhook_url, data=body, method="POST", headers={
        "Content-Type": "application/json; charset=utf-8",
        "X-Gongkai-Signature": sign(sub.token.webhook_secret, body)})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as resp:  # noqa: S310
            ok = 200 <= resp.status < 300
            error = "" if ok else f"HTTP {resp.status}"
    except Exception as exc:  # the integrator's server: any failure is theirs to see
        ok, error = False, f"{type(exc).__name__}: {exc}"[:300]
    if ok:
        ApiSubmission.objects.filter(pk=sub.pk).update(notified_status=key, notify_error="")
    else:
        log.warning("webhook to %s failed: %s", sub.token.prefix, error)
        ApiSubmission.objects.filter(pk=sub.pk).update(notify_error=error)
