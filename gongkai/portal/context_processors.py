from django.conf import settings
from django.utils.functional import SimpleLazyObject

from gongkai.core import registry
from gongkai.core.permissions import is_coordinator, profile_of


def site(request):
    user = getattr(request, "user", None)
    return {
        "site": settings.GONGKAI_SITE,
        # The shell names no app: every section, menu entry and footer link is registered by
        # its app in AppConfig.ready() (gongkai/core/registry.py).
        "nav": SimpleLazyObject(registry.public_nav),
        "footer_links": SimpleLazyObject(registry.footer_links),
        "staff_nav": SimpleLazyObject(
            lambda: registry.staff_nav(coordinator=bool(user) and is_coordinator(user))),
        "elder_mode": request.COOKIES.get("elder") == "1",
        "staff_profile": profile_of(user),
    }
