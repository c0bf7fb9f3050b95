"""Rate limits for public forms, shared by every worker process (issue #14 point 3).

The counters live in Django's default cache: Redis when REDIS_URL is set, else the database
cache table (settings.py), so four gunicorn workers share one limit instead of keeping four.

A limit of N hits per window is N *slots*: a hit takes the first free slot with
``cache.add`` (atomic: SET NX in Redis, an INSERT on the table's primary key in the
database cache), and a slot frees itself ``window`` seconds after it was taken. No
read-modify-write, so concurrent workers can never lose a count and let the N+1st through.

Clients are told apart by ``client_ip``: behind nginx every request comes from nginx's own
address, so the real one is read from X-Forwarded-For, but only as many hops deep as there
are proxies we trust (``GONGKAI_TRUSTED_PROXIES``); anything further left was written by the
client and can be forged.
"""

from __future__ import annotations

import hashlib
import ipaddress
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache


def _valid_ip(value: str) -> str | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # [v6]:port
        value = value[1:value.index("]")]
    elif value.count(":") == 1:  # v4:port
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_ip(request) -> str:
    """The client's address. With N trusted proxies in front (nginx: N = 1), each proxy
    appended the address it saw to X-Forwarded-For, so the client is the Nth entry from the
    right. Also django-axes' AXES_CLIENT_IP_CALLABLE, so login lockouts key on it too."""
    # "" when even the peer is unknown (never under a WSGI server; force_login in tests):
    # axes stores it as no address, where PostgreSQL's inet column would refuse a word.
    remote = _valid_ip(request.META.get("REMOTE_ADDR", "") or "") or ""
    hops = getattr(settings, "GONGKAI_TRUSTED_PROXIES", 0)
    if hops <= 0:
        return remote
    forwarded = [a for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
                 if a.strip()]
    if not forwarded:
        return remote
    # Fewer entries than proxies: the request skipped a proxy; the leftmost is the best
    # guess and was still written by one of ours.
    candidate = forwarded[-hops] if len(forwarded) >= hops else forwarded[0]
    return _valid_ip(candidate) or remote


@dataclass(frozen=True)
class Limit:
    """At most ``limit`` hits per ``window`` seconds for one key (client address)."""

    scope: str
    limit: int
    window: int

    def _keys(self, key: str) -> list[str]:
        digest = hashlib.sha256(f"{self.scope}\0{key}".encode()).hexdigest()[:32]
        return [f"rl:{self.scope}:{digest}:{i}" for i in range(self.limit)]

    def count(self, key: str) -> int:
        return len(cache.get_many(self._keys(key)))

    def exceeded(self, key: str) -> bool:
        """True when all slots are taken; takes none (for checking before the work)."""
        return self.count(key) >= self.limit

    def hit(self, key: str) -> str | None:
        """Take a slot: its name, or None when none was free (the limit is reached)."""
        return next((k for k in self._keys(key) if cache.add(k, 1, self.window)), None)

    def release(self, slot: str | None) -> None:
        """Give back a slot taken for an attempt that turned out not to count."""
        if slot:
            cache.delete(slot)

    def clear(self, key: str) -> None:
        cache.delete_many(self._keys(key))


def allow(request, scope: str, *, limit: int, window: int) -> bool:
    """Count one attempt at a public form by this client; False once ``limit`` attempts
    were made in ``window`` seconds (every form that does not need to give slots back)."""
    return Limit(scope, limit, window).hit(client_ip(request)) is not None


# Tracking page: wrong number/code pairs per client (a right one costs nothing).
TRACK_FAILURES = Limit("foi-track", limit=10, window=600)
# Online applications: submissions per client. Generous for a family or a law firm sharing
# one address, tight enough to stop a script filling the office's queue.
APPLICATIONS = Limit("foi-apply", limit=10, window=3600)
# Attempts at the application form, valid or not: a bound on scripted posting of uploads.
APPLICATION_POSTS = Limit("foi-apply-post", limit=60, window=3600)


def axes_username(request, credentials=None) -> str | None:
    """The user name django-axes records and locks (AXES_USERNAME_CALLABLE): as typed, but
    cut to a user name's length (150) and without NUL, so a 3,000-character or NUL-laden
    guess is a failed login like any other, not a database error (PostgreSQL: varchar(255),
    no NUL)."""
    from gongkai.core.params import clean_text

    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        raw = credentials.get(field)
    else:
        raw = getattr(request, "POST", {}).get(field) if request is not None else None
    return clean_text(raw, max_len=150, strip=False) if raw is not None else None
