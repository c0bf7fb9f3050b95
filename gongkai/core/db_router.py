"""PostgreSQL primary with streaming replicas: public reads go to a replica, everything else
to the primary (``DATABASE_REPLICA_URLS``; docs/scaling.md).

Only what cannot miss a recent write is kept off the replicas, so the rule is positive: a
request *may* read a replica when it is an anonymous GET/HEAD (no session cookie), that has
not written recently (no ``gongkai_primary`` cookie, see below) and whose page is not one the
publish tree stores (gongkai/core/publish.py: those are rendered rarely and must never show
what the primary has already withdrawn). Staff, every POST, background jobs, management
commands and anything inside a transaction read the primary.

Read-your-writes: a request that wrote gets a ``gongkai_primary`` cookie for
``GONGKAI_REPLICA_PIN_SECONDS`` (default 10, far above normal replica lag), and the same
visitor's next requests read the primary until it expires. The public sees a write once a
replica has replayed it.
"""

from __future__ import annotations

import contextvars
import random
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

PIN_COOKIE = "gongkai_primary"


@dataclass
class _State:
    replica_ok: bool = False
    wrote: bool = False


_state: contextvars.ContextVar[_State | None] = contextvars.ContextVar("gongkai_db_state",
                                                                       default=None)


def replicas() -> list[str]:
    return list(getattr(settings, "GONGKAI_DB_REPLICAS", ()))


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        state = _state.get()
        if state is None or not state.replica_ok or state.wrote:
            return DEFAULT_DB_ALIAS
        aliases = replicas()
        if not aliases or connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        return random.choice(aliases)

    def db_for_write(self, model, **hints):
        state = _state.get()
        if state is not None:
            state.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replicas hold the same rows as the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


def read_primary() -> None:
    """From now on this request reads the primary: what it renders is kept for others (the
    search page's results cache) and must not come from a lagging replica."""
    state = _state.get()
    if state is not None:
        state.replica_ok = False


def may_read_replica(request) -> bool:
    from gongkai.core import publish

    if request.method not in ("GET", "HEAD"):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES or PIN_COOKIE in request.COOKIES:
        return False
    match = getattr(request, "resolver_match", None)
    if match is not None and match.view_name in publish.PAGES and not request.META.get(
            "QUERY_STRING") and not any(c in request.COOKIES for c in publish.vary_cookies()):
        return False  # a page the publish tree may store: always from the primary
    return True


class ReplicaMiddleware:
    """Decides per request whether reads may use a replica; pins a writer to the primary."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        state = _State()
        token = _state.set(state)
        try:
            response = self.get_response(request)
        finally:
            _state.reset(token)
        if state.wrote and request.method not in ("GET", "HEAD") and replicas():
            response.set_cookie(PIN_COOKIE, "1", max_age=settings.GONGKAI_REPLICA_PIN_SECONDS,
                                httponly=True, samesite="Lax",
                                secure=settings.SESSION_COOKIE_SECURE)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        state = _state.get()
        if state is not None:
            state.replica_ok = may_read_replica(request)
