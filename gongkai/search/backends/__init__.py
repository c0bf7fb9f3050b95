"""Search backends, chosen by name: settings.GONGKAI_SEARCH_BACKEND, or from the database."""

from __future__ import annotations

from django.db import connections

from gongkai.search.backends.base import (  # noqa: F401 - the public interface
    Filters,
    Hit,
    IndexEntry,
    SearchBackend,
    SearchResults,
    Visibility,
)

BACKENDS = {
    "sqlite": "gongkai.search.backends.sqlite.SQLiteBackend",
    "postgres": "gongkai.search.backends.postgres.PostgresBackend",
}
_BY_VENDOR = {"sqlite": "sqlite", "postgresql": "postgres"}


def backend_name_for(using: str = "default") -> str:
    from django.conf import settings

    name = getattr(settings, "GONGKAI_SEARCH_BACKEND", None)
    if name:
        return name
    vendor = connections[using].vendor
    if vendor not in _BY_VENDOR:
        raise ValueError(f"no search backend for database engine {vendor!r}")
    return _BY_VENDOR[vendor]


def get_backend(name: str | None = None, **kwargs) -> SearchBackend:
    """The backend called ``name`` (default: from settings, else from the database engine)."""
    from django.utils.module_loading import import_string

    name = name or backend_name_for(kwargs.get("using", "default"))
    if name not in BACKENDS:
        raise ValueError(f"unknown search backend {name!r}; choose one of {', '.join(BACKENDS)}")
    return import_string(BACKENDS[name])(**kwargs)
