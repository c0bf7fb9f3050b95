from django.contrib import admin, messages

from gongkai.api import services
from gongkai.api.models import (
    ApiMessage,
    ApiSubmission,
    ApiToken,
    Dataset,
    DeliveryState,
    PublicAnswer,
    WebhookDelivery,
)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are issued with `gongkai api-token create` (the secret is shown once there);
    here administrators see, and revoke, what exists."""

    list_display = ["name", "prefix", "owner", "org", "scopes", "expires_at", "revoked_at",
                    "last_used_at"]
    readonly_fields = ["name", "prefix", "scopes", "owner", "org", "rate_per_minute",
                       "expires_at", "revoked_at", "last_used_at", "created_at"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="撤销所选令牌")
    def revoke(self, request, queryset):
        for token in queryset:
            services.revoke_token(actor=request.user, token=token)
        messages.success(request, f"已撤销{queryset.count()}个令牌。")


@admin.register(ApiSubmission)
class ApiSubmissionAdmin(admin.ModelAdmin):
    list_display = ["token", "application", "external_ref", "created_at"]
    readonly_fields = ["token", "application", "external_ref", "created_at"]

    def has_add_permission(self, request):
        return False


@admin.register(ApiMessage)
class ApiMessageAdmin(admin.ModelAdmin):
    list_display = ["token", "message", "external_ref", "notified_status", "created_at"]
    readonly_fields = ["token", "message", "external_ref", "notified_status", "created_at"]

    def has_add_permission(self, request):
        return False


class FlaggedFilter(admin.SimpleListFilter):
    title = "需要处理"
    parameter_name = "flagged"

    def lookups(self, request, model_admin):
        return [("failed", "多次失败已停止"), ("retrying", "正在重试")]

    def queryset(self, request, queryset):
        if self.value() == "failed":
            return queryset.filter(state=DeliveryState.FAILED)
        if self.value() == "retrying":
            return queryset.filter(state=DeliveryState.PENDING, attempts__gt=0)
        return queryset


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    """The delivery log of status notifications: last HTTP status, attempts, next retry;
    deliveries that failed every attempt are flagged (filter 需要处理) and can be resent."""

    list_display = ["created_at", "token", "event", "subject", "state", "attempts",
                    "last_status", "last_error", "next_retry_at", "delivered_at"]
    list_filter = [FlaggedFilter, "state", "event", "token"]
    search_fields = ["subject", "event_id"]
    readonly_fields = ["token", "event", "event_id", "subject", "payload", "state", "attempts",
                       "last_status", "last_error", "last_attempt_at", "next_retry_at",
                       "delivered_at", "created_at"]
    actions = ["resend"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="重新发送所选通知（未送达的）")
    def resend(self, request, queryset):
        from gongkai.api.webhooks import retry_now

        count = retry_now(actor=request.user, deliveries=queryset.select_related("token"))
        messages.success(request, f"已重新发送{count}条通知。")


@admin.register(Dataset)
class DatasetAdmin(admin.ModelAdmin):
    """Administrators declare a dataset; its fields are defined on the workbench
    (数据开放 → 字段设置, validated, versioned), not as raw JSON here. Staff of its unit
    upload releases on the site (every upload is checked against these fields)."""

    list_display = ["title", "code", "org", "category", "frequency", "schema_version",
                    "is_demo"]
    list_filter = ["category", "is_demo"]
    readonly_fields = ["fields", "chart", "schema_version", "fields_link"]

    @admin.display(description="字段设置")
    def fields_link(self, obj):
        from django.urls import reverse
        from django.utils.html import format_html

        if obj is None or obj.pk is None:
            return "保存后在工作台设置字段"
        return format_html('<a href="{}">在工作台设置字段</a>',
                           reverse("kaifang:staff_dataset_schema", args=[obj.code]))


@admin.register(PublicAnswer)
class PublicAnswerAdmin(admin.ModelAdmin):
    list_display = ["question", "org", "answer_type", "status", "published_at"]
    readonly_fields = ["application", "org", "question", "answer_type", "answered_on",
                       "status", "proposed_by", "reviewed_by", "published_at"]

    def has_add_permission(self, request):
        return False
