"""Writing, routing, sending back and merging 区长信箱 messages."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from gongkai.core import audit
from gongkai.core.calendar import get_calendar
from gongkai.core.models import Organization
from gongkai.core.permissions import can_edit, is_coordinator, require
from gongkai.core.sequences import next_value
from gongkai.core.uploads import original_name
from gongkai.interaction import clock, crypto
from gongkai.interaction.models import (
    Consent,
    Kind,
    Message,
    MessageAttachment,
    MStatus,
    Source,
)
from gongkai.interaction.services import coparts
from gongkai.interaction.services.common import answer_workdays, today

MAX_SUBJECT = 100
MAX_BODY = 5000


def _number(received: dt.date) -> str:
    return f"XX{received.year}-{next_value(f'interaction:{received.year}'):06d}"


def _clean(data: dict) -> dict:
    errors = {}
    kind = data.get("kind")
    if kind not in Kind.values:
        errors["kind"] = "请选择来信类型。"
    subject = (data.get("subject") or "").strip()
    if not subject:
        errors["subject"] = "请填写主题。"
    elif len(subject) > MAX_SUBJECT:
        errors["subject"] = f"主题不能超过{MAX_SUBJECT}字。"
    body = (data.get("body") or "").strip()
    if not body:
        errors["body"] = "请填写来信内容。"
    elif len(body) > MAX_BODY:
        errors["body"] = f"来信内容不能超过{MAX_BODY}字。"
    name = (data.get("name") or "").strip()
    if not name:
        errors["name"] = "请填写姓名，以便答复。"
    phone = (data.get("phone") or "").strip()
    email = (data.get("email") or "").strip()
    if not phone and not email:
        errors["phone"] = "请至少填写联系电话或电子邮箱中的一项，以便答复。"
    consent = data.get("consent") or Consent.NONE
    if consent not in Consent.values:
        errors["consent"] = "请选择是否同意公开。"
    if errors:
        raise ValidationError(errors)
    return {"kind": kind, "subject": subject, "body": body, "name": name[:50],
            "phone": phone[:30], "email": email[:100],
            "address": (data.get("address") or "").strip()[:200], "consent": consent}


@transaction.atomic(durable=True)
def submit_message(*, data: dict, source: str = Source.WEB, attachment=None,
                   received: dt.date | None = None, hotline_number: str = "",
                   suggested_org: Organization | None = None, doc_id: int | None = None,
                   interp_id: int | None = None, policy_title: str = "",
                   files=(), actor=None) -> tuple[Message, str]:
    """A citizen's message (or a 12345 work order); returns it and its 查询码 (shown once).
    ``files`` are further attachments as ``(upload, kind)`` pairs, already checked with
    ``gongkai.core.uploads.validate_upload``."""
    clean = _clean(data)
    received = received or today()
    code = crypto.new_tracking_code()
    msg = Message(
        number=_number(received), kind=clean["kind"], subject=clean["subject"],
        body=clean["body"], name_enc=crypto.encrypt(clean["name"]),
        phone_enc=crypto.encrypt(clean["phone"]), email_enc=crypto.encrypt(clean["email"]),
        address_enc=crypto.encrypt(clean["address"]), consent=clean["consent"],
        tracking_code_hash=crypto.tracking_hash(code), source=source,
        hotline_number=(hotline_number or "").strip()[:64], received_date=received,
        suggested_org=suggested_org, doc_id=doc_id, interp_id=interp_id,
        policy_title=(policy_title or "")[:300],
    )
    if attachment is not None:
        msg.attachment = attachment
    msg.save()
    stored = [MessageAttachment.objects.create(message=msg, file=upload, kind=kind,
                                               name=original_name(upload), size=upload.size)
              for upload, kind in files]
    audit.record(actor=actor, action="hdjl.message.submit", target=msg,
                 org=suggested_org, summary=f"{msg.get_source_display()}：{msg.subject}"[:300],
                 changes={"files": {"before": [], "after": [
                     f"{f.kind} {f.size}B" for f in stored]}} if stored else None)
    return msg, code


def _lock(message: Message) -> Message:
    return Message.objects.select_for_update().get(pk=message.pk)


@transaction.atomic(durable=True)
def route_message(*, actor, message: Message, org: Organization,
                  co_orgs=(), on: dt.date | None = None) -> Message:
    """公开办 assigns the message to a lead unit (and co-handlers); the clock starts."""
    require(is_coordinator(actor), "只有公开办协调员可以分办来信。")
    msg = _lock(message)
    if msg.status != MStatus.NEW:
        raise ValidationError("只有待分办的来信可以分办。")
    co = [o for o in co_orgs if o.pk != org.pk]
    on = on or today()
    msg.org = org
    msg.status = MStatus.HANDLING
    msg.routed_date = on
    msg.due_date = clock.due_date(get_calendar(), on, answer_workdays())
    msg.return_note = ""
    msg.save()
    msg.co_orgs.set(co)
    coparts.open_parts(msg, co, on)
    audit.record(actor=actor, action="hdjl.message.route", target=msg, org=org,
                 changes={"org": {"before": None, "after": org.name},
                          "co_orgs": {"before": [], "after": [o.name for o in co]},
                          "due_date": {"before": None, "after": msg.due_date}})
    return msg


@transaction.atomic(durable=True)
def return_message(*, actor, message: Message, note: str) -> Message:
    """A unit sends a mis-routed message back to the 公开办 with the reason."""
    msg = _lock(message)
    require(msg.org_id is not None and can_edit(actor, msg.org_id),
            "只能退回分办给本单位的来信。")
    if msg.status != MStatus.HANDLING:
        raise ValidationError("只有办理中的来信可以退回公开办。")
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": "退回须说明理由（例如应由哪个单位办理）。"})
    before = msg.org
    msg.status = MStatus.NEW
    msg.org = None
    msg.due_date = None
    msg.routed_date = None
    msg.return_note = note[:500]
    msg.save()
    msg.co_orgs.clear()
    coparts.drop_open_parts(msg)
    audit.record(actor=actor, action="hdjl.message.return", target=msg, org=before,
                 summary=note[:300],
                 changes={"org": {"before": before.name if before else None, "after": None}})
    return msg


@transaction.atomic(durable=True)
def merge_message(*, actor, message: Message, into: Message) -> Message:
    """A duplicate is closed into the original; its writer follows the original's reply."""
    require(is_coordinator(actor), "只有公开办协调员可以合并来信。")
    msg, target = _lock(message), _lock(into)
    if msg.pk == target.pk:
        raise ValidationError("不能把来信合并到它自己。")
    if target.status == MStatus.MERGED:
        raise ValidationError("目标来信本身已被合并，请合并到原始来信。")
    if msg.status not in (MStatus.NEW, MStatus.HANDLING):
        raise ValidationError("只有待分办或办理中的来信可以合并。")
    before = msg.status
    msg.status = MStatus.MERGED
    msg.merged_into = target
    msg.due_date = None
    msg.save()
    audit.record(actor=actor, action="hdjl.message.merge", target=msg,
                 summary=f"合并至 {target.number}",
                 changes={"status": {"before": before, "after": MStatus.MERGED}})
    return msg
