"""A small fixed-window rate limit on Django's cache for the public forms.

Kept isolated so it can be swapped for ``gongkai.core.ratelimit`` once that lands."""

from __future__ import annotations

from django.core.cache import cache


def client_ip(request) -> str:
    return (request.META.get("REMOTE_ADDR") or "unknown")[:64]


def hit(request, scope: str, *, limit: int, window: int) -> bool:
    """Count one attempt; False when ``limit`` attempts were already made in ``window`` s."""
    key = f"gzcy-rl:{scope}:{client_ip(request)}"
    if cache.add(key, 1, window):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        return True
    return count <= limit
