from django.contrib import admin

from gongkai.foi.models import FeeAccount


@admin.register(FeeAccount)
class FeeAccountAdmin(admin.ModelAdmin):
    """Where 信息处理费 is paid; the fee notice prints it (一行为全区默认)."""

    list_display = ("__str__", "bank", "account", "payment_code")
