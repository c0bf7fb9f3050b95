"""Helpers shared by the 主动公开 services: field rules, revisions, change signals."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from gongkai.core import audit
from gongkai.core.calendar import get_calendar
from gongkai.disclosure import docnumber, indexnumber, privacy, rules
from gongkai.disclosure.models import (
    Attribute,
    Document,
    DocumentRevision,
    Interpretation,
    Status,
    Validity,
)
from gongkai.disclosure.signals import document_changed, interpretation_changed
from gongkai.disclosure.text import plain_text, sanitize


class PublishBlocked(ValidationError):
    """Publishing refused by a rule (privacy hits, 三同步); ``messages`` say why in Chinese."""


# Fields a revision snapshot keeps and an edit may change.
EDITABLE_FIELDS = [
    "title", "doc_number", "written_date", "node_id", "topic", "genre", "summary", "attribute",
    "attribute_reason", "doc_type", "is_important", "registration_number", "validity",
    "effective_date", "expiry_date", "repealed_date", "body", "keywords",
]
_REVISION_FIELDS = EDITABLE_FIELDS + ["status", "index_number"]


def _changed(doc_id: int, deleted: bool = False) -> None:
    transaction.on_commit(
        lambda: document_changed.send(sender=Document, document_id=doc_id, deleted=deleted)
    )


def _interpretation_changed(interpretation_id: int, deleted: bool = False) -> None:
    transaction.on_commit(
        lambda: interpretation_changed.send(sender=Interpretation,
                                            interpretation_id=interpretation_id,
                                            deleted=deleted)
    )


def _email_allow() -> tuple[str, ...]:
    return tuple(getattr(settings, "GONGKAI_PRIVACY_EMAIL_ALLOW",
                         privacy.DEFAULT_EMAIL_ALLOW_SUFFIXES))


def _refresh_text(doc: Document) -> None:
    parts = [plain_text(doc.body)]
    parts += [a.text for a in doc.attachments.all() if a.text] if doc.pk else []
    doc.body_text = "\n\n".join(p for p in parts if p)


def _apply_fields(doc: Document, fields: dict) -> None:
    unknown = set(fields) - set(EDITABLE_FIELDS) - {"node"}
    if unknown:
        raise TypeError(f"unknown document fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(doc, name, value)
    doc.title = (doc.title or "").strip()
    if not doc.title:
        raise ValidationError({"title": "请填写标题。"})
    parsed = docnumber.parse(doc.doc_number)
    doc.doc_number = parsed.text
    doc.doc_number_prefix = parsed.prefix
    doc.doc_number_year = parsed.year
    doc.doc_number_serial = parsed.serial
    doc.doc_number_valid = parsed.valid
    doc.body = sanitize(doc.body)
    if doc.attribute != Attribute.PUBLIC and not doc.attribute_reason:
        raise ValidationError(
            {"attribute_reason": "依申请公开或不予公开须选择条例第十四至十六条的依据。"})
    if doc.attribute == Attribute.PUBLIC:
        doc.attribute_reason = ""
    if doc.node_id and doc.node.org_id != doc.org_id:
        raise ValidationError({"node": "所选栏目不属于发布机构的公开目录。"})
    if doc.is_regulatory and not doc.validity:
        doc.validity = Validity.VALID
    if doc.validity in (Validity.REPEALED, Validity.EXPIRED) and not doc.repealed_date:
        doc.repealed_date = timezone.localdate()
    if doc.validity in (Validity.VALID, Validity.AMENDED, Validity.NONE):
        doc.repealed_date = None
    _set_publish_by(doc)
    _refresh_text(doc)


def _set_publish_by(doc: Document) -> None:
    limit = doc.node.time_limit_wd if doc.node_id else rules.DEFAULT_LIMIT_WD
    doc.publish_by = rules.publish_by(get_calendar(), doc.written_date, limit)


def _revision(doc: Document, actor, action: str, note: str = "") -> DocumentRevision:
    last = doc.revisions.aggregate(n=Max("number"))["n"] or 0
    is_correction = action in ("edit", "attach", "detach") and doc.status == Status.PUBLISHED
    return DocumentRevision.objects.create(
        document=doc, number=last + 1, actor_label=audit.actor_label(actor), action=action,
        note=note[:500], is_correction=is_correction, data=audit.snapshot(doc, _REVISION_FIELDS),
    )


def _publish_now(doc: Document, actor, when) -> None:
    doc.status = Status.PUBLISHED
    doc.published_at = doc.published_at or when
    if not doc.index_number:
        year = (doc.written_date or timezone.localdate()).year
        doc.index_number = indexnumber.allocate(doc.org, year)
