"""Security headers that Django's SecurityMiddleware does not set."""

from __future__ import annotations

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "font-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"
        )
        if "/staff/" in request.path or request.path.startswith("/admin/") or getattr(
            request, "gongkai_private", False
        ):
            # Staff pages and personal pages (tracking) stay out of caches and search engines.
            response.headers["Cache-Control"] = "no-store, private"
            response.headers["X-Robots-Tag"] = "noindex, nofollow"
        return response


class BadParameterMiddleware:
    """Junk in a query string or URL gives a 400 or 404 page, never a 500.

    Views parse their parameters with ``gongkai.core.params``; a ``BadParameter`` they raise
    becomes the site's error page with its Chinese message. Integer path pieces are checked
    here once for all views: Django's ``<int:>`` matches any run of digits, and one wider than
    a database integer would overflow the query (SQLite) or fail in the driver.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from django.http import Http404

        from gongkai.core.params import DB_INT_MAX

        for value in list(view_args) + list(view_kwargs.values()):
            if isinstance(value, int) and not isinstance(value, bool) and not (
                    -DB_INT_MAX <= value <= DB_INT_MAX):
                raise Http404("页面不存在")
        return None

    def process_exception(self, request, exception):
        from gongkai.core.params import BadParameter

        if not isinstance(exception, BadParameter):
            return None
        from django.shortcuts import render

        return render(request, "portal/error.html",
                      {"title": "请求参数有误", "message": exception.message}, status=400)
