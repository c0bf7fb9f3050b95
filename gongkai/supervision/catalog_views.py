"""26+1+n 标准目录 on the workbench: list, import, edit, and the 回头看 per unit."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from gongkai.core.permissions import (
    can_edit,
    is_coordinator,
    profile_of,
    staff_required,
    visible_org_ids,
)
from gongkai.supervision import catalog_report as catalog_report_mod
from gongkai.supervision import documents, forms, services
from gongkai.supervision.models import CatalogEntry, CatalogLevel, Finding, FindingStatus
from gongkai.supervision.views import XLSX, _errors, download

CATALOG_KINDS = ("catalog_overdue", "catalog_empty")


def _visible(user):
    ids = visible_org_ids(user)
    qs = CatalogEntry.objects.select_related("org")
    if ids is None:
        return qs
    return qs.filter(Q(org__isnull=True) | Q(org__in=ids))


@staff_required
def catalog(request: HttpRequest) -> HttpResponse:
    coordinator = is_coordinator(request.user)
    own = profile_of(request.user).org
    import_form = forms.CatalogImportForm(request.POST or None, request.FILES or None,
                                          prefix="imp")
    entry_form = forms.CatalogEntryForm(None, prefix="new")
    errors, row_errors = [], []
    if request.method == "POST" and request.POST.get("action") == "import":
        if import_form.is_valid():
            level = import_form.cleaned_data["level"]
            f = import_form.cleaned_data["file"]
            try:
                n, row_errors = services.import_catalog(
                    actor=request.user, data=f.read(), filename=f.name, level=level,
                    org=own if level == CatalogLevel.UNIT else None)
                messages.success(request, f"已导入 {n} 条目录事项。")
                if not row_errors:
                    return redirect("supervision:catalog")
            except ValidationError as exc:
                errors = _errors(exc)
    elif request.method == "POST" and request.POST.get("action") == "add":
        entry_form = forms.CatalogEntryForm(request.POST, prefix="new")
        if entry_form.is_valid():
            data = dict(entry_form.cleaned_data)
            level = data.pop("level") or CatalogLevel.UNIT
            try:
                services.save_entry(actor=request.user, level=level,
                                    org=own if level == CatalogLevel.UNIT else None, **data)
                messages.success(request, "目录事项已保存。")
                return redirect("supervision:catalog")
            except ValidationError as exc:
                errors = _errors(exc)
    entries = _visible(request.user)
    level = request.GET.get("level", "")
    if level in CatalogLevel.values:
        entries = entries.filter(level=level)
    findings = Finding.objects.filter(kind__in=CATALOG_KINDS)
    ids = visible_org_ids(request.user)
    if ids is not None:
        findings = findings.filter(org__in=ids)
    review = (findings.values("org__name").annotate(
        n=Count("id"), open=Count("id", filter=~Q(status=FindingStatus.CLOSED)))
        .order_by("-open", "org__name"))
    status = 400 if request.method == "POST" and (errors or row_errors) else 200
    return render(request, "supervision/catalog.html", {
        "entries": entries[:1000], "levels": CatalogLevel.choices, "level": level,
        "import_form": import_form, "entry_form": entry_form, "errors": errors,
        "row_errors": row_errors, "review": review, "coordinator": coordinator,
    }, status=status)


@staff_required
def catalog_entry(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(CatalogEntry.objects.select_related("org"), pk=pk)
    if entry.org is not None and entry.org_id not in (visible_org_ids(request.user) or
                                                      {entry.org_id}):
        raise PermissionDenied("只能查看本单位的目录。")
    editable = (is_coordinator(request.user) if entry.org is None
                else can_edit(request.user, entry.org))
    initial = {k: getattr(entry, k) for k in services.catalog.EDITABLE}
    form = forms.CatalogEntryForm(request.POST or None, initial=initial)
    errors = []
    if request.method == "POST":
        if not editable:
            raise PermissionDenied("您不能修改该目录事项。")
        if form.is_valid():
            data = dict(form.cleaned_data)
            data.pop("level", None)
            try:
                services.save_entry(actor=request.user, level=entry.level, entry=entry, **data)
                messages.success(request, "已保存。")
                return redirect("supervision:catalog_entry", pk=entry.pk)
            except ValidationError as exc:
                errors = _errors(exc)
    return render(request, "supervision/catalog_entry.html", {
        "entry": entry, "form": form, "errors": errors, "editable": editable,
        "coordinator": is_coordinator(request.user),
    }, status=400 if request.method == "POST" else 200)


@staff_required
def catalog_report(request: HttpRequest) -> HttpResponse:
    """回头看 per 街道 and department: each 26+1+n entry a unit carries out, and its state."""
    groups = catalog_report_mod.report(visible_org_ids(request.user))
    return render(request, "supervision/catalog_report.html", {
        "groups": groups, "statuses": catalog_report_mod.STATUS,
        "coordinator": is_coordinator(request.user),
    })


@staff_required
def catalog_report_xlsx(request: HttpRequest) -> HttpResponse:
    groups = catalog_report_mod.report(visible_org_ids(request.user))
    data = documents.xlsx("标准目录回头看", ["类别", "单位", "目录", "领域", "事项", "公开时限",
                                         "发布栏目", "核查结果", "问题说明"],
                          catalog_report_mod.rows(groups))
    return download(data, XLSX, "标准目录回头看.xlsx")
