"""State changes of 依申请公开: keyword arguments, one transaction, one audit entry each.

Errors a user can fix raise ``django.core.exceptions.ValidationError`` with a Chinese
message; permission failures raise ``PermissionDenied``.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import replace
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from gongkai.core import audit
from gongkai.core.calendar import get_calendar
from gongkai.core.models import Organization
from gongkai.core.permissions import (
    can_edit,
    can_review,
    is_coordinator,
    is_staff_member,
    require,
)
from gongkai.core.sequences import next_value
from gongkai.core.uploads import original_name
from gongkai.foi import clock, crypto, fees, letters
from gongkai.foi.models import (
    AppealRecord,
    ApplicantType,
    Application,
    Channel,
    Consultation,
    Event,
    Letter,
    LetterKind,
    LetterTemplate,
    QualityCheck,
    Status,
    SupervisionNotice,
)

# Fields of an application safe to put in the audit log (no personal data).
AUDIT_FIELDS = ["status", "org_id", "received_date", "answer_due", "result", "closed_date",
                "extension_days", "fee_amount", "correction_notice_date",
                "correction_received_date"]


def _today() -> dt.date:
    return timezone.localdate()


def _f(d: dt.date | None) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if d else ""


def _event(app: Application, *, date: dt.date, kind: str, text: str, actor=None,
           public: bool = True) -> Event:
    return Event.objects.create(application=app, date=date, kind=kind, text=text[:500],
                                public=public,
                                actor=actor if getattr(actor, "is_authenticated", False)
                                else None)


def _check_handler(actor, app: Application) -> None:
    require(is_staff_member(actor), "只有工作人员可以办理申请。")
    if app.org_id is None:
        require(is_coordinator(actor), "该申请尚未分办，只有公开办可以办理。")
    else:
        require(can_edit(actor, app.org_id) or is_coordinator(actor),
                "您没有权限办理该申请。")


def _require_open(app: Application) -> None:
    if not app.is_open:
        raise ValidationError("该申请已办结，不能再办理。")


def _require_received(app: Application) -> None:
    if app.received_date is None:
        raise ValidationError("请先确认收到申请。")


def _not_future(d: dt.date, what: str) -> None:
    if d > _today():
        raise ValidationError(f"{what}不能晚于今天。")


def _recompute(app: Application, data: clock.ClockInput | None = None) -> clock.ClockResult:
    """Recompute and store the clock; a ClockError becomes a ValidationError."""
    try:
        result = app.compute_clock(get_calendar(), data=data)
    except clock.ClockError as exc:
        raise ValidationError(str(exc))
    app.apply_clock(result)
    return result


def _save(app: Application, *, actor, action: str, before: dict, summary: str) -> None:
    app.save()
    audit.record(actor=actor, action=action, target=app, org=app.org,
                 changes=audit.diff(before, audit.snapshot(app, AUDIT_FIELDS)),
                 summary=summary)


def _new_number(year: int) -> tuple[str, int]:
    """The next number; skips numbers already taken (e.g. by imported history)."""
    pattern = getattr(settings, "GONGKAI_APPLICATION_NUMBER_PATTERN",
                      "依申请〔{year}〕{serial}号")
    while True:
        serial = next_value(f"foi.application.{year}")
        number = pattern.format(year=year, serial=serial)
        if not Application.objects.filter(number=number).exists():
            return number, serial


def _issuer(app: Application) -> Organization:
    return app.addressee


# ---------------------------------------------------------------- intake

APPLICANT_FIELDS = ("applicant_type", "applicant_name", "id_type", "contact_person", "phone",
                    "email", "address", "postcode", "subject", "doc_number", "description",
                    "forms_wanted", "delivery")


def _build(*, data: dict, channel: str, addressee: Organization, org: Organization | None,
           identity_proof=None) -> tuple[Application, str]:
    year = _today().year
    number, serial = _new_number(year)
    code = crypto.new_tracking_code()
    app = Application(number=number, year=year, serial=serial, channel=channel,
                      addressee=addressee, org=org,
                      tracking_code_hash=crypto.tracking_hash(code))
    for name in APPLICANT_FIELDS:
        if name in data and data[name] is not None:
            setattr(app, name, data[name])
    if data.get("applicant_type") != ApplicantType.NATURAL_PERSON:
        app.id_type = ""
    app.set_id_number(data.get("id_number") or data.get("credit_code") or "")
    if identity_proof is not None:
        app.identity_proof = identity_proof
        app.identity_proof_name = original_name(identity_proof)
    return app, code


@transaction.atomic
def submit_online(*, data: dict, addressee: Organization, identity_proof=None
                  ) -> tuple[Application, str]:
    """A citizen files online. Returns the application and its tracking code (shown once).

    It goes to the unit the applicant chose (the district government's go to the office
    for routing). Art. 31(三): the receipt date is fixed later, when that unit confirms.
    """
    root = Organization.root()
    org = None if root is not None and addressee.pk == root.pk else addressee
    app, code = _build(data=data, channel=Channel.ONLINE, addressee=addressee, org=org,
                       identity_proof=identity_proof)
    app.status = Status.SUBMITTED
    app.save()
    _event(app, date=_today(), kind="submitted",
           text=f"网上提交申请，申请编号{app.number}，等待{addressee.name}确认收到。")
    audit.record(actor=None, action="foi.submit", target=app, org=org,
                 changes=audit.diff({}, audit.snapshot(app, ["status", "channel", "org_id"])),
                 summary="网上提交政府信息公开申请")
    return app, code


@transaction.atomic
def register_application(*, actor, data: dict, channel: str, received_date: dt.date,
                         addressee: Organization, org: Organization | None = None,
                         identity_proof=None) -> tuple[Application, str]:
    """Staff register an application that came in person, by post, letter or fax."""
    require(is_staff_member(actor), "只有工作人员可以登记申请。")
    if channel == Channel.ONLINE or channel not in Channel.values:
        raise ValidationError("请选择当面、邮寄、平常信函或传真。")
    if org is None and not is_coordinator(actor):
        org = actor.staff_profile.org
    if org is not None:
        require(can_edit(actor, org) or is_coordinator(actor), "您不能为该单位登记申请。")
    _not_future(received_date, "收到申请日期")
    app, code = _build(data=data, channel=channel, addressee=addressee, org=org,
                       identity_proof=identity_proof)
    app.received_date = received_date
    app.status = Status.PROCESSING
    _recompute(app)
    app.save()
    _event(app, date=received_date, kind="received",
           text=f"收到申请（{Channel(channel).label}），答复期限为{_f(app.answer_due)}。",
           actor=actor)
    audit.record(actor=actor, action="foi.register", target=app, org=org,
                 changes=audit.diff({}, audit.snapshot(app, AUDIT_FIELDS)),
                 summary=f"登记{Channel(channel).label}申请")
    issue_letter(actor=actor, application=app, kind=LetterKind.RECEIPT, date=received_date,
                 _audit=False, check_permission=False)
    return app, code


@transaction.atomic
def confirm_receipt(*, actor, application: Application, received_date: dt.date | None = None
                    ) -> Application:
    """The office confirms an online application; that day is the receipt date (Art. 31)."""
    app = Application.objects.select_for_update().get(pk=application.pk)
    _check_handler(actor, app)
    if app.status != Status.SUBMITTED:
        raise ValidationError("该申请已确认收到。")
    received_date = received_date or _today()
    _not_future(received_date, "确认日期")
    if received_date < timezone.localtime(app.submitted_at).date():
        raise ValidationError("确认日期不能早于申请提交日期。")
    before = audit.snapshot(app, AUDIT_FIELDS)
    app.received_date = received_date
    app.status = Status.PROCESSING
    _recompute(app)
    _event(app, date=received_date, kind="received",
           text=f"确认收到申请（收到申请之日），答复期限为{_f(app.answer_due)}。", actor=actor)
    _save(app, actor=actor, action="foi.confirm", before=before, summary="确认收到申请")
    issue_letter(actor=actor, application=app, kind=LetterKind.RECEIPT, date=received_date,
                 _audit=False)
    return app


@transaction.atomic
def assign(*, actor, application: Application, org: Organization, note: str = ""
           ) -> Application:
    """The coordinator routes (or transfers) an application to the unit holding the info."""
    require(is_coordinator(actor), "只有公开办可以分办或转办申请。")
    app = Application.objects.select_for_update().get(pk=application.pk)
    _require_open(app)
    before = audit.snapshot(app, AUDIT_FIELDS)
    previous = app.org
    app.org = org
    verb = "转办" if previous else "分办"
    _event(app, date=_today(), kind="assigned", text=f"{verb}至{org.name}办理。", actor=actor,
           public=False)
    _save(app, actor=actor, action="foi.assign", before=before,
          summary=f"{verb}至{org.name}" + (f"：{note}" if note else ""))
    return app


@transaction.atomic
def return_to_office(*, actor, application: Application, reason: str) -> Application:
    """A unit sends an application back to the coordinator, with a reason."""
    app = Application.objects.select_for_update().get(pk=application.pk)
    _check_handler(actor, app)
    _require_open(app)
    if app.org_id is None:
        raise ValidationError("该申请尚未分办。")
    if not reason.strip():
        raise ValidationError("请说明退回理由。")
    before = audit.snapshot(app, AUDIT_FIELDS)
    unit = app.org
    app.org = None
    _event(app, date=_today(), kind="returned", text=f"{unit.name}退回公开办：{reason}",
           actor=actor, public=False)
    _save(app, actor=actor, action="foi.return", before=before, summary=f"{unit.name}退回")
    return app


# ---------------------------------------------------------------- clock events

@transaction.atomic
def request_correction(*, actor, application: Application, notice_date: dt.date, items: str,
                       deadline: dt.date) -> Application:
    app = Application.objects.select_for_update().get(pk=application.pk)
    _check_handler(actor, app)
    _require_open(app)
    _require_received(app)
    if app.correction_notice_date:
        raise ValidationError("补正通知只能发出一次，应一次性告知需要补正的全部事项。")
    if not items.strip():
        raise ValidationError("请列明需要补正的事项。")
    _not_future(notice_date, "补正通知日期")
    before = audit.snapshot(app, AUDIT_FIELDS)
    app.correction_notice_date, app.correction_items = notice_date, items.strip()
    app.correction_deadline = deadline
    _recompute(app)
    app.status = Status.CORRECTION
    _event(app, date=notice_date, kind="correction",
           text=f"发出补正通知，请于{_f(deadline)}前补正；答复期限自收到补正材料之日起重新计算。",
           actor=actor)
    _save(app, actor=actor, action="foi.correction", before=before, summary="发出补正通知")
    issue_letter(actor=actor, application=app, kind=LetterKind.CORRECTION, date=notice_date,
                 _audit=False)
    return app


@transaction.atomic
def receive_correction(*, actor, application: Application, date: dt.date) -> Application:
    app = Application.objects.select_for_update().get(pk=application.pk)
    _check_handler(actor, app)
    _require_open(app)
    if app.status != Status.CORRECTION:
        raise ValidationError("该申请不在待补正状态。")
    _not_future(date, "收到补正日期")
    before = audit.snapshot(app, AUDIT_FIELDS)
    app.correction_received_date = date
    _recompute(app)
    app.status = Status.PROCESSING
    _event(app, date=date, kind="corrected",
           text=f"收到补正后的申请，答复期限重新计算至{_f(app.answer_due)}。", actor=actor)
    _save(app, actor=actor, action="foi.corrected", before=before, summary="收到补正材料")
    return app


def _status_after_pause(app: Application) -> str:
    if app.consultations.filter(reply_date__isnull=True).exists():
        return Status.CONSULTING
    if app.fee_notice_date and not app.fee_paid_date:
        return Status.FEE
    return Status.PROCESSING


@transaction.atomic
def start_consultation(*, actor, application: Application, kind: str, party: str,
                       sent_date: dt.date) -> Consultation:
    """Art. 32/34: the clock pauses from the day after the letter until the answer."""
    app = Application.objects.select_for_update().get(pk=application.pk)
    _check_handler(actor, app)
    _require_open(app)
    _require_received(app)
    if app.status == Status.CORRECTION:
        raise ValidationError("申请人尚未补正，不能征求意见。")
    if not party.strip():
        raise ValidationError("请填写被征求意见方。")
    _not_future(sent_date, "发出征询日期")
    before = audit.snapshot(app, AUDIT_FIELDS)
    data = app.clock_input()
    _recompute(app, data=replace(data, pauses=(*data.pauses, clock.Pause(kind, sent_date))))
    consultation = Consultation.objects.create(
        application=app, kind=kind, party=party.strip(), sent_date=sent_date,
        reply_due=get_calendar().add(sent_date, clock.CONSULTATION_WD))
    _recompute(app)
    app.status = Status.CONSULTING
    label = "第三方" if kind == clock.PAUSE_CONSULT_THIRD_PARTY else "有关机关"
    _event(app, date=sent_date, kind="consultation",
           text=f"书面征求{label}意见（对方应于{_f(consultation.reply_due)}前答复），"
                "征求意见期间不计入答复期限。", actor=actor)
    _save(app, actor=actor, action="foi.consult", before=before,
          summary=f"征求{label}意见")
    issue_letter(actor=actor, application=app, kind=LetterKind.CONSULTATION, date=sent_date,
                 _audit=False)
    return consultation


@transaction.atomic
def end_consultation(*, actor, consultation: Consultation, reply_date: dt.date, opinion: str,
                     note: str = "") -> Consultation:
    app = Application.objects.select_for_update().get(pk=consultation.application_id)
    _check_handler(actor, app)
    _require_open(app)
    c = Consultation.objects.get(pk=consultation.pk)
    if c.reply_date:
        raise ValidationError("该征询已经结束。")
    _not_future(reply_date, "征询结束日期")
    if reply_date < c.sent_date:
        raise ValidationError("征询结束日期不能早于发出日期。")
    before = audit.snapshot(app, AUDIT_FIELDS)
    c.reply_date, c.opinion, c.note = reply_date, opinion, note
    c.save()
    _recompute(app)
    app.status = _status_after_pause(app)
    _event(app, date=reply_date, kind="consultation_end",
           text=f"征求意见结束，答复期限顺延至{_f(app.answer_due)}。", actor=actor)
    _save(app, actor=actor, action="foi.consult_end", before=before, summary="征求意见结束")
    return c


@transaction.atomic
def extend(*, actor, application: Application, days: int, approved_on: dt.date, reason: str
           ) -> Application:
    """Art. 33(2): one extension, at most 20 WD, approved before the due date in force."""
    app = Application.objects.select_for_update().get(pk=application.pk)
    _check_handler(actor, app)
    _require_open(app)
    _require_received(app)
    if app.extension_days:
        raise ValidationError("答复期限只能延长一次。")
    if not reason.strip():
        raise ValidationError("请填写延期理由。")
    _not_future(approved_on, "批准日期")
    before = audit.snapshot(app, AUDIT_FIELDS)
    app.extension_days, app.extension_approved_on = days, approved_on
    app.extension_reason = reason.strip()
    _recompute(app)
    _event(app, date=approved_on, kind="extension",
           text=f"经政府信息公开工作机构负责人同意，答复期限延长{days}个工作日，"
                f"至{_f(app.answer_due)}。", actor=actor)
    _save(app, actor=actor, action="foi.extend", before=before, summary=f"延期{days}个工作日")
    issue_letter(actor=actor, application=app, kind=LetterKind.EXTENSION, date=approved_on,
                 _audit=False)
    return app


def applications_in_month(app: Application, when: dt.date) -> int:
    """How many applications this applicant filed in ``when``'s calendar month, this one
    included (按件计收, by identity number or credit code)."""
    if not app.id_hmac:
        return 1
    start = when.replace(day=1)
    end = (start + dt.timedelta(days=32)).replace(day=1)
    qs = Application.objects.filter(id_hmac=app.id_hmac).filter(
        Q(received_date__gte=start, received_date__lt=end) | Q(pk=app.pk))
    earlier = qs.filter(Q(received_date__lt=app.received_date) |
                        Q(received_date=app.received_date, pk__lte=app.pk))
    return max(earlier.count(), 1)


# ---------------------------------------------------------------- answers

def find_repeat(app: Application, threshold: float = 0.8) -> Application | None:
    """An answered application by the same applicant asking for (nearly) the same thing."""
    if not app.id_hmac:
        return None
    want = f"{app.subject}{app.doc_number}"
    for other in Application.objects.filter(id_hmac=app.id_hmac, status=Status.CLOSED).exclude(
            pk=app.pk).exclude(result__startswith="3.6").order_by("-closed_date")[:50]:
        ratio = difflib.SequenceMatcher(None, want, f"{other.subject}{other.doc_number}").ratio()
        if ratio >= threshold:
            return other
    return None


def close_expired(*, today: dt.date | None = None) -> int:
    """Close applications whose correction period or fee payment period has run out.

    The fee period counts from the day the applicant received the notice (fee_services).
    A unit without review bodies cannot issue the letter: it gets a warning instead.
    """
    from gongkai.foi.answer_services import close_abandoned
    from gongkai.foi.fee_services import unpaid_expired

    today = today or _today()
    due = [(app, "3.6.1") for app in Application.objects.filter(
        status=Status.CORRECTION, correction_deadline__lt=today)]
    due += [(app, "3.6.2") for app in unpaid_expired(today)]
    closed = 0
    for app, result in due:
        try:
            close_abandoned(application=app, result=result, today=today)
        except ValidationError as exc:
            note = f"期限已届满，但无法自动办结：{'；'.join(exc.messages)}"
            if note not in app.clock_warnings:
                app.clock_warnings = [*app.clock_warnings, note]
                app.save(update_fields=["clock_warnings", "updated_at"])
            continue
        closed += 1
    return closed


# ---------------------------------------------------------------- letters

def template_for(org: Organization | None, kind: str) -> tuple[str, str]:
    tpl = None
    if org is not None:
        tpl = LetterTemplate.objects.filter(org=org, kind=kind).first()
    tpl = tpl or LetterTemplate.objects.filter(org__isnull=True, kind=kind).first()
    if tpl:
        return tpl.title, tpl.body
    return letters.DEFAULTS[kind]


def letter_values(app: Application, extra: dict | None = None) -> dict[str, str]:
    c = app.consultations.last()
    values = {
        "申请人": app.applicant_name, "申请编号": app.number, "收到日期": _f(app.received_date),
        "所需信息": app.subject, "受理机关": app.addressee.name,
        "承办单位": app.org.name if app.org else "", "答复期限": _f(app.answer_due),
        "补正事项": app.correction_items, "补正期限": _f(app.correction_deadline),
        "延长天数": str(app.extension_days or ""), "延期理由": app.extension_reason,
        "第三方": c.party if c else "", "征询答复期限": _f(c.reply_due) if c else "",
        "收费金额": fees.yuan(app.fee_amount) if app.fee_amount is not None else "",
        "办理结果": (app.result_display().split("：", 1)[-1].split(".", 1)[-1]
                     if app.result else ""),
        "法律依据": app.legal_basis, "理由": app.answer_reason,
        "负责机关": (f"负责公开该信息的机关：{app.responsible_agency}。"
                     if app.responsible_agency else ""),
        "日期": _f(_today()),
    }
    values.update(extra or {})
    return values


@transaction.atomic
def issue_letter(*, actor, application: Application, kind: str, date: dt.date | None = None,
                 extra: dict | None = None, _audit: bool = True,
                 check_permission: bool = True,
                 content: tuple[str, str] | None = None) -> Letter:
    """Render the unit's template to DOCX and PDF and store it; the applicant can download it.

    Called on its own (one audit entry) or from another service (``_audit=False``: the
    caller's entry covers it).
    """
    app = Application.objects.get(pk=application.pk)
    if check_permission:
        _check_handler(actor, app)
    date = date or _today()
    issuer = _issuer(app)
    if content is not None:  # an answer: worded by letter_texts, not by a unit template
        title, text = content
    else:
        title, body = template_for(app.org or issuer, kind)
        text = letters.render_text(body, letter_values(app, extra))
    serial = next_value(f"foi.letter.{issuer.pk}.{date.year}")
    short = issuer.short_name or issuer.name
    number = f"{short}依申请〔{date.year}〕{serial}号"
    args = {"title": title, "number": number, "body": text, "issuer": issuer.name, "date": date}
    letter = Letter(application=app, kind=kind, number=number, title=title, body=text,
                    issuer=issuer.name, date=date)
    stem = f"{app.pk}-{kind.replace('.', '')}-{serial}"
    letter.docx.save(f"{stem}.docx", ContentFile(letters.build_docx(**args)), save=False)
    letter.save()
    if _audit:
        _event(app, date=date, kind="letter", text=f"出具{title}（{number}）。", actor=actor)
        audit.record(actor=actor, action="foi.letter", target=app, org=app.org,
                     changes={"letter": {"before": None, "after": number}},
                     summary=f"出具{title}")
    return letter


def letter_pdf(letter: Letter) -> Letter:
    """The letter's PDF, rendered from its stored text on first request and then kept.

    Rendering embeds a CJK font (about a second), so it is not done when issuing.
    """
    if not letter.pdf:
        data = letters.build_pdf(title=letter.title, number=letter.number, body=letter.body,
                                 issuer=letter.issuer, date=letter.date)
        stem = f"{letter.application_id}-{letter.kind.replace('.', '')}-{letter.pk}"
        letter.pdf.save(f"{stem}.pdf", ContentFile(data), save=False)
        Letter.objects.filter(pk=letter.pk).update(pdf=letter.pdf.name)
    return letter


@transaction.atomic
def save_letter_template(*, actor, org: Organization | None, kind: str, title: str, body: str
                         ) -> LetterTemplate:
    if org is None:
        require(is_coordinator(actor), "只有公开办可以修改全区默认模板。")
    else:
        # Official wording: the unit's 审核人 (or the coordinator) decides it, not every editor.
        require(can_edit(actor, org) and can_review(actor, org),
                "只有本单位审核人或公开办可以修改文书模板。")
    if kind not in LetterKind.values:
        raise ValidationError("未知的文书类型。")
    if kind not in letters.EDITABLE_KINDS:
        raise ValidationError("答复书按答复类型的法定文本生成，不能修改模板；"
                              "可在作出答复时填写补充说明。")
    unknown = letters.unknown_placeholders(body)
    if unknown:
        raise ValidationError("模板中有无法识别的占位符：" + "、".join("{" + u + "}"
                                                                    for u in unknown))
    tpl = LetterTemplate.objects.filter(org=org, kind=kind).first()
    before = audit.snapshot(tpl, ["title", "body"]) if tpl else {}
    if tpl is None:
        tpl = LetterTemplate(org=org, kind=kind)
    tpl.title, tpl.body = title.strip(), body
    tpl.save()
    audit.record(actor=actor, action="foi.template", target=tpl, org=org,
                 changes=audit.diff(before, audit.snapshot(tpl, ["title", "body"])),
                 summary=f"修改文书模板：{tpl.get_kind_display()}")
    return tpl


# ---------------------------------------------------------------- supervision, appeals

@transaction.atomic
def supervise(*, actor, application: Application, text: str) -> SupervisionNotice:
    require(is_coordinator(actor), "只有公开办可以督办。")
    if not text.strip():
        raise ValidationError("请填写督办意见。")
    app = Application.objects.get(pk=application.pk)
    notice = SupervisionNotice.objects.create(application=app, org=app.org, text=text.strip(),
                                              actor=actor)
    _event(app, date=_today(), kind="supervision", text=f"公开办督办：{text.strip()}",
           actor=actor, public=False)
    audit.record(actor=actor, action="foi.supervise", target=app, org=app.org,
                 changes={"supervision": {"before": None, "after": notice.pk}},
                 summary="督办")
    transaction.on_commit(lambda: _mail_supervision(app, notice.text))
    return notice


def _mail_supervision(app: Application, text: str) -> None:
    from django.core.mail import send_mail

    from gongkai.foi.reminders import _recipients

    to = _recipients(app.org) if app.org else []
    if to:
        due = f"，答复期限 {app.answer_due:%Y-%m-%d}" if app.answer_due else ""
        send_mail(f"【依申请公开督办】{app.number}", f"公开办督办申请 {app.number}{due}：\n{text}\n"
                  "\n办理入口：/ysqgk/staff/", settings.DEFAULT_FROM_EMAIL, to)


@transaction.atomic
def quality_check(*, actor, application: Application, score: int, comment: str
                  ) -> QualityCheck:
    require(is_coordinator(actor), "只有公开办可以抽检。")
    app = Application.objects.get(pk=application.pk)
    if app.is_open:
        raise ValidationError("只能抽检已办结的申请。")
    if not 0 <= score <= 100:
        raise ValidationError("得分须在0至100之间。")
    if not comment.strip():
        raise ValidationError("请填写评查意见。")
    qc = QualityCheck.objects.create(application=app, score=score, comment=comment.strip(),
                                     actor=actor)
    audit.record(actor=actor, action="foi.quality_check", target=app, org=app.org,
                 changes={"score": {"before": None, "after": score}}, summary=f"抽检 {score} 分")
    return qc


@transaction.atomic
def record_appeal(*, actor, application: Application, kind: str, filed_date: dt.date,
                  outcome: str, concluded_date: dt.date | None = None, body: str = "",
                  note: str = "", appeal: AppealRecord | None = None) -> AppealRecord:
    """Add or update a 行政复议 / 行政诉讼 record (annual report section 四)."""
    app = Application.objects.get(pk=application.pk)
    _check_handler(actor, app)
    if concluded_date and concluded_date < filed_date:
        raise ValidationError("审结日期不能早于申请（起诉）日期。")
    if outcome == "pending" and concluded_date:
        raise ValidationError("尚未审结的案件不应填写审结日期。")
    if outcome != "pending" and not concluded_date:
        raise ValidationError("请填写审结日期。")
    before = audit.snapshot(appeal, ["kind", "outcome", "concluded_date"]) if appeal else {}
    rec = appeal or AppealRecord(application=app)
    rec.kind, rec.filed_date, rec.outcome = kind, filed_date, outcome
    rec.concluded_date, rec.body, rec.note = concluded_date, body, note
    rec.save()
    audit.record(actor=actor, action="foi.appeal", target=app, org=app.org,
                 changes=audit.diff(before, audit.snapshot(rec, ["kind", "outcome",
                                                                 "concluded_date"])),
                 summary=f"{rec.get_kind_display()}：{rec.get_outcome_display()}")
    return rec


# ---------------------------------------------------------------- calendar

@transaction.atomic
def recompute_running(*, actor=None, reason: str = "工作日历调整") -> int:
    """Recompute the due dates of every running application (after a calendar change); each
    handling unit is told by mail which of its due dates moved, once the change commits."""
    changed, moved = [], []
    cal = get_calendar()
    for app in Application.objects.filter(received_date__isnull=False).exclude(
            status=Status.CLOSED).prefetch_related("consultations"):
        old = app.answer_due
        try:
            result = app.compute_clock(cal)
        except clock.ClockError as exc:
            # Keep the old dates and say why on the page (e.g. an extension now after the
            # due date because a 调休 working day was added).
            note = f"{reason}后无法重新计算答复期限：{exc}请人工核对。"
            if note not in app.clock_warnings:
                app.clock_warnings = [*app.clock_warnings, note]
                app.save(update_fields=["clock_warnings", "updated_at"])
            continue
        app.apply_clock(result)
        app.save(update_fields=["answer_due", "correction_notice_due", "due_provisional",
                                "clock_steps", "clock_warnings", "updated_at"])
        if old != app.answer_due:
            changed.append((app.number, old, app.answer_due))
            moved.append((app.org_id, app.number, old, app.answer_due))
            _event(app, date=_today(), kind="recomputed",
                   text=f"因{reason}，答复期限由{_f(old)}调整为{_f(app.answer_due)}。")
    audit.record(actor=actor, action="foi.recompute", target=None,
                 changes={n: {"before": o, "after": a} for n, o, a in changed},
                 summary=f"{reason}：重新计算{len(changed)}件申请的答复期限",
                 target_label="依申请公开答复期限")
    if moved:
        from gongkai.foi import reminders

        transaction.on_commit(lambda: reminders.notify_due_changes(moved, reason=reason))
    return len(changed)


def fee_total(app: Application) -> Decimal:
    return app.fee_amount if app.fee_paid_date and app.fee_amount else Decimal(0)
