"""The 公开办's side: dashboard, evaluations, 通报, dictionary, 培训."""

from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from gongkai.core.permissions import is_coordinator, staff_required
from gongkai.supervision import checks, documents, forms, services
from gongkai.supervision.models import (
    Assignment,
    AssignmentStatus,
    Bulletin,
    BulletinStatus,
    Evaluation,
    Finding,
    FindingStatus,
    Plan,
    Score,
    TrainingMaterial,
    TrainingSession,
    Word,
)
from gongkai.supervision.views import XLSX, _errors, download

coordinator_required = staff_required(coordinator=True)


@coordinator_required
def dashboard(request: HttpRequest) -> HttpResponse:
    plan = Plan.objects.first()
    bars = []
    if plan:
        per_org = (Assignment.objects.filter(task__plan=plan).values("org__short_name",
                                                                      "org__name")
                   .annotate(n=Count("id"),
                             done=Count("id", filter=~Q(status=AssignmentStatus.OPEN)))
                   .order_by("-done", "org__name"))
        bars = [(r["org__short_name"] or r["org__name"], round(100 * r["done"] / r["n"], 1))
                for r in per_org]
    open_f = Finding.objects.exclude(status=FindingStatus.CLOSED)
    findings_by_org = (open_f.values("org__name").annotate(n=Count("id"),
                                                            veto=Count("id", filter=Q(veto=True)))
                       .order_by("-veto", "-n")[:20])
    issues = [checks.Issue(f.key, f.kind, f.url, f.detail, None, f.veto, float(f.deduction))
              for f in open_f]
    veto, site_score = checks.score(issues)
    return render(request, "supervision/dashboard.html", {
        "plan": plan, "bars": mark_safe(documents.bars_svg(bars)),  # noqa: S308 - escaped
        "findings_by_org": findings_by_org, "veto": veto, "site_score": site_score,
        "evaluations": Evaluation.objects.all()[:10],
        "bulletins": Bulletin.objects.all()[:10],
    })


@coordinator_required
def evaluations(request: HttpRequest) -> HttpResponse:
    form = forms.EvaluationForm(request.POST or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        manual = {k: dict(v) for k, v in d["third_party"].items()}
        for pk, values in d["special_review"].items():
            manual.setdefault(pk, {}).update(values)
        try:
            ev = services.run_evaluation(actor=request.user, title=d["title"], start=d["start"],
                                         end=d["end"], manual=manual)
            messages.success(request, f"评估完成：{ev.scores.count()} 个单位。")
            return redirect(ev)
        except ValidationError as exc:
            errors = _errors(exc)
    return render(request, "supervision/evaluations.html", {
        "form": form, "errors": errors, "evaluations": Evaluation.objects.all(),
    }, status=400 if request.method == "POST" else 200)


@coordinator_required
def evaluation(request: HttpRequest, pk: int) -> HttpResponse:
    ev = get_object_or_404(Evaluation, pk=pk)
    scores = list(ev.scores.select_related("org"))
    trend = None
    org_id = request.GET.get("org", "")
    if org_id.isdigit():
        history = (Score.objects.filter(org_id=int(org_id), evaluation__end__lte=ev.end)
                   .select_related("evaluation").order_by("evaluation__end", "evaluation_id"))
        series = [(s.evaluation.title, float(s.total)) for s in history]
        trend = mark_safe(documents.trend_svg(series))  # noqa: S308 - labels escaped
    return render(request, "supervision/evaluation.html", {
        "ev": ev, "scores": scores, "trend": trend, "org_id": org_id,
        "vetoed": [s for s in scores if s.vetoes],
        "draft_form": forms.BulletinDraftForm(), "bulletins": ev.bulletins.all(),
    })


@coordinator_required
def evaluation_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    ev = get_object_or_404(Evaluation, pk=pk)
    scores = list(ev.scores.select_related("org"))
    keys = [(i["key"], i["label"]) for i in (scores[0].indicators if scores else [])]
    rows = []
    for s in scores:
        by_key = {i["key"]: i for i in s.indicators}
        rows.append([s.rank, s.org.name, float(s.total),
                     "；".join(v["label"] for v in s.vetoes)] + [
            ("无数据" if by_key.get(k, {}).get("points") is None else by_key[k]["points"])
            for k, _ in keys])
    head = ["名次", "单位", "得分", "单项否决"] + [lbl for _, lbl in keys]
    data = documents.xlsx("评估得分", head, rows)
    return download(data, XLSX, f"{ev.title}.xlsx")


@coordinator_required
@require_POST
def bulletin_draft(request: HttpRequest, pk: int) -> HttpResponse:
    ev = get_object_or_404(Evaluation, pk=pk)
    form = forms.BulletinDraftForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写整改期限。")
        return redirect(ev)
    try:
        b = services.draft_bulletin(actor=request.user, evaluation=ev, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, "；".join(_errors(exc)))
        return redirect(ev)
    return redirect(b)


def _approver_or_coordinator(request) -> bool:
    from gongkai.supervision.services.bulletins import may_approve

    coordinator = is_coordinator(request.user)
    if not (coordinator or may_approve(request.user)):
        raise PermissionDenied
    return coordinator


@staff_required
def bulletin(request: HttpRequest, pk: int) -> HttpResponse:
    coordinator = _approver_or_coordinator(request)
    b = get_object_or_404(Bulletin, pk=pk)
    form = forms.BulletinEditForm(request.POST or None, initial={
        "title": b.title, "body": b.body, "number": b.number})
    errors = []
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "publish":
                services.publish_bulletin(actor=request.user, bulletin=b,
                                          revision=request.POST.get("revision", "")[:64])
                messages.success(request, "通报已审核发布。")
                return redirect(b)
            if form.is_valid():
                services.save_bulletin(actor=request.user, bulletin=b, **form.cleaned_data)
                messages.success(request, "通报已保存。")
                return redirect(b)
        except ValidationError as exc:
            errors = _errors(exc)
    return render(request, "supervision/bulletin.html", {
        "b": b, "form": form, "errors": errors,
        "editable": b.status == BulletinStatus.DRAFT, "revision": b.revision(),
        "own": b.written_by_id == request.user.pk, "coordinator": coordinator,
    }, status=400 if request.method == "POST" else 200)


@staff_required
def bulletin_file(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    _approver_or_coordinator(request)
    b = get_object_or_404(Bulletin, pk=pk)
    if fmt == "docx":
        return download(documents.bulletin_docx(b), "application/vnd.openxmlformats-"
                        "officedocument.wordprocessingml.document", f"{b.title}.docx")
    return download(documents.bulletin_pdf(b), "application/pdf", f"{b.title}.pdf")


@coordinator_required
def words(request: HttpRequest) -> HttpResponse:
    form = forms.WordForm(request.POST or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            services.save_word(actor=request.user, **form.cleaned_data)
            messages.success(request, "已保存。")
            return redirect("supervision:words")
        except ValidationError as exc:
            errors = _errors(exc)
    return render(request, "supervision/words.html", {
        "form": form, "errors": errors, "words": Word.objects.all(),
    }, status=400 if request.method == "POST" else 200)


@coordinator_required
def training(request: HttpRequest) -> HttpResponse:
    form = forms.TrainingForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            services.save_training(actor=request.user, **form.cleaned_data)
            messages.success(request, "培训已登记。")
            return redirect("supervision:training")
        except ValidationError as exc:
            errors = _errors(exc)
    sessions = TrainingSession.objects.annotate(n=Count("orgs")).prefetch_related(
        "material_files")
    return render(request, "supervision/training.html", {
        "form": form, "errors": errors, "sessions": sessions,
    }, status=400 if request.method == "POST" else 200)


@staff_required
def training_material(request: HttpRequest, pk: int) -> HttpResponse:
    """A session's uploaded material, for any staff member (training is for everyone)."""
    m = get_object_or_404(TrainingMaterial, pk=pk)
    if not m.file:
        raise Http404("该材料是链接，不是上传的文件。")
    try:
        data = m.file.read()
    except OSError:
        raise Http404("材料文件不存在。") from None
    ctype = mimetypes.guess_type(m.title)[0] or "application/octet-stream"
    return download(data, ctype, m.title)
