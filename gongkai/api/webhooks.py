"""Status changes pushed to the integrator that filed an application or a message.

Each change becomes one ``WebhookDelivery`` (created in the transaction that changed the
status, so nothing is lost). It is POSTed after the commit, signed with
HMAC-SHA256(token.webhook_secret, body) in ``X-Gongkai-Signature`` and carrying its
idempotency key in ``X-Gongkai-Event-Id`` / ``Idempotency-Key`` (the body is the same on
every attempt). A failure is retried with exponential backoff (``BACKOFF`` × 2ⁿ) up to
``MAX_ATTEMPTS`` attempts, then the delivery is marked failed for the administrator.

With a Celery broker the retry is a countdown task; without one (tasks run eagerly) the
request that changed the status makes one attempt and ``retry_due`` — the Celery beat job
``api-webhook-retry`` or ``gongkai api webhooks retry`` from cron — makes the later ones.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.request
import uuid

from celery import current_app, shared_task
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from gongkai.api.models import ApiMessage, ApiSubmission, DeliveryState, WebhookDelivery

log = logging.getLogger(__name__)
TIMEOUT = 10
MAX_ATTEMPTS = 6
BACKOFF = 60  # seconds before the 2nd attempt; then 120, 240, 480, 960
LEASE = dt.timedelta(seconds=TIMEOUT + 50)  # an attempt in progress is not started twice


def state_key(app) -> str:
    return f"{app.status}:{app.result}"


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def backoff(attempts: int) -> int:
    """Seconds to wait after the ``attempts``-th failed attempt."""
    return BACKOFF * 2 ** (attempts - 1)


def enqueue(*, token, event: str, subject: str, payload: dict) -> WebhookDelivery | None:
    """Record one event for the token's webhook and send it after the commit."""
    if not token.webhook_url or not token.is_usable:
        return None
    event_id = str(uuid.uuid4())
    body = json.loads(json.dumps({"event": event, "event_id": event_id, **payload},
                                 cls=DjangoJSONEncoder, ensure_ascii=False))
    delivery = WebhookDelivery.objects.create(token=token, event=event, event_id=event_id,
                                              subject=subject[:80], payload=body,
                                              next_retry_at=timezone.now())
    transaction.on_commit(lambda: deliver.delay(delivery.pk))
    return delivery


def on_application_saved(sender, instance, **kwargs):
    """post_save of foi.Application: one event when its status or result moved."""
    from gongkai.api.foi_views import status_payload

    sub = (ApiSubmission.objects.filter(application_id=instance.pk)
           .select_related("token").first())
    key = state_key(instance)
    if sub is None or sub.notified_status == key:
        return
    ApiSubmission.objects.filter(pk=sub.pk).update(notified_status=key)
    sub.application = instance
    enqueue(token=sub.token, event="foi.application.status", subject=instance.number,
            payload=status_payload(sub))


def on_message_saved(sender, instance, **kwargs):
    """post_save of interaction.Message: one event when its handling status moved."""
    from gongkai.interaction import api_services

    link = ApiMessage.objects.filter(message_id=instance.pk).select_related("token").first()
    key = api_services.status_key(instance)
    if link is None or link.notified_status == key:
        return
    ApiMessage.objects.filter(pk=link.pk).update(notified_status=key)
    enqueue(token=link.token, event="interaction.message.status", subject=instance.number,
            payload=api_services.message_status(instance))


def _claim(delivery_id: int, now: dt.datetime) -> WebhookDelivery | None:
    """Take a due pending delivery for one attempt (a lease, not a long row lock)."""
    due = Q(next_retry_at__isnull=True) | Q(next_retry_at__lte=now + dt.timedelta(seconds=5))
    claimed = (WebhookDelivery.objects.filter(due, pk=delivery_id, state=DeliveryState.PENDING)
               .update(next_retry_at=now + LEASE))
    if not claimed:
        return None
    return WebhookDelivery.objects.select_related("token").get(pk=delivery_id)


def _post(delivery: WebhookDelivery) -> tuple[int | None, str]:
    token = delivery.token
    body = json.dumps(delivery.payload, ensure_ascii=False).encode()
    if not token.webhook_url.startswith(("https://", "http://")):
        return None, "通知地址不是 http(s) 网址"  # create_token accepts only these
    request = urllib.request.Request(  # noqa: S310
        token.webhook_url, data=body, method="POST", headers={
            "Content-Type": "application/json; charset=utf-8",
            "X-Gongkai-Event": delivery.event, "X-Gongkai-Event-Id": delivery.event_id,
            "Idempotency-Key": delivery.event_id,
            "X-Gongkai-Signature": sign(token.webhook_secret, body)})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as resp:  # noqa: S310
            return resp.status, "" if 200 <= resp.status < 300 else f"HTTP {resp.status}"
    except urllib.error.HTTPError as exc:
        return exc.code, f"HTTP {exc.code}"
    except Exception as exc:  # the integrator's server: any failure is theirs to see
        return None, f"{type(exc).__name__}: {exc}"[:300]


def attempt(delivery_id: int, now: dt.datetime | None = None) -> WebhookDelivery | None:
    """One attempt; returns the delivery as recorded afterwards (None if not due)."""
    now = now or timezone.now()
    delivery = _claim(delivery_id, now)
    if delivery is None:
        return None
    if not delivery.token.is_usable or not delivery.token.webhook_url:
        delivery.state, delivery.last_error = DeliveryState.FAILED, "令牌已撤销或已取消通知地址"
        delivery.next_retry_at = None
        delivery.save(update_fields=["state", "last_error", "next_retry_at"])
        return delivery
    code, error = _post(delivery)
    delivery.attempts += 1
    delivery.last_status, delivery.last_error = code, error
    delivery.last_attempt_at = timezone.now()
    if not error:
        delivery.state, delivery.delivered_at = DeliveryState.DELIVERED, delivery.last_attempt_at
        delivery.next_retry_at = None
    elif delivery.attempts >= MAX_ATTEMPTS:
        delivery.state, delivery.next_retry_at = DeliveryState.FAILED, None
        log.error("webhook %s to %s failed %s times, giving up: %s", delivery.event_id,
                  delivery.token.prefix, delivery.attempts, error)
    else:
        delivery.next_retry_at = now + dt.timedelta(seconds=backoff(delivery.attempts))
        log.warning("webhook %s to %s failed (attempt %s): %s", delivery.event_id,
                    delivery.token.prefix, delivery.attempts, error)
    delivery.save(update_fields=["attempts", "last_status", "last_error", "last_attempt_at",
                                 "state", "delivered_at", "next_retry_at"])
    return delivery


def broker_retries() -> bool:
    """With a broker the retry is a countdown task; eagerly it would block the request."""
    return not current_app.conf.task_always_eager


@shared_task(ignore_result=True)
def deliver(delivery_id: int) -> None:
    delivery = attempt(delivery_id)
    if (delivery is not None and delivery.state == DeliveryState.PENDING
            and broker_retries()):
        deliver.apply_async((delivery_id,), countdown=backoff(delivery.attempts))


@shared_task(name="api.webhook_retry", ignore_result=True)
def retry_due_task() -> int:
    return retry_due()


def retry_due(now: dt.datetime | None = None) -> int:
    """Attempt every pending delivery whose retry time has come; returns how many."""
    now = now or timezone.now()
    due = (WebhookDelivery.objects.filter(state=DeliveryState.PENDING, next_retry_at__lte=now)
           .order_by("next_retry_at").values_list("pk", flat=True)[:200])
    return sum(1 for pk in list(due) if attempt(pk, now) is not None)


def retry_now(*, actor, deliveries) -> int:
    """The administrator sends failed deliveries again (a fresh round of attempts)."""
    from gongkai.core import audit

    count = 0
    for d in deliveries:
        if d.state == DeliveryState.DELIVERED:
            continue
        with transaction.atomic():
            WebhookDelivery.objects.filter(pk=d.pk).update(
                state=DeliveryState.PENDING, attempts=0, next_retry_at=timezone.now())
            audit.record(actor=actor, action="api.webhook_retry", target=d, org=d.token.org,
                         summary=f"重新发送状态通知：{d.event} {d.subject}")
            pk = d.pk
            transaction.on_commit(lambda pk=pk: deliver.delay(pk))
        count += 1
    return count
