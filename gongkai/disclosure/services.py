"""State changes of 主动公开. Each: keyword arguments, one transaction, one audit entry,
and ``document_changed`` / ``interpretation_changed`` on commit for every document and
政策解读 it touches."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from gongkai.core import audit
from gongkai.core.calendar import get_calendar
from gongkai.core.models import Organization
from gongkai.core.permissions import can_edit, can_review, is_coordinator, require
from gongkai.core.uploads import validate_upload
from gongkai.disclosure import docnumber, indexnumber, privacy, rules, textdiff
from gongkai.disclosure.directory import flatten
from gongkai.disclosure.extract import extract_text
from gongkai.disclosure.models import (
    Attachment,
    Attribute,
    DirectoryNode,
    DocType,
    Document,
    DocumentRevision,
    GazetteIssue,
    Interpretation,
    NodeKind,
    Regulation,
    RegulationVersion,
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


# --- directory -------------------------------------------------------------------------


@transaction.atomic
def seed_directory(*, actor, org: Organization, check_permission: bool = True) -> int:
    """Create the standard 公开目录 nodes ``org`` lacks; returns how many were added."""
    if check_permission:
        require(is_coordinator(actor), "只有公开办协调员可以编辑公开目录。")
    existing = {n.code: n for n in DirectoryNode.objects.filter(org=org)}
    added = 0
    for code, name, kind, limit, parent_code, order in flatten():
        if code in existing:
            continue
        existing[code] = DirectoryNode.objects.create(
            org=org, code=code, name=name, kind=kind, time_limit_wd=limit,
            parent=existing.get(parent_code) if parent_code else None, sort_order=order * 10,
        )
        added += 1
    audit.record(actor=actor, action="xxgk.directory.seed", org=org, target=org,
                 summary=f"{org.name}公开目录：新增 {added} 个栏目")
    return added


def ensure_directory(org: Organization) -> None:
    """Seed the directory once, for units that have none yet (system action)."""
    if not DirectoryNode.objects.filter(org=org).exists():
        seed_directory(actor=None, org=org, check_permission=False)


@transaction.atomic
def save_node(*, actor, org: Organization, node: DirectoryNode | None = None, name: str,
              code: str, parent: DirectoryNode | None = None, time_limit_wd: int = 20,
              kind: str = NodeKind.DOCUMENTS, description: str = "", sort_order: int = 100,
              is_active: bool = True) -> DirectoryNode:
    require(is_coordinator(actor), "只有公开办协调员可以编辑公开目录。")
    if parent is not None and parent.org_id != org.pk:
        raise ValidationError({"parent": "上级栏目须属于同一单位。"})
    if not 1 <= int(time_limit_wd) <= 20:
        raise ValidationError(
            {"time_limit_wd": "公开时限须在1至20个工作日之间（条例第二十六条）。"})
    if node is not None and parent is not None and parent.pk in node.descendant_ids():
        raise ValidationError({"parent": "不能把栏目移到它自己的下级。"})
    clash = DirectoryNode.objects.filter(org=org, code=code)
    if node is not None:
        clash = clash.exclude(pk=node.pk)
    if clash.exists():
        raise ValidationError({"code": "栏目代码已被使用。"})
    before = audit.snapshot(node, ["name", "code", "parent_id", "time_limit_wd", "kind",
                                   "is_active"]) if node else {}
    node = node or DirectoryNode(org=org)
    node.name, node.code, node.parent, node.time_limit_wd = name, code, parent, time_limit_wd
    node.kind, node.description, node.sort_order, node.is_active = (kind, description,
                                                                    sort_order, is_active)
    node.save()
    audit.record(actor=actor, action="xxgk.node.save", org=org, target=node,
                 changes=audit.diff(before, audit.snapshot(node, list(before) or [
                     "name", "code", "parent_id", "time_limit_wd", "kind", "is_active"])))
    return node


# --- documents -------------------------------------------------------------------------


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
    public page shows in its 更正/修改 history."""
    doc = Document.objects.select_for_update().get(pk=document.pk)
    require(can_edit(actor, doc.org), "您不能修改该单位的文件。")
    if doc.status in (Status.PUBLISHED, Status.WITHDRAWN, Status.SCHEDULED):
        require(can_review(actor, doc.org), "已发布的文件只能由审核人更正。")
        if not note.strip():
            raise ValidationError({"note": "修改已发布的文件须填写更正说明。"})
    before = audit.snapshot(doc, _REVISION_FIELDS)
    _apply_fields(doc, fields)
    doc.save()
    _set_links(doc, co_issuers=co_issuers, related=related, amends=amends, replaces=replaces)
    _revision(doc, actor, "edit", note)
    audit.record(actor=actor, action="xxgk.document.update", target=doc, summary=note[:300],
                 changes=audit.diff(before, audit.snapshot(doc, _REVISION_FIELDS)))
    _changed(doc.pk)
    document.refresh_from_db()
    return doc


@transaction.atomic
def add_attachment(*, actor, document: Document, upload, name: str = "") -> Attachment:
    require(can_edit(actor, document.org), "您不能修改该单位的文件。")
    if document.status in (Status.PUBLISHED, Status.WITHDRAWN):
        require(can_review(actor, document.org), "已发布的文件只能由审核人更正。")
    kind = validate_upload(upload)
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    att = Attachment(document=document, name=(name or upload.name)[:200], kind=kind,
                     size=upload.size, text=extract_text(data, kind))
    att.file.save(upload.name, upload, save=False)
    att.save()
    _refresh_text(document)
    Document.objects.filter(pk=document.pk).update(body_text=document.body_text)
    _revision(document, actor, "attach", f"增加附件：{att.name}")
    audit.record(actor=actor, action="xxgk.attachment.add", target=document,
                 summary=f"上传附件：{att.name}")
    _changed(document.pk)
    return att


@transaction.atomic
def remove_attachment(*, actor, attachment: Attachment) -> None:
    doc = attachment.document
    require(can_edit(actor, doc.org), "您不能修改该单位的文件。")
    if doc.status in (Status.PUBLISHED, Status.WITHDRAWN):
        require(can_review(actor, doc.org), "已发布的文件只能由审核人更正。")
    name = attachment.name
    attachment.file.delete(save=False)
    attachment.delete()
    _refresh_text(doc)
    Document.objects.filter(pk=doc.pk).update(body_text=doc.body_text)
    _revision(doc, actor, "detach", f"删除附件：{name}")
    audit.record(actor=actor, action="xxgk.attachment.remove", target=doc,
                 summary=f"删除附件：{name}")
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
    note = f"遮蔽个人信息：{privacy.summarize(title_hits + body_hits)}"
    _revision(doc, actor, "edit", note)
    audit.record(actor=actor, action="xxgk.document.redact", target=doc, summary=note)
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
    doc.save(update_fields=["status", "submitted_by", "return_reason", "updated_at"])
    audit.record(actor=actor, action="xxgk.document.submit", target=doc,
                 changes={"status": {"before": "draft", "after": "pending"}})
    _changed(doc.pk)
    return doc


def _check_reviewer(actor, doc: Document) -> None:
    require(can_review(actor, doc.org), "只有本单位审核人或公开办协调员可以审核。")
    own = {doc.created_by_id, doc.submitted_by_id} - {None}
    require(getattr(actor, "pk", None) not in own, "不能审核自己起草或提交的文件（先审后发）。")


@transaction.atomic
def return_document(*, actor, document: Document, reason: str) -> Document:
    doc = Document.objects.select_for_update().get(pk=document.pk)
    _check_reviewer(actor, doc)
    if doc.status != Status.PENDING:
        raise ValidationError("只有待审核的文件可以退回。")
    if not (reason or "").strip():
        raise ValidationError({"reason": "退回须填写理由。"})
    doc.status = Status.DRAFT
    doc.return_reason = reason.strip()[:500]
    doc.save(update_fields=["status", "return_reason", "updated_at"])
    audit.record(actor=actor, action="xxgk.document.return", target=doc, summary=reason[:300],
                 changes={"status": {"before": "pending", "after": "draft"}})
    _changed(doc.pk)
    return doc


def privacy_hits(doc: Document) -> list[privacy.Hit]:
    return privacy.scan(f"{doc.title}\n{doc.body_text}", _email_allow())


def publish_problems(doc: Document, *, privacy_reason: str = "", sync_reason: str = "",
                     with_interpretations=()) -> list[str]:
    """Why ``doc`` cannot be published now (empty list: it can)."""
    problems = []
    hits = privacy_hits(doc)
    if hits and not privacy_reason.strip():
        problems.append(f"发现疑似个人信息：{privacy.summarize(hits)}。请删除或遮蔽后再发布，"
                        "或填写确需公开的理由。")
    has_published = doc.pk is not None and doc.interpretations.filter(
        status=Status.PUBLISHED).exists()
    blocker = rules.sync_blocker(
        doc_type=doc.doc_type, is_important=doc.is_important, attribute=doc.attribute,
        has_published_interpretation=has_published,
        publishing_interpretation=bool(list(with_interpretations)), reason=sync_reason,
    )
    if blocker:
        problems.append(blocker)
    return problems


def _publish_now(doc: Document, actor, when) -> None:
    doc.status = Status.PUBLISHED
    doc.published_at = doc.published_at or when
    if not doc.index_number:
        year = (doc.written_date or timezone.localdate()).year
        doc.index_number = indexnumber.allocate(doc.org, year)


@transaction.atomic
def publish_document(*, actor, document: Document, privacy_reason: str = "",
                     sync_reason: str = "", with_interpretations=(), at=None) -> Document:
    """先审后发: a reviewer of the unit (never the drafter) publishes a pending document,
    now or at ``at``; linked draft interpretations in ``with_interpretations`` are published
    in the same action (三同步)."""
    doc = Document.objects.select_for_update().get(pk=document.pk)
    _check_reviewer(actor, doc)
    if doc.status != Status.PENDING:
        raise ValidationError("只有待审核的文件可以发布。")
    interps = list(with_interpretations)
    for it in interps:
        if not it.documents.filter(pk=doc.pk).exists():
            raise ValidationError("同步发布的解读须已关联本文件。")
        require(can_review(actor, it.org), "您不能发布该单位的政策解读。")
    problems = publish_problems(doc, privacy_reason=privacy_reason, sync_reason=sync_reason,
                                with_interpretations=interps)
    if problems:
        raise PublishBlocked(problems)
    now = timezone.now()
    doc.reviewed_by = actor
    doc.privacy_reason = privacy_reason.strip()[:500]
    doc.sync_reason = sync_reason.strip()[:500] if not interps else ""
    if at is not None and at > now:
        doc.status = Status.SCHEDULED
        doc.scheduled_at = at
    else:
        _publish_now(doc, actor, now)
    doc.save()
    for it in interps:
        if it.status != Status.PUBLISHED:
            it.status = Status.PUBLISHED
            it.published_at = doc.published_at or at or now
            it.reviewed_by = actor
            it.save(update_fields=["status", "published_at", "reviewed_by", "updated_at"])
            _interpretation_changed(it.pk)
    _revision(doc, actor, "publish" if doc.status == Status.PUBLISHED else "schedule")
    hits = privacy_hits(doc)
    audit.record(
        actor=actor, action="xxgk.document.publish" if doc.status == Status.PUBLISHED
        else "xxgk.document.schedule", target=doc,
        changes={"status": {"before": "pending", "after": doc.status},
                 "index_number": {"before": "", "after": doc.index_number},
                 "interpretations": {"before": [], "after": [it.title for it in interps]}},
        summary="；".join(x for x in [
            f"未同步解读理由：{doc.sync_reason}" if doc.sync_reason else "",
            f"个人信息检查：{privacy.summarize(hits)}，理由：{doc.privacy_reason}" if hits else "",
            f"定时发布：{at:%Y-%m-%d %H:%M}" if doc.status == Status.SCHEDULED else "",
        ] if x),
    )
    _changed(doc.pk)
    return doc


def publish_due(*, now=None) -> int:
    """Publish every scheduled document whose time has come (command / Celery beat)."""
    now = now or timezone.now()
    count = 0
    for pk in Document.objects.filter(status=Status.SCHEDULED, scheduled_at__lte=now
                                      ).values_list("pk", flat=True):
        if _publish_scheduled(document_id=pk, now=now):
            count += 1
    return count


@transaction.atomic
def _publish_scheduled(*, document_id: int, now) -> bool:
    doc = Document.objects.select_for_update().get(pk=document_id)
    if doc.status != Status.SCHEDULED:
        return False
    _publish_now(doc, None, doc.scheduled_at or now)
    doc.save()
    early = doc.interpretations.filter(status=Status.PUBLISHED,
                                       published_at__gt=doc.published_at)
    early_ids = list(early.values_list("pk", flat=True))
    early.update(published_at=doc.published_at)
    for pk in early_ids:
        _interpretation_changed(pk)
    _revision(doc, None, "publish")
    audit.record(actor=None, action="xxgk.document.publish", target=doc,
                 summary="定时发布", changes={"status": {"before": "scheduled",
                                                         "after": "published"}})
    _changed(doc.pk)
    return True


@transaction.atomic
def withdraw_document(*, actor, document: Document, reason: str) -> Document:
    """撤回: the record and its page stay; the page says it was withdrawn and why."""
    doc = Document.objects.select_for_update().get(pk=document.pk)
    require(can_review(actor, doc.org), "只有本单位审核人或公开办协调员可以撤回。")
    if doc.status not in (Status.PUBLISHED, Status.SCHEDULED):
        raise ValidationError("只有已发布或定时发布的文件可以撤回。")
    if not (reason or "").strip():
        raise ValidationError({"reason": "撤回须填写理由。"})
    before = doc.status
    doc.status = Status.WITHDRAWN if before == Status.PUBLISHED else Status.DRAFT
    doc.withdrawn_at = timezone.now() if before == Status.PUBLISHED else None
    doc.withdraw_reason = reason.strip()[:500]
    doc.scheduled_at = None
    doc.save()
    _revision(doc, actor, "withdraw", reason)
    audit.record(actor=actor, action="xxgk.document.withdraw", target=doc, summary=reason[:300],
                 changes={"status": {"before": before, "after": doc.status}})
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


# --- interpretations ---------------------------------------------------------------------


@transaction.atomic
def save_interpretation(*, actor, org: Organization, interpretation: Interpretation | None = None,
                        title: str, kind: str, body: str = "", media_url: str = "",
                        documents=()) -> Interpretation:
    """Create or edit a 政策解读 linked to documents the actor may see."""
    require(can_edit(actor, org), "您不能为该单位编写政策解读。")
    if interpretation is not None and interpretation.status == Status.PUBLISHED:
        require(can_review(actor, org), "已发布的解读只能由审核人修改。")
    if not (title or "").strip():
        raise ValidationError({"title": "请填写标题。"})
    docs = list(documents)
    for d in docs:
        require(can_edit(actor, d.org), "只能关联本单位可见的文件。")
    it = interpretation or Interpretation(org=org, created_by=actor)
    before = audit.snapshot(it, ["title", "kind", "media_url", "status"]) if it.pk else {}
    it.title, it.kind, it.media_url = title.strip(), kind, media_url
    it.body = sanitize(body)
    it.body_text = plain_text(it.body)
    it.save()
    it.documents.set(docs)
    audit.record(actor=actor, action="xxgk.interpretation.save", target=it, org=org,
                 changes=audit.diff(before, audit.snapshot(it, ["title", "kind", "media_url",
                                                                "status"])))
    for d in docs:
        _changed(d.pk)
    _interpretation_changed(it.pk)
    return it


@transaction.atomic
def publish_interpretation(*, actor, interpretation: Interpretation) -> Interpretation:
    it = Interpretation.objects.select_for_update().get(pk=interpretation.pk)
    require(can_review(actor, it.org), "只有本单位审核人或公开办协调员可以发布解读。")
    require(it.created_by_id != getattr(actor, "pk", None), "不能审核自己编写的解读（先审后发）。")
    hits = privacy.scan(f"{it.title}\n{it.body_text}", _email_allow())
    if hits:
        raise PublishBlocked([f"发现疑似个人信息：{privacy.summarize(hits)}。请删除后再发布。"])
    before = it.status
    it.status = Status.PUBLISHED
    it.published_at = it.published_at or timezone.now()
    it.reviewed_by = actor
    it.save()
    audit.record(actor=actor, action="xxgk.interpretation.publish", target=it, org=it.org,
                 changes={"status": {"before": before, "after": "published"}})
    for pk in it.documents.values_list("pk", flat=True):
        _changed(pk)
    _interpretation_changed(it.pk)
    return it


@transaction.atomic
def withdraw_interpretation(*, actor, interpretation: Interpretation, reason: str
                            ) -> Interpretation:
    it = Interpretation.objects.select_for_update().get(pk=interpretation.pk)
    require(can_review(actor, it.org), "只有本单位审核人或公开办协调员可以撤回解读。")
    if not (reason or "").strip():
        raise ValidationError({"reason": "撤回须填写理由。"})
    it.status = Status.WITHDRAWN
    it.save(update_fields=["status", "updated_at"])
    audit.record(actor=actor, action="xxgk.interpretation.withdraw", target=it, org=it.org,
                 summary=reason[:300])
    for pk in it.documents.values_list("pk", flat=True):
        _changed(pk)
    _interpretation_changed(it.pk)
    return it


# --- 政府公报 ------------------------------------------------------------------------------


@transaction.atomic
def save_gazette_issue(*, actor, year: int, number: int, title: str = "",
                       published_on: dt.date | None = None, documents=(),
                       is_published: bool = True, check_permission: bool = True
                       ) -> GazetteIssue:
    if check_permission:
        require(is_coordinator(actor), "只有公开办协调员可以编辑政府公报。")
    docs = list(documents)
    if is_published and any(not d.is_public() for d in docs):
        raise ValidationError("公报只能刊载已主动公开的文件。")
    issue, created = GazetteIssue.objects.update_or_create(
        year=year, number=number,
        defaults={"title": title, "published_on": published_on, "is_published": is_published})
    issue.documents.set(docs)
    audit.record(actor=actor, action="xxgk.gazette.save", target=issue,
                 summary=f"{'新建' if created else '修改'}{issue}，{len(docs)} 件文件")
    return issue


# --- 法规库 --------------------------------------------------------------------------------


@transaction.atomic
def import_regulation_version(*, actor, title: str, collection: str = "",
                              date: dt.date | None = None, header: str = "", body: str = "",
                              external_id: str | None = None, source_path: str = ""
                              ) -> tuple[RegulationVersion, str]:
    """Add an official text. A later text of the same title supersedes the current copy,
    which stays as history. Returns (version, outcome) with outcome one of
    ``created`` / ``superseded`` / ``history`` / ``unchanged``."""
    title = (title or "").strip()
    if not title:
        raise ValidationError("法规名称不能为空。")
    reg, _ = Regulation.objects.get_or_create(title=title, defaults={"collection": collection})
    if external_id:
        existing = RegulationVersion.objects.filter(external_id=external_id).first()
        if existing is not None:
            existing.header, existing.body, existing.date = header, body, date
            existing.source_path = source_path
            existing.save()
            audit.record(actor=actor, action="xxgk.regulation.update", target=reg,
                         summary=f"更新法规文本（{date or '日期不详'}）")
            return existing, "unchanged"
    same = reg.versions.filter(date=date, body=body).first()
    if same is not None:
        audit.record(actor=actor, action="xxgk.regulation.same", target=reg,
                     summary="文本与已有版本相同，未新增版本")
        return same, "unchanged"
    current = reg.versions.filter(is_current=True).first()
    newer = current is None or (date is not None and (current.date is None
                                                      or date > current.date))
    version = RegulationVersion.objects.create(
        regulation=reg, external_id=external_id or None, date=date, header=header, body=body,
        source_path=source_path, is_current=newer,
    )
    if newer and current is not None:
        RegulationVersion.objects.filter(pk=current.pk).update(is_current=False)
    outcome = "created" if current is None else ("superseded" if newer else "history")
    audit.record(actor=actor, action=f"xxgk.regulation.{outcome}", target=reg,
                 summary=f"{title}（{date or '日期不详'}）")
    return version, outcome


def version_diff(old: RegulationVersion, new: RegulationVersion) -> list[textdiff.Row]:
    """Changed lines between two versions of a regulation (header and body)."""
    return textdiff.diff(old.header + "\n" + old.body, new.header + "\n" + new.body)


# --- annual reports (called by the reports app) --------------------------------------------


@transaction.atomic
def publish_annual_report(*, actor, org: Organization, year: int, title: str, body: str,
                          external_id: str | None = None) -> Document:
    """Publish the year's 政府信息公开年报 of ``org`` into its 公开年报 node (reports app).

    Compiled from the platform's own records, so the reviewer who publishes it is also its
    author; re-publishing the same year replaces the text and keeps a correction record."""
    require(can_review(actor, org), "只有本单位审核人或公开办协调员可以发布年报。")
    ensure_directory(org)
    node = DirectoryNode.objects.filter(org=org, kind=NodeKind.ANNUAL_REPORT).first()
    external_id = external_id or f"annual-report:{org.code}:{year}"
    doc = Document.objects.filter(external_id=external_id).first()
    now = timezone.now()
    if doc is None:
        doc = Document(org=org, external_id=external_id, created_by=actor, genre="报告",
                       topic="综合政务")
        action = "xxgk.annual_report.publish"
    else:
        action = "xxgk.annual_report.update"
    was_published = doc.pk is not None and doc.status == Status.PUBLISHED
    _apply_fields(doc, {"title": title, "body": body, "node": node,
                        "written_date": doc.written_date or timezone.localdate()})
    doc.reviewed_by = actor
    _publish_now(doc, actor, now)
    doc.save()
    last = doc.revisions.aggregate(n=Max("number"))["n"] or 0
    DocumentRevision.objects.create(
        document=doc, number=last + 1, actor_label=audit.actor_label(actor),
        action="edit" if was_published else "publish", is_correction=was_published,
        note="更新年度报告" if was_published else "",
        data=audit.snapshot(doc, _REVISION_FIELDS))
    audit.record(actor=actor, action=action, target=doc, summary=f"{year}年度报告")
    _changed(doc.pk)
    return doc


def regulatory_counts(org: Organization, year: int) -> dict[str, dict[str, int]]:
    """Annual report table 第二十条第（一）项 for ``org``: per 规章 / 行政规范性文件, the
    number issued in ``year`` (by 成文日期), repealed or expired in ``year``, and valid at
    year end. Counts documents the unit published (withdrawn ones excluded)."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    base = Document.objects.filter(org=org, status=Status.PUBLISHED)
    out = {}
    for doc_type in (DocType.REGULATION, DocType.NORMATIVE):
        qs = base.filter(doc_type=doc_type)
        out[doc_type.value] = {
            "issued": qs.filter(written_date__range=(start, end)).count(),
            "repealed": qs.filter(repealed_date__range=(start, end)).count(),
            "valid": qs.valid_on(end).count(),
        }
    return out


# --- import ------------------------------------------------------------------------------


def _published_at(day: dt.date):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))


@transaction.atomic
def import_record(*, actor, record: dict, default_org: Organization | None = None
                  ) -> tuple[Document, str]:
    """Upsert one imported document by ``external_id`` (system action, no permission check:
    the command runs with server access). Returns (document, outcome) with outcome
    ``created`` / ``updated`` / ``unchanged``. A 主动公开 record with a ``published`` date is
    published at once."""
    from gongkai.disclosure.models import TOPICS

    org = default_org
    if record.get("org"):
        org = Organization.objects.filter(code=record["org"]).first()
        if org is None:
            raise ValidationError(f"unknown org code {record['org']!r}")
    org = org or Organization.root()
    if org is None:
        raise ValidationError("no root unit: run `gongkai orgs import` or `gongkai demo` first")
    doc = Document.objects.select_for_update().filter(external_id=record["external_id"]).first()
    created = doc is None
    if created:
        doc = Document(org=org, external_id=record["external_id"])
    before = audit.snapshot(doc, _REVISION_FIELDS + ["org_id", "published_at"])
    node = None
    category = record.get("category") or ""
    if category:
        node = DirectoryNode.objects.filter(org=org).filter(
            Q(code=category) | Q(name=category)).first()
    doc_type = record.get("doc_type") or doc.doc_type or DocType.OTHER
    if doc_type not in DocType.values:
        raise ValidationError(f"doc_type: unknown value {doc_type!r}")
    doc.org = org
    fields = {
        "title": record["title"], "body": record["body"], "doc_number": record["doc_number"],
        "written_date": record.get("written") or record.get("published"),
        "attribute": record["attribute"], "attribute_reason": record.get("attribute_reason", ""),
        "validity": record.get("validity", ""), "doc_type": doc_type, "node": node,
        "topic": category if (node is None and category in TOPICS) else doc.topic,
    }
    for extra in ("topic", "genre", "keywords", "is_important", "summary"):
        if extra in record:
            fields[extra] = record[extra]
    if "genre" not in fields and (not doc.genre or doc.genre == "其他"):
        fields["genre"] = next((g for g in ("通知", "意见", "办法", "决定", "规定", "方案", "公告",
                                            "通告", "报告") if g in record["title"][-8:]), "其他")
    _apply_fields(doc, fields)
    # A withdrawn document stays withdrawn: re-importing must not silently republish it.
    publish = (record.get("published") and doc.attribute == Attribute.PUBLIC
               and doc.status != Status.WITHDRAWN)
    if publish and doc.status != Status.PUBLISHED:
        doc.published_at = _published_at(record["published"])
        _publish_now(doc, actor, doc.published_at)
    elif publish:
        doc.published_at = _published_at(record["published"])
    after = audit.snapshot(doc, _REVISION_FIELDS + ["org_id", "published_at"])
    changes = audit.diff(before, after)
    if not created and not changes:
        return doc, "unchanged"
    doc.save()
    _revision(doc, actor, "import" if created else "edit",
              "" if created else "按导入数据更新")
    audit.record(actor=actor, action="xxgk.document.import", target=doc,
                 summary=f"{'导入' if created else '更新'}：{record['external_id']}",
                 changes={k: v for k, v in changes.items() if k not in ("body",)})
    _changed(doc.pk)
    return doc, "created" if created else "updated"


@transaction.atomic
def import_interpretation(*, actor, org: Organization, title: str, kind: str, body: str,
                          documents, published_at=None) -> tuple[Interpretation, bool]:
    """Upsert a published interpretation by (org, title) for imports and demo data."""
    it = Interpretation.objects.filter(org=org, title=title).first()
    created = it is None
    it = it or Interpretation(org=org, title=title)
    it.kind = kind
    it.body = sanitize(body)
    it.body_text = plain_text(it.body)
    it.status = Status.PUBLISHED
    it.published_at = it.published_at or published_at or timezone.now()
    it.save()
    docs = list(documents)
    it.documents.set(docs)
    audit.record(actor=actor, action="xxgk.interpretation.import", target=it, org=org,
                 summary=f"{'导入' if created else '更新'}政策解读")
    for d in docs:
        _changed(d.pk)
    _interpretation_changed(it.pk)
    return it, created
