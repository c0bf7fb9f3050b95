"""Public pages of the open-data section: 依申请公开 statistics per unit and year."""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import mark_safe

from gongkai.api import statistics as stats
from gongkai.api.views import foi_statistics
from gongkai.core.models import Organization
from gongkai.foi.forms import addressee_choices


def foi_statistics_page(request):
    units = list(addressee_choices().order_by("sort_order", "code"))
    this_year = timezone.localdate().year
    years = list(range(this_year, this_year - 6, -1))
    errors = []
    code = request.GET.get("unit") or (Organization.root().code if Organization.root() else "")
    unit = next((u for u in units if u.code == code), None)
    if unit is None:
        errors.append("请选择单位。")
    raw = request.GET.get("year", "")
    year = int(raw) if raw.isascii() and raw.isdigit() and int(raw) in years else this_year - 1
    if raw and str(year) != raw:
        errors.append(f"只能查询{years[-1]}年至{years[0]}年。")
    ctx = {"units": units, "years": years, "unit": unit, "year": year, "errors": errors}
    if unit is not None:
        figures = foi_statistics(unit, year)
        groups = stats.group_totals(figures["section3"])
        ctx.update(
            figures=figures, groups=groups, timeliness=stats.timeliness(unit, year),
            appeals=stats.appeal_rows(figures["appeals"]),
            chart=mark_safe(stats.bar_chart([(label, n) for _, label, n in groups],  # noqa: S308
                                            title=f"{year}年度办理结果")),
        )
    return render(request, "api/foi_statistics.html", ctx)


# --- the public record of answers (条例第四十四条) ------------------------------------------


def answer_list(request):
    from django.core.paginator import Paginator

    from gongkai.api.models import PublicAnswer, RecordStatus

    qs = PublicAnswer.objects.filter(status=RecordStatus.PUBLISHED).select_related("org")
    code = request.GET.get("unit", "").replace("\x00", "")[:64]
    if code:
        qs = qs.filter(org__code=code)
    q = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    if q:
        qs = qs.filter(question__icontains=q)
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    return render(request, "api/answer_list.html", {
        "page": page, "q": q, "unit": code,
        "units": addressee_choices().order_by("sort_order", "code")})


def answer_file(request, pk: int, file_id: int):
    from django.http import Http404

    from gongkai.api.models import PublicAnswer, RecordStatus
    from gongkai.foi.views import file_response

    record = PublicAnswer.objects.filter(pk=pk, status=RecordStatus.PUBLISHED).first()
    item = record.files.filter(pk=file_id).first() if record else None
    if item is None or not item.file:
        raise Http404("材料不存在。")
    return file_response(item)


# --- 数据开放 ------------------------------------------------------------------------------


def dataset_list(request):
    from gongkai.api.models import Dataset

    datasets = Dataset.objects.select_related("org").prefetch_related("releases")
    return render(request, "api/dataset_list.html", {"datasets": datasets})


def dataset_detail(request, code: str):
    from django.shortcuts import get_object_or_404

    from gongkai.api import opendata
    from gongkai.api.models import Dataset

    ds = get_object_or_404(Dataset.objects.select_related("org"), code=code)
    releases = list(ds.releases.all())
    latest = releases[0] if releases else None
    chart = ""
    if latest is not None and (rows := opendata.chart_rows(latest)):
        chart = mark_safe(stats.bar_chart(rows, title=ds.title))  # noqa: S308
    return render(request, "api/dataset_detail.html", {
        "ds": ds, "releases": releases, "latest": latest, "chart": chart,
        "preview": latest.rows[:20] if latest else [],
        "types": opendata.TYPES,
    })


def dataset_download(request, code: str, version: int, fmt: str):
    from django.http import Http404, HttpResponse

    from gongkai.api import opendata
    from gongkai.api.models import DatasetRelease

    release = (DatasetRelease.objects.select_related("dataset")
               .filter(dataset__code=code, version=version).first())
    builders = {"csv": (opendata.to_csv, "text/csv; charset=utf-8"),
                "xlsx": (opendata.to_xlsx, "application/vnd.openxmlformats-officedocument."
                                           "spreadsheetml.sheet"),
                "json": (opendata.to_json, "application/json; charset=utf-8")}
    if release is None or fmt not in builders:
        raise Http404("没有该数据版本。")
    build, content_type = builders[fmt]
    resp = HttpResponse(build(release), content_type=content_type)
    resp["Content-Disposition"] = f'attachment; filename="{code}-v{version}.{fmt}"'
    resp["Access-Control-Allow-Origin"] = "*"
    return resp
