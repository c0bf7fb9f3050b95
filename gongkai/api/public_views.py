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
    year = int(raw) if raw.isdigit() and int(raw) in years else this_year - 1
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
    code = request.GET.get("unit", "")
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
