"""Reserved concurrency and provisioned concurrency configs (model-validated against the account's limits)."""

from __future__ import annotations

from django.contrib import admin

from ..models import FunctionConcurrency, ProvisionedConcurrencyConfig
from ..services import provisioned_concurrency_put


@admin.register(FunctionConcurrency)
class FunctionConcurrencyAdmin(admin.ModelAdmin):
    list_display = ["function", "reserved_concurrent_executions", "last_modified"]
    search_fields = ["function__name"]
    list_select_related = ["function"]


@admin.register(ProvisionedConcurrencyConfig)
class ProvisionedConcurrencyConfigAdmin(admin.ModelAdmin):
    list_display = ["__str__", "function", "qualifier", "requested", "allocated", "status", "last_modified"]
    list_filter = ["status", "function"]
    search_fields = ["function__name", "alias__name"]
    list_select_related = ["function", "version", "alias"]
    fields = ["function", "version", "alias", "requested", "allocated", "status", "status_reason"]
    readonly_fields = ["allocated", "status", "status_reason"]

    def get_readonly_fields(self, request, obj=None):
        # The target is fixed; a new request goes back to IN_PROGRESS through the service.
        return [*self.readonly_fields, "function", "version", "alias"] if obj else self.readonly_fields

    def save_model(self, request, obj: ProvisionedConcurrencyConfig, form, change: bool) -> None:
        saved = provisioned_concurrency_put(
            function=obj.function, qualifier=obj.qualifier, provisioned_concurrent_executions=obj.requested
        )
        obj.pk = saved.pk
        obj._state.adding = False
        obj.refresh_from_db()
