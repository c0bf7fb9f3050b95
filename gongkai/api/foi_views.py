"""Write endpoints for integrators: file 依申请公开 applications and poll their status."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from gongkai.api import attachments, services
from gongkai.api.attachments import AttachmentInSerializer
from gongkai.api.auth import HasScope
from gongkai.api.models import ApiSubmission, Scope
from gongkai.api.views import ConditionalMixin, _since
from gongkai.foi.forms import addressee_choices
from gongkai.foi.models import ORG_TYPES, Delivery, FormWanted, IdType

# What the public form accepts as 身份证明 (``ApplicationForm.clean_identity_proof``).
PROOF_KINDS = ("pdf", "jpg", "png")


class ApplicationInSerializer(serializers.Serializer):
    external_ref = serializers.CharField(max_length=100, required=False, allow_blank=True,
                                         help_text="对方系统的编号；同一编号重复提交只登记一次")
    applicant_kind = serializers.ChoiceField(choices=[("person", "自然人"),
                                                      ("org", "法人或其他组织")])
    name = serializers.CharField(max_length=50, required=False, allow_blank=True)
    id_type = serializers.ChoiceField(choices=IdType.choices, required=False)
    id_number = serializers.CharField(max_length=30, required=False, allow_blank=True)
    org_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    credit_code = serializers.CharField(max_length=18, required=False, allow_blank=True)
    org_type = serializers.ChoiceField(choices=ORG_TYPES, required=False, allow_blank=True)
    contact_person = serializers.CharField(max_length=50, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=30)
    email = serializers.CharField(max_length=254, required=False, allow_blank=True)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    postcode = serializers.CharField(max_length=6, required=False, allow_blank=True)
    addressee = serializers.CharField(max_length=64, help_text="受理机关的单位代码")
    subject = serializers.CharField(max_length=300)
    doc_number = serializers.CharField(max_length=100, required=False, allow_blank=True)
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    forms_wanted = serializers.ListField(child=serializers.ChoiceField(
        choices=FormWanted.choices), min_length=1, max_length=4)
    delivery = serializers.ChoiceField(choices=Delivery.choices)
    consent = serializers.BooleanField(help_text="申请人已确认所填信息真实并同意使用其个人信息")
    identity_proof = AttachmentInSerializer(required=False, help_text=(
        "身份证明（可不填）：自然人的身份证件或法人的营业执照等，PDF、JPEG 或 PNG，"
        "不超过20 MB，按文件内容判断类型，PDF 须能正常打开"))


class ApplicationStatusSerializer(serializers.Serializer):
    number = serializers.CharField(help_text="申请编号")
    external_ref = serializers.CharField()
    addressee = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    received_date = serializers.DateField(allow_null=True)
    answer_due = serializers.DateField(allow_null=True)
    closed_date = serializers.DateField(allow_null=True)
    result = serializers.CharField()
    result_label = serializers.CharField()
    updated_at = serializers.DateTimeField()
    identity_proof = serializers.BooleanField(help_text="是否附有身份证明")


class ApplicationStatusPageSerializer(serializers.Serializer):
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    results = ApplicationStatusSerializer(many=True)


class SubmittedSerializer(ApplicationStatusSerializer):
    tracking_code = serializers.CharField(
        help_text="查询码：只在首次提交的响应中出现一次，请转交申请人")


def status_payload(sub: ApiSubmission) -> dict:
    app = sub.application
    return {"number": app.number, "external_ref": sub.external_ref,
            "addressee": app.addressee.code, "status": app.status,
            "status_label": app.get_status_display(), "received_date": app.received_date,
            "answer_due": app.answer_due, "closed_date": app.closed_date,
            "result": app.result or "", "result_label": app.result_display(),
            "updated_at": app.updated_at, "identity_proof": bool(app.identity_proof)}


class ApplicationsView(ConditionalMixin, APIView):
    permission_classes = [HasScope]
    required_scope = Scope.FOI_SUBMIT

    @extend_schema(
        summary="查询本令牌提交的申请的办理状态（轮询）", operation_id="v1_foi_applications_list",
        parameters=[OpenApiParameter("changed_since", str,
                                     description="只返回此时间之后状态有变化的申请")],
        responses=ApplicationStatusPageSerializer)
    def get(self, request):
        qs = (ApiSubmission.objects.filter(token=request.auth)
              .select_related("application__addressee").order_by("-id"))
        if (since := _since(request, "changed_since")) is not None:
            qs = qs.filter(application__updated_at__gt=since)
        page = self.paginator.paginate_queryset(qs, request, view=self)
        data = ApplicationStatusSerializer([status_payload(s) for s in page], many=True).data
        return self.paginator.get_paginated_response(data)

    @property
    def paginator(self):
        from gongkai.api.pagination import IdCursorPagination

        if not hasattr(self, "_paginator"):
            self._paginator = IdCursorPagination()
        return self._paginator

    @extend_schema(summary="提交政府信息公开申请（12345 等系统）",
                   request=ApplicationInSerializer,
                   responses={201: SubmittedSerializer, 200: ApplicationStatusSerializer})
    def post(self, request):
        attachments.check_body_size(request)
        data = ApplicationInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        payload = dict(data.validated_data)
        if proof := payload.pop("identity_proof", None):
            [(payload["identity_proof"], _kind)] = attachments.decode(
                [proof], field="identity_proof", allowed=PROOF_KINDS,
                max_bytes=settings.GONGKAI_MAX_UPLOAD_BYTES, max_count=1)
        unit = addressee_choices().filter(code=payload["addressee"]).first()
        if unit is None:
            raise exceptions.ValidationError({"addressee": ["没有该受理机关，请使用单位代码。"]})
        payload["addressee_pk"] = unit.pk
        try:
            sub, code = services.submit_application(token=request.auth, payload=payload)
        except services.FormErrors as exc:
            raise exceptions.ValidationError(exc.errors)
        if not code:
            return Response(ApplicationStatusSerializer(status_payload(sub)).data)
        return Response(SubmittedSerializer({**status_payload(sub), "tracking_code": code}).data,
                        status=status.HTTP_201_CREATED)


class ApplicationDetailView(ConditionalMixin, APIView):
    permission_classes = [HasScope]
    required_scope = Scope.FOI_SUBMIT

    @extend_schema(summary="查询一件申请的办理状态", responses=ApplicationStatusSerializer)
    def get(self, request, ref: str):
        sub = (ApiSubmission.objects.filter(token=request.auth)
               .filter(Q(application__number=ref) | Q(external_ref=ref))
               .select_related("application__addressee").first())
        if sub is None:
            raise exceptions.NotFound("本令牌没有提交过该申请。")
        return Response(ApplicationStatusSerializer(status_payload(sub)).data)
