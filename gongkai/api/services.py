"""State changes of the API app: issuing and revoking tokens, filing through the API."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from gongkai.api.models import ApiMessage, ApiSubmission, ApiToken, Scope, hash_secret
from gongkai.core import audit
from gongkai.core.models import Organization
from gongkai.foi import services as foi_services
from gongkai.foi.forms import ApplicationForm


@transaction.atomic
def create_token(*, actor, name: str, owner, scopes: list[str], org: Organization | None = None,
                 expires_at: dt.datetime | None = None, rate_per_minute: int = 60,
                 webhook_url: str = "") -> tuple[ApiToken, str]:
    """Returns the token and its secret, which is shown once and never stored."""
    if not (actor is None or getattr(actor, "is_superuser", False)):
        raise ValidationError("只有系统管理员可以签发接口令牌。")
    unknown = sorted(set(scopes) - set(Scope.values))
    if unknown or not scopes:
        raise ValidationError(f"权限范围无效：{', '.join(unknown) or '（空）'}；"
                              f"可选 {', '.join(Scope.values)}。")
    if rate_per_minute < 1:
        raise ValidationError("每分钟请求上限至少为1。")
    if webhook_url:
        from django.core.validators import URLValidator

        URLValidator(schemes=["https", "http"], message="通知地址应为 http(s) 网址。")(
            webhook_url)
    prefix = secrets.token_hex(4)
    raw = f"gk_{prefix}_{secrets.token_urlsafe(32).replace('_', '-')}"
    token = ApiToken.objects.create(name=name, prefix=prefix, secret_hash=hash_secret(raw),
                                    scopes=sorted(set(scopes)), owner=owner, org=org,
                                    expires_at=expires_at, rate_per_minute=rate_per_minute,
                                    webhook_url=webhook_url,
                                    webhook_secret=secrets.token_hex(32) if webhook_url else "")
    audit.record(actor=actor, action="api.token_create", target=token, org=org,
                 changes=audit.diff({}, audit.snapshot(
                     token, ["name", "prefix", "scopes", "owner_id", "expires_at",
                             "rate_per_minute", "webhook_url"])),
                 summary=f"签发接口令牌：{name}")
    return token, raw


@transaction.atomic
def revoke_token(*, actor, token: ApiToken) -> ApiToken:
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(actor=actor, action="api.token_revoke", target=token, org=token.org,
                     summary=f"撤销接口令牌：{token.name}")
    return token


def form_data(payload: dict) -> dict:
    """The API's JSON in the field names of the public form, so both validate alike."""
    person = payload.get("applicant_kind") == "person"
    return {
        "applicant_kind": payload.get("applicant_kind", ""),
        "name": payload.get("name", "") if person else "",
        "id_type": payload.get("id_type", "id_card") if person else "",
        "id_number": payload.get("id_number", "") if person else "",
        "org_name": payload.get("org_name", ""), "credit_code": payload.get("credit_code", ""),
        "org_type": payload.get("org_type", ""),
        "contact_person": payload.get("contact_person", ""), "phone": payload.get("phone", ""),
        "email": payload.get("email", ""), "address": payload.get("address", ""),
        "postcode": payload.get("postcode", ""),
        "addressee": payload.get("addressee_pk", ""),
        "subject": payload.get("subject", ""), "doc_number": payload.get("doc_number", ""),
        "description": payload.get("description", ""),
        "forms_wanted": payload.get("forms_wanted", []), "delivery": payload.get("delivery", ""),
        "consent": "on" if payload.get("consent") else "",
    }


class FormErrors(ValidationError):
    def __init__(self, errors: dict):
        super().__init__("申请内容有误。")
        self.errors = errors


@transaction.atomic
def submit_application(*, token: ApiToken, payload: dict) -> tuple[ApiSubmission, str]:
    """File an application for the token's system (e.g. 12345). Idempotent on
    ``external_ref``: the same reference returns the first application and no tracking
    code (it was shown once, with the first answer)."""
    ref = (payload.get("external_ref") or "").strip()
    if ref:
        done = ApiSubmission.objects.filter(token=token, external_ref=ref).first()
        if done is not None:
            return done, ""
    proof = payload.get("identity_proof")
    # The form runs the public form's own check on the file again (clean_identity_proof).
    form = ApplicationForm(form_data(payload),
                           {"identity_proof": proof} if proof is not None else None)
    if not form.is_valid():
        raise FormErrors({k: [str(m) for m in v] for k, v in form.errors.items()})
    try:
        with transaction.atomic():
            app, code = foi_services.submit_online(
                data=form.service_data(), addressee=form.cleaned_data["addressee"],
                identity_proof=form.cleaned_data.get("identity_proof") or None)
            # The answer to this request carries the status: push only later changes.
            sub = ApiSubmission.objects.create(token=token, application=app, external_ref=ref,
                                               notified_status=f"{app.status}:{app.result}")
    except IntegrityError:  # the same reference raced in from a second request
        return ApiSubmission.objects.get(token=token, external_ref=ref), ""
    audit.record(actor=token.owner, action="api.foi_submit", target=app, org=token.org,
                 changes={"token": token.prefix, "external_ref": ref,
                          "identity_proof": (f"{proof.size}B sha256:{_digest(proof)}"
                                             if proof is not None else "")},
                 summary=f"通过接口提交政府信息公开申请（{token.name}）")
    return sub, code


def _digest(upload) -> str:
    """SHA-256 of an uploaded file, so the audit trail shows exactly which file came in."""
    upload.seek(0)
    digest = hashlib.sha256(upload.read()).hexdigest()
    upload.seek(0)
    return digest


class AlreadyFiled(ValidationError):
    """The order number is already on a message this token did not file (e.g. imported)."""


def submit_message(*, token: ApiToken, payload: dict) -> tuple[ApiMessage, str]:
    """File a 区长信箱 message (a 12345 work order) for the token's system, through
    interaction's published service. Idempotent on the order number: the same number
    again returns the first message and no 查询码."""
    from django.core.cache import cache

    from gongkai.interaction import api_services

    ref = payload["order_number"].strip()[:64]
    done = ApiMessage.objects.filter(token=token, external_ref=ref).first()
    if done is not None:
        return done, ""
    # interaction's submit_message commits on its own (durable): a short lock keeps two
    # concurrent requests with one order number from filing it twice.
    lock = f"api:message:{token.pk}:{hashlib.sha256(ref.encode()).hexdigest()[:32]}"
    if not cache.add(lock, 1, 60):
        raise AlreadyFiled("该工单号正在提交，请稍后用工单号查询。")
    try:
        if api_services.find_by_order_number(ref) is not None:
            raise AlreadyFiled("该12345工单号已经登记（如经批量导入），不能重复提交。")
        files = [f"{kind} {upload.size}B sha256:{_digest(upload)}"
                 for upload, kind in payload.get("files", ())]
        data = {k: payload.get(k, "") for k in ("kind", "subject", "body", "name", "phone",
                                                "email", "address", "consent")}
        message, code = api_services.submit_hotline_message(
            data=data, order_number=ref, received=payload.get("received"),
            unit_code=payload.get("unit", ""), files=payload.get("files", ()),
            actor=token.owner)
        with transaction.atomic():
            link = ApiMessage.objects.create(token=token, message=message, external_ref=ref,
                                             notified_status=api_services.status_key(message))
            audit.record(actor=token.owner, action="api.message_submit", target=message,
                         org=token.org, changes={
                             "token": token.prefix, "order_number": ref,
                             "attachments": files},
                         summary=f"通过接口提交政民互动留言（{token.name}）")
    finally:
        cache.delete(lock)
    return link, code
