"""The 台账 and the inspection findings: units see and answer their own, the 公开办 all."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from gongkai.core.params import parse_int
from gongkai.core.permissions import can_edit, can_view, is_coordinator, scope, staff_required
from gongkai.supervision import documents, forms, services
from gongkai.supervision.models import (
    Assignment,
    Finding,
    FindingStatus,
    NameAlias,
    Notice,
    Plan,
)
from gongkai.supervision.services.plan import plan_text

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _errors(exc: ValidationError) -> list[str]:
    return list(exc.messages)


def download(data: bytes, content_type: str, name: str) -> HttpResponse:
    from urllib.parse import quote

    resp = HttpResponse(data, content_type=content_type)
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return resp


@staff_required
def index(request: HttpRequest) -> HttpResponse:
    coordinator = is_coordinator(request.user)
    plans = Plan.objects.annotate(n=Count("tasks"))
    mine = scope(Assignment.objects.select_related("task", "task__plan", "org"), request.user)
    notices = scope(Notice.objects.select_related("org"), request.user)[:20]
    return render(request, "supervision/index.html", {
        "coordinator": coordinator, "plans": plans,
        "assignments": [] if coordinator else mine,
        "notices": notices, "import_form": forms.PlanImportForm(),
    })


@staff_required(coordinator=True)
def plan_import(request: HttpRequest) -> HttpResponse:
    form = forms.PlanImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        f = form.cleaned_data["file"]
        try:
            text = plan_text(f.read(), f.name) if f else form.cleaned_data["text"]
            plan = services.import_plan(actor=request.user, text=text,
                                        source_name=f.name if f else "粘贴文本",
                                        year=form.cleaned_data["year"])
        except ValidationError as exc:
            return render(request, "supervision/import.html",
                          {"form": form, "errors": _errors(exc)}, status=400)
        messages.success(request, f"已导入{plan.title}：{plan.tasks.count()} 项任务。")
        return redirect(plan)
    return render(request, "supervision/import.html", {"form": form},
                  status=400 if request.method == "POST" else 200)


@staff_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(Plan, pk=pk)
    coordinator = is_coordinator(request.user)
    assignments = scope(Assignment.objects.filter(task__plan=plan).select_related("org", "task"),
                        request.user)
    by_task: dict[int, list[Assignment]] = {}
    for a in assignments:
        by_task.setdefault(a.task_id, []).append(a)
    tasks = [(t, by_task.get(t.pk, [])) for t in plan.tasks.all()]
    if not coordinator:
        tasks = [(t, a) for t, a in tasks if a]
    return render(request, "supervision/plan.html", {
        "plan": plan, "tasks": tasks, "coordinator": coordinator,
        "alias_form": forms.AliasForm(), "notice_form": forms.NoticeForm(),
        "older": Plan.objects.filter(year__lt=plan.year) if coordinator else [],
        "carry_form": forms.CarryOverForm(),
    })


@staff_required(coordinator=True)
@require_POST
def plan_alias(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(Plan, pk=pk)
    form = forms.AliasForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择对应单位。")
        return redirect(plan)
    unit = form.cleaned_data["org"]
    try:
        n = services.add_alias(actor=request.user, plan=plan, name=form.cleaned_data["name"],
                               org=unit)
        messages.success(request, f"已匹配，{n} 项任务分配给{unit.name}。" if unit else
                         f"已记录「{form.cleaned_data['name']}」不是本平台单位，以后导入不再询问。")
    except ValidationError as exc:
        messages.error(request, "；".join(_errors(exc)))
    return redirect(plan)


@staff_required(coordinator=True)
def aliases(request: HttpRequest) -> HttpResponse:
    """The coordinator's remembered answers for unit names in plans; one can be removed."""
    if request.method == "POST":
        alias = get_object_or_404(NameAlias, pk=parse_int(request.POST.get("alias"), default=0))
        services.remove_alias(actor=request.user, alias=alias)
        messages.success(request, f"已删除别名「{alias.name}」，以后导入将重新询问。")
        return redirect("supervision:aliases")
    return render(request, "supervision/aliases.html", {
        "aliases": NameAlias.objects.select_related("org", "created_by"), "coordinator": True})


@staff_required(coordinator=True)
@require_POST
def plan_carry(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(Plan, pk=pk)
    form = forms.CarryOverForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择上一年度工作要点并填写整改期限。")
        return redirect(plan)
    source = Plan.objects.filter(pk=form.cleaned_data["source"]).first()
    try:
        if source is None:
            raise ValidationError("来源工作要点不存在。")
        n = services.carry_over(actor=request.user, source=source, target=plan,
                                rectify_by=form.cleaned_data["rectify_by"])
        messages.success(request, f"回头看：{n} 项未完成任务已转入本年度台账。")
    except ValidationError as exc:
        messages.error(request, "；".join(_errors(exc)))
    return redirect(plan)


@staff_required
def plan_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(Plan, pk=pk)
    rows = []
    qs = scope(Assignment.objects.filter(task__plan=plan).select_related("task", "org")
               .prefetch_related("progress"), request.user)
    for a in qs:
        last = next(iter(a.progress.all()), None)
        rows.append([a.task.code, a.task.title, a.org.name, "点名" if a.named else "统称",
                     a.get_status_display(), last.quarter if last else "",
                     last.text if last else "", "\n".join(last.evidence_links()) if last else "",
                     a.rectify_by or ""])
    data = documents.xlsx("工作台账", ["编号", "任务", "责任单位", "分工", "状态", "最近报送季度",
                                   "最近进展", "佐证链接", "整改期限"], rows)
    return download(data, XLSX, f"{plan.year}年工作台账.xlsx")


def _assignment(request, pk: int) -> Assignment:
    a = get_object_or_404(Assignment.objects.select_related("task", "task__plan", "org"), pk=pk)
    if not can_view(request.user, a.org):
        raise PermissionDenied("只能查看本单位的任务。")
    return a


@staff_required
def assignment(request: HttpRequest, pk: int) -> HttpResponse:
    a = _assignment(request, pk)
    form = forms.ProgressForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST":
        if not can_edit(request.user, a.org):
            raise PermissionDenied("只能报送本单位任务的进展。")
        if form.is_valid():
            try:
                services.report_progress(
                    actor=request.user, assignment=a, text=form.cleaned_data["text"],
                    evidence=form.cleaned_data["evidence"],
                    attachment=form.cleaned_data["attachment"], done=form.cleaned_data["done"])
                messages.success(request, "进展已报送。")
                return redirect(a)
            except ValidationError as exc:
                errors = _errors(exc)
    return render(request, "supervision/assignment.html", {
        "a": a, "form": form, "errors": errors, "history": a.progress.all(),
        "can_edit": can_edit(request.user, a.org), "coordinator": is_coordinator(request.user),
    }, status=400 if request.method == "POST" else 200)


@staff_required(coordinator=True)
@require_POST
def notice_send(request: HttpRequest) -> HttpResponse:
    form = forms.NoticeForm(request.POST)
    plan = Plan.objects.filter(pk=request.POST.get("plan") or 0).first() \
        if (request.POST.get("plan") or "").isdigit() else None
    back = redirect(plan) if plan else redirect("supervision:index")
    if not form.is_valid():
        messages.error(request, "督查通知未发出：请填写单位、督查事项和办理期限。")
        return back
    try:
        services.send_notice(actor=request.user, plan=plan, **form.cleaned_data)
        messages.success(request, f"已向{form.cleaned_data['org'].name}发出督查通知。")
    except ValidationError as exc:
        messages.error(request, "；".join(_errors(exc)))
    return back


@staff_required
@require_POST
def notice_answer(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_object_or_404(Notice.objects.select_related("org"), pk=pk)
    if not can_view(request.user, notice.org):
        raise PermissionDenied("只能回复本单位的督查通知。")
    try:
        services.answer_notice(actor=request.user, notice=notice,
                               answer=request.POST.get("answer", "")[:5000])
        messages.success(request, "督查通知已回复。")
    except ValidationError as exc:
        messages.error(request, "；".join(_errors(exc)))
    return redirect("supervision:index")


@staff_required
def findings(request: HttpRequest) -> HttpResponse:
    qs = scope(Finding.objects.select_related("org"), request.user)
    status = request.GET.get("status", "")
    if status in FindingStatus.values:
        qs = qs.filter(status=status)
    elif status != "all":
        qs = qs.exclude(status=FindingStatus.CLOSED)
    counts = scope(Finding.objects, request.user).aggregate(
        open=Count("id", filter=~Q(status=FindingStatus.CLOSED)),
        veto=Count("id", filter=Q(veto=True) & ~Q(status=FindingStatus.CLOSED)))
    from gongkai.supervision.models import InspectionRun

    return render(request, "supervision/findings.html", {
        "findings": qs[:500], "status": status, "statuses": FindingStatus.choices,
        "counts": counts, "coordinator": is_coordinator(request.user),
        "runs": InspectionRun.objects.all()[:5] if is_coordinator(request.user) else [],
    })


@staff_required
def findings_xlsx(request: HttpRequest) -> HttpResponse:
    qs = scope(Finding.objects.select_related("org"), request.user)
    rows = [[f.label, "是" if f.veto else "", float(f.deduction), f.org.name if f.org else "",
             f.url, f.detail, f.get_status_display(), f.due, f.answer] for f in qs]
    data = documents.xlsx("检查问题", ["问题", "单项否决", "扣分", "责任单位", "页面", "说明",
                                   "状态", "整改期限", "整改情况"], rows)
    return download(data, XLSX, "网站检查问题.xlsx")


@staff_required
def finding(request: HttpRequest, pk: int) -> HttpResponse:
    f = get_object_or_404(Finding.objects.select_related("org"), pk=pk)
    if not can_view(request.user, f.org):
        raise PermissionDenied("只能查看本单位的问题。")
    form = forms.AnswerForm(request.POST or None)
    errors = []
    if request.method == "POST":
        if form.is_valid():
            try:
                services.answer_finding(actor=request.user, finding=f,
                                        answer=form.cleaned_data["answer"])
                messages.success(request, "整改情况已反馈，下次检查时自动复核。")
                return redirect(f)
            except ValidationError as exc:
                errors = _errors(exc)
    return render(request, "supervision/finding.html", {
        "f": f, "form": form, "errors": errors, "can_edit": can_edit(request.user, f.org),
        "coordinator": is_coordinator(request.user),
    }, status=400 if request.method == "POST" else 200)


@staff_required(coordinator=True)
@require_POST
def inspection_run(request: HttpRequest) -> HttpResponse:
    from gongkai.supervision import inspect

    # The configured public address; else the address this request came in on.
    base = getattr(settings, "GONGKAI_BASE_URL", "") or request.build_absolute_uri("/")
    if not getattr(settings, "CELERY_TASK_ALWAYS_EAGER", True):
        # A full crawl takes minutes: with workers, do not hold the request open.
        from gongkai.supervision.tasks import inspect_now

        inspect_now.delay(base, request.user.pk)
        messages.success(request, "检查已开始，完成后刷新本页查看结果。")
        return redirect("supervision:findings")
    try:
        run = inspect.run(actor=request.user, base_url=base)
    except ValidationError as exc:
        messages.error(request, "；".join(_errors(exc)))
        return redirect("supervision:findings")
    messages.success(request, f"检查完成：{run.pages} 个页面，新发现问题 {run.opened} 个，"
                              f"复查关闭 {run.closed} 个，逾期未改 {run.escalated} 个。")
    return redirect("supervision:findings")
