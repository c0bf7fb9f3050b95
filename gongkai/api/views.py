"""Read endpoints (anonymous, public data only) of the open API v1."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.db.models import Max, Prefetch
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.http import http_date
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from gongkai.api import serializers as S
from gongkai.core.models import Organization
from gongkai.disclosure.models import (
    DirectoryNode,
    Document,
    GazetteIssue,
    Interpretation,
    Regulation,
    RegulationVersion,
    Status,
)
from gongkai.reports import services as report_services
from gongkai.reports import tables as T
from gongkai.reports.models import AnnualReport, ReportStatus

MAX_INT = 2**31 - 1


class ConditionalMixin:
    """ETag (of the JSON body) and Last-Modified on every successful GET, with 304 answers
    to If-None-Match / If-Modified-Since, so harvesters re-download only what changed."""

    last_modified: dt.datetime | None = None

    def initial(self, request, *args, **kwargs):
        # A NUL byte cannot be stored or compared in PostgreSQL text: refuse it up front.
        bad = [k for k, values in request.query_params.lists() if "\x00" in k
               or any("\x00" in v for v in values)]
        bad += [k for k, v in kwargs.items() if isinstance(v, str) and "\x00" in v]
        if bad:
            raise exceptions.ValidationError({k.replace("\x00", ""): ["参数中含有非法字符。"]
                                              for k in bad})
        super().initial(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        response.render()
        etag = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
        response["ETag"] = etag
        stamp = self.last_modified
        if stamp is not None:
            response["Last-Modified"] = http_date(stamp.timestamp())
        conditional = get_conditional_response(
            request, etag=etag,
            last_modified=int(stamp.timestamp()) if stamp is not None else None,
            response=response)
        if conditional is not response and conditional.status_code == 304:
            for header in ("ETag", "Last-Modified", "Access-Control-Allow-Origin"):
                if header in response:
                    conditional[header] = response[header]
        return conditional

    def note_modified(self, stamps):
        stamps = [s for s in stamps if s is not None]
        if stamps:
            self.last_modified = max(stamps)


def _int(request, name: str, minimum: int = 1, maximum: int = MAX_INT) -> int | None:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    try:
        value = int(raw)
    except ValueError:
        raise exceptions.ValidationError({name: [f"{name} 应为整数。"]})
    if not minimum <= value <= maximum:
        raise exceptions.ValidationError({name: [f"{name} 应在 {minimum} 到 {maximum} 之间。"]})
    return value


def _since(request, name: str = "updated_since") -> dt.datetime | None:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    try:
        value = parse_datetime(raw)
        if value is None:
            day = parse_date(raw)
            value = dt.datetime.combine(day, dt.time.min) if day else None
    except ValueError:
        value = None
    if value is None or not 1900 <= value.year <= 9999:
        raise exceptions.ValidationError(
            {name: ["请使用 ISO 8601 日期或时间，例如 2026-01-01 或 2026-01-01T08:00:00+08:00。"]})
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def _unit(request, name: str = "unit") -> Organization | None:
    code = request.query_params.get(name)
    if code in (None, ""):
        return None
    unit = Organization.objects.filter(code=code, is_active=True).first()
    if unit is None:
        raise exceptions.ValidationError({name: [f"没有代码为 {code[:64]} 的单位。"]})
    return unit


UNIT = OpenApiParameter("unit", str, description="单位代码，见 /api/v1/units/")
YEAR = OpenApiParameter("year", int, description="发布年份")
SINCE = OpenApiParameter("updated_since", OpenApiTypes.DATETIME,
                         description="只返回此时间之后修改的记录（增量同步）")


class ReadOnlyViewSet(ConditionalMixin, viewsets.ReadOnlyModelViewSet):
    # Routes are path() patterns (``SimpleRouter(use_regex_path=False)``): one segment.
    lookup_value_converter = "str"

    def list(self, request, *args, **kwargs):
        # Lists carry an ETag only: an item leaving the filter would not move a date.
        return super().list(request, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        obj = self.get_object()
        self.note_modified([getattr(obj, "updated_at", None)])
        return Response(self.get_serializer(obj).data)


@extend_schema_view(list=extend_schema(summary="单位列表"), retrieve=extend_schema(summary="单位"))
class UnitViewSet(ReadOnlyViewSet):
    serializer_class = S.UnitSerializer
    lookup_field = "code"
    queryset = Organization.objects.filter(is_active=True).select_related("parent")


@extend_schema_view(
    list=extend_schema(summary="公开目录栏目（目录树）", parameters=[UNIT]),
    retrieve=extend_schema(summary="公开目录栏目"))
class NodeViewSet(ReadOnlyViewSet):
    serializer_class = S.NodeSerializer
    queryset = DirectoryNode.objects.filter(is_active=True).select_related("org")

    def get_queryset(self):
        qs = super().get_queryset()
        if self.action == "list" and (unit := _unit(self.request)) is not None:
            qs = qs.filter(org=unit)
        return qs


DOC_PARAMS = [
    UNIT, YEAR, SINCE,
    OpenApiParameter("node", int, description="公开目录栏目 id（含下级栏目）"),
    OpenApiParameter("topic", str, description="主题分类"),
    OpenApiParameter("genre", str, description="体裁"),
    OpenApiParameter("doc_type", str, enum=["regulation", "normative", "policy", "other"],
                     description="文件类型"),
    OpenApiParameter("validity", str, enum=["valid", "amended", "repealed", "expired"],
                     description="有效性"),
    OpenApiParameter("doc_number", str, description="文号（精确匹配）"),
    OpenApiParameter("index_number", str, description="索引号（精确匹配）"),
]


def filter_documents(request, qs):
    """The catalogue filters, shared by the API list and the CSV/XLSX exports."""
    if (unit := _unit(request)) is not None:
        qs = qs.filter(org=unit)
    if (year := _int(request, "year", 1900, 9999)) is not None:
        qs = qs.filter(published_at__year=year)
    if (since := _since(request)) is not None:
        qs = qs.filter(updated_at__gt=since)
    if (node_id := _int(request, "node")) is not None:
        node = DirectoryNode.objects.filter(pk=node_id).first()
        if node is None:
            raise exceptions.ValidationError({"node": ["没有该公开目录栏目。"]})
        qs = qs.filter(node_id__in=node.descendant_ids())
    for name in ("topic", "genre", "doc_number", "index_number"):
        if value := request.query_params.get(name):
            qs = qs.filter(**{name: value})
    for name, allowed in (("doc_type", ("regulation", "normative", "policy", "other")),
                          ("validity", ("valid", "amended", "repealed", "expired"))):
        if value := request.query_params.get(name):
            if value not in allowed:
                raise exceptions.ValidationError({name: [f"可选值：{'、'.join(allowed)}。"]})
            qs = qs.filter(**{name: value})
    return qs


@extend_schema_view(
    list=extend_schema(summary="主动公开文件", parameters=DOC_PARAMS),
    retrieve=extend_schema(summary="文件详情（含正文、附件、解读、效力关系）"))
class DocumentViewSet(ReadOnlyViewSet):
    def get_serializer_class(self):
        return S.DocumentSerializer if self.action == "retrieve" else S.DocumentListSerializer

    def get_queryset(self):
        qs = Document.objects.public().select_related("org", "node")
        if self.action == "retrieve":
            return qs.prefetch_related("attachments", "co_issuers")
        return filter_documents(self.request, qs)


@extend_schema_view(
    list=extend_schema(summary="政策解读", parameters=[UNIT, YEAR, SINCE]),
    retrieve=extend_schema(summary="政策解读详情"))
class InterpretationViewSet(ReadOnlyViewSet):
    serializer_class = S.InterpretationSerializer

    def get_queryset(self):
        qs = Interpretation.objects.filter(status=Status.PUBLISHED).select_related("org")
        if self.action == "list":
            qs = filter_interpretations(self.request, qs)
        return qs


def filter_interpretations(request, qs):
    if (unit := _unit(request)) is not None:
        qs = qs.filter(org=unit)
    if (year := _int(request, "year", 1900, 9999)) is not None:
        qs = qs.filter(published_at__year=year)
    if (since := _since(request)) is not None:
        qs = qs.filter(updated_at__gt=since)
    return qs


@extend_schema_view(
    list=extend_schema(summary="政府公报", parameters=[OpenApiParameter("year", int)]),
    retrieve=extend_schema(summary="政府公报一期"))
class GazetteViewSet(ReadOnlyViewSet):
    serializer_class = S.GazetteIssueSerializer

    def get_queryset(self):
        qs = GazetteIssue.objects.filter(is_published=True)
        if self.action == "list" and (year := _int(self.request, "year", 1900, 9999)):
            qs = qs.filter(year=year)
        return qs


@extend_schema_view(
    list=extend_schema(summary="法规库", parameters=[
        OpenApiParameter("collection", str, description="类别"),
        OpenApiParameter("q", str, description="名称包含")]),
    retrieve=extend_schema(summary="法律法规及其各版本全文"))
class RegulationViewSet(ReadOnlyViewSet):
    serializer_class = S.RegulationSerializer

    def get_queryset(self):
        versions = Prefetch("versions", RegulationVersion.objects.order_by("-date", "-id"))
        qs = Regulation.objects.prefetch_related(versions)
        if self.action == "list":
            qs = filter_regulations(self.request, qs)
        return qs

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "full": self.action == "retrieve"}


def filter_regulations(request, qs):
    if value := request.query_params.get("collection"):
        qs = qs.filter(collection=value)
    if value := request.query_params.get("q"):
        qs = qs.filter(title__contains=value[:100])
    return qs


# --- annual reports and 依申请公开 statistics --------------------------------------------------


def report_payload(request, report: AnnualReport, full: bool) -> dict:
    row = {"unit": {"code": report.org.code, "name": report.org.name}, "year": report.year,
           "title": report.title, "published_at": report.published_at,
           "url": S.absolute(request, report.get_absolute_url())}
    if full:
        doc = report_services.document_for(report)
        row.update(overview=doc.overview, problems=doc.problems, other=doc.other,
                   figures=doc.data.to_json())
    return row


def published_reports(request):
    qs = (AnnualReport.objects.filter(status=ReportStatus.PUBLISHED).select_related("org")
          .order_by("-year", "org__sort_order", "org__code"))
    if (unit := _unit(request)) is not None:
        qs = qs.filter(org=unit)
    if (year := _int(request, "year", 1900, 9999)) is not None:
        qs = qs.filter(year=year)
    return qs


class ReportListView(ConditionalMixin, APIView):
    @extend_schema(summary="已发布的政府信息公开工作年度报告", parameters=[UNIT, YEAR],
                   operation_id="v1_reports_list",
                   responses=S.ReportSerializer(many=True))
    def get(self, request):
        reports = list(published_reports(request))
        self.note_modified([r.updated_at for r in reports])
        return Response(S.ReportSerializer(
            [report_payload(request, r, False) for r in reports], many=True).data)


class ReportDetailView(ConditionalMixin, APIView):
    @extend_schema(summary="年度报告（各部分为结构化 JSON）", responses=S.ReportSerializer)
    def get(self, request, unit: str, year: int):
        report = (AnnualReport.objects.filter(status=ReportStatus.PUBLISHED, org__code=unit,
                                              year=year).select_related("org").first())
        if report is None:
            raise exceptions.NotFound("该单位该年度的年度报告尚未发布。")
        self.note_modified([report.updated_at])
        return Response(S.ReportSerializer(report_payload(request, report, True)).data)


def foi_statistics(org: Organization, year: int) -> dict:
    """The section 三/四 figures: the published report's when it is out, else live figures
    computed by the reports app from the same records (so both always agree)."""
    report = AnnualReport.objects.filter(org=org, year=year,
                                         status=ReportStatus.PUBLISHED).first()
    st = report_services.state(org, year, report)
    data = st.data.to_json()
    s3 = data["section3"]
    total = {k: v["total"] for k, v in s3.items()}
    return {
        "unit": {"code": org.code, "name": org.name}, "year": year,
        "source": "published" if report is not None else "live",
        "new_applications": total[T.ROW_NEW], "carried_in": total[T.ROW_CARRIED_IN],
        "closed": total[T.ROW_RESULT_TOTAL], "carried_out": total[T.ROW_CARRIED_OUT],
        "results": {k: total[k] for k in T.RESULT_KEYS},
        "appeals": data["section4"], "section3": s3,
    }


class FoiStatisticsView(ConditionalMixin, APIView):
    @extend_schema(
        summary="依申请公开统计（某单位某年度，与年度报告第三、四部分一致）",
        parameters=[OpenApiParameter("unit", str, required=True, description="单位代码"),
                    OpenApiParameter("year", int, required=True, description="年度")],
        responses=S.FoiStatisticsSerializer)
    def get(self, request):
        errors = {}
        if not request.query_params.get("unit"):
            errors["unit"] = ["请指定单位代码。"]
        if not request.query_params.get("year"):
            errors["year"] = ["请指定年度。"]
        if errors:
            raise exceptions.ValidationError(errors)
        unit = _unit(request)
        year = _int(request, "year", 2008, timezone.localdate().year)
        stats = foi_statistics(unit, year)
        if stats["source"] == "published":  # live figures have no single modification date
            self.note_modified([AnnualReport.objects.filter(org=unit, year=year).aggregate(
                m=Max("updated_at"))["m"]])
        return Response(S.FoiStatisticsSerializer(stats).data)


# --- 数据开放 ------------------------------------------------------------------------------


def field_payload(fields) -> list[dict]:
    return [{"name": f.get("name", ""), "label": f.get("label", ""),
             "type": f.get("type", "text"), "required": bool(f.get("required")),
             "mask": f.get("mask", "")} for f in fields]


def dataset_payload(request, ds) -> dict:
    from django.urls import reverse

    releases = []
    for r in ds.releases.all():
        releases.append({
            "version": r.version, "published_at": r.published_at, "note": r.note,
            "row_count": len(r.rows), "schema_version": r.schema_version,
            "downloads": {fmt: S.absolute(request, reverse(
                "kaifang:dataset_download", args=[ds.code, r.version, fmt]))
                for fmt in ("csv", "xlsx", "json")}})
    return {"code": ds.code, "title": ds.title, "description": ds.description,
            "unit": {"code": ds.org.code, "name": ds.org.name}, "category": ds.category,
            "frequency": ds.frequency, "demo": ds.is_demo,
            "url": S.absolute(request, reverse("kaifang:dataset", args=[ds.code])),
            "schema_version": ds.schema_version, "fields": field_payload(ds.fields),
            "releases": releases}


class DatasetListView(ConditionalMixin, APIView):
    @extend_schema(summary="开放数据集", operation_id="v1_datasets_list",
                   responses=S.DatasetSerializer(many=True))
    def get(self, request):
        from gongkai.api.models import Dataset

        datasets = Dataset.objects.select_related("org").prefetch_related("releases")
        return Response(S.DatasetSerializer([dataset_payload(request, d) for d in datasets],
                                            many=True).data)


class DatasetDetailView(ConditionalMixin, APIView):
    @extend_schema(summary="数据集（说明、字段、各版本）", responses=S.DatasetSerializer)
    def get(self, request, code: str):
        from gongkai.api.models import Dataset

        ds = Dataset.objects.select_related("org").filter(code=code).first()
        if ds is None:
            raise exceptions.NotFound("没有该数据集。")
        latest = ds.latest()
        self.note_modified([latest.published_at if latest else None])
        return Response(S.DatasetSerializer(dataset_payload(request, ds)).data)


class DatasetRowsView(ConditionalMixin, APIView):
    @extend_schema(summary="数据集某一版本的全部数据行", responses=S.DatasetRowsSerializer)
    def get(self, request, code: str, version: int):
        from gongkai.api.models import DatasetRelease

        release = (DatasetRelease.objects.select_related("dataset")
                   .filter(dataset__code=code, version=version).first())
        if release is None:
            raise exceptions.NotFound("没有该数据版本。")
        self.note_modified([release.published_at])
        return Response(S.DatasetRowsSerializer({
            "dataset": code, "version": version, "published_at": release.published_at,
            "schema_version": release.schema_version, "fields": field_payload(release.schema),
            "rows": release.rows}).data)
