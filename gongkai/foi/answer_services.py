"""Answers (答复): the files they provide and the letter of each answer type.

The letter's wording and legal basis come from :mod:`gongkai.foi.letter_texts` by the
answer type staff choose; staff supply facts and may add a paragraph, not the citation.
"""

from __future__ import annotations

import datetime as dt
import io

from django.core.exceptions import ValidationError
from django.db import transaction

from gongkai.core import audit
from gongkai.core.uploads import validate_upload
from gongkai.foi import letter_texts
from gongkai.foi.models import (
    AnswerFile,
    Application,
    Letter,
    Opinion,
    Status,
    answer_group,
    result_label,
)
from gongkai.foi.services import (
    AUDIT_FIELDS,
    _check_handler,
    _event,
    _f,
    _issuer,
    _not_future,
    _require_open,
    _require_received,
    _save,
    _today,
    issue_letter,
    letter_values,
)

FILE_KINDS = ("pdf", "docx", "xlsx", "png", "jpg")


def _pdf_pages(upload) -> int | None:
    from pypdf import PdfReader

    try:
        upload.seek(0)
        n = len(PdfReader(io.BytesIO(upload.read())).pages)
    except Exception:  # a damaged PDF: staff enter the count
        return None
    finally:
        upload.seek(0)
    return n


@transaction.atomic
def add_answer_file(*, actor, application: Application, title: str, upload=None,
                    link: str = "", pages: int | None = None) -> AnswerFile:
    """Attach what the answer provides: a file (pages counted for PDFs) or a published link."""
    app = Application.objects.select_for_update().get(pk=application.pk)
    _check_handler(actor, app)
    _require_open(app)
    if not title.strip():
        raise ValidationError("请填写材料名称。")
    if (upload is None) == (not link.strip()):
        raise ValidationError("请上传一个文件，或填写一个已公开文件的链接（二选一）。")
    if pages is not None and pages < 1:
        raise ValidationError("页数须为正整数。")
    item = AnswerFile(application=app, title=title.strip(), link=link.strip())
    if upload is not None:
        kind = validate_upload(upload, allowed=FILE_KINDS)
        if kind == "pdf":
            pages = _pdf_pages(upload) or pages
        elif kind in ("png", "jpg"):
            pages = pages or 1
        if pages is None:
            raise ValidationError("Word、Excel 文件请填写页数（按A4幅面计，用于计算信息处理费）。")
        item.file = upload
    item.pages = pages
    item.save()
    audit.record(actor=actor, action="foi.answer_file", target=app, org=app.org,
                 changes={"answer_file": {"before": None, "after": item.title}},
                 summary=f"添加答复材料：{item.title}"[:300])
    return item


@transaction.atomic
def remove_answer_file(*, actor, application: Application, file_id: int) -> None:
    app = Application.objects.select_for_update().get(pk=application.pk)
    _check_handler(actor, app)
    _require_open(app)
    item = AnswerFile.objects.filter(application=app, pk=file_id).first()
    if item is None:
        raise ValidationError("该材料不存在。")
    title = item.title
    if item.file:
        item.file.delete(save=False)
    item.delete()
    audit.record(actor=actor, action="foi.answer_file_removed", target=app, org=app.org,
                 changes={"answer_file": {"before": title, "after": None}},
                 summary=f"删除答复材料：{title}"[:300])


def _third_party_sentence(app: Application) -> str:
    """What the Art. 32 consultation gave, for an answer withholding under Art. 15."""
    c = app.consultations.filter(kind="third_party").exclude(opinion="").last()
    if c is None:
        return ""
    if c.opinion == Opinion.AGREE:
        raise ValidationError("第三方已同意公开，不能以保护第三方合法权益为由不予公开"
                              "（条例第十五条）。")
    if c.opinion == Opinion.OBJECT:
        return "本机关已书面征求第三方意见，第三方不同意公开并说明了理由"
    return "本机关已书面征求第三方意见，第三方逾期未提出意见"


def answer_values(app: Application) -> dict[str, str]:
    """The placeholders of an answer letter, remedies and provided files included."""
    from gongkai.foi.fee_services import payment_due

    values = letter_values(app)
    items = [(f.title, f.pages, f.link) for f in app.answer_files.all()]
    review, court = _issuer(app).remedy_bodies()
    values.update({
        "提供的信息": letter_texts.provided_list(items),
        "补正通知日期": _f(app.correction_notice_date),
        "收费通知日期": _f(app.fee_notice_date),
        "缴费期限": _f(payment_due(app)),
        "复议机关": review, "人民法院": court,
    })
    return values


def render(app: Application, answer_type: str, details: dict) -> tuple[str, str, str]:
    """Title, body and legal basis; a missing value becomes a ValidationError."""
    details = dict(details)
    t = letter_texts.ANSWER_TYPES.get(answer_type)
    ground = details.get("部分公开依据") if answer_type == "3.2" else (t.result if t else "")
    if ground == "3.3.4":
        details["第三方意见"] = _third_party_sentence(app)
    values = answer_values(app)
    prev = app.repeat_of if answer_type == "3.5.2" else None
    if prev is not None:
        values["前次答复"] = f"{_f(prev.closed_date)}，申请编号：{prev.number}"
    try:
        return letter_texts.render_answer(answer_type, values, details)
    except letter_texts.LetterError as exc:
        raise ValidationError(str(exc))


@transaction.atomic
def answer(*, actor, application: Application, answer_type: str, details: dict | None = None,
           answer_date: dt.date | None = None, repeat_of: Application | None = None) -> Letter:
    """Close an application with an answer type and issue its letter.

    ``details``: the values the type needs (see ``letter_texts.DETAIL_LABELS``) and an
    optional ``补充说明``. The result row and the legal basis follow from the type.
    """
    app = Application.objects.select_for_update().get(pk=application.pk)
    _check_handler(actor, app)
    _require_open(app)
    _require_received(app)
    t = letter_texts.ANSWER_TYPES.get(answer_type)
    if t is None or not t.staff_choosable:
        if t is not None:
            raise ValidationError("逾期不补正、逾期不缴费的申请由系统在期限届满后自动办结。")
        raise ValidationError("请选择答复类型。")
    if app.status in (Status.CONSULTING, Status.FEE):
        raise ValidationError("请先结束征求意见或收费程序，再作出答复。")
    if app.status == Status.CORRECTION:
        raise ValidationError("申请人尚未补正，不能作出答复。")
    answer_date = answer_date or _today()
    _not_future(answer_date, "答复日期")
    if answer_date < app.received_date:
        raise ValidationError("答复日期不能早于收到申请日期。")
    if t.result == "3.4.3" and not app.correction_received_date:
        raise ValidationError("只有发出补正通知并收到补正后的申请，才能以“补正后申请内容仍不明确”"
                              "答复。")
    details = {k: str(v).strip() for k, v in (details or {}).items()
               if k in (*letter_texts.DETAIL_LABELS, "补充说明") and v is not None}
    app.repeat_of = repeat_of if t.result == "3.5.2" else None
    title, body, basis = render(app, answer_type, details)
    before = audit.snapshot(app, AUDIT_FIELDS)
    app.result, app.answer_type, app.answer_details = t.result, answer_type, details
    app.legal_basis = basis
    app.answer_reason = details.get("理由", "")
    app.responsible_agency = details.get("负责机关", "")
    app.closed_date, app.status = answer_date, Status.CLOSED
    late = app.answer_due and answer_date > app.answer_due
    _event(app, date=answer_date, kind="answered",
           text=f"作出答复：{result_label(t.result)}。" + ("（超过答复期限）" if late else ""),
           actor=actor)
    _save(app, actor=actor, action="foi.answer", before=before,
          summary=f"答复：{t.label}"[:300])
    return issue_letter(actor=actor, application=app, kind=answer_group(t.result),
                        date=answer_date, content=(title, body), _audit=False)


@transaction.atomic
def close_abandoned(*, application: Application, result: str, today: dt.date) -> Application:
    """视为放弃: no correction in the period (3.6.1) or no payment in time (3.6.2)."""
    app = Application.objects.select_for_update().get(pk=application.pk)
    if not app.is_open or result not in ("3.6.1", "3.6.2"):
        return app
    before = audit.snapshot(app, AUDIT_FIELDS)
    app.result, app.answer_type, app.closed_date, app.status = (result, result, today,
                                                                 Status.CLOSED)
    title, body, basis = render(app, result, {})
    app.legal_basis = basis
    text = ("申请人逾期未补正，视为放弃申请，不再处理。" if result == "3.6.1"
            else "申请人逾期未按收费通知要求缴纳费用，视为放弃申请，不再处理。")
    _event(app, date=today, kind="abandoned", text=text)
    _save(app, actor=None, action="foi.abandoned", before=before, summary=text)
    issue_letter(actor=None, application=app, kind=answer_group(result), date=today,
                 content=(title, body), _audit=False, check_permission=False)
    return app
