"""gongkai api token create|list|revoke: scoped tokens for integrators;
gongkai api webhooks retry|failed: their status notifications."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from gongkai.api import services
from gongkai.api.models import ApiToken, Scope
from gongkai.core.models import Organization


class Command(BaseCommand):
    help = "Open API tokens: create (the secret is printed once), list, revoke."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="noun", required=True)
        token = sub.add_parser("token", help="scoped API tokens").add_subparsers(
            dest="verb", required=True)
        create = token.add_parser("create", help="issue a token")
        create.add_argument("--name", required=True, help="e.g. 12345热线")
        create.add_argument("--owner", required=True, help="user name answerable for it")
        create.add_argument("--scope", action="append", required=True, choices=Scope.values)
        create.add_argument("--org", help="unit code of the system's operator")
        create.add_argument("--days", type=int, default=365, help="valid for N days (0: no end)")
        create.add_argument("--rate", type=int, default=60, help="requests per minute")
        create.add_argument("--webhook", default="", help="URL to POST status changes to")
        token.add_parser("list", help="list tokens")
        revoke = token.add_parser("revoke", help="revoke a token")
        revoke.add_argument("prefix")
        hooks = sub.add_parser("webhooks", help="status notifications to integrators"
                               ).add_subparsers(dest="verb", required=True)
        hooks.add_parser("retry", help="attempt the deliveries whose retry time has come "
                         "(run from cron every minute when there is no Celery broker)")
        hooks.add_parser("failed", help="list deliveries that failed every attempt")

    def handle(self, *args, noun, verb, **opts):
        return getattr(self, f"_{verb}")(**opts)

    def _create(self, *, name, owner, scope, org, days, rate, webhook, **_):
        user = get_user_model().objects.filter(username=owner).first()
        if user is None:
            raise CommandError(f"no user {owner!r}")
        unit = None
        if org:
            unit = Organization.objects.filter(code=org).first()
            if unit is None:
                raise CommandError(f"no unit {org!r}")
        expires = timezone.now() + dt.timedelta(days=days) if days > 0 else None
        try:
            token, raw = services.create_token(actor=None, name=name, owner=user, scopes=scope,
                                               org=unit, expires_at=expires,
                                               rate_per_minute=rate, webhook_url=webhook)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages))
        self.stdout.write(f"token {token.prefix} for {name} ({', '.join(token.scopes)})")
        if token.webhook_secret:
            self.stdout.write(f"webhook signing secret (X-Gongkai-Signature, HMAC-SHA256): "
                              f"{token.webhook_secret}")
        self.stdout.write("secret (shown once, store it now):")
        self.stdout.write(raw)

    def _retry(self, **_):
        from gongkai.api.webhooks import retry_due

        self.stdout.write(f"attempted {retry_due()} deliveries")

    def _failed(self, **_):
        from gongkai.api.models import DeliveryState, WebhookDelivery

        for d in WebhookDelivery.objects.filter(state=DeliveryState.FAILED).select_related(
                "token"):
            self.stdout.write(f"{d.event_id}\t{d.token.prefix}\t{d.event}\t{d.subject}\t"
                              f"{d.attempts}\t{d.last_status or '-'}\t{d.last_error}")

    def _list(self, **_):
        for t in ApiToken.objects.select_related("owner"):
            state = "revoked" if t.revoked_at else ("expired" if not t.is_usable else "active")
            self.stdout.write(f"{t.prefix}\t{state}\t{t.name}\t{t.owner.username}\t"
                              f"{','.join(t.scopes)}\t{t.expires_at or '-'}")

    def _revoke(self, *, prefix, **_):
        token = ApiToken.objects.filter(prefix=prefix).first()
        if token is None:
            raise CommandError(f"no token {prefix!r}")
        services.revoke_token(actor=None, token=token)
        self.stdout.write(f"revoked {prefix}")
