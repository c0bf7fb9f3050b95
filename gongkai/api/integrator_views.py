"""Integrator endpoints beyond 依申请公开: messages from the 12345 system
(``interaction:submit``) and the republishing feed of a new-media system
(``read:republish``)."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from gongkai.api import attachments, services
from gongkai.api.attachments import AttachmentInSerializer
from gongkai.api.auth import HasScope
from gongkai.api.errors import Conflict
from gongkai.api.models import ApiMessage, Scope
from gongkai.api.pagination import IdCursorPagination
from gongkai.api.serializers import AttachmentSerializer, UnitRefSerializer, absolute
from gongkai.api.views import ConditionalMixin, _since, _unit
from gongkai.disclosure.models import Attribute, Document, Interpretation, Status

# --- 政民互动 messages from 12345 ----------------------------------------------------------

KINDS = [("consult", "咨询"), ("suggest", "建议"), ("complain", "投诉"), ("help", "求助")]
CONSENTS = [("none", "不同意公开"), ("anonymous", "同意公开（隐去姓名）"),
            ("named", "同意公开（署名）")]


class MessageInSerializer(serializers.Serializer):
    order_number = serializers.CharField(
        max_length=64, help_text="12345工单号：随信件保存；同一工单号重复提交只登记一次")
    kind = serializers.ChoiceField(choices=KINDS, help_text="类型")
    subject = serializers.CharField(max_length=100, help_text="主题")
    body = serializers.CharField(max_length=5000, help_text="诉求内容")
    name = serializers.CharField(max_length=50, help_text="来信人姓名（加密保存，不公开）")
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    email = serializers.CharField(max_length=100, required=False, allow_blank=True)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    unit = serializers.CharField(max_length=64, required=False, allow_blank=True,
                                 help_text="建议承办单位的单位代码（可不填，由区政府办分办）")
    consent = serializers.ChoiceField(choices=CONSENTS, required=False, default="none",
                                      help_text="来信人是否同意公开")
    received = serializers.DateField(required=False, help_text="12345受理日期，默认今天")
    attachments = serializers.ListField(
        child=AttachmentInSerializer(), required=False, max_length=50, help_text=(
            "工单附件（可不填）：最多5个，每个不超过10 MB，PDF、Word（DOCX）、PNG 或 JPEG，"
            "按文件内容判断类型，PDF 须能正常打开；有一个不合格则整件不登记"))

    def validate_received(self, value):
        if value > timezone.localdate():
            raise serializers.ValidationError("受理日期不能晚于今天。")
        return value


class MessageFileSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="原文件名")
    kind = serializers.ChoiceField(choices=[("pdf", "PDF"), ("docx", "DOCX"), ("png", "PNG"),
                                            ("jpg", "JPEG")])
    size = serializers.IntegerField(help_text="字节数")


class MessageStatusSerializer(serializers.Serializer):
    number = serializers.CharField(help_text="信件编号")
    order_number = serializers.CharField(help_text="12345工单号")
    kind = serializers.CharField()
    subject = serializers.CharField()
    status = serializers.ChoiceField(choices=[("new", "待分办"), ("handling", "办理中"),
                                              ("review", "答复待审核"), ("answered", "已答复"),
                                              ("merged", "已合并")])
    status_label = serializers.CharField()
    unit = UnitRefSerializer(allow_null=True, help_text="主办单位（分办后）")
    received_date = serializers.DateField()
    due_date = serializers.DateField(allow_null=True)
    answered_date = serializers.DateField(allow_null=True)
    reply = serializers.CharField(allow_blank=True, help_text="已发出的答复全文")
    rating = serializers.CharField(allow_blank=True)
    merged_into = serializers.CharField(allow_blank=True, help_text="合并至的信件编号")
    updated_at = serializers.DateTimeField()
    attachments = MessageFileSerializer(many=True, help_text="已登记的附件")


class MessageStatusPageSerializer(serializers.Serializer):
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    results = MessageStatusSerializer(many=True)


class MessageSubmittedSerializer(MessageStatusSerializer):
    tracking_code = serializers.CharField(
        help_text="查询码：只在首次提交的响应中出现一次，可转交来信人在网站查询")


def message_payload(link: ApiMessage) -> dict:
    from gongkai.interaction import api_services

    message = api_services.get_message(link.message_id)
    return api_services.message_status(message)


class MessagesView(ConditionalMixin, APIView):
    permission_classes = [HasScope]
    required_scope = Scope.INTERACTION_SUBMIT

    @property
    def paginator(self):
        if not hasattr(self, "_paginator"):
            self._paginator = IdCursorPagination()
        return self._paginator

    @extend_schema(
        summary="查询本令牌提交的留言的办理状态（轮询）",
        operation_id="v1_interaction_messages_list",
        parameters=[OpenApiParameter("changed_since", str,
                                     description="只返回此时间之后有变化的留言")],
        responses=MessageStatusPageSerializer)
    def get(self, request):
        qs = ApiMessage.objects.filter(token=request.auth).order_by("-id")
        if (since := _since(request, "changed_since")) is not None:
            qs = qs.filter(message__updated_at__gt=since)
        page = self.paginator.paginate_queryset(qs, request, view=self)
        data = MessageStatusSerializer([message_payload(m) for m in page], many=True).data
        return self.paginator.get_paginated_response(data)

    @extend_schema(summary="提交政民互动留言（区长信箱，12345工单转办）",
                   request=MessageInSerializer,
                   responses={201: MessageSubmittedSerializer, 200: MessageStatusSerializer})
    def post(self, request):
        from gongkai.interaction import api_services

        attachments.check_body_size(request)
        data = MessageInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        payload = dict(data.validated_data)
        payload["files"] = attachments.decode(
            payload.pop("attachments", []), field="attachments",
            allowed=api_services.ATTACHMENT_KINDS,
            max_bytes=api_services.ATTACHMENT_MAX_BYTES,
            max_count=api_services.ATTACHMENT_MAX_COUNT)
        try:
            link, code = services.submit_message(token=request.auth, payload=payload)
        except services.AlreadyFiled as exc:
            raise Conflict(exc.messages[0])
        except DjangoValidationError as exc:
            if hasattr(exc, "error_dict"):
                raise exceptions.ValidationError(
                    {k: [str(m) for m in v] for k, v in exc.message_dict.items()})
            raise exceptions.ValidationError({"non_field_errors": exc.messages})
        payload = message_payload(link)
        if not code:
            return Response(MessageStatusSerializer(payload).data)
        return Response(MessageSubmittedSerializer({**payload, "tracking_code": code}).data,
                        status=status.HTTP_201_CREATED)


class MessageDetailView(ConditionalMixin, APIView):
    permission_classes = [HasScope]
    required_scope = Scope.INTERACTION_SUBMIT

    @extend_schema(summary="查询一件留言的办理状态（信件编号或12345工单号）",
                   responses=MessageStatusSerializer)
    def get(self, request, ref: str):
        link = (ApiMessage.objects.filter(token=request.auth)
                .filter(Q(external_ref=ref) | Q(message__number=ref)).first())
        if link is None:
            raise exceptions.NotFound("本令牌没有提交过该留言。")
        payload = message_payload(link)
        self.note_modified([payload["updated_at"]])
        return Response(MessageStatusSerializer(payload).data)


# --- republishing feed --------------------------------------------------------------------


class ChangedOrderPagination(CursorPagination):
    """Oldest change first, so a harvester walks forward and keeps the last ``updated_at``
    as its next ``changed_since``."""

    ordering = ("updated_at", "id")
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


class RepublishDocSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=[("document", "文件"), ("interpretation", "解读")])
    status = serializers.ChoiceField(
        choices=[("published", "可转载"), ("withdrawn", "已撤回，请撤下")])
    title = serializers.CharField()
    index_number = serializers.CharField(allow_blank=True, help_text="索引号")
    doc_number = serializers.CharField(allow_blank=True, help_text="文号")
    unit = UnitRefSerializer(help_text="发布机构")
    written_date = serializers.DateField(allow_null=True, help_text="成文日期")
    published_at = serializers.DateTimeField(allow_null=True)
    updated_at = serializers.DateTimeField()
    withdrawn_at = serializers.DateTimeField(allow_null=True)
    url = serializers.CharField(help_text="原文地址（转载时注明来源）")
    source = serializers.CharField(help_text="转载时应注明的来源")
    body = serializers.CharField(allow_blank=True, help_text="正文 HTML（已撤回的为空）")
    text = serializers.CharField(allow_blank=True, help_text="正文纯文本（已撤回的为空）")
    attachments = AttachmentSerializer(many=True)
    documents = serializers.ListField(child=serializers.DictField(), help_text=(
        "解读所解读的文件（id、标题、文号、地址）；文件为空"))


class RepublishPageSerializer(serializers.Serializer):
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    results = RepublishDocSerializer(many=True)


def _doc_item(request, d: Document) -> dict:
    live = d.status == Status.PUBLISHED
    return {"id": d.pk, "kind": "document", "status": "published" if live else "withdrawn",
            "title": d.title, "index_number": d.index_number, "doc_number": d.doc_number,
            "unit": d.org, "written_date": d.written_date, "published_at": d.published_at,
            "updated_at": d.updated_at, "withdrawn_at": None if live else d.withdrawn_at,
            "url": absolute(request, d.get_absolute_url()), "source": d.org.name,
            "body": d.body if live else "", "text": d.body_text if live else "",
            "attachments": list(d.attachments.all()) if live else [], "documents": []}


def _interp_item(request, it: Interpretation) -> dict:
    live = it.status == Status.PUBLISHED
    public_docs = it.documents.filter(status=Status.PUBLISHED, attribute=Attribute.PUBLIC)
    docs = ([{"id": d.pk, "title": d.title, "doc_number": d.doc_number,
              "url": absolute(request, d.get_absolute_url())}
             for d in public_docs.order_by("-id")] if live else [])
    return {"id": it.pk, "kind": "interpretation",
            "status": "published" if live else "withdrawn", "title": it.title,
            "index_number": "", "doc_number": "", "unit": it.org, "written_date": None,
            "published_at": it.published_at, "updated_at": it.updated_at,
            "withdrawn_at": None if live else it.updated_at,
            "url": absolute(request, it.get_absolute_url()), "source": it.org.name,
            "body": it.body if live else "", "text": it.body_text if live else "",
            "attachments": [], "documents": docs}


FEED_PARAMS = [
    OpenApiParameter("changed_since", str, description=(
        "只返回此时间之后发布、修改或撤回的条目（ISO 8601）；已撤回的以 status=withdrawn 列出")),
    OpenApiParameter("unit", str, description="发布机构的单位代码"),
]


class RepublishView(ConditionalMixin, APIView):
    permission_classes = [HasScope]
    required_scope = Scope.READ_REPUBLISH
    kind = "document"

    @property
    def paginator(self):
        if not hasattr(self, "_paginator"):
            self._paginator = ChangedOrderPagination()
        return self._paginator

    def get_queryset(self):
        if self.kind == "document":
            qs = (Document.objects.filter(attribute=Attribute.PUBLIC,
                                          status__in=[Status.PUBLISHED, Status.WITHDRAWN])
                  .select_related("org").prefetch_related("attachments"))
        else:
            qs = (Interpretation.objects.filter(status__in=[Status.PUBLISHED,
                                                            Status.WITHDRAWN])
                  .exclude(published_at__isnull=True).select_related("org"))
        if (since := _since(self.request, "changed_since")) is not None:
            qs = qs.filter(updated_at__gt=since)
        if (unit := _unit(self.request)) is not None:
            qs = qs.filter(org=unit)
        return qs

    def get(self, request):
        page = self.paginator.paginate_queryset(self.get_queryset(), request, view=self)
        build = _doc_item if self.kind == "document" else _interp_item
        data = RepublishDocSerializer([build(request, o) for o in page], many=True,
                                      context={"request": request}).data
        return self.paginator.get_paginated_response(data)


class RepublishDocumentsView(RepublishView):
    kind = "document"

    @extend_schema(summary="可转载的主动公开文件（含正文、索引号、文号、发布机构；撤回的标明撤回）",
                   operation_id="v1_republish_documents_list", parameters=FEED_PARAMS,
                   responses=RepublishPageSerializer)
    def get(self, request):
        return super().get(request)


class RepublishInterpretationsView(RepublishView):
    kind = "interpretation"

    @extend_schema(summary="可转载的政策解读（含正文和所解读的文件；撤回的标明撤回）",
                   operation_id="v1_republish_interpretations_list", parameters=FEED_PARAMS,
                   responses=RepublishPageSerializer)
    def get(self, request):
        return super().get(request)

