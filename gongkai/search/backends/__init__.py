"""Search backends, chosen by dotted path: settings.GONGKAI_SEARCH_BACKEND (a class, or a
module with a ``SearchBackend`` attribute, as in Wagtail's WAGTAILSEARCH_BACKENDS; the
aliases "sqlite" and "postgres" name the two shipped here), configured by
settings.GONGKAI_SEARCH_BACKEND_OPTIONS; unset, the database engine chooses."""

from __future__ import annotations

from django.db import connections

from gongkai.search.backends.base import SearchBackend
from gongkai.search.backends.types import (  # noqa: F401 - the public interface
    Filters,
    Hit,
    IndexEntry,
    SearchResults,
    Visibility,
)

ALIASES = {
    "sqlite": "gongkai.search.backends.sqlite.SQLiteBackend",
    "postgres": "gongkai.search.backends.postgres.PostgresBackend",
}
BACKENDS = ALIASES  # the former name
_BY_VENDOR = {"sqlite": "sqlite", "postgresql": "postgres"}


def backend_name_for(using: str = "default") -> str:
    """The configured backend (alias or dotted path), else the database engine's."""
    from django.conf import settings

    name = getattr(settings, "GONGKAI_SEARCH_BACKEND", None)
    if name:
        return name
    vendor = connections[using].vendor
    if vendor not in _BY_VENDOR:
        raise ValueError(f"no search backend for database engine {vendor!r}")
    return _BY_VENDOR[vendor]


def backend_class(name: str) -> type[SearchBackend]:
    """The class an alias or dotted path names (a module: its ``SearchBackend``)."""
    import importlib

    from django.utils.module_loading import import_string

    path = ALIASES.get(name, name)
    if "." not in path:
        raise ValueError(f"unknown search backend {name!r}; choose one of "
                         f"{', '.join(ALIASES)} or give a dotted path")
    try:
        found = importlib.import_module(path)
    except ImportError:
        try:
            found = import_string(path)
        except ImportError as exc:
            raise ValueError(f"unknown search backend {name!r}: {exc}") from exc
    else:
        found = getattr(found, "SearchBackend", None)
    if not (isinstance(found, type) and issubclass(found, SearchBackend)):
        raise ValueError(f"search backend {name!r} is not a SearchBackend subclass")
    return found


def get_backend(name: str | None = None, **kwargs) -> SearchBackend:
    """The backend ``name`` (an alias or dotted path; default: the configured one, with the
    options of GONGKAI_SEARCH_BACKEND_OPTIONS under ``kwargs``, else the database
    engine's)."""
    from django.conf import settings

    if name is None:
        name = backend_name_for(kwargs.get("using", "default"))
        kwargs = {**getattr(settings, "GONGKAI_SEARCH_BACKEND_OPTIONS", {}), **kwargs}
    return backend_class(name)(**kwargs)
