"""Aliases: the teacher's traffic-shifting control, saved through the alias services (RevisionId, §5 rules)."""

from __future__ import annotations

from django.contrib import admin

from ..arns import LATEST
from ..models import Alias
from ..services import alias_create, alias_update


@admin.register(Alias)
class AliasAdmin(admin.ModelAdmin):
    list_display = ["__str__", "function", "function_version", "routing_config", "description", "last_modified"]
    list_filter = ["function"]
    search_fields = ["name", "function__name", "description"]
    list_select_related = ["function", "version", "routing_version"]
    readonly_fields = ["arn", "revision_id"]
    fields = ["function", "name", "description", "version", "routing_version", "routing_weight", "arn", "revision_id"]

    def get_readonly_fields(self, request, obj=None):
        # An alias keeps its function and name; what it points at is what changes.
        return [*self.readonly_fields, "function", "name"] if obj else self.readonly_fields

    @admin.display(description="ARN")
    def arn(self, obj: Alias) -> str:
        return obj.arn if obj.pk else "-"

    def save_model(self, request, obj: Alias, form, change: bool) -> None:
        weights = {obj.routing_version.version: obj.routing_weight} if obj.routing_version else {}
        version = obj.version.version if obj.version else LATEST
        if change:
            alias_update(alias=obj, function_version=version, description=obj.description, routing_config=weights)
        else:
            created = alias_create(
                function=obj.function,
                name=obj.name,
                function_version=version,
                description=obj.description,
                routing_config=weights,
            )
            obj.pk = created.pk
            obj._state.adding = False
        obj.refresh_from_db()
