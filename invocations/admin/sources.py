"""Simulated queues, topics (with their subscriptions), buses (with their rules), buckets (with their
notifications) and streams."""

from __future__ import annotations

from django.contrib import admin

from ..models import Bucket, BucketNotification, EventBus, EventRule, Queue, Stream, Topic, TopicSubscription


@admin.register(Queue)
class QueueAdmin(admin.ModelAdmin):
    list_display = ["name", "fifo", "visibility_timeout", "dead_letter_queue", "max_receive_count", "arn"]
    search_fields = ["name"]
    list_select_related = ["dead_letter_queue"]
    readonly_fields = ["arn", "url"]

    @admin.display(boolean=True, description="FIFO")
    def fifo(self, obj: Queue) -> bool:
        return obj.fifo


class TopicSubscriptionInline(admin.TabularInline):
    model = TopicSubscription
    extra = 0
    fields = ["function", "qualifier", "filter_policy"]


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "arn", "created_at"]
    search_fields = ["name"]
    readonly_fields = ["arn"]
    inlines = [TopicSubscriptionInline]


@admin.register(TopicSubscription)
class TopicSubscriptionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "topic", "function", "qualifier", "filter_policy"]
    list_filter = ["topic"]
    search_fields = ["topic__name", "function__name"]
    list_select_related = ["topic", "function"]
    readonly_fields = ["arn"]


class EventRuleInline(admin.TabularInline):
    model = EventRule
    extra = 0
    fields = ["name", "event_pattern", "function", "qualifier", "enabled"]


@admin.register(EventBus)
class EventBusAdmin(admin.ModelAdmin):
    list_display = ["name", "arn", "created_at"]
    search_fields = ["name"]
    readonly_fields = ["arn"]
    inlines = [EventRuleInline]


@admin.register(EventRule)
class EventRuleAdmin(admin.ModelAdmin):
    list_display = ["name", "bus", "function", "qualifier", "enabled", "event_pattern"]
    list_filter = ["bus", "enabled"]
    search_fields = ["name", "bus__name", "function__name"]
    list_select_related = ["bus", "function"]
    readonly_fields = ["arn"]


class BucketNotificationInline(admin.TabularInline):
    model = BucketNotification
    extra = 0
    fields = ["function", "qualifier", "events", "prefix", "suffix"]


@admin.register(Bucket)
class BucketAdmin(admin.ModelAdmin):
    list_display = ["name", "arn", "created_at"]
    search_fields = ["name"]
    readonly_fields = ["arn"]
    inlines = [BucketNotificationInline]


@admin.register(BucketNotification)
class BucketNotificationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "bucket", "function", "qualifier", "events", "prefix", "suffix"]
    list_filter = ["bucket"]
    search_fields = ["bucket__name", "function__name"]
    list_select_related = ["bucket", "function"]


@admin.register(Stream)
class StreamAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "shard_count", "retention_hours", "arn"]
    list_filter = ["kind"]
    search_fields = ["name"]
    readonly_fields = ["arn", "stream_label", "shard_ids"]

    @admin.display(description="Shards")
    def shard_ids(self, obj: Stream) -> str:
        return ", ".join(obj.shard_ids) if obj.pk else "-"
