from django.contrib import admin, messages

from gongkai.api import services
from gongkai.api.models import ApiSubmission, ApiToken, Dataset, PublicAnswer


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


@admin.register(Dataset)
class DatasetAdmin(admin.ModelAdmin):
    """Administrators declare a dataset and its fields; staff of its unit upload releases
    on the site (every upload is checked against these fields)."""

    list_display = ["title", "code", "org", "category", "frequency", "is_demo"]
    list_filter = ["category", "is_demo"]


@admin.register(PublicAnswer)
class PublicAnswerAdmin(admin.ModelAdmin):
    list_display = ["question", "org", "answer_type", "status", "published_at"]
    readonly_fields = ["application", "org", "question", "answer_type", "answered_on",
                       "status", "proposed_by", "reviewed_by", "published_at"]

    def has_add_permission(self, request):
        return False
