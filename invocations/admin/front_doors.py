"""API Gateway REST APIs and stages, and ALB target groups."""

from __future__ import annotations

from django.contrib import admin

from ..models import ApiStage, RestApi, TargetGroup


class ApiStageInline(admin.TabularInline):
    model = ApiStage
    extra = 0
    fields = ["name", "stage_variables"]


@admin.register(RestApi)
class RestApiAdmin(admin.ModelAdmin):
    list_display = ["name", "api_id", "function", "stage_variable"]
    search_fields = ["name", "api_id", "function__name"]
    list_select_related = ["function"]
    readonly_fields = ["api_id", "integration_uri"]
    inlines = [ApiStageInline]

    @admin.display(description="Integration URI")
    def integration_uri(self, obj: RestApi) -> str:
        return obj.integration_uri if obj.pk else "-"


@admin.register(ApiStage)
class ApiStageAdmin(admin.ModelAdmin):
    list_display = ["__str__", "rest_api", "name", "alias_name", "invoke_url"]
    list_filter = ["rest_api"]
    search_fields = ["name", "rest_api__name"]
    list_select_related = ["rest_api"]
    readonly_fields = ["invoke_url"]

    @admin.display(description="Alias")
    def alias_name(self, obj: ApiStage) -> str | None:
        return obj.alias_name

    @admin.display(description="Invoke URL")
    def invoke_url(self, obj: ApiStage) -> str:
        return obj.invoke_url if obj.pk else "-"


@admin.register(TargetGroup)
class TargetGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "function", "qualifier", "multi_value_headers", "arn"]
    list_filter = ["multi_value_headers"]
    search_fields = ["name", "function__name"]
    list_select_related = ["function"]
    readonly_fields = ["arn"]

    @admin.display(description="ARN")
    def arn(self, obj: TargetGroup) -> str:
        return obj.arn if obj.pk else "-"
