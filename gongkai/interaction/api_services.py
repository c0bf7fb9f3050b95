"""What the open API (gongkai.api) may do with 政民互动 messages: file one for an integrator
such as the 12345 system (through ``submit_message``, keeping its order number) and read a
message's handling status back. The API app never touches interaction's models itself."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError

from gongkai.core.models import Organization
from gongkai.interaction import services
from gongkai.interaction.forms import MAX_ATTACHMENT
from gongkai.interaction.models import Kind, Message, MStatus, Source

KIND_NAMES = {label: value for value, label in Kind.choices}
# What a message may carry: the public form's kinds and size limit.
ATTACHMENT_KINDS = ("pdf", "docx", "png", "jpg")
ATTACHMENT_MAX_BYTES = MAX_ATTACHMENT
ATTACHMENT_MAX_COUNT = 5


def find_by_order_number(order_number: str) -> Message | None:
    return (Message.objects.filter(hotline_number=order_number.strip()[:64])
            .order_by("pk").first())


def submit_hotline_message(*, data: dict, order_number: str, received: dt.date | None = None,
                           unit_code: str = "", files=(), actor=None) -> tuple[Message, str]:
    """A work order handed over by an integrator: a message with source 12345 that keeps the
    order number, with its attachments (``(upload, kind)`` pairs that passed
    ``validate_upload`` with ``ATTACHMENT_KINDS`` and ``ATTACHMENT_MAX_BYTES``). Returns the
    message and its 查询码 (shown once). Field errors are a ``ValidationError`` with a dict
    of Chinese messages."""
    order_number = (order_number or "").strip()
    if not order_number:
        raise ValidationError({"order_number": "请填写12345工单号。"})
    unit = None
    if unit_code:
        unit = Organization.objects.filter(code=unit_code, is_active=True).first()
        if unit is None:
            raise ValidationError({"unit": f"没有代码为 {unit_code[:64]} 的单位。"})
    data = {**data, "kind": KIND_NAMES.get(data.get("kind", ""), data.get("kind", ""))}
    return services.submit_message(data=data, source=Source.HOTLINE, received=received,
                                   hotline_number=order_number, suggested_org=unit,
                                   files=files, actor=actor)


def status_key(message: Message) -> str:
    """What an integrator is told about when it changes."""
    return message.status


def message_status(message: Message) -> dict:
    """The handling status as the writer may see it (no contact details, no draft reply)."""
    reply = message.sent_replies().last() if message.status == MStatus.ANSWERED else None
    org = message.org
    return {
        "number": message.number, "order_number": message.hotline_number,
        "kind": message.kind, "subject": message.subject, "status": message.status,
        "status_label": message.get_status_display(),
        "unit": {"code": org.code, "name": org.name} if org else None,
        "received_date": message.received_date, "due_date": message.due_date,
        "answered_date": message.answered_date, "reply": reply.text if reply else "",
        "rating": message.rating,
        "merged_into": message.merged_into.number if message.merged_into_id else "",
        "updated_at": message.updated_at,
        "attachments": [{"name": f.name, "kind": f.kind, "size": f.size}
                        for f in message.files.all()],
    }


def get_message(pk: int) -> Message | None:
    return (Message.objects.select_related("org", "merged_into").prefetch_related("files")
            .filter(pk=pk).first())
