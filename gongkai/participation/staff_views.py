"""Staff pages: consultations (draft, review, opinions, dispositions, report) and catalogs."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkai.core.params import clean_text, parse_id
from gongkai.core.permissions import can_edit, can_review, scope, staff_required, visible_orgs
from gongkai.participation import policydocs, privacy, queries, rules, services
from gongkai.participation.forms import (
    CatalogForm,
    ConsultationForm,
    DisposeForm,
    FinalTextForm,
    GroupForm,
    HideForm,
    ItemForm,
    OpinionEntryForm,
    PeriodChangeForm,
    QuestionForm,
    ReasonForm,
    ReportForm,
    StageForm,
)
from gongkai.participation.models import (
    Catalog,
    Consultation,
    Decision,
    FeedbackReport,
    Opinion,
    OpinionGroup,
    PeriodChange,
    Review,
    Stage,
    timeline,
)
from gongkai.participation.services.catalog import catalog_revision
from gongkai.participation.services.consultations import consultation_revision
from gongkai.participation.services.feedback import report_problems, report_revision
from gongkai.participation.services.periods import change_revision
from gongkai.participation.services.stages import stage_revision
from gongkai.participation.stats import feedback_days


def _mine(request, pk) -> Consultation:
    qs = scope(Consultation.objects.select_related("org", "decision"), request.user)
    return get_object_or_404(qs, pk=pk)


def overdue_rows(user):
    """Closed, not withdrawn, report not yet published: with the due date, for the
    overdue page and the workbench notices."""
    now = timezone.now()
    rows = []
    for c in scope(Consultation.objects.filter(review_status=Review.PUBLISHED,
                                               withdrawn_at__isnull=True,
                                               ends_at__lte=now), user).select_related(
            "org", "report"):
        report = getattr(c, "report", None)
        if report is not None and report.is_published:
            continue
        due = rules.feedback_due(c.ends_at, feedback_days())
        rows.append({"c": c, "due": due,
                     "overdue": rules.is_overdue(c.ends_at, None, now, feedback_days())})
    return sorted(rows, key=lambda r: r["due"])


@staff_required
def index(request: HttpRequest) -> HttpResponse:
    items = scope(Consultation.objects.select_related("org", "report"), request.user)
    pending = []
    for c in items.filter(review_status=Review.PENDING):
        if can_review(request.user, c.org):
            pending.append(("征求意见", c.title, c.pk))
    for ch in scope(PeriodChange.objects.filter(status=Review.PENDING).select_related(
            "consultation__org"), request.user, field="consultation__org"):
        if can_review(request.user, ch.consultation.org):
            pending.append((ch.get_kind_display(), ch.consultation.title, ch.consultation_id))
    for r in scope(FeedbackReport.objects.filter(review_status=Review.PENDING).select_related(
            "consultation__org"), request.user, field="consultation__org"):
        if can_review(request.user, r.org):
            pending.append(("意见采纳情况", r.consultation.title, r.consultation_id))
    stages = [st for st in scope(Stage.objects.filter(review_status=Review.PENDING)
                                 .select_related("decision__catalog__org"), request.user,
                                 field="decision__catalog__org")
              if can_review(request.user, st.decision.org)
              and request.user.pk not in {st.created_by_id, st.submitted_by_id}]
    catalogs = [cat for cat in scope(Catalog.objects.filter(review_status=Review.PENDING)
                                     .select_related("org"), request.user)
                if can_review(request.user, cat.org)]
    return render(request, "participation/staff/index.html", {
        "items": items[:200], "pending": pending, "pending_catalogs": catalogs,
        "pending_stages": stages,
        "overdue": [r for r in overdue_rows(request.user) if r["overdue"]]})


@staff_required
def overdue(request: HttpRequest) -> HttpResponse:
    return render(request, "participation/staff/overdue.html",
                  {"rows": overdue_rows(request.user)})


def _decisions(user):
    return scope(Decision.objects.select_related("catalog__org"), user, field="catalog__org")


def _data(form) -> dict:
    d = dict(form.cleaned_data)
    d.pop("draft_file", None)
    return d


@staff_required
def consultation_new(request: HttpRequest) -> HttpResponse:
    profile = request.user.staff_profile
    form = ConsultationForm(request.POST or None, request.FILES or None,
                            decisions=_decisions(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            c = services.create_consultation(actor=request.user, org=profile.org,
                                             data=_data(form))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "已保存草稿，草案已自动拆分为条款。")
            return redirect("participation:staff_consultation", c.pk)
    return render(request, "participation/staff/edit.html", {"form": form})


@staff_required
def consultation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    c = _mine(request, pk)
    if c.is_published:
        raise Http404
    initial = {f: getattr(c, f) for f in ["title", "draft_text", "explanation", "starts_at",
                                           "ends_at", "short_period_reason", "contact"]}
    initial["decision"] = c.decision_id
    form = ConsultationForm(request.POST or None, request.FILES or None, initial=initial,
                            decisions=_decisions(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_consultation(actor=request.user, consultation=c, data=_data(form))
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, str(exc) if isinstance(exc, PermissionDenied) else exc)
        else:
            return redirect("participation:staff_consultation", c.pk)
    return render(request, "participation/staff/edit.html", {"form": form, "c": c})


@staff_required
def consultation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    c = _mine(request, pk)
    q = (request.GET.get("q") or "").replace("\x00", "")[:50]
    ops = []
    for op in queries.search_opinions(c, q):
        ops.append({"op": op, "name": privacy.mask(privacy.decrypt(op.name_encrypted)),
                    "contact": privacy.mask(privacy.decrypt(op.contact_encrypted))})
    report = FeedbackReport.objects.filter(consultation=c).first()
    closed = c.is_published and c.ends_at <= timezone.now()
    return render(request, "participation/staff/consultation.html", {
        "c": c, "ops": ops, "q": q, "report": report, "closed": closed,
        "can_review": can_review(request.user, c.org), "can_edit": can_edit(request.user, c.org),
        "revision": consultation_revision(c),
        "report_revision": report_revision(report) if report else "",
        "problems": report_problems(c) if closed else [],
        "entry_form": OpinionEntryForm(articles=c.articles.all()),
        "dispose_form": DisposeForm(), "group_form": GroupForm(), "hide_form": HideForm(),
        "report_form": ReportForm(initial={"summary": report.summary if report else ""}),
        "reason_form": ReasonForm(), "question_form": QuestionForm(),
        "final_form": FinalTextForm(initial={"final_text": c.final_text,
                                             "final_url": c.final_url}),
        "groups": c.groups.all(), "counts": queries.report_counts(c),
        "change_form": PeriodChangeForm(), "changes": [
            {"ch": ch, "revision": change_revision(ch)}
            for ch in c.period_changes.select_related("requested_by", "reviewed_by")],
    })


def _report(c) -> FeedbackReport:
    report = FeedbackReport.objects.filter(consultation=c).first()
    if report is None:
        raise ValidationError("请先保存采纳情况的总体说明。")
    return report


def _run(request, c: Consultation, action: str) -> str:
    """Perform ``action``; return the success message. Raises ValidationError."""
    P, u = request.POST, request.user
    if action == "submit":
        services.submit_consultation(actor=u, consultation=c)
        return "已提交审核。"
    if action == "publish":
        services.publish_consultation(actor=u, consultation=c, revision=P.get("revision", ""))
        return "已发布，征求意见将按设定时间开始和截止。"
    if action == "return":
        services.return_consultation(actor=u, consultation=c, reason=P.get("reason", ""))
        return "已退回。"
    if action == "enter":
        form = OpinionEntryForm(P, articles=c.articles.all())
        if not form.is_valid():
            raise ValidationError([f"{form.fields[k].label}：{'；'.join(v)}"
                                   for k, v in form.errors.items()])
        d = form.cleaned_data
        services.enter_opinion(actor=u, consultation=c, channel=d["channel"], body=d["body"],
                               received_at=d["received_at"], article_id=d["article"] or None,
                               name=d["name"], contact=d["contact"],
                               publish_name=d["publish_name"])
        return "已录入意见。"
    if action == "question":
        services.add_question(actor=u, consultation=c, kind=P.get("kind", ""),
                              text=P.get("text", ""), options=P.get("options", ""),
                              required=P.get("required") == "on")
        return "已添加问卷题目。"
    if action == "hide":
        op = get_object_or_404(Opinion, pk=_int(P.get("opinion")), consultation=c)
        services.hide_opinion(actor=u, opinion=op, reason=P.get("reason", ""),
                              note=P.get("note", ""))
        return "已隐藏该意见（不删除，理由已记录）。"
    if action == "group":
        services.group_opinions(actor=u, consultation=c, title=P.get("title", ""),
                                opinion_ids=P.getlist("opinions"),
                                concentrated=P.get("concentrated") == "on")
        return "已归类。"
    if action == "dispose":
        op = grp = None
        if P.get("group"):
            grp = get_object_or_404(OpinionGroup, pk=_int(P.get("group")), consultation=c)
        else:
            op = get_object_or_404(Opinion, pk=_int(P.get("opinion")), consultation=c)
        services.dispose(actor=u, consultation=c, disposition=P.get("disposition", ""),
                         reason=P.get("reason", ""), opinion=op, group=grp)
        return "已保存处理结果。"
    if action == "report":
        services.save_report(actor=u, consultation=c, summary=P.get("summary", ""))
        return "已保存采纳情况说明。"
    if action == "report_submit":
        services.submit_report(actor=u, report=_report(c))
        return "采纳情况已提交审核。"
    if action == "report_publish":
        services.publish_report(actor=u, report=_report(c), revision=P.get("revision", ""))
        return "采纳情况已公布，留有联系方式的意见人将收到通知。"
    if action == "report_return":
        services.return_report(actor=u, report=_report(c), reason=P.get("reason", ""))
        return "已退回。"
    if action == "change":
        form = PeriodChangeForm(P)
        if not form.is_valid():
            raise ValidationError([f"{form.fields[k].label}：{'；'.join(v)}"
                                   for k, v in form.errors.items()])
        d = form.cleaned_data
        services.request_change(actor=u, consultation=c, kind=d["kind"], reason=d["reason"],
                                new_ends_at=d["new_ends_at"])
        return "已提交审核；审核通过后生效并在征求意见页面公开理由。"
    if action in ("change_approve", "change_return"):
        ch = get_object_or_404(PeriodChange, pk=_int(P.get("change")), consultation=c)
        if action == "change_approve":
            services.approve_change(actor=u, change=ch, revision=P.get("revision", ""))
            return "已审核通过，变更已生效。"
        services.return_change(actor=u, change=ch, reason=P.get("reason", ""))
        return "已退回。"
    if action == "final":
        services.set_final_text(actor=u, consultation=c, final_text=P.get("final_text", ""),
                                final_url=P.get("final_url", ""))
        return "已保存最终通过文本。"
    raise Http404


def _int(value) -> int:
    value = (value or "").strip()
    if not value.isdecimal() or len(value) > 9:
        raise Http404
    return int(value)


@staff_required
@require_POST
def consultation_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    c = _mine(request, pk)
    try:
        messages.success(request, _run(request, c, action))
    except ValidationError as exc:
        for m in exc.messages:
            messages.error(request, m)
    except PermissionDenied as exc:
        messages.error(request, str(exc) or "您没有权限执行此操作。")
    return redirect("participation:staff_consultation", c.pk)


@staff_required
def catalogs(request: HttpRequest) -> HttpResponse:
    form = CatalogForm(request.POST or None,
                       initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        try:
            cat = services.create_catalog(actor=request.user, org=request.user.staff_profile.org,
                                          year=form.cleaned_data["year"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("participation:staff_catalog", cat.pk)
    return render(request, "participation/staff/catalogs.html", {
        "form": form, "catalogs": scope(Catalog.objects.select_related("org"), request.user)})


def _my_catalog(request, pk) -> Catalog:
    return get_object_or_404(scope(Catalog.objects.select_related("org"), request.user), pk=pk)


@staff_required
def catalog_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cat = _my_catalog(request, pk)
    return render(request, "participation/staff/catalog.html", {
        "cat": cat, "items": cat.items.all(), "item_form": ItemForm(),
        "reason_form": ReasonForm(), "revision": catalog_revision(cat),
        "can_review": can_review(request.user, cat.org)})


@staff_required
@require_POST
def catalog_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    cat = _my_catalog(request, pk)
    P, u = request.POST, request.user
    try:
        if action == "add":
            form = ItemForm(P)
            if not form.is_valid():
                raise ValidationError("请填写决策事项名称和承办单位。")
            if cat.published_at:
                services.adjust_item(actor=u, catalog=cat, reason=form.cleaned_data["reason"],
                                     data=form.cleaned_data)
            else:
                services.add_item(actor=u, catalog=cat, data=form.cleaned_data)
        elif action == "drop":
            item = get_object_or_404(Decision, pk=_int(P.get("item")), catalog=cat)
            services.adjust_item(actor=u, catalog=cat, item=item, reason=P.get("reason", ""),
                                 drop=True)
        elif action == "submit":
            services.submit_catalog(actor=u, catalog=cat)
        elif action == "publish":
            services.publish_catalog(actor=u, catalog=cat, revision=P.get("revision", ""))
        elif action == "return":
            services.return_catalog(actor=u, catalog=cat, reason=P.get("reason", ""))
        else:
            raise Http404
        messages.success(request, "已保存。")
    except ValidationError as exc:
        for m in exc.messages:
            messages.error(request, m)
    except PermissionDenied as exc:
        messages.error(request, str(exc) or "您没有权限执行此操作。")
    return redirect("participation:staff_catalog", cat.pk)


def _stage_initial(stage) -> dict:
    key = stage.ref_key()
    return {"kind": stage.kind, "title": stage.title, "date": stage.date,
            "summary": stage.summary, "url": stage.url, "consultation": stage.consultation_id,
            "ref": f"{key[0]}:{key[1]}" if key else "", "attendees": stage.attendees,
            "attendee_uptake": stage.attendee_uptake, "skipped_reason": stage.skipped_reason}


@staff_required
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An item's stages with their review state; record a stage or edit a draft one."""
    item = get_object_or_404(_decisions(request.user), pk=pk)
    consults = scope(Consultation.objects.all(), request.user).filter(org=item.org)
    docq = clean_text(request.GET.get("docq"), max_len=100)
    picks = policydocs.search(docq)
    editing = None
    edit_id = parse_id(request.GET.get("edit"))
    if edit_id is not None:
        editing = get_object_or_404(item.stages.exclude(review_status=Review.PUBLISHED),
                                    pk=edit_id)
        key = editing.ref_key()
        if key is not None and not any(r.key == f"{key[0]}:{key[1]}" for r in picks):
            ref = editing.ref()
            picks = ([ref] if ref is not None and ref.live else []) + list(picks)
    form = StageForm(request.POST or None, consultations=consults, picks=picks,
                     initial=_stage_initial(editing) if editing else None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            if editing is not None:
                services.update_stage(actor=request.user, stage=editing, **d)
            else:
                services.add_stage(actor=request.user, decision=item,
                                   submit=request.POST.get("submit") == "1", **d)
        except ValidationError as exc:
            form.add_error(None, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or "您没有权限执行此操作。")
        else:
            messages.success(request, "已保存该环节；审核通过发布后才在公开页面显示。")
            return redirect("participation:staff_item", item.pk)
    stages = timeline(policydocs.annotate(item.stages.select_related(
        "created_by", "submitted_by")))
    me = request.user.pk
    reviewer = can_review(request.user, item.org)
    rows = [{"s": st, "revision": stage_revision(st) if st.review_status == Review.PENDING
             else "", "can_review": reviewer and me not in {st.created_by_id,
                                                            st.submitted_by_id}}
            for st in stages]
    return render(request, "participation/staff/item.html", {
        "item": item, "rows": rows, "form": form, "docq": docq, "picks": picks,
        "editing": editing, "reason_form": ReasonForm(), "can_edit": can_edit(request.user,
                                                                               item.org),
        "today": dt.date.today(), "orgs": visible_orgs(request.user)})


@staff_required
@require_POST
def stage_action(request: HttpRequest, pk: int, stage: int, action: str) -> HttpResponse:
    item = get_object_or_404(_decisions(request.user), pk=pk)
    st = get_object_or_404(Stage, pk=stage, decision=item)
    P, u = request.POST, request.user
    try:
        if action == "submit":
            services.submit_stage(actor=u, stage=st)
            messages.success(request, "已提交审核。")
        elif action == "publish":
            services.publish_stage(actor=u, stage=st, revision=P.get("revision", ""))
            messages.success(request, "已审核发布，该环节已在事项页面公开。")
        elif action == "return":
            services.return_stage(actor=u, stage=st, reason=P.get("reason", ""))
            messages.success(request, "已退回。")
        else:
            raise Http404
    except ValidationError as exc:
        for m in exc.messages:
            messages.error(request, m)
    except PermissionDenied as exc:
        messages.error(request, str(exc) or "您没有权限执行此操作。")
    return redirect("participation:staff_item", item.pk)
