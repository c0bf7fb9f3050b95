"""Public pages (/ndbg/) and staff pages (/ndbg/staff/) of the annual report. Views stay thin:
parse input, call one service, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from gongkai.core.models import Organization
from gongkai.core.params import clean_text, parse_int, parse_slug
from gongkai.core.permissions import (
    can_edit,
    can_review,
    can_view,
    is_coordinator,
    staff_required,
    visible_orgs,
)
from gongkai.reports import exports, review, services
from gongkai.reports.forms import ReasonForm, ReportForm
from gongkai.reports.models import AnnualReport, ReportStatus, due_date


def _default_year() -> int:
    return timezone.localdate().year - 1


def _year(raw, errors: list[str] | None = None) -> int:
    """A report year from the query string; bad input → the default year and a message."""
    this_year = timezone.localdate().year
    if raw in (None, ""):
        return _default_year()
    year = parse_int(raw, min=2000, max=this_year)
    if year is None:
        if errors is not None:
            errors.append(f"年度“{clean_text(raw, max_len=10)}”无效，"
                          f"请选择 2000 至 {this_year} 年。已显示 {_default_year()} 年。")
        return _default_year()
    return year


def _years() -> list[int]:
    this_year = timezone.localdate().year
    return list(range(this_year, this_year - 6, -1))


def _download(doc: exports.ReportDocument, fmt: str, name: str) -> HttpResponse:
    try:
        data = exports.render(doc, fmt)
    except ValueError:
        raise Http404("不支持的格式") from None
    resp = HttpResponse(data, content_type=exports.CONTENT_TYPES[fmt])
    if fmt != "html":
        resp["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    else:
        resp["Content-Disposition"] = f'attachment; filename="{name}.html"'
    return resp


# --- public ----------------------------------------------------------------------------------


def index(request):
    """公开年报: every published report, newest year first."""
    errors: list[str] = []
    year = request.GET.get("year")
    reports = (AnnualReport.objects.filter(status=ReportStatus.PUBLISHED)
               .select_related("org").order_by("-year", "org__sort_order", "org__code"))
    if year:
        reports = reports.filter(year=_year(year, errors))
    by_year: dict[int, list[AnnualReport]] = {}
    for rep in reports:
        by_year.setdefault(rep.year, []).append(rep)
    return render(request, "reports/index.html", {
        "by_year": sorted(by_year.items(), reverse=True), "errors": errors, "years": _years(),
        "year": year or "",
    })


def detail(request, code: str, year: int):
    report = get_object_or_404(AnnualReport.objects.select_related("org"), org__code=code,
                               year=year, status=ReportStatus.PUBLISHED)
    doc = services.document_for(report)
    return render(request, "reports/detail.html", {
        "report": report, "doc": doc, "formats": _formats(),
    })


def _formats():
    return [("pdf", "PDF"), ("docx", "Word（DOCX）"), ("xlsx", "Excel（XLSX，一表一页）"),
            ("json", "数据（JSON）")]


def download(request, code: str, year: int, fmt: str):
    report = get_object_or_404(AnnualReport.objects.select_related("org"), org__code=code,
                               year=year, status=ReportStatus.PUBLISHED)
    return _download(services.document_for(report), fmt, f"{code}-{year}-annual-report")


# --- staff -----------------------------------------------------------------------------------


@staff_required
def staff_index(request):
    request.gongkai_private = True
    errors: list[str] = []
    year = _year(request.GET.get("year"), errors)
    orgs = visible_orgs(request.user).filter(is_active=True).order_by("sort_order", "code")
    reports = {r.org_id: r for r in AnnualReport.objects.filter(year=year, org__in=orgs)}
    today = timezone.localdate()
    rows = []
    for org in orgs:
        rep = reports.get(org.pk)
        due = due_date(org, year)
        rows.append({"org": org, "report": rep, "due": due, "can_edit": can_edit(request.user, org),
                     "overdue": today > due and not (rep and rep.is_published)})
    published = sum(1 for r in rows if r["report"] and r["report"].is_published)
    return render(request, "reports/staff_index.html", {
        "year": year, "years": _years(), "rows": rows, "errors": errors,
        "published": published, "coordinator": is_coordinator(request.user),
        "dept_due": due_date(Organization(kind="department"), year),
        "gov_due": due_date(Organization(kind="government"), year),
    })


@staff_required
def staff_open(request):
    request.gongkai_private = True
    if request.method != "POST":
        return redirect("reports:staff_index")
    org = Organization.objects.filter(code=parse_slug(request.POST.get("org"), default="")).first()
    errors: list[str] = []
    year = _year(request.POST.get("year"), errors)
    if org is None or errors:
        messages.error(request, errors[0] if errors else "请选择单位。")
        return redirect("reports:staff_index")
    if not can_edit(request.user, org):
        raise PermissionDenied("只能编制本单位的年度报告。")
    try:
        report = services.open_report(actor=request.user, org=org, year=year)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("reports:staff_index")
    return redirect(report.staff_url())


def _staff_report(request, code: str, year: int) -> AnnualReport:
    report = get_object_or_404(AnnualReport.objects.select_related("org", "document"),
                               org__code=code, year=year)
    if not can_view(request.user, report.org):
        raise PermissionDenied("只能查看本单位的年度报告。")
    return report


def _initial(report: AnnualReport) -> dict:
    return {"overview": report.overview, "problems": report.problems, "other": report.other,
            "licensing": report.licensing, "punishment": report.punishment,
            "enforcement": report.enforcement, "fees": services.T.fees_text(report.fees),
            "carry_note": report.carry_note}


@staff_required
def edit(request, code: str, year: int):
    request.gongkai_private = True
    report = _staff_report(request, code, year)
    user = request.user
    form = ReportForm(initial=_initial(report))
    reason_form = ReasonForm()
    blocked: list[str] = []
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action in ("save", "submit"):
                form = ReportForm(request.POST)
                if not can_edit(user, report.org):
                    raise PermissionDenied("只能编辑本单位的年度报告。")
                if form.is_valid():
                    report = services.save_report(actor=user, report=report, **form.cleaned_data)
                    if action == "submit":
                        report = review.submit_report(actor=user, report=report)
                        messages.success(request, "已保存并提交审核。")
                    else:
                        messages.success(request, "已保存。")
                    return redirect(report.staff_url())
            elif action == "approve":
                report = review.approve_report(actor=user, report=report)
                messages.success(request, "已审核通过，审核内容已记录。")
                return redirect(report.staff_url())
            elif action == "publish":
                report = review.publish_report(actor=user, report=report)
                messages.success(request, f"已发布到“{report.org.name}”的公开年报栏目。")
                return redirect(report.staff_url())
            elif action in ("return", "reopen"):
                reason_form = ReasonForm(request.POST)
                if reason_form.is_valid():
                    fn = review.return_report if action == "return" else review.reopen_report
                    report = fn(actor=user, report=report,
                                reason=reason_form.cleaned_data["reason"])
                    messages.success(request, "已退回修改。" if action == "return"
                                     else "已撤回为草稿，修改后请重新提交审核和发布。")
                    return redirect(report.staff_url())
            else:
                blocked = ["未知的操作。"]
        except review.PublishBlocked as exc:
            blocked = exc.messages
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errs in exc.message_dict.items():
                    if field in form.fields:
                        form.add_error(field, errs)
                    else:
                        blocked += errs
            else:
                blocked = exc.messages
    st = services.state(report.org, report.year, report)
    doc = services.document_for(report, st)
    return render(request, "reports/edit.html", {
        "report": report, "form": form, "reason_form": reason_form, "state": st, "doc": doc,
        "blocked": blocked, "problems": st.blockers(report.carry_note),
        "can_edit": can_edit(user, report.org) and not report.is_published,
        "can_review": can_review(user, report.org), "formats": _formats(),
        "today": timezone.localdate(), "publishable_from": review.publishable_from(report.year),
    })


@staff_required
def staff_export(request, code: str, year: int, fmt: str):
    request.gongkai_private = True
    report = _staff_report(request, code, year)
    return _download(services.document_for(report), fmt, f"{code}-{year}-annual-report")


@staff_required(coordinator=True)
def summary(request):
    """The coordinator's overview: who has published, and the district-wide sum."""
    request.gongkai_private = True
    errors: list[str] = []
    year = _year(request.GET.get("year"), errors)
    fmt = request.GET.get("format", "")
    if fmt:
        return _download(services.district_document(year), fmt, f"all-{year}-annual-report")
    total, rows = services.district_data(year)
    doc = exports.ReportDocument(data=total, org_name="全区汇总")
    today = timezone.localdate()
    units = []
    for org, data, rep in rows:
        due = due_date(org, year)
        units.append({"org": org, "report": rep, "due": due,
                      "overdue": today > due and not (rep and rep.is_published),
                      "new": data.section3["1"]["total"], "done": data.section3["3.7"]["total"],
                      "out": data.section3["4"]["total"], "ok": not data.check()})
    return render(request, "reports/summary.html", {
        "year": year, "years": _years(), "units": units, "doc": doc, "grids": doc.grids(),
        "errors": errors, "formats": _formats(),
        "published": (published := sum(1 for u in units
                                       if u["report"] and u["report"].is_published)),
        "unpublished": len(units) - published,
    })
