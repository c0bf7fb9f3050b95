from django.contrib import admin

from gongkai.core.models import (
    AuditEntry,
    CalendarDay,
    CalendarYear,
    Organization,
    StaffProfile,
)


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "kind", "parent", "credit_code", "administration",
                    "review_body", "court")
    list_filter = ("kind", "administration")
    search_fields = ("name", "code")


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    list_display = ("display_name", "user", "org", "role")
    list_filter = ("role", "org")


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the audit log cannot be edited or deleted from the admin either."""

    list_display = ("at", "actor_label", "action", "target_repr", "org")
    list_filter = ("action",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.register(CalendarDay)
admin.site.register(CalendarYear)
admin.site.site_header = "gongkai 系统管理"
