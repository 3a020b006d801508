"""Async invoke configs: retries, maximum event age and destinations per function, version or alias."""

from __future__ import annotations

from django.contrib import admin

from ..models import EventInvokeConfig


@admin.register(EventInvokeConfig)
class EventInvokeConfigAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "function",
        "qualifier",
        "effective_maximum_retry_attempts",
        "effective_maximum_event_age_in_seconds",
        "on_success",
        "on_failure",
    ]
    list_filter = ["function"]
    search_fields = ["function__name", "on_success", "on_failure"]
    list_select_related = ["function", "version", "alias"]
    fields = [
        "function",
        "version",
        "alias",
        "maximum_retry_attempts",
        "maximum_event_age_in_seconds",
        "on_success",
        "on_failure",
    ]
