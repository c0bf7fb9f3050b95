"""The public record of answers (条例第四十四条) and the 依申请转主动 prompt."""

from __future__ import annotations

import datetime as dt
import difflib
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.api.models import PublicAnswer, RecordStatus
from gongkai.core import audit
from gongkai.core.permissions import can_edit, can_review, require
from gongkai.disclosure import privacy
from gongkai.foi.models import AnswerFile, Application
from gongkai.foi.models import Status as FoiStatus

DISCLOSED = ("3.1", "3.2")  # 予以公开, 部分公开: something was released
REPEAT_APPLICANTS = 3  # this many different applicants for the same information: prompt
REPEAT_SIMILARITY = 0.8
REPEAT_WINDOW_DAYS = 365


def check_question(app: Application, question: str) -> None:
    """The published question must not identify the applicant or carry personal data."""
    if not question.strip():
        raise ValidationError("请填写申请公开的信息。")
    problems = []
    for name in {app.applicant_name, app.contact_person} - {""}:
        if len(name) >= 2 and name in question:
            problems.append("不得包含申请人姓名或名称")
    if app.phone and re.sub(r"\D", "", app.phone) in re.sub(r"\D", "", question) and len(
            re.sub(r"\D", "", app.phone)) >= 7:
        problems.append("不得包含申请人联系电话")
    hits = privacy.scan(question)
    if hits:
        problems.append("含有个人信息：" + privacy.summarize(hits))
    if problems:
        raise ValidationError("公开的申请内容" + "；".join(problems) + "。")


@transaction.atomic
def propose(*, actor, application: Application, question: str,
            file_ids: list[int] | None = None) -> PublicAnswer:
    app = Application.objects.select_for_update().get(pk=application.pk)
    require(app.org is not None and can_edit(actor, app.org), "您不能处理该单位的申请。")
    if app.status != FoiStatus.CLOSED or app.result not in DISCLOSED:
        raise ValidationError("只有已办结且予以公开或部分公开的答复可以公开。")
    if PublicAnswer.objects.filter(application=app).exclude(
            status=RecordStatus.WITHDRAWN).exists():
        raise ValidationError("该答复已提交公开。")
    question = question.strip()[:2000]
    check_question(app, question)
    record, _ = PublicAnswer.objects.update_or_create(
        application=app, defaults={
            "org": app.org, "question": question, "answer_type": app.result_display(),
            "answered_on": app.closed_date, "status": RecordStatus.PENDING,
            "proposed_by": actor, "reviewed_by": None, "published_at": None})
    files = AnswerFile.objects.filter(application=app, pk__in=file_ids or [])
    record.files.set(files)
    audit.record(actor=actor, action="api.answer_propose", target=record, org=app.org,
                 changes={"application": app.number, "files": [f.pk for f in files]},
                 summary=f"提交公开申请答复：{app.number}")
    return record


@transaction.atomic
def publish(*, actor, record: PublicAnswer) -> PublicAnswer:
    record = PublicAnswer.objects.select_for_update().select_related("application").get(
        pk=record.pk)
    require(can_review(actor, record.org), "只有审核人可以公开答复。")
    if actor.pk == record.proposed_by_id:
        raise ValidationError("提交人不能审核自己提交的内容，请由其他审核人审核。")
    if record.status != RecordStatus.PENDING:
        raise ValidationError("该记录不在待审核状态。")
    check_question(record.application, record.question)  # the scan again, at publication
    for f in record.files.all():
        hits = privacy.scan(f.title)
        if hits:
            raise ValidationError(f"材料名称“{f.title}”含有个人信息，请处理后再公开。")
    record.status = RecordStatus.PUBLISHED
    record.reviewed_by = actor
    record.published_at = timezone.now()
    record.save()
    audit.record(actor=actor, action="api.answer_publish", target=record, org=record.org,
                 summary=f"公开申请答复：{record.application.number}")
    return record


@transaction.atomic
def withdraw(*, actor, record: PublicAnswer, reason: str) -> PublicAnswer:
    require(can_review(actor, record.org), "只有审核人可以撤回。")
    if not reason.strip():
        raise ValidationError("请填写撤回理由。")
    record.status = RecordStatus.WITHDRAWN
    record.save(update_fields=["status", "updated_at"])
    audit.record(actor=actor, action="api.answer_withdraw", target=record, org=record.org,
                 summary=f"撤回公开的申请答复：{reason.strip()[:200]}")
    return record


def _norm(text: str) -> str:
    return re.sub(r"[\s\W_]+", "", text or "").lower()


def repeat_prompts(org_ids, *, today: dt.date | None = None) -> list[dict]:
    """Groups of similar requests from at least REPEAT_APPLICANTS different applicants in
    the last year: the unit should consider publishing the information proactively
    (依申请转主动, 条例第四十四条)."""
    today = today or timezone.localdate()
    since = today - dt.timedelta(days=REPEAT_WINDOW_DAYS)
    qs = (Application.objects.filter(submitted_at__date__gte=since)
          .exclude(result__startswith="3.5").select_related("org").order_by("id"))
    if org_ids is not None:
        qs = qs.filter(org_id__in=org_ids)
    groups: list[dict] = []
    for app in qs:
        key = _norm(app.subject)
        if not key:
            continue
        who = app.id_hmac or _norm(app.applicant_name)
        for g in groups:
            if g["org"] == app.org_id and difflib.SequenceMatcher(
                    None, g["key"], key).ratio() >= REPEAT_SIMILARITY:
                g["apps"].append(app)
                g["applicants"].add(who)
                break
        else:
            groups.append({"org": app.org_id, "key": key, "subject": app.subject,
                           "apps": [app], "applicants": {who}})
    return [g for g in groups if len(g["applicants"]) >= REPEAT_APPLICANTS]
