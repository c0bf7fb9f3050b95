"""建议提案办理结果: the public column and the staff pages (import, answer, publish)."""

from __future__ import annotations

from django.contrib import messages as flash
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from gongkai.core.permissions import can_edit, can_review, is_coordinator, scope, staff_required
from gongkai.interaction.forms import ProposalAnswerForm, ProposalImportForm
from gongkai.interaction.models import Proposal, ProposalKind
from gongkai.interaction.services import proposals as svc


def _year(request) -> int:
    this = timezone.localdate().year
    try:
        year = int(request.GET.get("year", this))
    except (TypeError, ValueError):
        return this
    return year if 2000 <= year <= this + 1 else this


def public_list(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    kind = request.GET.get("kind") if request.GET.get("kind") in ProposalKind.values else ""
    qs = Proposal.objects.filter(published=True, year=year).select_related("org")
    if kind:
        qs = qs.filter(kind=kind)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    columns = svc.category_columns(year)
    return render(request, "interaction/proposals.html", {
        "page": page, "year": year, "kind": kind, "kinds": ProposalKind.choices,
        "stats": svc.annual_stats(year, columns), "columns": columns,
        "query": f"year={year}&kind={kind}"})


def public_csv(request: HttpRequest) -> HttpResponse:
    """The year's published results and per-unit statistics as CSV (UTF-8 with BOM for
    spreadsheet programs); the 答复类别 column uses the local scheme's labels."""
    year = _year(request)
    rows = Proposal.objects.filter(published=True, year=year).select_related("org")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="jyta-{year}.csv"'
    response.write("\ufeff")
    svc.write_csv(response, rows, year)
    return response


def public_detail(request: HttpRequest, pk: int) -> HttpResponse:
    p = Proposal.objects.filter(pk=pk, published=True).select_related("org").first()
    if p is None:
        raise Http404("该建议提案不存在或未公开。")
    return render(request, "interaction/proposal.html", {"p": p})


@staff_required
def staff_list(request: HttpRequest) -> HttpResponse:
    form = ProposalImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and is_coordinator(request.user) and form.is_valid():
        try:
            rows = svc.read_xlsx(form.cleaned_data["file"])
            created, updated, errors = svc.import_proposals(actor=request.user, rows=rows)
            flash.success(request, f"已导入：新增{created}件，更新{updated}件。")
            for e in errors[:20]:
                flash.error(request, e)
        except ValidationError as exc:
            flash.error(request, "；".join(exc.messages))
        except Exception:  # a damaged workbook must not become a 500
            flash.error(request, "无法读取该XLSX文件，请检查文件是否损坏。")
        return redirect("interaction:staff_proposals")
    qs = scope(Proposal.objects.select_related("org"), request.user)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "interaction/staff/proposals.html", {
        "page": page, "form": form, "coordinator": is_coordinator(request.user),
        "today": timezone.localdate()})


@staff_required
def staff_detail(request: HttpRequest, pk: int) -> HttpResponse:
    p = get_object_or_404(scope(Proposal.objects.select_related("org"), request.user), pk=pk)
    form = ProposalAnswerForm(request.POST or None, initial={
        "category": p.category, "reply_text": p.reply_text, "publish_full": p.publish_full})
    if request.method == "POST":
        try:
            if request.POST.get("action") == "publish":
                svc.publish_proposal(actor=request.user, proposal=p)
                flash.success(request, "办理结果已公开。")
                return redirect("interaction:staff_proposal", p.pk)
            if form.is_valid():
                svc.answer_proposal(actor=request.user, proposal=p, **form.cleaned_data)
                flash.success(request, "答复已登记，待审核人公开。")
                return redirect("interaction:staff_proposal", p.pk)
        except ValidationError as exc:
            flash.error(request, "；".join(exc.messages))
            return redirect("interaction:staff_proposal", p.pk)
    return render(request, "interaction/staff/proposal.html", {
        "p": p, "form": form, "can_answer": can_edit(request.user, p.org_id) and not p.published,
        "can_publish": p.answered_date and not p.published
        and can_review(request.user, p.org_id) and p.answered_by_id != request.user.pk})
