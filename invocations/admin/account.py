"""The account singleton: limits, identity and the simulation clock."""

from __future__ import annotations

from django.contrib import admin

from ..models import AccountSettings
from ..selectors import account_usage


@admin.register(AccountSettings)
class AccountSettingsAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "concurrency_limit",
        "unreserved_minimum",
        "unreserved_now",
        "clock_factor",
        "clock_paused",
    ]
    readonly_fields = ["unreserved_now", "updated_at"]
    fields = [
        "region",
        "account_id",
        "concurrency_limit",
        "unreserved_minimum",
        "unreserved_now",
        "clock_factor",
        "clock_paused",
        "updated_at",
    ]

    @admin.display(description="Unreserved now")
    def unreserved_now(self, obj: AccountSettings) -> int:
        return account_usage().unreserved_concurrent_executions

    def has_add_permission(self, request) -> bool:
        # One account: add only before it exists.
        return not AccountSettings.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
