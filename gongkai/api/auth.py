"""``Authorization: Bearer gk_<prefix>_<secret>``: an administrator's scoped token."""

from __future__ import annotations

import hmac

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions

from gongkai.api.models import ApiToken, hash_secret


class ApiTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        kind, _, raw = header.partition(" ")
        if kind != self.keyword or not raw.strip():
            raise exceptions.AuthenticationFailed(
                "令牌格式不正确，应为 Authorization: Bearer <令牌>。")
        token = find_token(raw.strip())
        if token is None:
            raise exceptions.AuthenticationFailed("令牌无效、已过期或已被撤销。")
        if token.last_used_at is None or (timezone.now() - token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        return (token.owner, token)

    def authenticate_header(self, request):
        return self.keyword


def find_token(raw: str) -> ApiToken | None:
    parts = raw.split("_")
    if len(parts) != 3 or parts[0] != "gk":
        return None
    token = ApiToken.objects.usable().select_related("owner", "org").filter(
        prefix=parts[1]).first()
    if token is None or not hmac.compare_digest(token.secret_hash, hash_secret(raw)):
        return None
    return token


class HasScope(permissions.BasePermission):
    """The view's ``required_scope`` must be on the request's token."""

    message = "该令牌没有调用此接口的权限。"

    def has_permission(self, request, view):
        token = request.auth
        if not isinstance(token, ApiToken):
            self.message = "此接口需要管理员签发的令牌（Authorization: Bearer <令牌>）。"
            raise exceptions.NotAuthenticated(self.message)
        return token.has_scope(view.required_scope)


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "gongkai.api.auth.ApiTokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer",
                "description": "管理员签发的令牌：gongkai api-token create …"}
