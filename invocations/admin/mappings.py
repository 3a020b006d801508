"""Event source mappings: validated by the engine's settings rules through the model."""

from __future__ import annotations

from django.contrib import admin

from ..errors import LambdaError
from ..models import EventSourceMapping
from .display import as_json


@admin.register(EventSourceMapping)
class EventSourceMappingAdmin(admin.ModelAdmin):
    list_display = ["uuid", "source", "function", "qualifier", "effective_batch_size", "state", "enabled"]
    list_filter = ["state", "enabled", "function"]
    search_fields = ["uuid", "function__name", "queue__name", "stream__name"]
    list_select_related = ["function", "queue", "stream"]
    readonly_fields = [
        "uuid",
        "arn",
        "state",
        "state_transition_reason",
        "last_processing_result",
        "effective_settings",
    ]
    fieldsets = [
        (None, {"fields": ["uuid", "arn", "function", "qualifier", "queue", "stream", "enabled", "state"]}),
        (
            "Batching",
            {
                "fields": [
                    "batch_size",
                    "maximum_batching_window_in_seconds",
                    "function_response_types",
                    "filter_criteria",
                ]
            },
        ),
        (
            "Streams",
            {
                "fields": [
                    "starting_position",
                    "starting_position_timestamp",
                    "parallelization_factor",
                    "bisect_batch_on_function_error",
                    "maximum_retry_attempts",
                    "maximum_record_age_in_seconds",
                    "tumbling_window_in_seconds",
                    "on_failure_destination",
                ]
            },
        ),
        ("SQS", {"fields": ["maximum_concurrency"]}),
        ("Status", {"fields": ["state_transition_reason", "last_processing_result", "effective_settings"]}),
    ]

    @admin.display(description="Source")
    def source(self, obj: EventSourceMapping) -> str:
        return str(obj.queue or obj.stream)

    @admin.display(description="ARN")
    def arn(self, obj: EventSourceMapping) -> str:
        return obj.arn if obj.pk else "-"

    @admin.display(description="Batch size")
    def effective_batch_size(self, obj: EventSourceMapping):
        try:
            return obj.settings().batch_size
        except LambdaError:
            return obj.batch_size

    @admin.display(description="Effective settings (AWS defaults filled in)")
    def effective_settings(self, obj: EventSourceMapping) -> str:
        if not obj.pk:
            return "-"
        try:
            return as_json(obj.settings().to_api())
        except LambdaError as error:
            return error.message
