"""Live sources for the dashboard: put a message on a queue or a record on a stream (now in simulated time), and
look at what a queue holds without receiving it."""

from __future__ import annotations

import json
from typing import Any

from .. import selectors
from ..engine.sources.payloads import sqs_record
from ..errors import InvalidParameterValueException
from ..models import Stream
from ..runtime.connection import redis_client
from ..runtime.engine_config import queue_config, stream_config
from ..runtime.redis_store import RedisQueueStore, RedisStreamStore
from ..runtime.shared_clock import SharedClock

MAX_BODY = 262_144  # SQS's 256 KiB message limit
PEEK_LIMIT = 20  # messages a queue viewer shows


def queue_message_send(*, queue: str, body: str) -> str:
    """SendMessage: `queue` is a name or ARN; returns the MessageId. The engine host's poller picks it up."""
    target = selectors.queue_get(queue)
    if not body:
        raise InvalidParameterValueException("The message body must not be empty.")
    if len(body.encode()) > MAX_BODY:
        raise InvalidParameterValueException(f"The message body must be at most {MAX_BODY} bytes.")
    if target.fifo:
        raise InvalidParameterValueException("FIFO queues need a MessageGroupId; use the SQS API for them.")
    client = redis_client()
    store = RedisQueueStore(client)
    store.create_queue(queue_config(target))  # a no-op once the engine host has created it
    return store.send_message(target.arn, body, now=SharedClock(client).now())


def stream_record_put(*, stream: str, partition_key: str, data: Any) -> dict[str, str]:
    """PutRecord: `stream` is a Kinesis or DynamoDB stream ARN; returns the shard and sequence number."""
    source = selectors.source_get_by_arn(stream)
    if not isinstance(source, Stream):
        raise InvalidParameterValueException(f"{stream} is not a stream.")
    if not partition_key or len(partition_key) > 256:
        raise InvalidParameterValueException("The partition key must be 1-256 characters.")
    if isinstance(data, dict | list):
        data = json.dumps(data)
    client = redis_client()
    store = RedisStreamStore(client)
    store.create_stream(stream_config(source))  # a no-op once the engine host has created it
    record = store.put_record(source.arn, partition_key, data, now=SharedClock(client).now())
    return {"ShardId": record.shard_id, "SequenceNumber": record.sequence_number}


def queue_messages_peek(*, queue: str, limit: int = PEEK_LIMIT) -> dict[str, Any]:
    """The oldest `limit` messages of a simulated queue (a redrive DLQ, say) as a Lambda SQS record shows them:
    body, attributes (ApproximateReceiveCount, SentTimestamp, ...) and message attributes. Read-only: nothing is
    received, so no receive count or visibility changes."""
    target = selectors.queue_get(queue)
    client = redis_client()
    store = RedisQueueStore(client)
    try:
        messages = store.messages(target.arn, limit=limit)
    except KeyError:  # the engine host has not created it yet: nothing was ever sent there
        return {"queue": target.name, "arn": target.arn, "total": 0, "messages": []}
    counts = store.counts(target.arn, now=SharedClock(client).now())
    account = selectors.account_settings_get()
    records = [sqs_record(m, queue_arn=target.arn, region=account.region, epoch=0.0) for m in messages]
    for record in records:
        del record["receiptHandle"]  # a viewer must not be able to delete or hide what it shows
    return {
        "queue": target.name,
        "arn": target.arn,
        "total": counts.total,
        "visible": counts.visible,
        "in_flight": counts.in_flight,
        "messages": records,
    }
