"""CloudWatch alarms and their history, shown read-only: alarms change through the CloudWatch API (PutMetricAlarm,
SetAlarmState, DeleteAlarms), whose service validates them and records history the way CloudWatch does."""

from __future__ import annotations

from django.contrib import admin

from ..models import AlarmHistoryItem, MetricAlarm


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(MetricAlarm)
class MetricAlarmAdmin(ReadOnlyAdmin):
    list_display = ["name", "namespace", "metric_name", "comparison_operator", "threshold", "state_value"]
    list_filter = ["state_value", "namespace"]
    search_fields = ["name", "metric_name"]


@admin.register(AlarmHistoryItem)
class AlarmHistoryItemAdmin(ReadOnlyAdmin):
    list_display = ["alarm_name", "item_type", "summary", "timestamp"]
    list_filter = ["item_type"]
    search_fields = ["alarm_name", "summary"]
