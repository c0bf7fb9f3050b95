"""Other apps add API endpoints through the registry, without this app naming them."""

from rest_framework import viewsets
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from gongkai.api.registry import ApiRegistry


class Consultations(viewsets.ViewSet):
    def list(self, request):
        return Response([])


def test_registered_viewset_is_routed_once_even_if_registered_twice():
    registry = ApiRegistry()
    registry.register("consultations", Consultations, basename="consultation")
    registry.register("consultations", Consultations, basename="consultation")  # 2nd ready()
    router = SimpleRouter()
    registry.extend(router)
    names = [u.name for u in router.urls]
    assert names == ["consultation-list"]
    assert str(router.urls[0].pattern) == "^consultations/$"
