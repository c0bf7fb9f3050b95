"""Where other apps add their API endpoints, without this app naming them.

In the app's ``AppConfig.ready()``::

    from gongkai.api.registry import api_registry
    api_registry.register("consultations", ConsultationViewSet, basename="consultations")

The viewset is then served at ``/api/v1/consultations/`` and appears in the schema and the
docs. Views should subclass ``gongkai.api.views.ReadOnlyViewSet`` (ETag, error shape) and
expose only published data; writes need a scope (``gongkai.api.auth.HasScope``).
"""

from __future__ import annotations

from rest_framework.routers import DefaultRouter


class ApiRegistry:
    def __init__(self):
        self._entries: dict[str, tuple[type, str]] = {}

    def register(self, prefix: str, viewset: type, basename: str) -> None:
        self._entries[prefix] = (viewset, basename)  # keyed: a second ready() replaces

    def extend(self, router: DefaultRouter) -> None:
        for prefix, (viewset, basename) in sorted(self._entries.items()):
            router.register(prefix, viewset, basename=basename)


api_registry = ApiRegistry()
