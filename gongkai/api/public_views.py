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
