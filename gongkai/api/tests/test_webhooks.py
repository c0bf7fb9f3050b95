"""Status notifications survive an integrator's outage: signed, one idempotency key per
event, retried with growing delays, and given up (flagged for the administrator) after a
bounded number of attempts."""

import datetime as dt
import hashlib
import hmac
import io
import json
import urllib.error

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client, TestCase
from django.utils import timezone

from gongkai.api import services, webhooks
from gongkai.api.models import DeliveryState, Scope, WebhookDelivery
from gongkai.api.tests.test_write_api import payload
from gongkai.foi import services as foi_services
from gongkai.foi.models import Application

pytestmark = pytest.mark.django_db


class Receiver:
    """The integrator's endpoint: fails ``failures`` times, then answers 200."""

    def __init__(self, failures: int):
        self.failures, self.calls = failures, []

    def __call__(self, request, timeout):
        self.calls.append(request)
        if len(self.calls) <= self.failures:
            raise urllib.error.HTTPError(request.full_url, 503, "Service Unavailable", {}, None)

        class Resp:
            status = 200

            def __enter__(self):
                return self

            def __exit__(self, *a):
                return False

        return Resp()

    def successes(self) -> int:
        return max(0, len(self.calls) - self.failures)


@pytest.fixture
def filed(district, make_staff):
    """A 12345 token with a webhook and one application it filed, then received by the
    unit (one status change: one event)."""

    def run(receiver, monkeypatch):
        monkeypatch.setattr(webhooks.urllib.request, "urlopen", receiver)
        owner = get_user_model().objects.create_user("hook-admin")
        token, raw = services.create_token(actor=None, name="12345", owner=owner,
                                           scopes=[Scope.FOI_SUBMIT],
                                           webhook_url="https://hotline.example/hook")
        number = Client().post("/api/v1/foi/applications/", data=payload(),
                               content_type="application/json",
                               HTTP_AUTHORIZATION=f"Bearer {raw}").json()["number"]
        with TestCase.captureOnCommitCallbacks(execute=True):
            foi_services.confirm_receipt(actor=make_staff("hyq-fgj"),
                                         application=Application.objects.get(number=number),
                                         received_date=timezone.localdate())
        return token, WebhookDelivery.objects.get()

    return run


def later(minutes: float) -> dt.datetime:
    return timezone.now() + dt.timedelta(minutes=minutes)


def test_receiver_failing_twice_gets_exactly_one_successful_delivery(filed, monkeypatch):
    receiver = Receiver(failures=2)
    token, delivery = filed(receiver, monkeypatch)
    assert len(receiver.calls) == 1  # first attempt right after the commit
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.PENDING and delivery.attempts == 1
    assert delivery.last_status == 503
    # The next retry waits BACKOFF seconds; before that nothing is attempted.
    assert webhooks.retry_due(later(0.5)) == 0
    assert webhooks.retry_due(later(1.1)) == 1
    delivery.refresh_from_db()
    assert delivery.attempts == 2 and delivery.state == DeliveryState.PENDING
    first_gap = delivery.next_retry_at - delivery.last_attempt_at
    assert webhooks.retry_due(later(1.5)) == 0  # the second wait is longer (2 minutes)
    assert webhooks.retry_due(later(5)) == 1
    assert webhooks.retry_due(later(60)) == 0  # delivered: never sent again
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.DELIVERED and delivery.attempts == 3
    assert delivery.delivered_at and delivery.next_retry_at is None
    assert receiver.successes() == 1 and len(receiver.calls) == 3
    assert first_gap > dt.timedelta(seconds=webhooks.BACKOFF)
    # Every attempt carries the same body, signature and idempotency key.
    bodies = {r.data for r in receiver.calls}
    keys = {r.headers["Idempotency-key"] for r in receiver.calls}
    assert len(bodies) == 1 and keys == {delivery.event_id}
    body = bodies.pop()
    assert json.loads(body)["event_id"] == delivery.event_id
    assert json.loads(body)["status"] == "processing"
    expected = "sha256=" + hmac.new(token.webhook_secret.encode(), body,
                                    hashlib.sha256).hexdigest()
    assert {r.headers["X-gongkai-signature"] for r in receiver.calls} == {expected}


def test_permanently_failing_receiver_stops_after_max_attempts_and_is_flagged(
        filed, monkeypatch, admin_client):
    receiver = Receiver(failures=10**6)
    _token, delivery = filed(receiver, monkeypatch)
    for hours in range(1, 48):
        webhooks.retry_due(later(60 * hours))
    delivery.refresh_from_db()
    assert len(receiver.calls) == webhooks.MAX_ATTEMPTS == delivery.attempts
    assert delivery.state == DeliveryState.FAILED and delivery.next_retry_at is None
    assert delivery.last_error == "HTTP 503"
    out = io.StringIO()
    call_command("api", "webhooks", "failed", stdout=out)
    assert delivery.event_id in out.getvalue() and "HTTP 503" in out.getvalue()
    call_command("api", "webhooks", "retry", stdout=out)
    assert len(receiver.calls) == webhooks.MAX_ATTEMPTS  # a failed one is not retried
    # The administrator sees it among the failed ones and can send it again.
    page = admin_client.get("/admin/api/webhookdelivery/", {"flagged": "failed"})
    assert page.status_code == 200
    html = page.content.decode()
    assert delivery.subject in html and "多次失败，已停止" in html
    receiver.failures = 0
    with TestCase.captureOnCommitCallbacks(execute=True):
        admin_client.post("/admin/api/webhookdelivery/", {
            "action": "resend", "_selected_action": [delivery.pk]})
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.DELIVERED and delivery.attempts == 1


def test_with_a_broker_retries_are_countdown_tasks_with_growing_delays(filed, monkeypatch):
    scheduled = []
    monkeypatch.setattr(webhooks, "broker_retries", lambda: True)
    monkeypatch.setattr(webhooks.deliver, "delay", lambda pk: webhooks.deliver.run(pk))
    monkeypatch.setattr(webhooks.deliver, "apply_async",
                        lambda args, countdown: scheduled.append(countdown))
    receiver = Receiver(failures=10**6)
    _token, delivery = filed(receiver, monkeypatch)
    assert scheduled == [webhooks.BACKOFF]
    webhooks.attempt(delivery.pk, later(1.1))
    delivery.refresh_from_db()
    assert delivery.attempts == 2
    webhooks.deliver.run(delivery.pk)  # not due yet: the countdown task arrived early
    delivery.refresh_from_db()
    assert delivery.attempts == 2
