"""Files sent to the write endpoints: JSON objects ``{"name", "content"}`` with the content in
base64 (what 12345 platforms exchange; one request stays one JSON document, so an order
number is filed with its files or not at all). Each file passes the same checks as on the
public forms (``gongkai.core.uploads.validate_upload``: type by content, size, PDF must parse)."""

from __future__ import annotations

import base64
import binascii

from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework import exceptions, serializers, status

from gongkai.core.uploads import validate_upload

# Bodies larger than this are refused before they are parsed (base64 adds a third).
MAX_BODY_BYTES = 32 * 1024 * 1024


class AttachmentInSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, help_text=(
        "原文件名，须带与内容相符的扩展名（如 现场照片.jpg）；只作记录，文件以随机名保存"))
    content = serializers.CharField(allow_blank=True, trim_whitespace=False,
                                    help_text="文件内容的 base64 编码（标准字母表，可带 = 补齐）")


class InvalidAttachment(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "附件有误。"
    default_code = "invalid_attachment"

    def __init__(self, field: str, errors: list[str]):
        super().__init__(errors[0])
        self.details = {field: errors}


class TooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = f"请求内容过大：含附件在内不能超过 {MAX_BODY_BYTES // (1024 * 1024)} MB。"
    default_code = "too_large"


def check_body_size(request) -> None:
    """Refuse an oversized body from its declared length, before reading it; read a body
    within ``MAX_BODY_BYTES`` (the site-wide ``DATA_UPLOAD_MAX_MEMORY_SIZE`` of 10 MB is
    meant for forms and would refuse a work order with a few photos)."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_BODY_BYTES:
        raise TooLarge()
    django_request = request._request
    if length and not hasattr(django_request, "_body") and not django_request._read_started:
        django_request._body = django_request.read(length)


def decode(items: list[dict], *, field: str, allowed: tuple[str, ...], max_bytes: int,
           max_count: int) -> list[tuple[SimpleUploadedFile, str]]:
    """The files as ``(upload, kind)``, or ``InvalidAttachment`` naming every bad one."""
    if len(items) > max_count:
        raise InvalidAttachment(field, [f"附件最多 {max_count} 个，本次提交了 {len(items)} 个。"])
    files, errors = [], []
    for i, item in enumerate(items, start=1):
        label = f"第{i}个附件（{item['name'][:50]}）"
        raw = "".join(item["content"].split())
        if len(raw) * 3 // 4 > max_bytes + 2:
            errors.append(f"{label}：文件过大：最大 {max_bytes // (1024 * 1024)} MB。")
            continue
        try:
            data = base64.b64decode(raw, validate=True)
        except (binascii.Error, ValueError):
            errors.append(f"{label}：content 不是有效的 base64 编码。")
            continue
        try:
            upload = SimpleUploadedFile(item["name"], data)
        except SuspiciousFileOperation:  # "..", "a/." and the like
            errors.append(f"{label}：文件名无效，请使用带扩展名的文件名（如 说明.pdf）。")
            continue
        try:
            kind = validate_upload(upload, allowed, max_bytes)
        except ValidationError as exc:
            errors.append(f"{label}：{exc.messages[0]}")
            continue
        files.append((upload, kind))
    if errors:
        raise InvalidAttachment(field, errors)
    return files
