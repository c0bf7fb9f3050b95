"""CSV and XLSX of every public list, filtered exactly as the list page filters.

The site's list pages link here with their own query string, so what a journalist sees on
the page is what the spreadsheet holds (all pages of it, up to ``MAX_ROWS``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable

from django.db.models import Q
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from gongkai.disclosure.forms import DocumentFilterForm
from gongkai.disclosure.models import (
    DocType,
    Document,
    Interpretation,
    InterpretationKind,
    Regulation,
    Status,
)
from gongkai.disclosure.views import CLEANUP_SINCE, apply_filters
from gongkai.reports.models import AnnualReport, ReportStatus

MAX_ROWS = 20000
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _date(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "tzinfo") and hasattr(value, "hour"):
        return timezone.localtime(value).strftime("%Y-%m-%d")
    return value.isoformat()


def _abs(request, path: str) -> str:
    return request.build_absolute_uri(path)


DOC_COLUMNS = ["索引号", "文号", "标题", "发布机构", "成文日期", "发布日期", "主题分类", "体裁",
               "文件类型", "有效性", "施行日期", "废止/失效日期", "公开目录栏目", "链接"]


def _documents(request, qs) -> tuple[list[str], Iterable[list]]:
    form = DocumentFilterForm(request.GET or None)
    qs = apply_filters(qs, form).select_related("org", "node")[:MAX_ROWS]
    rows = ([d.index_number, d.doc_number, d.title, d.org.name, _date(d.written_date),
             _date(d.published_at), d.topic, d.genre, d.get_doc_type_display(),
             d.get_validity_display(), _date(d.effective_date), _date(d.repealed_date),
             d.node.name if d.node else "", _abs(request, d.get_absolute_url())] for d in qs)
    return DOC_COLUMNS, rows


def documents(request):
    return _documents(request, Document.objects.public())


def policies(request):
    qs = Document.objects.public().filter(
        doc_type__in=[DocType.REGULATION, DocType.NORMATIVE, DocType.POLICY])
    if request.GET.get("view") == "xxyx":  # the 现行有效 view of the policy library
        qs = qs.filter(doc_type__in=[DocType.NORMATIVE, DocType.POLICY],
                       written_date__gte=CLEANUP_SINCE).exclude(
            validity__in=["repealed", "expired"])
    return _documents(request, qs)


def interpretations(request):
    qs = Interpretation.objects.filter(status=Status.PUBLISHED).select_related("org")
    kind = request.GET.get("kind", "")
    if kind in InterpretationKind.values:
        qs = qs.filter(kind=kind)
    rows = ([i.title, i.org.name, i.get_kind_display(), _date(i.published_at),
             "；".join(f"{d.doc_number} {d.title}".strip() for d in i.documents.filter(
                 status=Status.PUBLISHED, attribute="public")),
             _abs(request, i.get_absolute_url())] for i in qs[:MAX_ROWS])
    return ["标题", "解读机构", "解读形式", "发布日期", "解读的文件", "链接"], rows


def regulations(request):
    qs = Regulation.objects.prefetch_related("versions")
    q = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    collection = request.GET.get("collection", "").replace("\x00", "")[:100]
    if q:
        qs = qs.filter(title__icontains=q)
    if collection:
        qs = qs.filter(collection=collection)

    def row(reg):
        versions = list(reg.versions.all())
        current = next((v for v in versions if v.is_current), None)
        return [reg.title, reg.collection, _date(current.date) if current else "",
                len(versions), _abs(request, reg.get_absolute_url())]

    return ["名称", "类别", "现行版本日期", "版本数", "链接"], (row(r) for r in qs[:MAX_ROWS])


def reports(request):
    qs = (AnnualReport.objects.filter(status=ReportStatus.PUBLISHED).select_related("org")
          .order_by("-year", "org__sort_order", "org__code"))
    year = request.GET.get("year", "")
    if year.isascii() and year.isdigit() and len(year) == 4:
        qs = qs.filter(year=int(year))
    if code := request.GET.get("unit", "").replace("\x00", ""):
        qs = qs.filter(Q(org__code=code))

    def row(rep):
        s3 = (rep.figures or {}).get("section3", {})
        total = {k: (v or {}).get("total", 0) for k, v in s3.items()}
        return [rep.org.name, rep.year, rep.title, _date(rep.published_at),
                total.get("1", 0), total.get("2", 0), total.get("3.7", 0), total.get("4", 0),
                _abs(request, rep.get_absolute_url())]

    return (["单位", "年度", "标题", "发布时间", "本年新收申请", "上年结转", "办结总计",
             "结转下年度", "链接"], (row(r) for r in qs[:MAX_ROWS]))


def answers(request):
    """The public record of 依申请公开 answers (条例第四十四条), as filtered on its page."""
    from gongkai.api.models import PublicAnswer, RecordStatus

    qs = (PublicAnswer.objects.filter(status=RecordStatus.PUBLISHED).select_related("org")
          .prefetch_related("files"))
    if code := request.GET.get("unit", "").replace("\x00", "")[:64]:
        qs = qs.filter(org__code=code)
    if q := request.GET.get("q", "").replace("\x00", "").strip()[:100]:
        qs = qs.filter(question__icontains=q)
    rows = ([a.org.name, a.question, a.answer_type, _date(a.answered_on),
             _date(a.published_at), "；".join(f.title for f in a.files.all()),
             _abs(request, reverse("kaifang:answers") + f"#answer-{a.pk}")]
            for a in qs[:MAX_ROWS])
    return ["答复机关", "申请公开的信息", "答复类型", "答复日期", "公开时间", "公开的材料",
            "链接"], rows


def foi_statistics(request):
    """Per unit, one year: the annual report's section 三/四 counts (its published figures,
    or live ones before publication) and the timeliness shown on the statistics page."""
    from gongkai.api import statistics as stats
    from gongkai.api.views import foi_statistics as figures_of
    from gongkai.foi.forms import addressee_choices
    from gongkai.reports import tables as T

    raw = request.GET.get("year", "")
    this_year = timezone.localdate().year
    year = int(raw) if raw.isascii() and raw.isdigit() and 2008 <= int(raw) <= this_year \
        else this_year - 1
    units = addressee_choices().order_by("sort_order", "code")
    if code := request.GET.get("unit", "").replace("\x00", "")[:64]:
        units = units.filter(code=code)
    groups = [label for _, label in stats.GROUPS]
    appeals = [label for _, label in T.APPEAL_KINDS]

    def row(unit):
        f = figures_of(unit, year)
        t = stats.timeliness(unit, year)
        return [unit.name, unit.code, year, "已发布的年度报告" if f["source"] == "published"
                else "实时统计（年度报告尚未发布）", f["new_applications"], f["carried_in"],
                *[n for _, _, n in stats.group_totals(f["section3"])], f["closed"],
                f["carried_out"], t.median_workdays if t.median_workdays is not None else "",
                t.on_time_share if t.on_time_share is not None else "",
                *[f["appeals"].get(k, {}).get("total", 0) for k, _ in T.APPEAL_KINDS]]

    return (["单位", "单位代码", "年度", "数据来源", "本年新收申请", "上年结转", *groups,
             "办结总计", "结转下年度", "办理用时中位数（工作日）", "按期答复率（%）",
             *[f"{a}（总计）" for a in appeals]], (row(u) for u in units))


LISTS: dict[str, tuple[str, Callable]] = {
    "documents": ("政府信息", documents),
    "policies": ("政策文件库", policies),
    "interpretations": ("政策解读", interpretations),
    "regulations": ("法规库", regulations),
    "reports": ("政府信息公开工作年度报告", reports),
    "answers": ("依申请公开答复", answers),
    "foi-statistics": ("依申请公开统计", foi_statistics),
}


def _csv(columns, rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_safe(v) for v in row])
    # BOM: Excel on Chinese Windows opens UTF-8 CSV correctly only with it.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _safe(value):
    """Cells starting with = + - @ would run as formulas in a spreadsheet (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def _xlsx(title: str, columns, rows) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title[:31])
    ws.append(columns)
    for row in rows:
        ws.append([_safe(v) for v in row])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def export(request, kind: str, fmt: str):
    if kind not in LISTS or fmt not in CONTENT_TYPES:
        raise Http404("不支持的导出")
    title, build = LISTS[kind]
    columns, rows = build(request)
    data = _csv(columns, rows) if fmt == "csv" else _xlsx(title, columns, rows)
    resp = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    stamp = timezone.localdate().strftime("%Y%m%d")
    resp["Content-Disposition"] = f'attachment; filename="{kind}-{stamp}.{fmt}"'
    resp["Access-Control-Allow-Origin"] = "*"
    return resp
