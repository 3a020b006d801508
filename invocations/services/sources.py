"""Writes for the simulated resources: queues, topics, buses, buckets (and their notifications), streams."""

from __future__ import annotations

from ..errors import InvalidParameterValueException
from ..models import Bucket, BucketNotification, EventBus, Function, Queue, Stream, StreamKind, Topic
from ..rules import sources as rules
from .common import aws_write, validated


@aws_write
def queue_create(
    *,
    name: str,
    visibility_timeout: int = rules.VISIBILITY_TIMEOUT_DEFAULT,
    message_retention_period: int = rules.RETENTION_DEFAULT,
    dead_letter_queue: Queue | None = None,
    max_receive_count: int | None = None,
) -> Queue:
    """An SQS queue (FIFO when the name ends in .fifo), optionally redriving to `dead_letter_queue`."""
    queue = Queue(
        name=name,
        visibility_timeout=visibility_timeout,
        message_retention_period=message_retention_period,
        dead_letter_queue=dead_letter_queue,
        max_receive_count=max_receive_count,
    )
    validated(queue)
    queue.save()
    return queue


@aws_write
def queue_update(
    *,
    queue: Queue,
    visibility_timeout: int | None = None,
    dead_letter_queue: Queue | None = None,
    max_receive_count: int | None = None,
) -> Queue:
    """SetQueueAttributes for the settings the simulator models; None leaves a setting as it is."""
    queue = Queue.objects.select_for_update().get(pk=queue.pk)
    if visibility_timeout is not None:
        queue.visibility_timeout = visibility_timeout
    if dead_letter_queue is not None:
        queue.dead_letter_queue = dead_letter_queue
    if max_receive_count is not None:
        queue.max_receive_count = max_receive_count
    validated(queue)
    queue.save()
    return queue


@aws_write
def topic_create(*, name: str) -> Topic:
    topic = Topic(name=name)
    validated(topic)
    topic.save()
    return topic


@aws_write
def bus_create(*, name: str) -> EventBus:
    bus = EventBus(name=name)
    validated(bus)
    bus.save()
    return bus


@aws_write
def bucket_create(*, name: str) -> Bucket:
    bucket = Bucket(name=name)
    validated(bucket)
    bucket.save()
    return bucket


@aws_write
def bucket_notification_create(
    *,
    bucket: Bucket,
    function: Function,
    qualifier: str = "",
    events: list[str] | None = None,
    prefix: str = "",
    suffix: str = "",
) -> BucketNotification:
    """Have `bucket` invoke `function` asynchronously for matching object events (ObjectCreated by default)."""
    if qualifier and not (
        function.versions.filter(number=int(qualifier)).exists()
        if qualifier.isdigit()
        else function.aliases.filter(name=qualifier).exists()
    ):
        raise InvalidParameterValueException("Unable to validate the following destination configurations")
    notification = BucketNotification(
        bucket=bucket,
        function=function,
        qualifier=qualifier,
        events=list(events) if events is not None else ["s3:ObjectCreated:*"],
        prefix=prefix,
        suffix=suffix,
    )
    validated(notification)
    notification.save()
    return notification


@aws_write
def stream_create(*, kind: str, name: str, shard_count: int = 1, retention_hours: int = 24) -> Stream:
    """A Kinesis data stream or a DynamoDB table's stream with `shard_count` shards."""
    if kind not in StreamKind.values:
        raise InvalidParameterValueException(f"Unknown stream kind {kind}; use one of {', '.join(StreamKind.values)}.")
    stream = Stream(kind=kind, name=name, shard_count=shard_count, retention_hours=retention_hours)
    validated(stream)
    stream.save()
    return stream
