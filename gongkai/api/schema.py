"""OpenAPI post-processing: every operation documents the one error shape it may return."""

from __future__ import annotations

ERROR = {
    "type": "object",
    "required": ["code", "message", "details"],
    "properties": {
        "code": {"type": "string",
                 "description": "机器可读的错误代码，如 invalid、invalid_attachment、not_found"},
        "message": {"type": "string", "description": "中文说明"},
        "details": {"description": "逐项说明（如各参数的错误），可为 null", "nullable": True},
    },
}
STATUSES = {"400": "请求参数有误", "401": "需要令牌或令牌无效", "403": "令牌没有该权限",
            "404": "未找到", "405": "不支持该请求方法", "406": "无法提供所请求的格式",
            "409": "与已有记录冲突（如工单号已由其他途径登记）",
            "413": "请求内容过大（含附件）", "415": "不支持该请求内容类型", "429": "请求过于频繁"}


def add_error_responses(result, generator, request, public):
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR
    ref = {"$ref": "#/components/schemas/Error"}
    for item in result.get("paths", {}).values():
        for method, op in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            responses = op.setdefault("responses", {})
            for code, text in STATUSES.items():
                if method == "get" and code in ("415", "409", "413"):
                    continue
                responses.setdefault(code, {
                    "description": text, "content": {"application/json": {"schema": ref}}})
            if method == "get":
                responses.setdefault("304", {"description": "未修改（If-None-Match / "
                                                            "If-Modified-Since）"})
    return result
