"""Helpers shared by the 主动公开 services: field rules, revisions, change signals, and the
review binding (content hash of a revision, its authors, voiding a review on change)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from gongkai.core import audit
from gongkai.core.calendar import get_calendar
from gongkai.disclosure import docnumber, indexnumber, privacy, revision, rules
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


class StaleRevision(ValidationError):
    """The text changed after the reviewer opened it, so their approval does not cover it."""


# Fields a revision snapshot keeps and an edit may change.
EDITABLE_FIELDS = [
    "title", "doc_number", "written_date", "node_id", "topic", "genre", "summary", "attribute",
    "attribute_reason", "doc_type", "is_important", "registration_number", "validity",
    "effective_date", "expiry_date", "repealed_date", "body", "keywords", "issuer",
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
    doc.issuer = (doc.issuer or "").strip()
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
        content_hash=document_revision(doc),
    )


def _publish_now(doc: Document, actor, when) -> None:
    doc.status = Status.PUBLISHED
    doc.published_at = doc.published_at or when
    if not doc.index_number:
        year = (doc.written_date or timezone.localdate()).year
        doc.index_number = indexnumber.allocate(doc.org, year)


# --- review binding ------------------------------------------------------------------------

# Links a document names itself. ``related`` is left out: it is symmetric, so another
# document's edit changes it, and the public page lists only related documents that are
# public (reviewed) already.
_LINKS = ("co_issuers", "amends", "replaces")
INTERPRETATION_FIELDS = ["title", "kind", "body", "media_url"]
REOPEN_REASON = "提交审核后内容被修改，审核已失效，已退回草稿。请确认后重新提交审核。"


def _attachment_checksum(att) -> str:
    if att.sha256:
        return att.sha256
    try:  # attachments uploaded before checksums were kept
        with att.file.open("rb") as fh:
            return revision.checksum_stream(iter(lambda: fh.read(1 << 16), b""))
    except (OSError, ValueError):
        return f"missing:{att.file.name}"


def document_revision(doc: Document) -> str:
    """Content hash of ``doc`` as saved: everything that goes public with it."""
    fields = {f: getattr(doc, f) for f in EDITABLE_FIELDS}
    if not fields["issuer"]:  # added later: a document without one keeps its earlier hash
        del fields["issuer"]
    return revision.content_hash(revision.document_content(
        fields, org_id=doc.org_id,
        links={n: list(getattr(doc, n).values_list("pk", flat=True)) for n in _LINKS},
        attachments=[(a.name, a.kind, _attachment_checksum(a))
                     for a in doc.attachments.order_by("id")]))


def interpretation_revision(it: Interpretation) -> str:
    """Content hash of a 政策解读 as saved, including the documents it explains."""
    ids = list(it.documents.values_list("pk", flat=True)) if it.pk else []
    return revision.content_hash(revision.interpretation_content(
        {f: getattr(it, f) for f in INTERPRETATION_FIELDS}, org_id=it.org_id,
        document_ids=ids))


def authors(obj: Document | Interpretation) -> set[int]:
    """User ids of everyone who wrote part of the current text: none may approve it."""
    ids = set(obj.contributors.values_list("pk", flat=True))
    ids |= {obj.created_by_id, getattr(obj, "submitted_by_id", None)}
    return ids - {None}


def _contributed(obj: Document | Interpretation, actor) -> None:
    if getattr(actor, "pk", None):
        obj.contributors.add(actor)


def _reopen(doc: Document) -> bool:
    """A change to a pending or scheduled document voids its review: back to draft."""
    if doc.status not in (Status.PENDING, Status.SCHEDULED):
        return False
    doc.status = Status.DRAFT
    doc.scheduled_at = None
    doc.approved_hash = ""
    doc.reviewed_by = None
    doc.return_reason = REOPEN_REASON
    doc.save(update_fields=["status", "scheduled_at", "approved_hash", "reviewed_by",
                            "return_reason", "updated_at"])
    return True


def _check_revision(doc: Document, seen: str) -> str:
    """Refuse unless ``seen`` (the hash the reviewer's page showed) is the current text."""
    current = document_revision(doc)
    if seen and seen == current:
        return current
    numbers = doc.revisions.order_by("-number")
    seen_no = numbers.filter(content_hash=seen).values_list("number", flat=True).first() \
        if seen else None
    now_no = numbers.values_list("number", flat=True).first()
    saw = f"第{seen_no}版" if seen_no else "版本"
    now = f"现为第{now_no}版" if now_no else "内容已变化"
    if doc.status == Status.DRAFT:
        now += "，已退回草稿"
    raise StaleRevision(f"您审阅的{saw}已不是当前内容：文件在您打开审核页面后被修改（{now}）。"
                        "本次审核未生效，请重新打开审核页面审阅当前版本。")


def _check_interpretation_revision(it: Interpretation, seen: str | None) -> str:
    current = interpretation_revision(it)
    if seen and seen == current:
        return current
    raise StaleRevision(f"政策解读《{it.title}》在您打开页面后被修改，本次审核未生效。"
                        "请重新打开页面审阅当前内容。")
