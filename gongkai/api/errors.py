"""Every API error has one JSON shape: ``{"code", "message" (Chinese), "details"}``."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response

log = logging.getLogger(__name__)

MESSAGES = {
    "invalid": "请求参数有误，请按 details 核对。",
    "parse_error": "请求内容不是有效的 JSON。",
    "authentication_failed": "身份验证失败。",
    "not_authenticated": "此接口需要管理员签发的令牌。",
    "permission_denied": "没有调用此接口的权限。",
    "not_found": "未找到请求的资源。",
    "method_not_allowed": "不支持该请求方法。",
    "not_acceptable": "无法提供所请求的格式，本接口只提供 JSON。",
    "unsupported_media_type": "不支持该请求内容类型，请使用 application/json。",
    "throttled": "请求过于频繁，请稍后再试。",
    "conflict": "与已有记录冲突。",
    "invalid_attachment": "附件有误，请按 details 核对。",
    "too_large": "请求内容过大。",
    "server_error": "服务器处理请求时出错，请稍后再试。",
}


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "与已有记录冲突。"
    default_code = "conflict"


def body(code: str, message: str | None = None, details=None) -> dict:
    return {"code": code, "message": message or MESSAGES.get(code, MESSAGES["invalid"]),
            "details": details}


def exception_handler(exc, context):
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, RequestDataTooBig):
        return Response(body("too_large", "请求内容过大。"),
                        status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
    elif isinstance(exc, DjangoValidationError):
        return Response(body("invalid", "; ".join(exc.messages), exc.messages),
                        status=status.HTTP_400_BAD_REQUEST)
    if not isinstance(exc, exceptions.APIException):
        # Never a bare 500 page: log it and answer in the same shape.
        log.exception("api error", exc_info=exc)
        return Response(body("server_error"), status=status.HTTP_500_INTERNAL_SERVER_ERROR)
    code = exc.get_codes() if isinstance(exc.detail, str) else "invalid"
    if isinstance(exc, exceptions.ValidationError):
        code = "invalid"
    elif not isinstance(code, str):
        code = exc.default_code
    if isinstance(exc.detail, str) and code not in ("invalid",):
        message = str(exc.detail) if _is_chinese(str(exc.detail)) else MESSAGES.get(code)
        details = getattr(exc, "details", None)
    else:
        message, details = MESSAGES["invalid"], exc.detail
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        message = f"请求过于频繁，请在{int(exc.wait) + 1}秒后再试。"
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait) + 1)
    return Response(body(code, message, details), status=exc.status_code, headers=headers)


def _is_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def not_found(request, exception=None):
    """404 for any unknown path under /api/ in the same shape (not the HTML page)."""
    return JsonResponse(body("not_found"), status=404, json_dumps_params={"ensure_ascii": False})
