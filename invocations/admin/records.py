"""Invocation records in the admin: read-only, filterable, for looking back at what ran."""

from django.contrib import admin

from ..models import InvocationMinute, InvocationRecord, RecordJournalMark


class ReadOnlyAdmin(admin.ModelAdmin):
    """The runtime writes these; people only read them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(InvocationRecord)
class InvocationRecordAdmin(ReadOnlyAdmin):
    list_display = (
        "request_id",
        "function",
        "qualifier",
        "executed_version",
        "source",
        "outcome",
        "cold_start",
        "duration_ms",
        "billed_ms",
        "attempt",
    )
    list_filter = ("outcome", "cold_start", "source", "invocation_type", "function")
    search_fields = ("request_id", "function")


@admin.register(InvocationMinute)
class InvocationMinuteAdmin(ReadOnlyAdmin):
    list_display = ("function", "executed_version", "outcome", "minute", "count", "cold_starts")
    list_filter = ("outcome", "function")


@admin.register(RecordJournalMark)
class RecordJournalMarkAdmin(ReadOnlyAdmin):
    """How far the record journal has been written into this database (shown for diagnosis, never edited)."""

    list_display = ("epoch", "seq")
