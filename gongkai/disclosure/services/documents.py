"""Drafting documents: create, edit, attachments, redaction, submission, deletion.

先审后发: every change to the text records its author as a contributor to the revision
(who then may not approve it), and a change to a pending or scheduled document voids its
review and returns it to draft."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from gongkai.core import audit
from gongkai.core.models import Organization
from gongkai.core.permissions import can_edit, can_review, require
from gongkai.core.uploads import validate_upload
from gongkai.disclosure import privacy, revision
from gongkai.disclosure.extract import extract_text
from gongkai.disclosure.models import (
    Attachment,
    Document,
    Status,
)
from gongkai.disclosure.services.common import (
    _REVISION_FIELDS,
    REOPEN_REASON,
    _apply_fields,
    _changed,
    _contributed,
    _email_allow,
    _refresh_text,
    _reopen,
    _revision,
    document_revision,
)


@transaction.atomic
def create_document(*, actor, org: Organization, check_permission: bool = True,
                    co_issuers=None, related=None, amends=None, replaces=None,
                    **fields) -> Document:
    """A new draft of ``org``."""
    if check_permission:
        require(can_edit(actor, org), "您不能为该单位起草文件。")
    doc = Document(org=org, created_by=actor if getattr(actor, "pk", None) else None)
    _apply_fields(doc, fields)
    doc.save()
    _set_links(doc, co_issuers=co_issuers, related=related, amends=amends, replaces=replaces)
    _contributed(doc, actor)
    _revision(doc, actor, "create")
    audit.record(actor=actor, action="xxgk.document.create", target=doc,
                 changes=audit.diff({}, audit.snapshot(doc, ["title", "doc_number", "status"])))
    _changed(doc.pk)
    return doc


def _set_links(doc: Document, **links) -> None:
    for name, values in links.items():
        if values is not None:
            getattr(doc, name).set([v for v in values if getattr(v, "pk", v) != doc.pk])


@transaction.atomic
def update_document(*, actor, document: Document, note: str = "", co_issuers=None,
                    related=None, amends=None, replaces=None, **fields) -> Document:
    """Edit a document. After publication only a reviewer may correct it, with a note that the
    public page shows in its 更正/修改 history. Changing a pending or scheduled document
    voids its review: it returns to draft, whoever edits."""
    doc = Document.objects.select_for_update().get(pk=document.pk)
    require(can_edit(actor, doc.org), "您不能修改该单位的文件。")
    if doc.status in (Status.PUBLISHED, Status.WITHDRAWN):
        require(can_review(actor, doc.org), "已发布的文件只能由审核人更正。")
        if not note.strip():
            raise ValidationError({"note": "修改已发布的文件须填写更正说明。"})
    before = audit.snapshot(doc, _REVISION_FIELDS)
    before_hash = document_revision(doc)
    _apply_fields(doc, fields)
    doc.save()
    _set_links(doc, co_issuers=co_issuers, related=related, amends=amends, replaces=replaces)
    reopened = False
    if document_revision(doc) != before_hash:
        _contributed(doc, actor)
        reopened = _reopen(doc)
    _revision(doc, actor, "edit", note)
    summary = "；".join(x for x in [note.strip(), REOPEN_REASON if reopened else ""] if x)
    audit.record(actor=actor, action="xxgk.document.update", target=doc, summary=summary[:300],
                 changes=audit.diff(before, audit.snapshot(doc, _REVISION_FIELDS)))
    _changed(doc.pk)
    document.refresh_from_db()
    return doc


@transaction.atomic
def add_attachment(*, actor, document: Document, upload, name: str = "") -> Attachment:
    # Lock the document so a concurrent publish sees either no attachment or a voided review.
    document = Document.objects.select_for_update().get(pk=document.pk)
    require(can_edit(actor, document.org), "您不能修改该单位的文件。")
    if document.status in (Status.PUBLISHED, Status.WITHDRAWN):
        require(can_review(actor, document.org), "已发布的文件只能由审核人更正。")
    kind = validate_upload(upload)
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    att = Attachment(document=document, name=(name or upload.name)[:200], kind=kind,
                     size=upload.size, text=extract_text(data, kind),
                     sha256=revision.checksum(data))
    att.file.save(upload.name, upload, save=False)
    att.save()
    _refresh_text(document)
    Document.objects.filter(pk=document.pk).update(body_text=document.body_text)
    _contributed(document, actor)
    reopened = _reopen(document)
    _revision(document, actor, "attach", f"增加附件：{att.name}")
    audit.record(actor=actor, action="xxgk.attachment.add", target=document,
                 summary=f"上传附件：{att.name}" + (f"；{REOPEN_REASON}" if reopened else ""))
    _changed(document.pk)
    return att


@transaction.atomic
def remove_attachment(*, actor, attachment: Attachment) -> None:
    doc = Document.objects.select_for_update().get(pk=attachment.document_id)
    require(can_edit(actor, doc.org), "您不能修改该单位的文件。")
    if doc.status in (Status.PUBLISHED, Status.WITHDRAWN):
        require(can_review(actor, doc.org), "已发布的文件只能由审核人更正。")
    name = attachment.name
    attachment.file.delete(save=False)
    attachment.delete()
    _refresh_text(doc)
    Document.objects.filter(pk=doc.pk).update(body_text=doc.body_text)
    _contributed(doc, actor)
    reopened = _reopen(doc)
    _revision(doc, actor, "detach", f"删除附件：{name}")
    audit.record(actor=actor, action="xxgk.attachment.remove", target=doc,
                 summary=f"删除附件：{name}" + (f"；{REOPEN_REASON}" if reopened else ""))
    _changed(doc.pk)


@transaction.atomic
def redact_document(*, actor, document: Document) -> int:
    """Mask every personal-data hit in the title and body (attachments must be replaced).
    Returns how many hits were masked."""
    doc = Document.objects.select_for_update().get(pk=document.pk)
    require(can_edit(actor, doc.org), "您不能修改该单位的文件。")
    if doc.status in (Status.PUBLISHED, Status.WITHDRAWN):
        require(can_review(actor, doc.org), "已发布的文件只能由审核人更正。")
    allow = _email_allow()
    title_hits = privacy.scan(doc.title, allow)
    body_hits = privacy.scan(doc.body, allow)
    if not title_hits and not body_hits:
        return 0
    doc.title = privacy.redact(doc.title, title_hits)
    doc.body = privacy.redact(doc.body, body_hits)
    _refresh_text(doc)
    doc.save()
    _contributed(doc, actor)
    reopened = _reopen(doc)
    note = f"遮蔽个人信息：{privacy.summarize(title_hits + body_hits)}"
    _revision(doc, actor, "edit", note)
    audit.record(actor=actor, action="xxgk.document.redact", target=doc,
                 summary=note + (f"；{REOPEN_REASON}" if reopened else ""))
    _changed(doc.pk)
    return len(title_hits) + len(body_hits)


@transaction.atomic
def submit_document(*, actor, document: Document) -> Document:
    doc = Document.objects.select_for_update().get(pk=document.pk)
    require(can_edit(actor, doc.org), "您不能提交该单位的文件。")
    if doc.status != Status.DRAFT:
        raise ValidationError("只有草稿可以提交审核。")
    doc.status = Status.PENDING
    doc.submitted_by = actor
    doc.return_reason = ""
    doc.approved_hash = ""
    doc.save(update_fields=["status", "submitted_by", "return_reason", "approved_hash",
                            "updated_at"])
    _contributed(doc, actor)
    audit.record(actor=actor, action="xxgk.document.submit", target=doc,
                 changes={"status": {"before": "draft", "after": "pending"}})
    _changed(doc.pk)
    return doc


@transaction.atomic
def delete_draft(*, actor, document: Document) -> None:
    doc = Document.objects.select_for_update().get(pk=document.pk)
    require(can_edit(actor, doc.org), "您不能删除该单位的文件。")
    if doc.status != Status.DRAFT or doc.published_at:
        raise ValidationError("只能删除从未发布过的草稿。")
    pk = doc.pk
    audit.record(actor=actor, action="xxgk.document.delete", target=doc,
                 summary=f"删除草稿：{doc.title}")
    for att in doc.attachments.all():
        att.file.delete(save=False)
    doc.delete()
    _changed(pk, deleted=True)
