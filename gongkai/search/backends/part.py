"""What a backend's per-call objects (a search's compiler, a write's indexer) share."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gongkai.search.backends.base import SearchBackend


class BackendPart:
    """One call's worth of a backend's work. The backend's options and shared helpers
    (``cursor()``, ``title_weight``, ``_stats()`` ...) read as this object's own
    attributes; whatever this object sets stays on it and ends with the call, so two calls
    on one backend object never share state."""

    def __init__(self, backend: SearchBackend):
        self.backend = backend

    def __getattr__(self, name: str):
        # Only reached for names this object and its class lack.
        if name.startswith("__") or name == "backend":
            raise AttributeError(name)
        return getattr(self.backend, name)
