"""Staff pages of 依申请公开 under /ysqgk/staff/: queue, register, detail with actions."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F as F_
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from gongkai.core.calendar import get_calendar
from gongkai.core.models import Organization
from gongkai.core.params import parse_choice, parse_id, parse_page, parse_slug
from gongkai.core.permissions import (
    can_edit,
    can_review,
    is_coordinator,
    profile_of,
    scope,
    staff_required,
    visible_orgs,
)
from gongkai.foi import answer_services, crypto, fee_services, privacy_services, services
from gongkai.foi import forms as F
from gongkai.foi.clock import remaining_workdays
from gongkai.foi.letters import DEFAULTS, EDITABLE_KINDS, PLACEHOLDERS
from gongkai.foi.models import Application, Channel, LetterKind, LetterTemplate, Status
from gongkai.foi.views import file_response, letter_response

SOON_WD = 3


def _private(request):
    request.gongkai_private = True


def visible_applications(user):
    """Applications the user may see: their units' (and, for the coordinator, all)."""
    return scope(Application.objects.all(), user)


def _get_app(request, pk: int) -> Application:
    app = visible_applications(request.user).filter(pk=pk).select_related(
        "org", "addressee").first()
    if app is None:
        raise Http404("申请不存在或您无权查看。")
    return app


def _flag(cal, today, app) -> tuple[str, int | None]:
    if not app.is_open or app.answer_due is None:
        return "", None
    left = remaining_workdays(cal, today, app.answer_due)
    if left < 0:
        return "late", left
    if left <= SOON_WD:
        return "soon", left
    return "", left


@staff_required
def queue(request):
    _private(request)
    user = request.user
    coordinator = is_coordinator(user)
    form = F.QueueFilterForm(request.GET or None,
                             orgs=visible_orgs(user) if coordinator else None)
    qs = visible_applications(user).select_related("org", "addressee")
    cal, today = get_calendar(), F.today()
    status = ""
    if form.is_valid():
        d = form.cleaned_data
        status = d["status"]
        if d.get("org"):
            qs = qs.filter(org=d["org"])
        if d["q"]:
            # Names and identity numbers are encrypted: found by exact keyed hash only.
            key = crypto.lookup_hash(d["q"])
            qs = qs.filter(Q(number__icontains=d["q"]) | Q(subject__icontains=d["q"])
                           | Q(applicant_name_hmac=key) | Q(id_hmac=key))
    if status == "closed":
        qs = qs.filter(status=Status.CLOSED).order_by("-closed_date", "-id")
    else:
        qs = qs.exclude(status=Status.CLOSED)
        if status == "submitted":
            qs = qs.filter(status=Status.SUBMITTED)
        elif status == "unassigned":
            qs = qs.filter(org__isnull=True)
        # Due date first; applications not yet received (no due date) on top: they need
        # the office's confirmation before the clock even starts.
        qs = qs.order_by(F_("answer_due").asc(nulls_first=True), "submitted_at", "id")
    rows = []
    for app in qs[:500]:
        flag, left = _flag(cal, today, app)
        if status in ("late", "soon") and flag != status:
            continue
        rows.append({"app": app, "flag": flag, "left": left})
    page = Paginator(rows, 50).get_page(parse_page(request.GET.get("page")))
    query = request.GET.copy()
    query.pop("page", None)
    counts = {"late": sum(r["flag"] == "late" for r in rows),
              "soon": sum(r["flag"] == "soon" for r in rows)}
    return render(request, "foi/staff/queue.html", {
        "form": form, "page": page, "query": query.urlencode(), "coordinator": coordinator,
        "counts": counts, "status": status})


@staff_required
def register(request):
    _private(request)
    if request.method == "POST":
        form = F.RegisterForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                app, code = services.register_application(
                    actor=request.user, data=form.service_data(),
                    channel=form.cleaned_data["channel"],
                    received_date=form.cleaned_data["received_date"],
                    addressee=form.cleaned_data["addressee"],
                    identity_proof=form.cleaned_data.get("identity_proof"))
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                request.session["foi_staff_code"] = {"pk": app.pk, "code": code}
                messages.success(request, f"已登记申请 {app.number}。")
                return redirect("foi:staff_detail", pk=app.pk)
    else:
        form = F.RegisterForm(initial={"applicant_kind": "person", "channel": "in_person",
                                       "received_date": F.today()})
    return render(request, "foi/staff/register.html", {"form": form})


# action name -> (form class, label)
ACTIONS = {
    "confirm": (F.ConfirmForm, "确认收到"),
    "assign": (F.AssignForm, "分办 / 转办"),
    "return": (F.ReturnForm, "退回公开办"),
    "correction": (F.CorrectionForm, "补正通知"),
    "corrected": (F.CorrectedForm, "收到补正"),
    "consult": (F.ConsultForm, "征求意见"),
    "consult_end": (F.ConsultEndForm, "征求意见结束"),
    "extend": (F.ExtendForm, "延长答复期限"),
    "fee": (F.FeeForm, "收费通知"),
    "fee_delivered": (F.FeeDeliveredForm, "登记收费通知签收"),
    "paid": (F.PaidForm, "登记缴费"),
    "files": (F.AnswerFileForm, "添加答复材料（予以公开、部分公开时向申请人提供）"),
    "files_remove": (F.RemoveFileForm, "删除答复材料"),
    "answer": (F.AnswerForm, "作出答复"),
    "appeal": (F.AppealForm, "复议诉讼记录"),
    "supervise": (F.SuperviseForm, "督办"),
    "quality": (F.QualityForm, "抽检"),
}


# Posted from buttons next to a list on the page, not shown as an action form.
LIST_ACTIONS = {"files_remove"}


def _available(app: Application, user) -> list[str]:
    """Which action forms this user sees for this application now."""
    coordinator = is_coordinator(user)
    handler = coordinator if app.org_id is None else (can_edit(user, app.org_id) or coordinator)
    out = []
    if coordinator:
        if app.is_open:
            out.append("assign")
        out.append("supervise" if app.is_open else "quality")
    if not handler:
        return out
    if app.is_open:
        if app.org_id is not None and not coordinator:
            out.append("return")
        if app.status == Status.SUBMITTED:
            out.insert(0, "confirm")
            return out
        if app.status == Status.CORRECTION:
            out.insert(0, "corrected")
            return out
        if app.status == Status.CONSULTING:
            out.insert(0, "consult_end")
        if app.status == Status.FEE:
            out.insert(0, "paid")
            if app.fee_delivery == "post" and not app.fee_delivered_date:
                out.insert(1, "fee_delivered")
        if app.status in (Status.PROCESSING, Status.CONSULTING, Status.FEE):
            out += ["files", "files_remove"]
        if app.status == Status.PROCESSING:
            lead = ["answer"]
            if not app.correction_notice_date:
                lead.append("correction")
            lead.append("consult")
            if not app.extension_days:
                lead.append("extend")
            if not app.fee_notice_date:
                lead.append("fee")
            out = lead + out
    else:
        out.append("appeal")
    return out


def _forms_for(app, user, bound: dict | None = None) -> list[tuple[str, str, object]]:
    out = []
    for name in _available(app, user):
        if name in LIST_ACTIONS:
            continue
        cls, label = ACTIONS[name]
        if bound and name in bound:
            form = bound[name]
        else:
            initial = {}
            if name == "consult_end":
                c = app.consultations.filter(reply_date__isnull=True).first()
                initial = {"consultation": c.pk if c else None}
            elif name == "answer":
                repeat = services.find_repeat(app)
                if repeat:
                    initial = {"answer_type": "3.5.2"}
            elif name == "appeal":
                initial = {"body": app.addressee.remedy_bodies()[0]}
            form = cls(prefix=name, initial=initial or None)
            for field in ("received_date", "notice_date", "sent_date", "approved_on", "date",
                          "reply_date", "paid_date", "answer_date"):
                if field in form.fields and not form.initial.get(field):
                    form.fields[field].initial = F.today()
        out.append((name, label, form))
    return out


def _detail_context(request, app, bound=None, revealed_id: str = "") -> dict:
    cal, today = get_calendar(), F.today()
    flag, left = _flag(cal, today, app)
    personal = privacy_services.may_see_personal(request.user, app)
    if personal and not revealed_id:  # a reveal is audited on its own
        privacy_services.record_personal_view(actor=request.user, application=app)
    code = request.session.get("foi_staff_code")
    one_time_code = None
    if code and code.get("pk") == app.pk:
        one_time_code = request.session.pop("foi_staff_code")["code"]
    repeat = services.find_repeat(app) if app.is_open else None
    return {
        "app": app, "flag": flag, "left": left, "personal": personal, "today": today,
        "events": app.events.all(), "consultations": app.consultations.all(),
        "letters": app.letters.all(), "appeals": app.appeals.all(),
        "answer_files": app.answer_files.all(),
        "remedy": app.addressee.remedy_bodies(),
        "fee_due": fee_services.payment_due(app, cal),
        "fee_due_estimated": bool((fee_services.received_on(app) or (None, False))[1]),
        "can_remove_files": "files_remove" in _available(app, request.user),
        "supervisions": app.supervisions.all(), "checks": app.quality_checks.all(),
        "action_forms": _forms_for(app, request.user, bound),
        "one_time_code": one_time_code, "repeat": repeat, "revealed_id": revealed_id,
        "letter_kinds": [k for k in LetterKind if not k.value.startswith("answer")],
    }


@staff_required
def detail(request, pk: int):
    _private(request)
    app = _get_app(request, pk)
    return render(request, "foi/staff/detail.html", _detail_context(request, app))


@staff_required
@require_POST
def reveal_id(request, pk: int):
    """Show the whole identity number for this response only; who and why are audited."""
    _private(request)
    app = _get_app(request, pk)
    try:
        number = privacy_services.reveal_id_number(
            actor=request.user, application=app, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("foi:staff_detail", pk=app.pk)
    response = render(request, "foi/staff/detail.html",
                      _detail_context(request, app, revealed_id=number))
    response["Cache-Control"] = "no-store"
    return response


def _run(name, request, app, form):
    d = form.cleaned_data
    u = request.user
    if name == "confirm":
        services.confirm_receipt(actor=u, application=app, received_date=d["received_date"])
    elif name == "assign":
        services.assign(actor=u, application=app, org=d["org"], note=d["note"])
    elif name == "return":
        services.return_to_office(actor=u, application=app, reason=d["reason"])
    elif name == "correction":
        services.request_correction(actor=u, application=app, notice_date=d["notice_date"],
                                    items=d["items"], deadline=d["deadline"])
    elif name == "corrected":
        services.receive_correction(actor=u, application=app, date=d["date"])
    elif name == "consult":
        services.start_consultation(actor=u, application=app, kind=d["kind"], party=d["party"],
                                    sent_date=d["sent_date"])
    elif name == "consult_end":
        c = app.consultations.filter(pk=d["consultation"]).first()
        if c is None:
            raise ValidationError("征询记录不存在。")
        services.end_consultation(actor=u, consultation=c, reply_date=d["reply_date"],
                                  opinion=d["opinion"], note=d["note"])
    elif name == "extend":
        services.extend(actor=u, application=app, days=d["days"], approved_on=d["approved_on"],
                        reason=d["reason"])
    elif name == "fee":
        fee_services.notify_fee(actor=u, application=app, method=d["method"],
                                pages=d["pages"], notice_date=d["notice_date"],
                                delivery=d["delivery"])
    elif name == "fee_delivered":
        fee_services.record_fee_delivery(actor=u, application=app,
                                         delivered_date=d["delivered_date"])
    elif name == "paid":
        fee_services.record_payment(actor=u, application=app, paid_date=d["paid_date"])
    elif name == "files":
        answer_services.add_answer_file(actor=u, application=app, title=d["title"],
                                        upload=d["upload"], link=d["link"], pages=d["pages"])
    elif name == "files_remove":
        answer_services.remove_answer_file(actor=u, application=app, file_id=d["file_id"])
    elif name == "answer":
        if d["upload"] or d["link"]:
            # Saved on its own: if the answer is refused, the file stays for the next try.
            answer_services.add_answer_file(actor=u, application=app, title=d["file_title"],
                                            upload=d["upload"], link=d["link"],
                                            pages=d["pages"])
        kind = d["answer_type"]
        repeat = services.find_repeat(app) if kind == "3.5.2" else None
        answer_services.answer(actor=u, application=app, answer_type=kind,
                               details=form.details(), answer_date=d["answer_date"],
                               repeat_of=repeat)
    elif name == "appeal":
        services.record_appeal(actor=u, application=app, kind=d["kind"],
                               filed_date=d["filed_date"], outcome=d["outcome"],
                               concluded_date=d["concluded_date"], body=d["body"])
    elif name == "supervise":
        services.supervise(actor=u, application=app, text=d["text"])
    elif name == "quality":
        services.quality_check(actor=u, application=app, score=d["score"],
                               comment=d["comment"])


@staff_required
@require_POST
def act(request, pk: int, action: str):
    _private(request)
    app = _get_app(request, pk)
    if action not in ACTIONS:
        raise Http404
    if action not in _available(app, request.user):
        raise PermissionDenied("当前状态下不能执行此操作，或您没有权限。")
    cls, label = ACTIONS[action]
    form = cls(request.POST, request.FILES, prefix=action)
    if form.is_valid():
        try:
            _run(action, request, app, form)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, f"已完成：{label}。")
            if not visible_applications(request.user).filter(pk=app.pk).exists():
                return redirect("foi:staff_queue")
            return redirect("foi:staff_detail", pk=app.pk)
    app.refresh_from_db()
    ctx = _detail_context(request, app, bound={action: form})
    ctx["failed_action"] = action
    return render(request, "foi/staff/detail.html", ctx, status=400)


@staff_required
@require_POST
def issue(request, pk: int):
    """Issue a procedural letter again (e.g. a 登记回执) from the current template."""
    _private(request)
    app = _get_app(request, pk)
    kind = parse_choice(request.POST.get("kind"), LetterKind.values, default="")
    if not kind or kind.startswith("answer"):
        messages.error(request, "请选择文书类型。")
    elif app.received_date is None:
        messages.error(request, "请先确认收到申请。")
    else:
        try:
            services.issue_letter(actor=request.user, application=app, kind=kind)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, "已出具文书。")
    return redirect("foi:staff_detail", pk=app.pk)


@staff_required(coordinator=True)
@require_POST
def sample(request):
    """抽检: open a random closed application that has not been checked yet."""
    _private(request)
    qs = Application.objects.filter(status=Status.CLOSED, quality_checks__isnull=True)
    org_id = parse_id(request.POST.get("org"))
    if org_id is not None:
        qs = qs.filter(org_id=org_id)
    app = qs.order_by("?").first()
    if app is None:
        messages.error(request, "没有尚未抽检的已办结申请。")
        return redirect(f"{reverse('foi:staff_queue')}?status=closed")
    return redirect(f"{reverse('foi:staff_detail', args=[app.pk])}#act-quality")


@staff_required
def letter(request, pk: int, letter_id: int, fmt: str):
    _private(request)
    app = _get_app(request, pk)
    letter = get_object_or_404(app.letters, pk=letter_id)
    return letter_response(letter, fmt)


@staff_required
def answer_file(request, pk: int, file_id: int):
    _private(request)
    app = _get_app(request, pk)
    item = get_object_or_404(app.answer_files, pk=file_id)
    if not item.file:
        raise Http404
    return file_response(item)


@staff_required
def proof(request, pk: int):
    """The identity proof: only for the handling unit and the coordinator."""
    _private(request)
    app = _get_app(request, pk)
    if not app.identity_proof:
        raise Http404
    privacy_services.record_personal_view(actor=request.user, application=app,
                                          what="下载申请人身份证明")
    return FileResponse(app.identity_proof.open("rb"), as_attachment=True,
                        filename=f"{app.number}-身份证明{app.identity_proof.name[-4:]}")


@staff_required
def templates(request):
    _private(request)
    user = request.user
    coordinator = is_coordinator(user)
    profile = profile_of(user)
    raw_code = request.GET.get("org") or request.POST.get("org") or ""
    org_code = parse_slug(raw_code, default="")
    if raw_code and not org_code:
        raise Http404
    org: Organization | None
    if org_code == "" and coordinator:
        org = None
    else:
        org = get_object_or_404(visible_orgs(user), code=org_code or profile.org.code)
    kind = parse_choice(request.GET.get("kind") or request.POST.get("kind"),
                        EDITABLE_KINDS, default=LetterKind.RECEIPT)
    if request.method == "POST":
        form = F.TemplateForm(request.POST)
        if form.is_valid():
            try:
                services.save_letter_template(actor=user, org=org, kind=form.cleaned_data["kind"],
                                              title=form.cleaned_data["title"],
                                              body=form.cleaned_data["body"])
            except ValidationError as exc:
                form.add_error("body", exc)
            else:
                messages.success(request, "模板已保存。")
                return redirect(f"{request.path}?org={org.code if org else ''}&kind={kind}")
    else:
        title, body = services.template_for(org, kind)
        form = F.TemplateForm(initial={"kind": kind, "title": title, "body": body})
    own = LetterTemplate.objects.filter(org=org)
    can_save = coordinator if org is None else can_review(user, org)
    return render(request, "foi/staff/templates.html", {
        "form": form, "org": org, "kind": kind,
        "kinds": [c for c in LetterKind.choices if c[0] in EDITABLE_KINDS],
        "placeholders": PLACEHOLDERS, "coordinator": coordinator, "own": own,
        "defaults": DEFAULTS, "orgs": visible_orgs(user) if coordinator else None,
        "can_save": can_save})


def channel_label(value: str) -> str:
    return Channel(value).label
