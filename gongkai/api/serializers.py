"""Public read serializers: only fields that are public on the site itself."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from gongkai.core.models import Organization
from gongkai.disclosure.models import (
    Attachment,
    DirectoryNode,
    Document,
    GazetteIssue,
    Interpretation,
    Regulation,
    RegulationVersion,
    Status,
)


def absolute(request, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else path


class UnitSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Organization
        fields = ["code", "name", "short_name", "kind", "parent", "address", "phone",
                  "office_hours"]


class UnitRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ["code", "name"]


class NodeRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = DirectoryNode
        fields = ["id", "code", "name"]


class NodeSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="org.code", read_only=True)
    parent = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = DirectoryNode
        fields = ["id", "unit", "parent", "code", "name", "kind", "description",
                  "time_limit_wd", "sort_order", "url"]

    def get_url(self, obj) -> str:
        return absolute(self.context.get("request"), obj.get_absolute_url())


class AttachmentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["name", "kind", "size", "sha256", "url"]

    def get_url(self, obj) -> str:
        from django.urls import reverse

        return absolute(self.context.get("request"), reverse("disclosure:attachment",
                                                             args=[obj.pk]))


class LinkSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.CharField()


def _links(request, objs) -> list[dict]:
    return [{"id": o.pk, "title": o.title, "url": absolute(request, o.get_absolute_url())}
            for o in objs]


def _public_docs(manager):
    return manager.filter(status=Status.PUBLISHED, attribute="public").order_by("-id")


class DocumentListSerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer(source="org", read_only=True)
    node = NodeRefSerializer(read_only=True, allow_null=True)
    attribute = serializers.CharField(source="get_attribute_display", read_only=True)
    doc_type_label = serializers.CharField(source="get_doc_type_display", read_only=True)
    validity_label = serializers.CharField(source="get_validity_display", read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = ["id", "title", "index_number", "doc_number", "unit", "written_date",
                  "published_at", "updated_at", "topic", "genre", "attribute", "doc_type",
                  "doc_type_label", "validity", "validity_label", "effective_date",
                  "expiry_date", "repealed_date", "summary", "keywords", "node", "url"]

    def get_url(self, obj) -> str:
        return absolute(self.context.get("request"), obj.get_absolute_url())


class DocumentSerializer(DocumentListSerializer):
    co_issuers = UnitRefSerializer(many=True, read_only=True)
    attachments = AttachmentSerializer(many=True, read_only=True)
    interpretations = serializers.SerializerMethodField()
    amends = serializers.SerializerMethodField()
    amended_by = serializers.SerializerMethodField()
    replaces = serializers.SerializerMethodField()
    replaced_by = serializers.SerializerMethodField()

    class Meta(DocumentListSerializer.Meta):
        fields = [*DocumentListSerializer.Meta.fields, "co_issuers", "body", "attachments",
                  "interpretations", "amends", "amended_by", "replaces", "replaced_by"]

    @extend_schema_field(LinkSerializer(many=True))
    def get_interpretations(self, obj):
        return _links(self.context.get("request"),
                      obj.interpretations.filter(status=Status.PUBLISHED).order_by("-id"))

    @extend_schema_field(LinkSerializer(many=True))
    def get_amends(self, obj):
        return _links(self.context.get("request"), _public_docs(obj.amends))

    @extend_schema_field(LinkSerializer(many=True))
    def get_amended_by(self, obj):
        return _links(self.context.get("request"), _public_docs(obj.amended_by))

    @extend_schema_field(LinkSerializer(many=True))
    def get_replaces(self, obj):
        return _links(self.context.get("request"), _public_docs(obj.replaces))

    @extend_schema_field(LinkSerializer(many=True))
    def get_replaced_by(self, obj):
        return _links(self.context.get("request"), _public_docs(obj.replaced_by))


class InterpretationSerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer(source="org", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    documents = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Interpretation
        fields = ["id", "title", "unit", "kind", "kind_label", "body", "media_url",
                  "published_at", "updated_at", "documents", "url"]

    @extend_schema_field(LinkSerializer(many=True))
    def get_documents(self, obj):
        return _links(self.context.get("request"), _public_docs(obj.documents))

    def get_url(self, obj) -> str:
        return absolute(self.context.get("request"), obj.get_absolute_url())


class GazetteIssueSerializer(serializers.ModelSerializer):
    documents = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    title = serializers.CharField(source="__str__", read_only=True)

    class Meta:
        model = GazetteIssue
        fields = ["id", "year", "number", "title", "published_on", "documents", "url"]

    @extend_schema_field(LinkSerializer(many=True))
    def get_documents(self, obj):
        return _links(self.context.get("request"), _public_docs(obj.documents))

    def get_url(self, obj) -> str:
        return absolute(self.context.get("request"), obj.get_absolute_url())


class VersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = RegulationVersion
        fields = ["id", "date", "is_current", "header", "body"]


class RegulationSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    versions = serializers.SerializerMethodField()

    class Meta:
        model = Regulation
        fields = ["id", "title", "collection", "url", "versions"]

    def get_url(self, obj) -> str:
        return absolute(self.context.get("request"), obj.get_absolute_url())

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_versions(self, obj):
        """The list gives dates only; the detail includes each version's text."""
        full = self.context.get("full", False)
        rows = []
        for v in obj.versions.all():
            row = {"id": v.id, "date": v.date.isoformat() if v.date else None,
                   "is_current": v.is_current}
            if full:
                row.update(header=v.header, body=v.body)
            rows.append(row)
        return rows


class ReportSerializer(serializers.Serializer):
    unit = UnitRefSerializer()
    year = serializers.IntegerField()
    title = serializers.CharField()
    published_at = serializers.DateTimeField(allow_null=True)
    url = serializers.CharField()
    overview = serializers.CharField(required=False)
    problems = serializers.CharField(required=False)
    other = serializers.CharField(required=False)
    figures = serializers.JSONField(required=False,
                                    help_text="表格数据：section2/3/4，与年报 JSON 下载一致")


class FoiStatisticsSerializer(serializers.Serializer):
    unit = UnitRefSerializer()
    year = serializers.IntegerField()
    source = serializers.CharField(help_text="published：按已发布年报；live：按业务记录实时计算")
    new_applications = serializers.IntegerField()
    carried_in = serializers.IntegerField()
    closed = serializers.IntegerField()
    carried_out = serializers.IntegerField()
    results = serializers.DictField(child=serializers.IntegerField())
    appeals = serializers.JSONField()
    section3 = serializers.JSONField()


class DatasetReleaseSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    published_at = serializers.DateTimeField()
    note = serializers.CharField()
    row_count = serializers.IntegerField()
    schema_version = serializers.IntegerField(help_text="该版本数据所用的字段版本")
    downloads = serializers.DictField(child=serializers.CharField())


class DatasetFieldSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    type = serializers.CharField()
    required = serializers.BooleanField()
    mask = serializers.CharField()


class DatasetSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    unit = UnitRefSerializer()
    category = serializers.CharField()
    frequency = serializers.CharField()
    demo = serializers.BooleanField()
    url = serializers.CharField()
    schema_version = serializers.IntegerField(help_text="当前字段版本")
    fields = DatasetFieldSerializer(many=True)
    releases = DatasetReleaseSerializer(many=True)


class DatasetRowsSerializer(serializers.Serializer):
    dataset = serializers.CharField()
    version = serializers.IntegerField()
    published_at = serializers.DateTimeField()
    schema_version = serializers.IntegerField()
    fields = DatasetFieldSerializer(many=True, help_text="该版本发布时的字段")
    rows = serializers.ListField(child=serializers.DictField())
